package io.mconv.analysis;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts multiply-accumulates from the shapes on the IR (run {@link io.mconv.shape.ShapeInference} first).
 * Definitions: Conv = N·Cout·prod(out spatial)·(Cin/groups)·prod(kernel); ConvTranspose =
 * N·Cin·prod(in spatial)·(Cout/groups)·prod(kernel); Gemm = M·N·K; MatMul = prod(batch)·M·N·K; pooling =
 * N·C·prod(out spatial)·prod(kernel), global pooling N·C·prod(in spatial). A symbolic batch (leading) dimension is
 * counted as 1 and flagged; any other dimension that is not known makes the node uncounted.
 */
public final class MacCounter {

    static final Set<String> POOLING = Set.of("MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
            "GlobalMaxPool", "GlobalLpPool");
    static final Set<String> COUNTED = Set.of("Conv", "ConvInteger", "QLinearConv", "ConvTranspose", "MatMul",
            "MatMulInteger", "QLinearMatMul", "Gemm", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
            "GlobalMaxPool", "GlobalLpPool");
    private static final AttrKey<long[]> KERNEL_SHAPE = AttrKey.ofInts("kernel_shape");
    private static final AttrKey<Long> TRANS_A = AttrKey.ofInt("transA");

    private MacCounter() {
    }

    public static MacReport count(Model model) {
        Counter c = new Counter();
        c.walk(model.graph());
        return new MacReport(c.macs, c.pooling, c.byOp, c.uncounted, c.assumedBatchOne);
    }

    /**
     * MACs of one node by the same definitions (for tools that weigh nodes against each other, such as the
     * quantization advisor); null when the node is not a counted op or its shapes are not known.
     */
    public static Long macsOf(Node node) {
        if (!node.isDefaultDomain() || !COUNTED.contains(node.opType())) {
            return null;
        }
        try {
            return new Counter().macsOf(node);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static final class Counter {
        long macs;
        long pooling;
        final Map<String, Long> byOp = new HashMap<>();
        final Map<String, Integer> uncounted = new HashMap<>();
        boolean assumedBatchOne;

        void walk(Graph g) {
            for (Node n : g) {
                for (Graph sub : n.subgraphs()) {
                    walk(sub);
                }
                if (!n.isDefaultDomain() || !COUNTED.contains(n.opType())) {
                    continue;
                }
                Long m;
                try {
                    m = macsOf(n);
                } catch (ArithmeticException e) {
                    m = null;
                }
                if (m == null) {
                    uncounted.merge(n.opType(), 1, Integer::sum);
                    continue;
                }
                byOp.merge(n.opType(), m, Long::sum);
                if (POOLING.contains(n.opType())) {
                    pooling = Math.addExact(pooling, m);
                } else {
                    macs = Math.addExact(macs, m);
                }
            }
        }

        /** MACs of a counted node; null when its shapes are not known. */
        Long macsOf(Node n) {
            return switch (n.opType()) {
                case "Conv", "ConvInteger" -> conv(shapeOf(n.output(0)), shapeOf(n.input(1)));
                case "QLinearConv" -> conv(shapeOf(n.output(0)), shapeOf(n.input(3)));
                case "ConvTranspose" -> conv(shapeOf(n.input(0)), shapeOf(n.input(1)));
                case "MatMul", "MatMulInteger", "QLinearMatMul" -> matmul(shapeOf(n.output(0)), shapeOf(n.input(0)));
                case "Gemm" -> gemm(n);
                case "MaxPool", "AveragePool", "LpPool" -> pool(n);
                default -> product(shapeOf(n.input(0)), 0); // global pooling
            };
        }

        private static Shape shapeOf(Value v) {
            return v == null ? null : v.shape();
        }

        /** prod(a) · prod(w[1:]) — Conv on its output, ConvTranspose on its input. */
        Long conv(Shape a, Shape w) {
            if (w == null || w.rank() < 2) {
                return null;
            }
            Long p = product(a, 0);
            Long k = product(w, 1);
            return p == null || k == null ? null : Math.multiplyExact(p, k);
        }

        Long matmul(Shape out, Shape a) {
            if (a == null || a.rank() == 0) {
                return null;
            }
            Dim k = a.dim(a.rank() - 1);
            Long p = product(out, 0);
            return p == null || !k.isKnown() ? null : Math.multiplyExact(p, k.value());
        }

        Long gemm(Node n) {
            Shape a = shapeOf(n.input(0));
            if (a == null || a.rank() != 2) {
                return null;
            }
            boolean ta = n.attrIfPresent(TRANS_A).orElse(0L) != 0;
            Dim k = ta ? a.dim(0) : a.dim(1);
            Long p = product(shapeOf(n.output(0)), 0);
            return p == null || !k.isKnown() ? null : Math.multiplyExact(p, k.value());
        }

        Long pool(Node n) {
            long[] kernel = n.attrIfPresent(KERNEL_SHAPE).orElse(null);
            Long p = product(shapeOf(n.output(0)), 0);
            if (kernel == null || p == null) {
                return null;
            }
            long k = 1;
            for (long d : kernel) {
                k = Math.multiplyExact(k, d);
            }
            return Math.multiplyExact(p, k);
        }

        /** prod(s[from:]); a symbolic dim 0 counts as 1 (flagged); any other non-known dim gives null. */
        Long product(Shape s, int from) {
            if (s == null) {
                return null;
            }
            List<Dim> dims = s.dims();
            long p = 1;
            boolean batchAssumed = false;
            for (int i = from; i < dims.size(); i++) {
                Dim d = dims.get(i);
                if (d.isKnown()) {
                    p = Math.multiplyExact(p, d.value());
                } else if (i == 0 && d.isSymbolic()) {
                    batchAssumed = true;
                } else {
                    return null;
                }
            }
            assumedBatchOne |= batchAssumed;
            return p;
        }
    }
}
