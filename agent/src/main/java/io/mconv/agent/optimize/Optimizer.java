package io.mconv.agent.optimize;

import io.mconv.limits.Limits;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.runtime.ort.OrtWarmup;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Model;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.PassReport;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mconv optimize}: reads a model, optionally raises its opset, runs the selected passes to a fixed point,
 * proves in ONNX Runtime (graph optimizations off) that the result computes what the original computes, and only
 * then writes it. When outputs differ, nothing is written and the pass that introduced the difference is found by
 * bisecting the pass list on fresh copies of the original.
 */
public final class Optimizer {

    private final PassRegistry registry;
    private final OpSchemaRegistry schemas;
    private final ModelLoader loader;

    public Optimizer() {
        this(Limits.defaults());
    }

    /** The standard passes, reading models under {@code limits}. */
    public Optimizer(Limits limits) {
        this(PassRegistry.standard(), OpSchemaRegistry.standard(), limits);
    }

    public Optimizer(PassRegistry registry, OpSchemaRegistry schemas) {
        this(registry, schemas, Limits.defaults());
    }

    public Optimizer(PassRegistry registry, OpSchemaRegistry schemas, Limits limits) {
        this.registry = registry;
        this.schemas = schemas;
        this.loader = new ModelLoader(limits);
    }

    /**
     * @throws IllegalArgumentException   for an unknown pass name or an opset that cannot be raised (usage errors)
     * @throws ValidationFailedException   when the optimized model computes something else; nothing is written
     * @throws io.mconv.passes.PassFailedException when a pass throws or breaks the IR (a bug, named)
     */
    public OptimizationResult optimize(Path source, Path out, OptimizeOptions options) throws IOException {
        long start = System.nanoTime();
        if (options.validate()) {
            OrtWarmup.start();
        }
        List<Pass> passes;
        try {
            passes = registry.select(options.level(), options.target(), options.passes(), options.disable());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage());
        }
        PassContext context = new PassContext(options.level(), options.target(), schemas, options.inputShapes(),
                options.verifyEach());
        try (IrModelFile file = loader.load(source)) {
            Model model = file.model();
            int opsetBefore = model.opsetVersion("");
            PassReport report = transform(model, passes, context, options);
            WriteOptions write = WriteOptions.defaults().withPolicy(options.externalData())
                    .withThresholdBytes(options.thresholdBytes()).withProtectedPaths(file.inputFiles());
            ValidationReport[] validation = {null};
            // Validation runs on the staged output itself when it is one self-contained file, so the model is
            // serialized once (for the file) rather than twice (for ONNX Runtime, then for the file); a failure
            // aborts the commit and nothing is written.
            WriteResult written = new ModelSaver().save(model, out, write, staged -> {
                if (!options.validate()) {
                    return;
                }
                validation[0] = staged.selfContained()
                        ? validator(options).validate(source, staged.modelFile())
                        : validator(options).validate(source, model);
                if (!validation[0].passed()) {
                    // Only a failure needs the original again: read it afresh rather than copy it on every run.
                    String culprit;
                    try (IrModelFile again = loader.load(source)) {
                        culprit = bisect(again.model(), passes, context, options);
                    }
                    throw new ValidationFailedException(source + ": the optimized model computes something else ("
                            + validation[0].firstFailure() + ")" + culprit + "; nothing was written", validation[0]);
                }
            });
            return new OptimizationResult(source, Files.size(source), opsetBefore, model.opsetVersion(""), report,
                    validation[0], written, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The whole rewrite: raise the opset if asked, run the passes to a fixed point. When an operator that changed
     * definition blocks the raise (ReduceMean in a decomposed LayerNorm, say), the passes run first at the old opset
     * (fusing it away), then the opset is raised and the passes run again, so fusions into ops of the new opset
     * (Gelu) apply too.
     */
    private PassReport transform(Model model, List<Pass> passes, PassContext context, OptimizeOptions options) {
        if (options.opset() == null) {
            return new PassManager(passes).run(model, context);
        }
        OpsetRaise raise = new OpsetRaise(schemas);
        try {
            raise.raise(model, options.opset());
            return new PassManager(passes).run(model, context);
        } catch (IllegalArgumentException blocked) {
            PassReport first = new PassManager(passes).run(model, context);
            try {
                raise.raise(model, options.opset());
            } catch (IllegalArgumentException stillBlocked) {
                convertUp(model, options.opset(), stillBlocked);
            }
            return PassReport.concat(first, new PassManager(passes).run(model, context));
        }
    }

    /**
     * Operators that changed definition still block the plain raise after optimizing (a ReduceMean no fusion
     * absorbed): the opset converter rewrites them into the new form. Lowering stays refused here; that is
     * {@code mconv convert --opset}'s job.
     */
    private void convertUp(Model model, int target, IllegalArgumentException blocked) {
        if (target < model.opsetVersion("")) {
            throw new InvalidOptionException(blocked.getMessage());
        }
        try {
            new OpsetConverter(schemas).convert(model, target);
        } catch (IllegalArgumentException refused) {
            throw new InvalidOptionException(blocked.getMessage() + ", even after optimizing, and the opset converter "
                    + "refused: " + refused.getMessage());
        }
    }

    private static ModelValidator validator(OptimizeOptions options) {
        return new ModelValidator(options.tolerance(), options.inputShapes(), 0);
    }

    /**
     * The first pass whose inclusion makes the result differ, found by running growing prefixes of the pass list on
     * copies of the original (binary search); as text for the error message.
     */
    private String bisect(Model original, List<Pass> passes, PassContext context, OptimizeOptions options) {
        int good = 0;
        int bad = passes.size();
        try {
            if (options.opset() != null && !prefixPasses(original, passes, 0, context, options)) {
                return "; introduced by raising the opset to " + options.opset();
            }
            while (bad - good > 1) {
                int mid = (good + bad) / 2;
                if (prefixPasses(original, passes, mid, context, options)) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
        } catch (RuntimeException e) {
            return "; bisecting the passes failed: " + e.getMessage();
        }
        return bad >= 1 && bad <= passes.size() ? "; introduced by pass " + passes.get(bad - 1).name() : "";
    }

    /** Whether the first {@code count} passes, run on a copy of the original, keep its outputs. */
    private boolean prefixPasses(Model original, List<Pass> passes, int count, PassContext context,
                                 OptimizeOptions options) {
        Model trial = ModelCopier.copy(original);
        try {
            transform(trial, passes.subList(0, count), context, options);
        } catch (InvalidOptionException e) {
            return true; // this prefix cannot even raise the opset; the full list could, so look further
        }
        return validator(options).validate(original, trial).passed();
    }
}
