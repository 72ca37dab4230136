package io.mconv.agent.validation;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.BackgroundOpen;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeLoadFailureException;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.UnsupportedTensorTypeException;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.RuntimeCrashedException;
import io.mconv.agent.runtime.RuntimeIsolation;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtRunners;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.runtime.torch.TorchRunnerConfig;
import io.mconv.agent.runtime.torch.TorchScriptRunner;
import io.mconv.agent.runtime.torch.TorchStartup;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.onnx.io.InvalidModelException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves an exported ONNX model (the target) against the model it came from (the source): a TorchScript file run
 * by libtorch ({@link TorchScriptRunner}, in a worker process) or another ONNX model run by ONNX Runtime. Both get
 * the same feeds (seeded random ones, or {@code input_N.pb} files) and every output is compared by position, with
 * max absolute and relative error, the worst index and the cosine similarity.
 *
 * <p>The target's inputs and outputs name everything: a TorchScript module has only positions. The libtorch worker
 * starts while ONNX Runtime runs, since its startup (a JVM and libtorch) is the slow part.
 *
 * <p>Failures: an unreadable or invalid file (either side, or a feed file) is an {@link InvalidModelException};
 * a bad option an {@link InvalidOptionException}; a runtime that crashes, hangs or refuses to run is a
 * {@link ValidationFailedException} without a report (nothing could be compared).
 */
public final class SourceValidator {

    /**
     * The float32 default across two runtimes: libtorch and ONNX Runtime pick different convolution and GEMM
     * kernels (blocking, summation order, FMA use), so their results differ by ~1e-6 relative per op and that
     * compounds over a network; ten times FP32's same-runtime preset still flags a wrong weight or op.
     */
    public static final Tolerance FP32_ACROSS_RUNTIMES = new Tolerance("fp32 across runtimes", 1e-4, 1e-3);

    /**
     * @param providers   ONNX Runtime providers for the target (and an ONNX source), in priority order
     * @param inputShapes fixes symbolic input dimensions for random feeds
     * @param inputsDir   a folder of {@code input_N.pb} files to feed instead of random data, or null
     * @param tolerance   one tolerance for every output, or null for {@link #defaultTolerance}
     * @param seed        seed of the random feeds
     * @param torch       how the libtorch worker runs
     * @param isolation   whether ONNX Runtime runs in a worker too (libtorch always does)
     */
    public record Options(List<ExecutionProvider> providers, Map<String, Shape> inputShapes, Path inputsDir,
                          Tolerance tolerance, long seed, TorchRunnerConfig torch, RuntimeIsolation isolation) {

        public Options {
            providers = List.copyOf(providers);
            inputShapes = Map.copyOf(inputShapes);
            java.util.Objects.requireNonNull(isolation, "isolation");
        }

        public Options withTorch(TorchRunnerConfig t) {
            return new Options(providers, inputShapes, inputsDir, tolerance, seed, t, isolation);
        }

        public Options withIsolation(RuntimeIsolation i) {
            return new Options(providers, inputShapes, inputsDir, tolerance, seed, torch, i);
        }

        /**
         * cpu, random feeds with seed 0, per-precision tolerances, and libtorch on one thread: like the ONNX Runtime
         * oracle, so reductions sum in the same order on every machine (and on a busy machine one thread is also
         * faster: resnet18 ~0.2 s a run against 0.6-3 s with a thread per core fighting for two cores).
         */
        public static Options defaults() {
            return new Options(List.of(ExecutionProvider.CPU), Map.of(), null, null, 0,
                    TorchRunnerConfig.defaults().withThreads(1), RuntimeIsolation.off());
        }

        public Options withTolerance(Tolerance t) {
            return new Options(providers, inputShapes, inputsDir, t, seed, torch, isolation);
        }

        public Options withInputsDir(Path dir) {
            return new Options(providers, inputShapes, dir, tolerance, seed, torch, isolation);
        }

        public Options withProviders(List<ExecutionProvider> p) {
            return new Options(p, inputShapes, inputsDir, tolerance, seed, torch, isolation);
        }

        public Options withInputShapes(Map<String, Shape> shapes) {
            return new Options(providers, shapes, inputsDir, tolerance, seed, torch, isolation);
        }
    }

    private final Options options;
    private final Limits limits;

    public SourceValidator(Options options) {
        this(options, Limits.defaults());
    }

    /** Reads the ONNX model and the {@code --inputs} files under {@code limits}. */
    public SourceValidator(Options options, Limits limits) {
        this.options = options;
        this.limits = limits;
    }

    /** The tolerance for an output of {@code type} when none was given: looser for float32 across runtimes. */
    public static Tolerance defaultTolerance(DataType type, SourceKind source) {
        if (type == DataType.FLOAT && source == SourceKind.TORCHSCRIPT) {
            return FP32_ACROSS_RUNTIMES;
        }
        return Tolerance.forDataType(type);
    }

    public SourceValidation validate(Path source, Path target) {
        SourceKind kind = SourceKind.of(source);
        if (SourceKind.of(target) != SourceKind.ONNX) {
            throw new InvalidOptionException("the validation target must be an ONNX model (.onnx): " + target);
        }
        // Every file is checked before anything slow starts, so a typo costs no libtorch startup.
        checkSource(source, kind);
        checkOnnx(target);
        OrtSessionConfig ort = OrtSessionConfig.forValidation().withProviders(options.providers(), false);
        try (ModelRunner candidate = openOrt(target, ort)) {
            return compare(source, kind, target, candidate, ort);
        }
    }

    /**
     * Validates a model still in memory (an export about to be written) against its TorchScript or ONNX source;
     * {@code label} names it in messages.
     */
    public SourceValidation validate(Path source, io.mconv.ir.Model target, Path label) {
        SourceKind kind = SourceKind.of(source);
        checkSource(source, kind);
        OrtSessionConfig ort = OrtSessionConfig.forValidation().withProviders(options.providers(), false);
        try (ModelRunner candidate = OrtRunners.open(target, ort, options.isolation())) {
            return compare(source, kind, label, candidate, ort);
        }
    }

    private void checkSource(Path source, SourceKind kind) {
        if (kind == SourceKind.TORCHSCRIPT) {
            TorchSourceFile.check(source);
        } else {
            checkOnnx(source);
        }
    }

    private SourceValidation compare(Path source, SourceKind kind, Path target, ModelRunner candidate,
                                 OrtSessionConfig ort) {
        Map<String, Tensor> feeds = feeds(candidate.inputs());
        try (BackgroundOpen<ModelRunner> opening = BackgroundOpen.start(
                () -> openReference(kind, source, candidate, ort))) {
            long t0 = System.nanoTime();
            Map<String, Tensor> actual = run(candidate, feeds, target, "onnxruntime");
            Duration candidateRun = Duration.ofNanos(System.nanoTime() - t0);
            ModelRunner reference = opened(opening);
            checkSameInputs(reference, candidate, source, target);
            long t1 = System.nanoTime();
            Map<String, Tensor> expected = run(reference, feeds, source, kind == SourceKind.TORCHSCRIPT
                    ? "libtorch" : "onnxruntime");
            Duration referenceRun = Duration.ofNanos(System.nanoTime() - t1);
            ValidationReport report = new ValidationReport(reference.describe(), candidate.describe(),
                    compare(expected, actual, kind, source, target));
            TorchStartup startup = reference instanceof TorchScriptRunner t ? t.startup() : null;
            return new SourceValidation(source, target, kind, report, shapesOf(feeds), inputsOrigin(), startup,
                    referenceRun, candidateRun);
        }
    }

    private void checkOnnx(Path file) {
        try (IrModelFile ignored = new ModelLoader(limits).load(file)) {
            // Loaded to refuse an unreadable or invalid model with exit code 3 before a runtime sees it.
        }
    }

    private ModelRunner openOrt(Path file, OrtSessionConfig config) {
        try {
            return OrtRunners.open(file, config, options.isolation());
        } catch (RuntimeLoadFailureException e) {
            throw e.asInvalidInput(file); // a crash while loading is not a verdict on the file, and stays exit 4
        }
    }

    private ModelRunner openReference(SourceKind kind, Path source, ModelRunner candidate, OrtSessionConfig ort) {
        if (kind == SourceKind.ONNX) {
            return openOrt(source, ort);
        }
        try {
            return TorchScriptRunner.open(source, candidate.inputs(), candidate.outputs(), options.torch());
        } catch (RuntimeLoadFailureException e) {
            throw e.asInvalidInput(source);
        }
    }

    private Map<String, Tensor> feeds(Map<String, ValueType> inputs) {
        if (options.inputsDir() != null) {
            if (!options.inputShapes().isEmpty()) {
                throw new InvalidOptionException("--inputs files carry their shapes; leave out --input-shape");
            }
            return TestDataInputs.read(options.inputsDir(), inputs, limits);
        }
        try {
            return new RandomInputs(options.seed()).generate(inputs, options.inputShapes());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage());
        }
    }

    private String inputsOrigin() {
        return options.inputsDir() != null ? "input_N.pb files in " + options.inputsDir()
                : "random (seed " + options.seed() + ")";
    }

    private static Map<String, Tensor> run(ModelRunner runner, Map<String, Tensor> feeds, Path file, String runtime) {
        try {
            return runner.run(feeds);
        } catch (RuntimeCrashedException e) {
            throw e; // a crash or hang of the runtime is not a mismatch: it must not pass for "the check failed"
        } catch (RuntimeFailureException | UnsupportedTensorTypeException e) {
            throw new ValidationFailedException("cannot validate: " + runtime + " could not run " + file + ": "
                    + e.getMessage(), null);
        }
    }

    /** The reference once open; a runtime that cannot open it stops the check (a crash is its own failure). */
    private static ModelRunner opened(BackgroundOpen<ModelRunner> opening) {
        try {
            return opening.get();
        } catch (RuntimeCrashedException crashed) {
            throw crashed;
        } catch (RuntimeFailureException e) {
            throw new ValidationFailedException("cannot validate: " + e.getMessage(), null);
        }
    }

    private static void checkSameInputs(ModelRunner reference, ModelRunner candidate, Path source, Path target) {
        if (!reference.inputs().keySet().equals(candidate.inputs().keySet())) {
            throw new ValidationFailedException("cannot validate: " + source + " has inputs "
                    + reference.inputs().keySet() + " but " + target + " has " + candidate.inputs().keySet()
                    + "; both must take the same feeds", null);
        }
    }

    private List<ComparisonResult> compare(Map<String, Tensor> expected, Map<String, Tensor> actual, SourceKind kind,
                                           Path source, Path target) {
        if (expected.size() != actual.size()) {
            throw new ValidationFailedException("cannot validate: " + source + " returned " + expected.size()
                    + " output(s) but " + target + " has " + actual.size(), null);
        }
        List<Tensor> want = new ArrayList<>(expected.values());
        List<ComparisonResult> results = new ArrayList<>();
        int i = 0;
        // By position: a TorchScript module's outputs have no names, and an ONNX source may name them differently.
        for (Map.Entry<String, Tensor> got : actual.entrySet()) {
            Tensor w = want.get(i++);
            Tolerance t = options.tolerance() != null ? options.tolerance() : defaultTolerance(w.dataType(), kind);
            results.add(TensorComparison.compare(got.getKey(), w, got.getValue(), t));
        }
        return results;
    }

    private static Map<String, ValueType> shapesOf(Map<String, Tensor> feeds) {
        Map<String, ValueType> out = new LinkedHashMap<>();
        feeds.forEach((name, t) -> out.put(name, new ValueType.TensorType(t.dataType(), Shape.of(t.dims()))));
        return out;
    }
}
