package io.mconv.eval;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * Computes one operator on constant tensors. {@code inputs} follows the node's input slots; an omitted optional
 * input is null. The outputs follow the node's output slots and are named like the node's outputs.
 */
public interface OpKernel {

    List<Tensor> compute(Node node, List<Tensor> inputs);

    /**
     * Why this kernel does not compute {@code node} with inputs of these element types (null for an omitted input
     * or an unknown type), or empty when it does. The default accepts present inputs of the evaluator's numeric and
     * bool types and refuses unknown types; kernels narrow it further.
     */
    default Optional<String> refusal(Node node, List<DataType> inputTypes) {
        for (int i = 0; i < inputTypes.size(); i++) {
            if (node.input(i) == null) {
                continue;
            }
            DataType t = inputTypes.get(i);
            if (t == null) {
                return Optional.of("input " + i + " has no known tensor element type (a sequence, an optional, "
                        + "or untyped)");
            }
            if (!NdArray.supported(t)) {
                return Optional.of("element type " + t + " (input " + i + ") is not supported");
            }
        }
        return Optional.empty();
    }
}
