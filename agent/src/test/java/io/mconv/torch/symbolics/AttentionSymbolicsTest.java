package io.mconv.torch.symbolics;

import static io.mconv.torch.symbolics.PyValues.b;
import static io.mconv.torch.symbolics.PyValues.f;
import static io.mconv.torch.symbolics.PyValues.i;
import static io.mconv.torch.symbolics.PyValues.list;
import static io.mconv.torch.symbolics.PyValues.none;
import static io.mconv.torch.symbolics.PyValues.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * baddbmm, einsum, scaled dot-product attention and the fused transformer kernels in ORT. The kernels' expected
 * outputs are torch's nn.MultiheadAttention and nn.TransformerEncoderLayer outputs on the same weights
 * (attention.json from make_attention.py).
 */
class AttentionSymbolicsTest {

    private static final TorchFixture FIXTURE = TorchFixture.load("attention");

    private static final List<String> ENCODER_WEIGHTS = List.of("qkv_weight", "qkv_bias", "proj_weight",
            "proj_bias");
    private static final List<String> ENCODER_NORMS_FFN = List.of("norm_weight_1", "norm_bias_1", "norm_weight_2",
            "norm_bias_2", "ffn_weight_1", "ffn_bias_1", "ffn_weight_2", "ffn_bias_2");

    @Test
    void baddbmmScalesAndIgnoresSelfWhenBetaIsZero() {
        var c = FIXTURE.get("baddbmm");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue self = c.in(h, "s");
        SValue b1 = c.in(h, "b1");
        SValue b2 = c.in(h, "b2");
        h.output(h.call("aten::baddbmm", List.of(self, b1, b2), List.of("beta", "alpha"), List.of(f(0.5), i(2))),
                h.call("aten::baddbmm", List.of(self, b1, b2), List.of("beta"), List.of(i(0))));
        c.runAndCompare(h);
        assertEquals(List.of("MatMul", "Mul", "Mul", "Add", "MatMul"), h.opTypes());
    }

    @Test
    void einsumKeepsTheEquationWithoutSpaces() {
        var c = FIXTURE.get("einsum");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue a = c.in(h, "a");
        SValue m = c.in(h, "m");
        SValue b1 = c.in(h, "b1");
        SValue b2 = c.in(h, "b2");
        h.output(h.call("aten::einsum", s("ij,jk->ik"), list(a, m)), h.call("aten::einsum", s("bij, bjk -> bik"),
                list(b1, b2)), h.call("aten::einsum", s("ij->ji"), list(a)));
        c.runAndCompare(h);
        assertEquals("bij,bjk->bik", h.model().graph().nodes().get(1).attribute("equation").orElseThrow()
                .asString());
    }

    @Test
    void scaledDotProductAttentionWithMasksCausalityAndScale() {
        var c = FIXTURE.get("sdpa");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue q = c.in(h, "q");
        SValue k = c.in(h, "k");
        SValue v = c.in(h, "v");
        SValue qs = c.in(h, "qs");
        SValue weights = h.call("aten::_scaled_dot_product_attention", q, k, v, none(), f(0.0), b(true), b(false));
        h.output(weights,
                h.call("aten::scaled_dot_product_attention", q, k, v, c.in(h, "float_mask")),
                h.call("aten::scaled_dot_product_attention", q, k, v, c.in(h, "bool_mask")),
                h.call("aten::scaled_dot_product_attention", List.of(qs, qs, qs), List.of("is_causal"),
                        List.of(b(true))),
                h.call("aten::scaled_dot_product_attention", List.of(q, k, v), List.of("scale"), List.of(f(0.3))));
        c.runAndCompare(h);
        assertEquals(List.of("Transpose", "MatMul", "Mul", "Softmax", "MatMul"), h.opTypes().subList(0, 5));
    }

    private static SValue nativeMha(SymbolicHarness h, List<SValue> weights, SValue q, SValue kv, SValue mask,
                                    boolean needWeights, boolean average, SValue maskType) {
        return h.call("aten::_native_multi_head_attention", q, kv, kv, i(8), i(2), weights.get(0), weights.get(1),
                weights.get(2), weights.get(3), mask, b(needWeights), b(average), maskType);
    }

    @Test
    void nativeMultiHeadAttentionMatchesTheTorchModule() {
        var c = FIXTURE.get("native_mha");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue x = c.in(h, "x");
        SValue mem = c.in(h, "mem");
        SValue kpm = c.in(h, "kpm");
        List<SValue> weights = List.of(c.in(h, "in_proj_weight"), c.in(h, "in_proj_bias"),
                c.in(h, "out_proj_weight"), c.in(h, "out_proj_bias"));
        SValue selfAttention = h.call("aten::_native_multi_head_attention", x, x, x, i(8), i(2), weights.get(0),
                weights.get(1), weights.get(2), weights.get(3));
        long matMulsForSelfAttention = h.opTypes().stream().filter("MatMul"::equals).count();
        SValue padded = nativeMha(h, weights, x, x, kpm, true, false, i(1));
        SValue cross = nativeMha(h, weights, x, mem, none(), true, true, none());
        SValue noWeights = nativeMha(h, weights, x, x, none(), false, true, none());
        assertEquals(SValue.Const.NONE, ((SValue.TupleV) noWeights).elements().get(1));
        h.output(selfAttention, padded, cross, ((SValue.TupleV) noWeights).elements().get(0));
        c.runAndCompare(h);
        // one input projection, scores, weights x values, output projection
        assertEquals(4, matMulsForSelfAttention);
        assertTrue(h.opTypes().contains("ReduceMean"));
        assertFalse(h.opTypes().stream().anyMatch(t -> t.contains("Attention")));
    }

    private static SValue encoderLayer(SymbolicHarness h, TorchFixture.Case c, boolean gelu, boolean normFirst,
                                       SValue mask, SValue maskType) {
        List<SValue> args = new ArrayList<>(List.of(c.in(h, "src"), i(8), i(2)));
        ENCODER_WEIGHTS.forEach(n -> args.add(c.in(h, n)));
        args.addAll(List.of(b(gelu), b(normFirst), f(1e-5)));
        ENCODER_NORMS_FFN.forEach(n -> args.add(c.in(h, n)));
        args.add(mask == null ? none() : mask);
        args.add(maskType);
        return h.call("aten::_transformer_encoder_layer_fwd", args.toArray(new SValue[0]));
    }

    @Test
    void encoderLayerPostNormReluMatchesTheTorchModule() {
        for (int opset : new int[] {13, 17}) {
            var c = FIXTURE.get("encoder_post_norm_relu");
            SymbolicHarness h = new SymbolicHarness(opset);
            h.output(encoderLayer(h, c, false, false, null, none()));
            c.runAndCompare(h);
            assertEquals(opset >= 17 ? 2 : 0, h.opTypes().stream().filter("LayerNormalization"::equals).count());
            assertTrue(h.opTypes().contains("Relu"));
        }
    }

    @Test
    void encoderLayerPreNormGeluMatchesTheTorchModule() {
        for (int opset : new int[] {17, 20}) {
            var c = FIXTURE.get("encoder_pre_norm_gelu");
            SymbolicHarness h = new SymbolicHarness(opset);
            h.output(encoderLayer(h, c, true, true, null, none()));
            c.runAndCompare(h);
            assertEquals(opset >= 20, h.opTypes().contains("Gelu"));
        }
    }

    @Test
    void encoderLayerWithAKeyPaddingMask() {
        var c = FIXTURE.get("encoder_key_padding_mask");
        SymbolicHarness h = new SymbolicHarness(17);
        SValue kpm = c.in(h, "kpm");
        h.output(encoderLayer(h, c, false, false, kpm, i(1)));
        c.runAndCompare(h);
        assertTrue(h.opTypes().contains("Where"));
    }

    @Test
    void refusesDropoutIndivisibleHeadsAndCausalWithAMask() {
        SymbolicHarness h = new SymbolicHarness(17);
        SValue q = h.input("q", DataType.FLOAT, 1, 3, 4);
        SValue mask = h.input("mask", DataType.BOOL, 3, 3);
        SValue w = h.input("w", DataType.FLOAT, 12, 4);
        SValue bias = h.input("bias", DataType.FLOAT, 12);
        assertEquals("aten::scaled_dot_product_attention with dropout_p=0.1 is training-time randomness; export "
                        + "with dropout_p=0 (model.eval() and no dropout in the call)",
                assertThrows(SymbolicException.class, () -> h.call("aten::scaled_dot_product_attention", q, q, q,
                        none(), f(0.1))).getMessage());
        assertEquals("aten::scaled_dot_product_attention: is_causal=True together with an explicit mask (torch "
                        + "refuses this too)",
                assertThrows(SymbolicException.class, () -> h.call("aten::scaled_dot_product_attention", q, q, q,
                        mask, f(0.0), b(true))).getMessage());
        assertEquals("aten::_native_multi_head_attention: embed_dim 4 is not divisible by num_head 3",
                assertThrows(SymbolicException.class, () -> h.call("aten::_native_multi_head_attention", q, q, q,
                        i(4), i(3), w, bias, w, bias)).getMessage());
    }
}
