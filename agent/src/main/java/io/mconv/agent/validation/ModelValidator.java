package io.mconv.agent.validation;

import io.mconv.agent.runtime.BackgroundOpen;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Proves a transformed model against its source in ONNX Runtime (graph optimizations off, one thread per session
 * so results do not depend on the machine): both run on the same seeded random inputs and every output is compared
 * with per-precision tolerances (or a fixed one). The two sessions are opened and run concurrently, which halves the
 * wall time on a multi-core machine. Failures to run at all become {@link ValidationFailedException}s that say so.
 */
public final class ModelValidator {

    /** What follows the source's name when ONNX Runtime refuses the source itself (also said by quantize). */
    public static final String SOURCE_DOES_NOT_RUN = ": cannot validate in ONNX Runtime: the source does not run: ";

    private final Tolerance tolerance;
    private final Map<String, Shape> inputShapes;
    private final long seed;

    /** @param tolerance a fixed tolerance, or null for the per-precision presets */
    public ModelValidator(Tolerance tolerance, Map<String, Shape> inputShapes, long seed) {
        this.tolerance = tolerance;
        this.inputShapes = Map.copyOf(inputShapes);
        this.seed = seed;
    }

    /** The source as a file (ORT resolves its external data); the candidate in memory. */
    public ValidationReport validate(Path source, Model candidate) {
        return validate(() -> OrtModelRunner.open(source, OrtSessionConfig.forValidation()),
                () -> OrtModelRunner.open(candidate, OrtSessionConfig.forValidation()), source.toString());
    }

    /**
     * The source from a caller-chosen runtime (ORT, or the reference evaluator where ORT has no kernel for the
     * source's operator versions); the candidate in ORT, in memory.
     */
    public ValidationReport validate(Supplier<ModelRunner> source, Model candidate, String sourceName) {
        return validate(source, () -> OrtModelRunner.open(candidate, OrtSessionConfig.forValidation()), sourceName);
    }

    /** Both in memory (bisecting the pass list). */
    /** The source file against a candidate file (both opened by ONNX Runtime from disk). */
    public ValidationReport validate(Path source, Path candidateFile) {
        return validate(() -> OrtModelRunner.open(source, OrtSessionConfig.forValidation()),
                () -> OrtModelRunner.open(candidateFile, OrtSessionConfig.forValidation()), source.toString());
    }

    public ValidationReport validate(Model source, Model candidate) {
        return validate(() -> OrtModelRunner.open(source, OrtSessionConfig.forValidation()),
                () -> OrtModelRunner.open(candidate, OrtSessionConfig.forValidation()), "the original");
    }

    private ValidationReport validate(Supplier<ModelRunner> openReference, Supplier<ModelRunner> openCandidate,
                                      String sourceName) {
        try (BackgroundOpen<ModelRunner> referenceOpening = BackgroundOpen.start(openReference);
             BackgroundOpen<ModelRunner> candidateOpening = BackgroundOpen.start(openCandidate)) {
            ModelRunner reference = refusedAs(sourceName + SOURCE_DOES_NOT_RUN, referenceOpening::get);
            ModelRunner candidate = refusedAs(sourceName + ": ONNX Runtime cannot run the result: ",
                    candidateOpening::get);
            Map<String, Tensor> feeds;
            try {
                feeds = new RandomInputs(seed).generate(reference.inputs(), inputShapes);
            } catch (IllegalArgumentException e) {
                throw new ValidationFailedException("cannot validate " + sourceName + ": " + e.getMessage()
                        + " (or skip validation with --no-validate)", null);
            }
            CompletableFuture<Map<String, Tensor>> expected = CompletableFuture.supplyAsync(() -> reference.run(feeds));
            CompletableFuture<Map<String, Tensor>> actual = CompletableFuture.supplyAsync(() -> candidate.run(feeds));
            Map<String, Tensor> want = refusedAs(sourceName + SOURCE_DOES_NOT_RUN,
                    () -> BackgroundOpen.join(expected));
            Map<String, Tensor> got = refusedAs(sourceName + ": ONNX Runtime cannot run the result: ",
                    () -> BackgroundOpen.join(actual));
            List<ComparisonResult> results = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : want.entrySet()) {
                Tolerance t = tolerance != null ? tolerance : Tolerance.forDataType(e.getValue().dataType());
                results.add(TensorComparison.compare(e.getKey(), e.getValue(), got.get(e.getKey()), t));
            }
            return new ValidationReport(reference.describe(), candidate.describe(), results);
        }
    }

    /** What {@code step} returns; a runtime's refusal becomes a validation failure with {@code prefix}. */
    private static <T> T refusedAs(String prefix, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeFailureException | UnsupportedTensorTypeException e) {
            throw ValidationFailedException.runtimeRefused(prefix, e.getMessage());
        }
    }
}
