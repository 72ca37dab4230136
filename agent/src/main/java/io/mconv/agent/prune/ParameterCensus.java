package io.mconv.agent.prune;

import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts a model's parameters: all initializer elements (as {@code mconv inspect} counts them) and how many are not
 * zero, and the same for the weights of Conv, Gemm and MatMul layers (input 1, constant), which are what pruning
 * targets; the sparsity reached is measured on those.
 */
record ParameterCensus(long parameters, long nonzeroParameters, long layerWeights, long nonzeroLayerWeights) {

    static ParameterCensus of(Model model) {
        long params = 0;
        long nonzero = 0;
        long layer = 0;
        long layerNonzero = 0;
        Set<Value> layerValues = new HashSet<>();
        for (Graph g : Graphs.all(model)) {
            for (Node n : g) {
                boolean linear = n.isDefaultDomain() && (n.opType().equals("Conv") || n.opType().equals("Gemm")
                        || n.opType().equals("MatMul"));
                if (linear && n.inputCount() > 1 && n.input(1) != null && n.input(1).constValue() != null) {
                    layerValues.add(n.input(1));
                }
            }
            for (Value v : g.initializers().values()) {
                Tensor t = v.constValue();
                long count = t.elementCount();
                long nz = nonzero(t);
                params += count;
                nonzero += nz;
                if (layerValues.contains(v)) {
                    layer += count;
                    layerNonzero += nz;
                }
            }
        }
        return new ParameterCensus(params, nonzero, layer, layerNonzero);
    }

    private static long nonzero(Tensor t) {
        if (t.dataType() != DataType.FLOAT && t.dataType() != DataType.DOUBLE && t.dataType() != DataType.FLOAT16) {
            return t.elementCount();
        }
        long count = 0;
        for (double d : t.toDoubleArray()) {
            if (d != 0) {
                count++;
            }
        }
        return count;
    }
}
