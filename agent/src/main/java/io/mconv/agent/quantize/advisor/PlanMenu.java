package io.mconv.agent.quantize.advisor;

import io.mconv.agent.quantize.QuantizeMode;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.StaticQuantizeOptions;
import io.mconv.ir.DataType;
import io.mconv.limits.Limits;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.DynamicQuantConfig;
import io.mconv.passes.quantize.NodeExclusions;
import io.mconv.passes.quantize.QuantFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidate plans the advisor measures on a model, chosen from the CPU's features: dynamic int8 in QOperator
 * form (full-range weights, and on a CPU without VNNI or dot product also 7-bit reduce-range weights, since AVX2's
 * u8×s8 kernel saturates int16 sums), dynamic int8 QDQ per-channel, static QDQ int8 per-channel (MinMax), weight-only
 * int4 (MatMulNBits, block 32) and float16, besides float32 itself.
 */
public final class PlanMenu {

    /** Random calibration samples when there is no folder (what StaticQuantizer's own default uses). */
    static final int RANDOM_CALIBRATION_SAMPLES = 16;

    private final CpuFeatures cpu;
    private final AdvisorOptions options;
    private final Limits limits;

    /** @param limits what every plan reads the model (and static int8 the calibration folder) under */
    public PlanMenu(CpuFeatures cpu, AdvisorOptions options, Limits limits) {
        this.cpu = cpu;
        this.options = options;
        this.limits = limits;
    }

    /** Reduce-range where full-range int8 weights saturate the CPU's int8 kernel. */
    public boolean reduceRange() {
        return !cpu.fastInt8();
    }

    /** The dynamic int8 settings the sensitivity scan uses: those of the QOperator plan the CPU favours. */
    public DynamicQuantConfig sensitivityConfig() {
        return new DynamicQuantConfig(QuantFormat.QOPERATOR, DataType.INT8, true, false, reduceRange(),
                NodeExclusions.none());
    }

    public List<PlanCandidate> candidates(Fp32Plan fp32) {
        List<PlanCandidate> plans = new ArrayList<>();
        plans.add(fp32);
        plans.add(new QuantizerPlan("dynamic-int8", "dynamic int8 qoperator per-tensor (MatMulInteger)",
                PlanKind.DYNAMIC_INT8, quantizer(QuantizeMode.DYNAMIC), limits));
        if (reduceRange()) {
            plans.add(new QuantizerPlan("dynamic-int8-rr", "dynamic int8 qoperator per-tensor, reduce-range "
                    + "(7-bit weights for " + cpu.int8Kernel() + ")", PlanKind.DYNAMIC_INT8,
                    quantizer(QuantizeMode.DYNAMIC).withReduceRange(true), limits));
        }
        plans.add(new QuantizerPlan("dynamic-int8-qdq-pc", "dynamic int8 qdq per-channel"
                + (reduceRange() ? ", reduce-range" : ""), PlanKind.DYNAMIC_INT8,
                quantizer(QuantizeMode.DYNAMIC).withFormat(QuantFormat.QDQ).withPerChannel(true)
                        .withReduceRange(reduceRange()), limits));
        plans.add(new StaticPlan("static-qdq-int8-pc", "static int8 qdq per-channel, MinMax calibration on "
                + (options.calibrationDir() != null ? options.calibrationDir().toString() : "seeded random inputs"),
                staticOptions(), limits));
        plans.add(new QuantizerPlan("weight-only-int4", "weight-only int4 block 32 (com.microsoft::MatMulNBits)",
                PlanKind.WEIGHT_ONLY_INT4, quantizer(QuantizeMode.WEIGHT_ONLY), limits));
        plans.add(new QuantizerPlan("fp16", "float16, float32 inputs and outputs", PlanKind.FP16,
                quantizer(QuantizeMode.FP16), limits));
        return plans;
    }

    private QuantizeOptions quantizer(QuantizeMode mode) {
        QuantizeOptions d = QuantizeOptions.defaults(mode);
        return new QuantizeOptions(mode, d.format(), d.perChannel(), d.symmetric(), d.weightType(), d.reduceRange(),
                d.blockSize(), Target.ORT, List.of(), true, options.inputShapes(), false, 0);
    }

    private StaticQuantizeOptions staticOptions() {
        StaticQuantizeOptions d = StaticQuantizeOptions.defaults()
                .withCalibration(options.calibrationDir(), RANDOM_CALIBRATION_SAMPLES, options.seed());
        return new StaticQuantizeOptions(d.method(), d.percentile(), d.perChannel(), d.symmetricActivations(),
                d.symmetricWeights(), d.activationType(), d.weightType(), d.reduceRange(), d.format(), d.target(),
                d.calibrationDir(), d.randomSamples(), d.seed(), d.exclude(), options.inputShapes(), 1, 0);
    }
}
