package io.mconv.passes.opset;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import java.util.Arrays;

/**
 * GroupNormalization-18 took one scale and bias per group; 21 takes them per channel (18's form was a spec error:
 * it cannot express per-channel affine parameters). Raising repeats each group's value over its channels; lowering
 * needs per-channel values that are uniform within each group. Both need constant parameters and, for raising,
 * the channel count.
 */
final class GroupNormalizationAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (!span.crosses(21)) {
            return node;
        }
        long groups = Attrs.intOr(node, "num_groups", -1);
        for (int input = 1; input <= 2; input++) {
            Tensor t = NodeEditor.constantOf(node.input(input))
                    .orElseThrow(() -> new Refusal("scale and bias computed at run time cannot change layout"));
            if (t.dataType() != DataType.FLOAT) {
                throw new Refusal("only float scale and bias are converted");
            }
            float[] values = t.toFloatArray();
            float[] converted = span.up() ? perChannel(node, values, groups) : perGroup(values, groups);
            String base = input == 1 ? "scale" : "bias";
            node.setInput(input, edit.constant(base, Tensor.ofFloats("", new long[] {converted.length}, converted)));
        }
        return node;
    }

    private static float[] perChannel(Node node, float[] perGroup, long groups) {
        long channels = NodeEditor.dim(node.input(0), 1);
        if (channels < 0 || groups <= 0 || channels % groups != 0) {
            throw new Refusal("the channel count is unknown or not a multiple of num_groups");
        }
        float[] out = new float[(int) channels];
        long per = channels / groups;
        for (int c = 0; c < channels; c++) {
            out[c] = perGroup[(int) (c / per)];
        }
        return out;
    }

    private static float[] perGroup(float[] perChannel, long groups) {
        if (groups <= 0 || perChannel.length % groups != 0) {
            throw new Refusal("num_groups does not divide the channel count");
        }
        int per = (int) (perChannel.length / groups);
        float[] out = new float[(int) groups];
        for (int g = 0; g < groups; g++) {
            float[] slice = Arrays.copyOfRange(perChannel, g * per, (g + 1) * per);
            for (float v : slice) {
                if (v != slice[0]) {
                    throw new Refusal("per-channel scale or bias differs within group " + g + "; opset 18 holds "
                            + "one value per group");
                }
            }
            out[g] = slice[0];
        }
        return out;
    }
}
