package io.mconv.agent.quantize;

import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.DataType;
import io.mconv.passes.Pass;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.ConvertFloat16;
import io.mconv.passes.quantize.DynamicQuantConfig;
import io.mconv.passes.quantize.Float16Config;
import io.mconv.passes.quantize.NodeExclusions;
import io.mconv.passes.quantize.QuantFormat;
import io.mconv.passes.quantize.QuantizeDynamic;
import io.mconv.passes.quantize.QuantizeDynamicConv;
import io.mconv.passes.quantize.QuantizeWeightOnly;
import io.mconv.passes.quantize.WeightOnlyConfig;
import java.util.List;

/**
 * The options turned into passes, the opset those passes need, and the accuracy bar the result must clear.
 *
 * <p>Cosine thresholds (output cosine similarity against the float model on seeded random inputs): a quantized model
 * is expected to differ element by element, so the gate is the direction of each output vector. 0.999 for float16
 * (11 significant bits move outputs by ~1e-3 relative); 0.99 for dynamic int8 and 8-bit weight-only (256 steps per
 * tensor or block; a model that loses more than 1% of its output direction has a layer that does not quantize);
 * 0.98 for 4-bit weight-only (16 steps per block is coarse by design). Random inputs are harsher than real data
 * for some models, so {@code --no-validate} remains for a user who measures accuracy on their own data.
 *
 * @param description  one line for the report ("dynamic int8 qoperator per-tensor symmetric")
 * @param minOpset     the default-domain opset the passes need (the model's is raised when lower)
 */
public record QuantizationPlan(String description, List<Pass> passes, int minOpset, double minCosine,
                               String precision) {

    public static QuantizationPlan from(QuantizeOptions o) {
        NodeExclusions exclusions = NodeExclusions.of(o.exclude());
        return switch (o.mode()) {
            case DYNAMIC -> dynamic(o, exclusions);
            case WEIGHT_ONLY -> weightOnly(o, exclusions);
            case FP16 -> new QuantizationPlan("float16" + (o.keepIoTypes() ? ", float32 inputs and outputs" : ""),
                    List.of(new ConvertFloat16(new Float16Config(o.keepIoTypes(), Float16Config.DEFAULT_BLOCKED,
                            exclusions))), 1, 0.999, "fp16");
            case NONE -> new QuantizationPlan("none (32bit)", List.of(), 1, 0.99999, "fp32");
            // static int8 calibrates first, which a list of passes cannot express: Quantizer.quantizeStatic
            case STATIC -> throw new IllegalArgumentException("static int8 takes StaticQuantizeOptions "
                    + "(Quantizer.quantizeStatic)");
        };
    }

    private static QuantizationPlan dynamic(QuantizeOptions o, NodeExclusions exclusions) {
        DataType type = o.weightType() == null ? DataType.INT8 : o.weightType();
        if (type != DataType.INT8 && type != DataType.UINT8) {
            throw new InvalidOptionException("dynamic quantization stores weights as int8 or uint8, not " + type
                    + " (int4 is --mode weight-only)");
        }
        boolean symmetric = o.symmetric() != null ? o.symmetric() : type == DataType.INT8;
        DynamicQuantConfig c = new DynamicQuantConfig(o.format(), type, symmetric, o.perChannel(), o.reduceRange(),
                exclusions);
        String text = "dynamic " + type + " " + o.format() + (o.perChannel() ? " per-channel" : " per-tensor")
                + (symmetric ? " symmetric" : " asymmetric") + (o.reduceRange() ? " reduce-range" : "")
                + (o.includeConv() ? ", Conv included" + (o.format() == QuantFormat.QOPERATOR
                ? " (ConvInteger, per-tensor)" : "") : "");
        int opset = o.format() == QuantFormat.QDQ && o.perChannel() ? 13 : 11;
        List<Pass> passes = o.includeConv() ? List.of(new QuantizeDynamic(c), new QuantizeDynamicConv(c))
                : List.of(new QuantizeDynamic(c));
        return new QuantizationPlan(text, passes, opset, 0.99, "int8");
    }

    private static QuantizationPlan weightOnly(QuantizeOptions o, NodeExclusions exclusions) {
        DataType type = o.weightType() == null ? DataType.INT4 : o.weightType();
        int bits = switch (type) {
            case INT4 -> 4;
            case INT8 -> 8;
            default -> throw new InvalidOptionException("weight-only quantization uses int4 or int8 weights, not "
                    + type);
        };
        boolean symmetric = o.symmetric() != null && o.symmetric();
        boolean contrib = o.target() == Target.ORT;
        WeightOnlyConfig c;
        try {
            c = new WeightOnlyConfig(bits, o.blockSize(), symmetric, contrib, exclusions);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage());
        }
        String text = "weight-only " + type + " block " + o.blockSize() + (symmetric ? " symmetric" : " asymmetric")
                + (contrib ? " (com.microsoft::MatMulNBits)" : " (DequantizeLinear-21)");
        return new QuantizationPlan(text, List.of(new QuantizeWeightOnly(c)), contrib ? 1 : 21,
                bits == 4 ? 0.98 : 0.99, bits == 4 ? "int4" : "int8");
    }
}
