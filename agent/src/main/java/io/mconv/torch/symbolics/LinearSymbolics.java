package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicRegistry;
import io.mconv.torch.export.TypePromotion;

import java.util.ArrayList;
import java.util.List;

/**
 * Matrix products.
 *
 * <p>Before: {@code torch.linear(x, w, b)} with x of rank 2. After: {@code Gemm(x, w, b) transB=1}; with x of
 * another rank: {@code Add(MatMul(x, Transpose(w)), b)} (the Transpose of a weight folds away in the optimizer).
 */
final class LinearSymbolics {

    private LinearSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        r.register("aten::linear", 1, "input, weight, bias=None", LinearSymbolics::linear);
        r.register("aten::addmm", 1, "self, mat1, mat2, beta=1, alpha=1", LinearSymbolics::addmm);
        r.register("aten::matmul", 1, "self, other", LinearSymbolics::matmul);
        r.register("aten::mm", 1, "self, mat2", (ctx, a) -> product(ctx, a.get("self"), a.get("mat2")));
        r.register("aten::bmm", 1, "self, mat2", (ctx, a) -> product(ctx, a.get("self"), a.get("mat2")));
    }

    private static SValue linear(SymbolicContext ctx, BoundArgs a) {
        Value x = a.tensor("input");
        Value w = a.tensor("weight");
        if (ctx.rank(x) == 2) {
            List<Value> inputs = new ArrayList<>(List.of(x, w));
            a.optTensor("bias").ifPresent(inputs::add);
            return new SValue.TensorV(ctx.op("Gemm", inputs, Attribute.ofInt("transB", 1)));
        }
        Value wt = ctx.op("Transpose", List.of(w), Attribute.ofInts("perm", 1, 0));
        Value out = ctx.op("MatMul", List.of(x, wt));
        if (!a.isNone("bias")) {
            out = ctx.op("Add", List.of(out, a.tensor("bias")));
        }
        return new SValue.TensorV(out);
    }

    private static SValue addmm(SymbolicContext ctx, BoundArgs a) {
        return new SValue.TensorV(ctx.op("Gemm", List.of(a.tensor("mat1"), a.tensor("mat2"), a.tensor("self")),
                Attribute.ofFloat("alpha", (float) a.doubleValue("alpha")),
                Attribute.ofFloat("beta", (float) a.doubleValue("beta"))));
    }

    private static SValue matmul(SymbolicContext ctx, BoundArgs a) {
        return product(ctx, a.get("self"), a.get("other"));
    }

    private static SValue product(SymbolicContext ctx, SValue x, SValue y) {
        return new SValue.TensorV(ctx.op("MatMul", TypePromotion.promote(ctx, List.of(x, y))));
    }
}
