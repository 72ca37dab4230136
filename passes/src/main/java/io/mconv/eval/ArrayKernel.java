package io.mconv.eval;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A one-output kernel written over {@link NdArray}s, with an optional narrowing of the element types it accepts
 * for input 0 (for example float types only for Sqrt).
 */
final class ArrayKernel implements OpKernel {

    private final BiFunction<Node, List<NdArray>, NdArray> body;
    private final Set<DataType> firstInputTypes;
    private final BiFunction<Node, List<DataType>, Optional<String>> extraRefusal;

    ArrayKernel(BiFunction<Node, List<NdArray>, NdArray> body, Set<DataType> firstInputTypes,
                BiFunction<Node, List<DataType>, Optional<String>> extraRefusal) {
        this.body = body;
        this.firstInputTypes = firstInputTypes;
        this.extraRefusal = extraRefusal;
    }

    @Override
    public List<Tensor> compute(Node node, List<Tensor> inputs) {
        List<NdArray> arrays = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            arrays.add(t == null ? null : NdArray.of(t));
        }
        NdArray out = body.apply(node, arrays);
        Value v = node.output(0);
        return List.of(out.toTensor(v == null ? "output" : v.name()));
    }

    @Override
    public Optional<String> refusal(Node node, List<DataType> inputTypes) {
        Optional<String> base = OpKernel.super.refusal(node, inputTypes);
        if (base.isPresent()) {
            return base;
        }
        if (firstInputTypes != null && !inputTypes.isEmpty() && !firstInputTypes.contains(inputTypes.get(0))) {
            return Optional.of("element type " + inputTypes.get(0) + " is not supported for " + node.opType());
        }
        if (node.outputCount() > 1) {
            return Optional.of("only the first output is computed, the node has " + node.outputCount());
        }
        return extraRefusal == null ? Optional.empty() : extraRefusal.apply(node, inputTypes);
    }
}
