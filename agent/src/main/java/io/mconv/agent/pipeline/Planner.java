package io.mconv.agent.pipeline;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.convert.ConvertOptions;
import io.mconv.agent.export.TorchExportOptions;
import io.mconv.agent.optimize.OptimizeOptions;
import io.mconv.agent.pipeline.steps.AdvisedQuantizeStep;
import io.mconv.agent.pipeline.steps.ExportStep;
import io.mconv.agent.pipeline.steps.OpsetStep;
import io.mconv.agent.pipeline.steps.OptimizeStep;
import io.mconv.agent.pipeline.steps.ProfileStep;
import io.mconv.agent.pipeline.steps.QuantizeStep;
import io.mconv.agent.pipeline.steps.StaticQuantizeStep;
import io.mconv.agent.pipeline.steps.ValidateStep;
import io.mconv.agent.quantize.QuantizeMode;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.StaticQuantizeOptions;
import io.mconv.agent.quantize.advisor.CpuFeatures;
import io.mconv.agent.quantize.calibration.CalibrationMethod;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.ort.ProviderSelection;
import io.mconv.agent.validation.SourceValidator;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.calibrated.QuantType;
import io.mconv.torch.export.ExportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides the chain for one request: export (a .pt, or an ONNX source moved to another opset), optimize unless
 * {@code none}, quantize when asked, validate against the source on every available provider of the target, and
 * profile the result against the float ONNX model. Refuses option combinations the chain cannot honour before
 * anything runs.
 */
public final class Planner {

    private final Set<ExecutionProvider> available;
    private final CpuFeatures cpu;

    /** @param available the execution providers this ONNX Runtime build has */
    public Planner(Set<ExecutionProvider> available) {
        this(available, CpuFeatures.detect());
    }

    /** @param cpu the CPU {@code --quantize auto} measures on (its int8 kernel is part of the cache key) */
    public Planner(Set<ExecutionProvider> available, CpuFeatures cpu) {
        this.available = Set.copyOf(available);
        this.cpu = cpu;
    }

    public Plan plan(ConvertRequest r) {
        refuseImpossible(r);
        List<Tool> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // The opset and optimize steps write for the same runtime: --target's ort, or standard ONNX.
        Target passTarget = r.passTarget() == null ? Target.PORTABLE : r.passTarget();
        if (r.torchSource()) {
            steps.add(new ExportStep(new TorchExportOptions(new ExportOptions(r.exportOpset(), r.torchInputs(),
                    r.dynamicAxes()), true, r.validate(), r.tolerance() == null
                    ? SourceValidator.FP32_ACROSS_RUNTIMES : r.tolerance(), 0, r.externalData(), r.thresholdBytes())));
        } else if (r.onnxOpset() != null) {
            steps.add(new OpsetStep(new ConvertOptions(r.externalData(), r.thresholdBytes(), r.validate(),
                    r.tolerance(), r.inputShapes(), 0, r.onnxOpset(), passTarget)));
        }
        if (r.optimize() != OptimizationLevel.NONE) {
            steps.add(new OptimizeStep(new OptimizeOptions(r.optimize(), passTarget, List.of(), List.of(),
                    r.inputShapes(), null, false, r.validate(), r.tolerance(), r.externalData(), r.thresholdBytes())));
        }
        Double minCosine = null;
        switch (r.quantize()) {
            case NONE -> { }
            case INT8, INT4, FP16 -> {
                QuantizeStep q = new QuantizeStep(quantizeOptions(r), r.quantize().toString());
                minCosine = q.minCosine();
                steps.add(q);
            }
            case INT8_STATIC -> {
                steps.add(new StaticQuantizeStep(staticOptions(r)));
                minCosine = StaticQuantizeStep.MIN_COSINE;
            }
            case AUTO -> {
                AdvisedQuantizeStep q = new AdvisedQuantizeStep(r.constraints().maxAccuracyDrop(), r.calibration(),
                        r.inputShapes(), cpu);
                minCosine = q.minCosine();
                steps.add(q);
            }
        }
        if (r.validate()) {
            ProviderSelection selection = ProviderSelection.select(r.providers(), available, true);
            notes.addAll(selection.warnings());
            steps.add(new ValidateStep(selection.chosen(), selection.warnings(), r.inputShapes(), r.tolerance(),
                    minCosine));
        } else {
            notes.add("validation is off (--no-validate): the result is written unchecked");
        }
        if (r.profileIterations() > 0) {
            steps.add(new ProfileStep(5, r.profileIterations(), r.inputShapes()));
        }
        return new Plan(r.source(), r.torchSource() ? SourceKinds.TORCHSCRIPT : SourceKinds.ONNX, r.output(), steps,
                notes);
    }

    private static void refuseImpossible(ConvertRequest r) {
        if (!r.validate() && r.constraints().maxAccuracyDrop() != null) {
            throw new InvalidOptionException("--max-accuracy-drop is measured by validation; it cannot be combined "
                    + "with --no-validate");
        }
        if (r.profileIterations() == 0 && r.constraints().maxLatency() != null) {
            throw new InvalidOptionException("--max-latency is measured by the profile step, which is off");
        }
        if (r.calibration() != null && r.quantize() != QuantizeChoice.INT8_STATIC
                && r.quantize() != QuantizeChoice.AUTO) {
            throw new InvalidOptionException("--calibration feeds static quantization; add --quantize int8-static "
                    + "(or auto)");
        }
    }

    private static QuantizeOptions quantizeOptions(ConvertRequest r) {
        QuantizeMode mode = switch (r.quantize()) {
            case INT8 -> QuantizeMode.DYNAMIC;
            case INT4 -> QuantizeMode.WEIGHT_ONLY;
            case FP16 -> QuantizeMode.FP16;
            default -> throw new IllegalStateException("not a calibration-free mode: " + r.quantize());
        };
        QuantizeOptions d = QuantizeOptions.defaults(mode);
        // the profile step times the result; the quantizer's own latency runs would only repeat that
        return new QuantizeOptions(mode, d.format(), d.perChannel(), d.symmetric(), d.weightType(), d.reduceRange(),
                d.blockSize(), r.passTarget() == null ? d.target() : r.passTarget(), List.of(), d.keepIoTypes(),
                r.inputShapes(), r.validate(), 0);
    }

    private static StaticQuantizeOptions staticOptions(ConvertRequest r) {
        StaticQuantizeOptions d = StaticQuantizeOptions.defaults();
        return new StaticQuantizeOptions(CalibrationMethod.MINMAX, d.percentile(), true, false, true, QuantType.UINT8,
                QuantType.INT8, false, StaticQuantizeOptions.QuantFormat.QDQ,
                r.passTarget() == null ? d.target() : r.passTarget(), r.calibration(), d.randomSamples(), 0,
                Set.of(), r.inputShapes(), d.evaluationSamples(), 0);
    }
}
