package io.mconv.agent.prune;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.quantize.FloatReference;
import io.mconv.agent.quantize.LatencyComparison;
import io.mconv.agent.quantize.QualityReport;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import io.mconv.passes.prune.ChannelPrune;
import io.mconv.passes.prune.MagnitudePrune;
import io.mconv.passes.prune.Sparsity;
import io.mconv.schema.OpSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code mconv prune}: reads a model, runs one pruning pass once (magnitude or channel), checks the IR, measures the
 * result against the original in ONNX Runtime on seeded inputs (the same meters {@code mconv quantize} uses), and
 * writes it atomically. There is no accuracy bar by default, since pruning without fine-tuning is expected to lose
 * accuracy and the report says how much; with {@code --max-accuracy-drop X} a result whose worst output has
 * 1 − cosine above X is refused ({@link ValidationFailedException}, exit 1) and nothing is written.
 */
public final class Pruner {

    private static final long SEED = 0;

    private final ModelLoader loader;

    public Pruner() {
        this(Limits.defaults());
    }

    /** Reads models under {@code limits}. */
    public Pruner(Limits limits) {
        this.loader = new ModelLoader(limits);
    }

    public PruneResult prune(Path source, Path out, PruneOptions options) throws IOException {
        long start = System.nanoTime();
        Pass pass = pass(options);
        try (IrModelFile file = loader.load(source)) {
            Model model = file.model();
            ParameterCensus before = ParameterCensus.of(model);
            PassContext context = new PassContext(OptimizationLevel.AGGRESSIVE, Target.PORTABLE,
                    OpSchemaRegistry.standard(), options.inputShapes(), false);
            PassResult result = pass.run(model, context);
            try {
                GraphVerifier.verify(model);
            } catch (InvalidGraphException e) {
                throw new IllegalStateException(pass.name() + " left an invalid graph: " + e.getMessage(), e);
            }
            ParameterCensus after = ParameterCensus.of(model);
            double minCosine = options.maxAccuracyDrop() == null ? -1 : 1 - options.maxAccuracyDrop();
            QualityReport quality;
            LatencyComparison latency;
            try (FloatReference reference = FloatReference.open(source);
                 OrtModelRunner candidate = FloatReference.openCandidate(model)) {
                List<Map<String, Tensor>> inputs = List.of(new RandomInputs(SEED)
                        .generate(reference.oracle().inputs(), options.inputShapes()));
                quality = reference.quality(candidate, inputs, minCosine, Tolerance.FP32);
                if (!quality.passed()) {
                    throw new ValidationFailedException(source + ": the pruned model loses more than "
                            + "--max-accuracy-drop " + options.maxAccuracyDrop() + " (" + quality.firstFailure()
                            + "); nothing was written. Lower --sparsity or raise the bar", null);
                }
                latency = options.latencyRuns() > 0
                        ? reference.latency(candidate, inputs.get(0), options.latencyRuns()) : null;
            }
            WriteResult written = new ModelSaver().save(model, out,
                    WriteOptions.defaults().withProtectedPaths(file.inputFiles()));
            List<String> skipped = new ArrayList<>(new LinkedHashSet<>(result.diagnostics()));
            return new PruneResult(source, pass.name(), options.sparsity(), result.rewrites(), skipped,
                    before.parameters(), after.parameters(), after.nonzeroParameters(), before.layerWeights(),
                    after.nonzeroLayerWeights(), sourceBytes(file), written, quality, latency,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static Pass pass(PruneOptions options) {
        Sparsity sparsity;
        try {
            sparsity = new Sparsity(options.sparsity());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--sparsity: " + e.getMessage());
        }
        return options.structured() ? new ChannelPrune(sparsity) : new MagnitudePrune(sparsity);
    }

    private static long sourceBytes(IrModelFile file) throws IOException {
        long total = 0;
        for (Path p : file.inputFiles()) {
            total += Files.size(p);
        }
        return total;
    }
}
