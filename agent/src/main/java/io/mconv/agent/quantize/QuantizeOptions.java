package io.mconv.agent.quantize;

import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.QuantFormat;
import java.util.List;
import java.util.Map;

/**
 * What {@code mconv quantize} was asked.
 *
 * @param weightType    INT8, UINT8 or INT4; null for the mode's default (int8; int4 for weight-only)
 * @param symmetric     null for the mode's default (symmetric int8 weights for dynamic, asymmetric blocks for
 *                      weight-only, as ONNX Runtime's quantizers default)
 * @param blockSize     weight-only rows per scale
 * @param target        ORT: weight-only uses com.microsoft::MatMulNBits; PORTABLE: DequantizeLinear-21
 * @param exclude       node names or op types left alone
 * @param validate      measure against the float model in ONNX Runtime and refuse to write a model that drifts
 * @param latencyRuns   timed runs per model for the latency ratio (median), 0 to skip timing
 * @param includeConv   dynamic: quantize Conv too (ConvInteger); off by default because ConvInteger runs several times
 *                      slower than float Conv on CPUs without VNNI
 */
public record QuantizeOptions(QuantizeMode mode, QuantFormat format, boolean perChannel, Boolean symmetric,
                              DataType weightType, boolean reduceRange, int blockSize, Target target,
                              List<String> exclude, boolean keepIoTypes, Map<String, Shape> inputShapes,
                              boolean validate, int latencyRuns, boolean includeConv) {

    public QuantizeOptions {
        exclude = List.copyOf(exclude);
        inputShapes = Map.copyOf(inputShapes);
    }

    /** Without Conv, as before {@code includeConv} existed. */
    public QuantizeOptions(QuantizeMode mode, QuantFormat format, boolean perChannel, Boolean symmetric,
                           DataType weightType, boolean reduceRange, int blockSize, Target target, List<String> exclude,
                           boolean keepIoTypes, Map<String, Shape> inputShapes, boolean validate, int latencyRuns) {
        this(mode, format, perChannel, symmetric, weightType, reduceRange, blockSize, target, exclude, keepIoTypes,
                inputShapes, validate, latencyRuns, false);
    }

    public static QuantizeOptions defaults(QuantizeMode mode) {
        return new QuantizeOptions(mode, QuantFormat.QOPERATOR, false, null, null, false, 32, Target.ORT, List.of(),
                true, Map.of(), true, 5);
    }

    public QuantizeOptions withFormat(QuantFormat f) {
        return new QuantizeOptions(mode, f, perChannel, symmetric, weightType, reduceRange, blockSize, target,
                exclude, keepIoTypes, inputShapes, validate, latencyRuns, includeConv);
    }

    public QuantizeOptions withPerChannel(boolean p) {
        return new QuantizeOptions(mode, format, p, symmetric, weightType, reduceRange, blockSize, target,
                exclude, keepIoTypes, inputShapes, validate, latencyRuns, includeConv);
    }

    public QuantizeOptions withWeightType(DataType t) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, t, reduceRange, blockSize, target,
                exclude, keepIoTypes, inputShapes, validate, latencyRuns, includeConv);
    }

    public QuantizeOptions withTarget(Target t) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, weightType, reduceRange, blockSize, t,
                exclude, keepIoTypes, inputShapes, validate, latencyRuns, includeConv);
    }

    public QuantizeOptions withExclude(List<String> e) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, weightType, reduceRange, blockSize, target,
                e, keepIoTypes, inputShapes, validate, latencyRuns, includeConv);
    }

    public QuantizeOptions withReduceRange(boolean r) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, weightType, r, blockSize, target,
                exclude, keepIoTypes, inputShapes, validate, latencyRuns, includeConv);
    }

    public QuantizeOptions withValidate(boolean v) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, weightType, reduceRange, blockSize, target,
                exclude, keepIoTypes, inputShapes, v, latencyRuns, includeConv);
    }

    public QuantizeOptions withLatencyRuns(int runs) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, weightType, reduceRange, blockSize, target,
                exclude, keepIoTypes, inputShapes, validate, runs, includeConv);
    }

    public QuantizeOptions withIncludeConv(boolean c) {
        return new QuantizeOptions(mode, format, perChannel, symmetric, weightType, reduceRange, blockSize, target,
                exclude, keepIoTypes, inputShapes, validate, latencyRuns, c);
    }
}
