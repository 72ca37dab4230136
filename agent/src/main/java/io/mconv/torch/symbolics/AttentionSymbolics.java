package io.mconv.torch.symbolics;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Value;
import io.mconv.torch.export.BoundArgs;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;
import io.mconv.torch.export.TypePromotion;

import java.util.ArrayList;
import java.util.List;

/**
 * Attention and the matrix products around it: baddbmm, einsum, scaled_dot_product_attention, and the two
 * fused kernels nn.MultiheadAttention and nn.TransformerEncoderLayer take in eval mode (the "fast path"), which
 * torch.onnx cannot export. Both are lowered to plain ONNX the way torch's own math computes them.
 *
 * <p>Before: {@code _0, _1 = torch._native_multi_head_attention(x, x, x, 16, 2, in_proj_weight, in_proj_bias,
 * weight, bias)}. After: {@code Split(Add(MatMul(x, Transpose(in_proj_weight)), in_proj_bias))} into q, k, v;
 * each {@code Transpose(Reshape(t, [0, 0, 2, 8]))} to (B, H, L, D); {@code Softmax(Mul(MatMul(q, Transpose(k)),
 * 1/sqrt(8)))}; {@code MatMul} with v; heads merged back and the output projection; the weights averaged over
 * the heads with {@code ReduceMean}.
 * <p>Before: {@code torch._transformer_encoder_layer_fwd(src, 16, 2, ..., False, False, 1e-05, ...)}. After: the
 * attention above, residual Adds, LayerNormalization (opset 17+) and the Linear-ReLU-Linear feed-forward, in
 * post-norm or pre-norm order.
 */
final class AttentionSymbolics {

    private static final String SDPA = "query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, "
            + "scale=None, enable_gqa=False";
    private static final String SDPA_1_13 = "query, key, value, attn_mask=None, dropout_p=0.0, "
            + "need_attn_weights=False, is_causal=False";
    private static final String NATIVE_MHA = "query, key, value, embed_dim, num_head, qkv_weight, qkv_bias, "
            + "proj_weight, proj_bias, mask=None, need_weights=True, average_attn_weights=True, mask_type=None";
    private static final String ENCODER_LAYER = "src, embed_dim, num_heads, qkv_weight, qkv_bias, proj_weight, "
            + "proj_bias, use_gelu, norm_first, eps, norm_weight_1, norm_bias_1, norm_weight_2, norm_bias_2, "
            + "ffn_weight_1, ffn_bias_1, ffn_weight_2, ffn_bias_2, mask=None, mask_type=None";

    /** mask_type of the fused kernels: 0 an (L, S) attention mask, 1 a (B, S) key padding mask, 2 (B, H, L, S). */
    private static final long KEY_PADDING_MASK = 1;

    private AttentionSymbolics() {
    }

    static void register(SymbolicRegistry r) {
        AtenCalls calls = new AtenCalls(r);
        r.register("aten::baddbmm", 1, "self, batch1, batch2, beta=1, alpha=1", AttentionSymbolics::baddbmm);
        r.register("aten::einsum", 12, "equation, tensors, path=None", (ctx, a) -> tensor(ctx.op("Einsum",
                TypePromotion.promote(ctx, a.list("tensors")), Attribute.ofString("equation",
                        a.string("equation").replace(" ", "")))));
        r.register("aten::scaled_dot_product_attention", 1, SDPA, AttentionSymbolics::sdpa);
        r.register("aten::_scaled_dot_product_attention", 1, SDPA_1_13, AttentionSymbolics::sdpa113);
        r.register("aten::_native_multi_head_attention", 1, NATIVE_MHA, (ctx, a) -> nativeMha(ctx, a, calls));
        r.register("aten::_transformer_encoder_layer_fwd", 1, ENCODER_LAYER, (ctx, a) -> encoderLayer(ctx, a,
                calls));
    }

    private static SValue tensor(Value v) {
        return new SValue.TensorV(v);
    }

    private static SValue baddbmm(SymbolicContext ctx, BoundArgs a) {
        Value self = a.tensor("self");
        DataType type = ctx.dtype(self);
        double beta = a.doubleValue("beta");
        double alpha = a.doubleValue("alpha");
        Value product = ctx.op("MatMul", List.of(ctx.cast(a.tensor("batch1"), type), ctx.cast(a.tensor("batch2"),
                type)));
        if (alpha != 1) {
            product = ctx.op("Mul", List.of(product, ctx.scalar(alpha, type)));
        }
        if (beta == 0) {
            // torch ignores self entirely when beta is 0 (NaN or inf in it do not propagate)
            return tensor(product);
        }
        Value scaled = beta == 1 ? self : ctx.op("Mul", List.of(self, ctx.scalar(beta, type)));
        return tensor(ctx.op("Add", List.of(scaled, product)));
    }

    private static void requireNoDropout(BoundArgs a) {
        if (a.doubleValue("dropout_p") != 0) {
            throw new SymbolicException(a.opName() + " with dropout_p=" + a.doubleValue("dropout_p") + " is "
                    + "training-time randomness; export with dropout_p=0 (model.eval() and no dropout in the call)");
        }
    }

    private static SValue sdpa(SymbolicContext ctx, BoundArgs a) {
        requireNoDropout(a);
        if (a.bool("enable_gqa")) {
            throw new SymbolicException(a.opName() + " with enable_gqa=True (grouped-query attention) is not "
                    + "supported");
        }
        Double scale = a.isNone("scale") ? null : a.doubleValue("scale");
        return tensor(attention(ctx, a, a.tensor("query"), a.tensor("key"), a.tensor("value"), a.optTensor(
                "attn_mask").orElse(null), a.bool("is_causal"), scale, false)[0]);
    }

    /** torch 1.13's private form, which also returns the attention weights when asked. */
    private static SValue sdpa113(SymbolicContext ctx, BoundArgs a) {
        requireNoDropout(a);
        Value[] out = attention(ctx, a, a.tensor("query"), a.tensor("key"), a.tensor("value"),
                a.optTensor("attn_mask").orElse(null), a.bool("is_causal"), null, false);
        return new SValue.TupleV(List.of(tensor(out[0]), a.bool("need_attn_weights") ? tensor(out[1])
                : SValue.Const.NONE));
    }

    /**
     * softmax(q k^T * scale + mask) v over the last two dims. With {@code trueMeansIgnore} false a bool mask
     * says where attention may go (scaled_dot_product_attention); with it true, where it may not (the fused
     * kernels' masks). A float mask is added. Returns the output and the weights.
     */
    private static Value[] attention(SymbolicContext ctx, BoundArgs a, Value q, Value k, Value v, Value mask,
                                     boolean causal, Double scale, boolean trueMeansIgnore) {
        int rank = ctx.rank(q);
        if (rank < 2 || ctx.rank(k) != rank) {
            throw new SymbolicException(a.opName() + ": query and key must have the same rank (2 or more), got "
                    + rank + " and " + ctx.rank(k));
        }
        if (causal && mask != null) {
            throw new SymbolicException(a.opName() + ": is_causal=True together with an explicit mask (torch "
                    + "refuses this too)");
        }
        DataType type = ctx.dtype(q);
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        Value keyT = ctx.op("Transpose", List.of(k), Attribute.ofInts("perm", perm));
        Value scores = ctx.op("Mul", List.of(ctx.op("MatMul", List.of(q, keyT)), scaleOf(ctx, q, scale, type)));
        Value minusInf = ctx.scalar(Double.NEGATIVE_INFINITY, type);
        if (causal) {
            Value rows = ctx.op("Range", List.of(ctx.scalarLong(0), DimSizes.scalar(ctx, q, rank - 2),
                    ctx.scalarLong(1)));
            Value cols = ctx.op("Range", List.of(ctx.scalarLong(0), DimSizes.scalar(ctx, k, rank - 2),
                    ctx.scalarLong(1)));
            Value allowed = ctx.op("LessOrEqual", List.of(cols, ctx.op("Unsqueeze", List.of(rows, ctx.longs(1)))));
            scores = ctx.op("Where", List.of(allowed, scores, minusInf));
        }
        if (mask != null) {
            if (ctx.dtype(mask) == DataType.BOOL) {
                scores = trueMeansIgnore ? ctx.op("Where", List.of(mask, minusInf, scores))
                        : ctx.op("Where", List.of(mask, scores, minusInf));
            } else {
                scores = ctx.op("Add", List.of(scores, ctx.cast(mask, type)));
            }
        }
        Value weights = ctx.op("Softmax", List.of(scores), Attribute.ofInt("axis", -1));
        return new Value[] {ctx.op("MatMul", List.of(weights, ctx.cast(v, type))), weights};
    }

    /** The given scale, else 1/sqrt(head size), read at run time when the last dim is not known. */
    private static Value scaleOf(SymbolicContext ctx, Value q, Double scale, DataType type) {
        if (scale != null) {
            return ctx.scalar(scale, type);
        }
        int rank = ctx.rank(q);
        long e = DimSizes.known(ctx, q, rank - 1);
        if (e > 0) {
            return ctx.scalar(1 / Math.sqrt(e), type);
        }
        Value size = ctx.cast(DimSizes.scalar(ctx, q, rank - 1), type);
        return ctx.op("Reciprocal", List.of(ctx.op("Sqrt", List.of(size))));
    }

    /**
     * The fused nn.MultiheadAttention: input projection (one MatMul for self-attention, three otherwise), heads,
     * attention with the kernel's mask convention (bool True = masked out), output projection. Unbatched (L, E)
     * input is treated as a batch of one.
     */
    private static SValue nativeMha(SymbolicContext ctx, BoundArgs a, AtenCalls calls) {
        Value query = a.tensor("query");
        Value key = a.tensor("key");
        Value value = a.tensor("value");
        long embed = a.longValue("embed_dim");
        long heads = a.longValue("num_head");
        if (heads <= 0 || embed % heads != 0) {
            throw new SymbolicException(a.opName() + ": embed_dim " + embed + " is not divisible by num_head "
                    + heads);
        }
        boolean unbatched = ctx.rank(query) == 2;
        if (!unbatched && ctx.rank(query) != 3) {
            throw new SymbolicException(a.opName() + " needs (batch, seq, embed) or (seq, embed) input, got rank "
                    + ctx.rank(query));
        }
        boolean selfAttention = query == key && key == value;
        if (unbatched) {
            query = ctx.op("Unsqueeze", List.of(query, ctx.longs(0)));
            key = selfAttention ? query : ctx.op("Unsqueeze", List.of(key, ctx.longs(0)));
            value = selfAttention ? query : ctx.op("Unsqueeze", List.of(value, ctx.longs(0)));
        }
        Value w = a.tensor("qkv_weight");
        Value b = a.tensor("qkv_bias");
        Value q;
        Value k;
        Value v;
        if (selfAttention) {
            Value qkv = linear(ctx, calls, query, w, b);
            List<Value> parts = ctx.ops("Split", 3, List.of(qkv, ctx.longs(embed, embed, embed)),
                    Attribute.ofInt("axis", -1));
            q = parts.get(0);
            k = parts.get(1);
            v = parts.get(2);
        } else {
            List<Value> ws = ctx.ops("Split", 3, List.of(w, ctx.longs(embed, embed, embed)), Attribute.ofInt("axis", 0));
            List<Value> bs = ctx.ops("Split", 3, List.of(b, ctx.longs(embed, embed, embed)), Attribute.ofInt("axis", 0));
            q = linear(ctx, calls, query, ws.get(0), bs.get(0));
            k = linear(ctx, calls, key, ws.get(1), bs.get(1));
            v = linear(ctx, calls, value, ws.get(2), bs.get(2));
        }
        long headDim = embed / heads;
        Value mask = a.optTensor("mask").map(m -> maskFor(ctx, a, m)).orElse(null);
        Value[] attended = attention(ctx, a, splitHeads(ctx, q, heads, headDim), splitHeads(ctx, k, heads, headDim),
                splitHeads(ctx, v, heads, headDim), mask, false, null, true);
        Value merged = ctx.op("Reshape", List.of(ctx.op("Transpose", List.of(attended[0]),
                Attribute.ofInts("perm", 0, 2, 1, 3)), ctx.longs(0, 0, embed)));
        Value out = linear(ctx, calls, merged, a.tensor("proj_weight"), a.tensor("proj_bias"));
        if (unbatched) {
            out = ctx.op("Squeeze", List.of(out, ctx.longs(0)));
        }
        if (!a.bool("need_weights")) {
            return new SValue.TupleV(List.of(tensor(out), SValue.Const.NONE)); // torch returns an undefined tensor
        }
        Value weights = attended[1];
        if (a.bool("average_attn_weights")) {
            weights = ctx.reduce("ReduceMean", weights, new long[] {1}, false);
        }
        if (unbatched) {
            weights = ctx.op("Squeeze", List.of(weights, ctx.longs(0)));
        }
        return new SValue.TupleV(List.of(tensor(out), tensor(weights)));
    }

    private static Value linear(SymbolicContext ctx, AtenCalls calls, Value x, Value w, Value b) {
        return ((SValue.TensorV) calls.call(ctx, "aten::linear", tensor(x), tensor(w), tensor(b))).value();
    }

    /** (B, L, E) to (B, H, L, D); Reshape's 0 keeps batch and sequence dims dynamic. */
    private static Value splitHeads(SymbolicContext ctx, Value x, long heads, long headDim) {
        Value split = ctx.op("Reshape", List.of(x, ctx.longs(0, 0, heads, headDim)));
        return ctx.op("Transpose", List.of(split), Attribute.ofInts("perm", 0, 2, 1, 3));
    }

    /** The fused kernels' mask made to broadcast against (B, H, L, S) scores. */
    private static Value maskFor(SymbolicContext ctx, BoundArgs a, Value mask) {
        int rank = ctx.rank(mask);
        Long type = a.isNone("mask_type") ? null : a.longValue("mask_type");
        if (rank == 2 && type != null && type == KEY_PADDING_MASK) {
            return ctx.op("Unsqueeze", List.of(mask, ctx.longs(1, 2))); // (B, S) -> (B, 1, 1, S)
        }
        return switch (rank) {
            case 2, 4 -> mask; // (L, S) broadcasts as is; (B, H, L, S) is already the scores' shape
            case 3 -> ctx.op("Unsqueeze", List.of(mask, ctx.longs(1))); // (B, L, S)
            default -> throw new SymbolicException(a.opName() + ": a mask of rank " + rank + " is not supported "
                    + "(2, 3 or 4 are)");
        };
    }

    /**
     * The fused nn.TransformerEncoderLayer: self-attention and feed-forward blocks with residuals, LayerNorm
     * after each block (post-norm) or before it (norm_first), ReLU or GELU between the two Linears.
     */
    private static SValue encoderLayer(SymbolicContext ctx, BoundArgs a, AtenCalls calls) {
        Value src = a.tensor("src");
        long embed = a.longValue("embed_dim");
        boolean normFirst = a.bool("norm_first");
        SValue eps = new SValue.Const(a.doubleValue("eps"));
        SValue normalizedShape = new SValue.ListV(new ArrayList<>(List.of(new SValue.Const(embed))));
        java.util.function.BiFunction<Value, Integer, Value> norm = (x, i) -> ((SValue.TensorV) calls.call(ctx,
                "aten::layer_norm", tensor(x), normalizedShape, a.get("norm_weight_" + i), a.get("norm_bias_" + i),
                eps)).value();
        java.util.function.UnaryOperator<Value> attentionBlock = x -> {
            SValue mha = calls.call(ctx, "aten::_native_multi_head_attention", tensor(x), tensor(x), tensor(x),
                    new SValue.Const(embed), a.get("num_heads"), a.get("qkv_weight"), a.get("qkv_bias"),
                    a.get("proj_weight"), a.get("proj_bias"), a.get("mask"), new SValue.Const(false),
                    new SValue.Const(false), a.get("mask_type"));
            return ((SValue.TensorV) ((SValue.TupleV) mha).elements().get(0)).value();
        };
        java.util.function.UnaryOperator<Value> feedForward = x -> {
            Value hidden = linear(ctx, calls, x, a.tensor("ffn_weight_1"), a.tensor("ffn_bias_1"));
            Value activated = ((SValue.TensorV) calls.call(ctx, a.bool("use_gelu") ? "aten::gelu" : "aten::relu",
                    tensor(hidden))).value();
            return linear(ctx, calls, activated, a.tensor("ffn_weight_2"), a.tensor("ffn_bias_2"));
        };
        Value x = src;
        if (normFirst) {
            x = ctx.op("Add", List.of(x, attentionBlock.apply(norm.apply(x, 1))));
            x = ctx.op("Add", List.of(x, feedForward.apply(norm.apply(x, 2))));
        } else {
            x = norm.apply(ctx.op("Add", List.of(x, attentionBlock.apply(x))), 1);
            x = norm.apply(ctx.op("Add", List.of(x, feedForward.apply(x))), 2);
        }
        return tensor(x);
    }
}
