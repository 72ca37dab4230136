package io.mconv.agent.check;

import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --verify}: creates a session for the model on the target's execution provider, with no fallback, and
 * runs it once on seeded random inputs. Targets whose provider is not in this process's ONNX Runtime build (or
 * that ORT Java cannot run at all, like ORT Web's wasm) are reported as not available here, never guessed.
 */
public final class CheckVerifier {

    private static final long SEED = 42;

    public Verification verify(Path modelFile, CheckTarget target) {
        if (target.provider().isEmpty()) {
            return new Verification(Verification.Status.NOT_AVAILABLE, "not available here: " + target.userName()
                    + " is ONNX Runtime Web, which runs in a browser or Node.js, not in ONNX Runtime Java", 0);
        }
        ExecutionProvider provider = target.provider().get();
        if (!ExecutionProvider.available().contains(provider)) {
            return new Verification(Verification.Status.NOT_AVAILABLE, "not available here: this ONNX Runtime "
                    + "build has no " + provider.ortName() + " (" + provider.howToGet() + ")", 0);
        }
        long start = System.nanoTime();
        OrtSessionConfig config = OrtSessionConfig.defaults().withProviders(List.of(provider), false);
        try (OrtModelRunner runner = OrtModelRunner.open(modelFile, config)) {
            return run(runner, start);
        } catch (RuntimeFailureException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Invalid ONNXType")) {
                // ORT created the session; ORT Java's reader of input/output metadata knows no optional types.
                return new Verification(Verification.Status.SESSION_ONLY, "session created; ORT Java cannot "
                        + "describe optional-typed inputs or outputs, so no run was tried", millis(start));
            }
            return new Verification(Verification.Status.SESSION_FAILED, oneLine(m), millis(start));
        }
    }

    private static Verification run(OrtModelRunner runner, long start) {
        Map<String, ValueType> inputs = runner.inputs();
        for (Map.Entry<String, ValueType> e : inputs.entrySet()) {
            if (!(e.getValue() instanceof ValueType.TensorType t) || t.elemType() == null) {
                return new Verification(Verification.Status.SESSION_ONLY, "session created; input '" + e.getKey()
                        + "' is " + e.getValue() + ", which random inputs cannot make", millis(start));
            }
        }
        Map<String, Tensor> feeds;
        try {
            feeds = new RandomInputs(SEED).generate(inputs, Map.of());
        } catch (IllegalArgumentException e) {
            return new Verification(Verification.Status.SESSION_ONLY, "session created; " + e.getMessage(),
                    millis(start));
        }
        try {
            runner.runValues(feeds, runner.outputs().keySet());
            return new Verification(Verification.Status.RAN, "", millis(start));
        } catch (UnsupportedTensorTypeException e) {
            return new Verification(Verification.Status.SESSION_ONLY, "session created; " + oneLine(e.getMessage()),
                    millis(start));
        } catch (RuntimeFailureException e) {
            return new Verification(Verification.Status.RUN_FAILED, oneLine(e.getMessage()), millis(start));
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String oneLine(String s) {
        String m = String.valueOf(s).replaceAll("\\s+", " ").trim();
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }
}
