package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** MatMul (numpy semantics), Gemm and simple Einsum equations. */
final class LinalgRules {

    static final AttrKey<Long> TRANS_A = AttrKey.ofInt("transA");
    static final AttrKey<Long> TRANS_B = AttrKey.ofInt("transB");
    static final AttrKey<String> EQUATION = AttrKey.ofString("equation");

    private LinalgRules() {
    }

    static void register(ShapeRules r) {
        r.register("MatMul", (n, ctx) -> matmul(n, ctx, 0, 1, ctx.inputType(n, 0)));
        r.register("MatMulInteger", (n, ctx) -> matmul(n, ctx, 0, 1, DataType.INT32));
        r.register("QLinearMatMul", (n, ctx) -> matmul(n, ctx, 0, 3, ctx.inputType(n, 7)));
        r.register("Gemm", LinalgRules::gemm);
        r.register("Einsum", LinalgRules::einsum);
    }

    /** The numpy matmul result shape of {@code a} and {@code b}. */
    static Shape matmulShape(Shape a, Shape b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeInferenceException("MatMul of a scalar");
        }
        List<Dim> ad = new ArrayList<>(a.dims());
        List<Dim> bd = new ArrayList<>(b.dims());
        if (ad.size() == 1) {
            ad.add(0, Dim.of(1));
        }
        if (bd.size() == 1) {
            bd.add(Dim.of(1));
        }
        Dim ka = ad.get(ad.size() - 1);
        Dim kb = bd.get(bd.size() - 2);
        if (ka.isKnown() && kb.isKnown() && ka.value().longValue() != kb.value().longValue()) {
            throw new ShapeInferenceException("MatMul inner dimensions differ: " + a + " and " + b);
        }
        Shape batch = Dims.broadcast(new Shape(ad.subList(0, ad.size() - 2)), new Shape(bd.subList(0, bd.size() - 2)));
        List<Dim> out = new ArrayList<>(batch.dims());
        if (a.rank() > 1) {
            out.add(ad.get(ad.size() - 2));
        }
        if (b.rank() > 1) {
            out.add(bd.get(bd.size() - 1));
        }
        return new Shape(out);
    }

    private static void matmul(Node n, InferenceContext ctx, int ia, int ib, DataType type) {
        Shape a = ctx.inputShape(n, ia);
        Shape b = ctx.inputShape(n, ib);
        ctx.setOutput(n, 0, type, a == null || b == null ? null : matmulShape(a, b));
    }

    private static void gemm(Node n, InferenceContext ctx) {
        Shape a = ctx.inputShape(n, 0);
        Shape b = ctx.inputShape(n, 1);
        DataType type = ctx.inputType(n, 0);
        if (a == null || b == null || a.rank() != 2 || b.rank() != 2) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        boolean ta = n.attrIfPresent(TRANS_A).orElse(0L) != 0;
        boolean tb = n.attrIfPresent(TRANS_B).orElse(0L) != 0;
        Dim m = ta ? a.dim(1) : a.dim(0);
        Dim nn = tb ? b.dim(0) : b.dim(1);
        ctx.setOutput(n, 0, type, new Shape(List.of(m, nn)));
    }

    /** Explicit or implicit equations without ellipsis; anything else stays unknown. */
    private static void einsum(Node n, InferenceContext ctx) {
        DataType type = ctx.inputType(n, 0);
        String eq = n.attr(EQUATION).replace(" ", "");
        if (eq.contains(".")) {
            ctx.setOutput(n, 0, type, null);
            return;
        }
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (terms.length != n.inputCount()) {
            throw new ShapeInferenceException("equation '" + eq + "' names " + terms.length + " inputs");
        }
        Map<Character, Dim> letters = new LinkedHashMap<>();
        Map<Character, Integer> counts = new TreeMap<>();
        for (int t = 0; t < terms.length; t++) {
            Shape s = ctx.inputShape(n, t);
            if (s != null && s.rank() != terms[t].length()) {
                throw new ShapeInferenceException("term '" + terms[t] + "' does not fit input shape " + s);
            }
            for (int i = 0; i < terms[t].length(); i++) {
                char c = terms[t].charAt(i);
                counts.merge(c, 1, Integer::sum);
                Dim d = s == null ? Dim.unknown() : s.dim(i);
                letters.merge(c, d, Dims::broadcast);
            }
        }
        String output;
        if (sides.length == 2) {
            output = sides[1];
        } else {
            StringBuilder sb = new StringBuilder();
            counts.forEach((c, k) -> {
                if (k == 1) {
                    sb.append(c);
                }
            });
            output = sb.toString();
        }
        List<Dim> out = new ArrayList<>();
        for (char c : output.toCharArray()) {
            Dim d = letters.get(c);
            if (d == null) {
                throw new ShapeInferenceException("output letter '" + c + "' is not in any input");
            }
            out.add(d);
        }
        ctx.setOutput(n, 0, type, new Shape(out));
    }
}
