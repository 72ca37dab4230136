package io.mconv.passes.quantize;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;

/**
 * A MatMul or Gemm whose weight is a constant float matrix, the shape every weight quantizer here starts from:
 * {@code y = alpha · A · W + C} with W as [K, N] ({@code transposed}: stored as [N, K], Gemm's transB = 1). Built by
 * {@link #inspect}, which names the reason when a node does not qualify.
 *
 * @param bias  Gemm's C (null when absent or for MatMul); {@code beta} its factor
 */
record LinearCandidate(Node node, Value activation, Value weight, boolean transposed, float alpha, Value bias,
                       float beta) {

    /** Either a candidate or why not; exactly one is non-null. */
    record Inspection(LinearCandidate candidate, String refusal) {
        static Inspection refuse(String why) {
            return new Inspection(null, why);
        }
    }

    static Inspection inspect(Node node, boolean allowGemm) {
        if (!node.isDefaultDomain()) {
            return Inspection.refuse("not a default-domain operator");
        }
        boolean gemm = node.opType().equals("Gemm");
        if (!node.opType().equals("MatMul") && !(gemm && allowGemm)) {
            return Inspection.refuse("not a " + (allowGemm ? "MatMul or Gemm" : "MatMul"));
        }
        if (!node.subgraphs().isEmpty() || node.inputCount() < 2) {
            return Inspection.refuse("unexpected inputs");
        }
        Value a = node.input(0);
        Value w = node.input(1);
        Tensor wt = w.constValue();
        if (wt == null || !w.isInitializer() || w.isGraphInput()) {
            return Inspection.refuse("weight '" + w.name() + "' is not a constant initializer");
        }
        if (wt.dataType() != DataType.FLOAT) {
            return Inspection.refuse("weight '" + w.name() + "' is " + wt.dataType() + ", not float");
        }
        if (wt.rank() != 2) {
            return Inspection.refuse("weight '" + w.name() + "' has rank " + wt.rank() + ", not 2");
        }
        Shape as = a.shape();
        if (as != null && as.rank() < 2 && !gemm) {
            return Inspection.refuse("activation '" + a.name() + "' has rank " + as.rank());
        }
        if (a.elemType() != null && a.elemType() != DataType.FLOAT) {
            return Inspection.refuse("activation '" + a.name() + "' is " + a.elemType());
        }
        if (!gemm) {
            return new Inspection(new LinearCandidate(node, a, w, false, 1f, null, 1f), null);
        }
        if (attrInt(node, "transA", 0) != 0) {
            return Inspection.refuse("Gemm with transA = 1");
        }
        Value c = node.inputCount() > 2 ? node.input(2) : null;
        float beta = attrFloat(node, "beta", 1f);
        if (c != null && c.constValue() == null && beta != 1f) {
            return Inspection.refuse("Gemm with a non-constant C and beta " + beta);
        }
        if (c != null && c.constValue() != null && c.constValue().dataType() != DataType.FLOAT) {
            return Inspection.refuse("Gemm C is " + c.constValue().dataType());
        }
        return new Inspection(new LinearCandidate(node, a, w, attrInt(node, "transB", 0) != 0,
                attrFloat(node, "alpha", 1f), c, beta), null);
    }

    /** The [K, N] view of the weight. */
    WeightMatrix matrix() {
        return WeightMatrix.of(weight.constValue(), transposed);
    }

    /** C times beta as a constant, for an Add after the product (C constant); null when there is no C. */
    Tensor scaledBias(String name) {
        if (bias == null || bias.constValue() == null) {
            return null;
        }
        Tensor c = bias.constValue();
        if (beta == 1f) {
            return c.withName(name);
        }
        float[] v = c.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= beta;
        }
        return Tensor.ofFloats(name, c.dims(), v);
    }

    private static long attrInt(Node n, String name, long dflt) {
        return n.attribute(name).map(a -> a.asInt()).orElse(dflt);
    }

    private static float attrFloat(Node n, String name, float dflt) {
        return n.attribute(name).map(a -> a.asFloat()).orElse(dflt);
    }
}
