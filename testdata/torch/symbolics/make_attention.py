"""torch's results for baddbmm, einsum, scaled dot-product attention and the fused transformer kernels
(nn.MultiheadAttention and nn.TransformerEncoderLayer in eval mode): attention.json.

The fused kernels' expected outputs are the nn modules' own outputs, with the modules' weights dumped as inputs.
"""
import math

import torch
import torch.nn as nn

from fixture_io import case, save

torch.manual_seed(0)


def math_sdpa(q, k, v, mask=None, causal=False, scale=None):
    """torch's reference (math) attention: softmax(q k^T * scale + mask) v; a bool mask says where to attend."""
    scale = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    if causal:
        scores = scores.masked_fill(~torch.ones(q.size(-2), k.size(-2), dtype=torch.bool).tril(), float("-inf"))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    weights = torch.softmax(scores, -1)
    return weights @ v, weights


cases = {}
s, b1, b2 = torch.randn(2, 2, 2), torch.randn(2, 2, 3), torch.randn(2, 3, 2)
cases["baddbmm"] = case({"s": s, "b1": b1, "b2": b2}, torch.baddbmm(s, b1, b2, beta=0.5, alpha=2),
                        torch.baddbmm(s, b1, b2, beta=0))
a, m = torch.randn(2, 3), torch.randn(3, 4)
cases["einsum"] = case({"a": a, "m": m, "b1": b1, "b2": b2}, torch.einsum("ij,jk->ik", a, m),
                       torch.einsum("bij, bjk -> bik", b1, b2), torch.einsum("ij->ji", a))

q, k, v = torch.randn(1, 2, 3, 4), torch.randn(1, 2, 5, 4), torch.randn(1, 2, 5, 4)
float_mask = torch.randn(3, 5)
bool_mask = torch.tensor([[True, False, True, True, False], [False, True, True, False, False],
                          [True, True, True, True, True]])
qs = torch.randn(1, 2, 4, 4)
out_plain, w_plain = math_sdpa(q, k, v)
# torch 1.13's own op agrees with the math reference (checked here, so the fixture rests on torch's kernel)
ref_out, ref_w = torch.ops.aten._scaled_dot_product_attention(q, k, v, None, 0.0, True, False)
assert torch.allclose(ref_out, out_plain, atol=1e-6) and torch.allclose(ref_w, w_plain, atol=1e-6)
ref_bool, _ = torch.ops.aten._scaled_dot_product_attention(q, k, v, bool_mask, 0.0, False, False)
assert torch.allclose(ref_bool, math_sdpa(q, k, v, bool_mask)[0], atol=1e-6)
cases["sdpa"] = case({"q": q, "k": k, "v": v, "float_mask": float_mask, "bool_mask": bool_mask, "qs": qs},
                     out_plain, w_plain, math_sdpa(q, k, v, float_mask)[0], ref_bool,
                     math_sdpa(qs, qs, qs, causal=True)[0], math_sdpa(q, k, v, scale=0.3)[0])

embed, heads = 8, 2
mha = nn.MultiheadAttention(embed, heads, batch_first=True).eval()
weights = {"in_proj_weight": mha.in_proj_weight, "in_proj_bias": mha.in_proj_bias,
           "out_proj_weight": mha.out_proj.weight, "out_proj_bias": mha.out_proj.bias}
x = torch.randn(2, 3, embed)
mem = torch.randn(2, 4, embed)
kpm = torch.tensor([[False, False, True], [False, False, False]])
with torch.no_grad():
    o_self, w_self = mha(x, x, x)
    o_kpm, w_kpm = mha(x, x, x, key_padding_mask=kpm, average_attn_weights=False)
    o_cross, w_cross = mha(x, mem, mem)
    o_nw, _ = mha(x, x, x, need_weights=False)
    # the kernel itself, as the traced code calls it, agrees with the module
    k_self, kw_self = torch._native_multi_head_attention(x, x, x, embed, heads, mha.in_proj_weight,
                                                         mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias)
    assert torch.allclose(k_self, o_self, atol=1e-6) and torch.allclose(kw_self, w_self, atol=1e-6)
cases["native_mha"] = case(dict(weights, x=x, mem=mem, kpm=kpm), o_self, w_self, o_kpm, w_kpm, o_cross, w_cross,
                           o_nw)


def encoder_case(norm_first, activation, with_mask):
    layer = nn.TransformerEncoderLayer(embed, heads, dim_feedforward=16, batch_first=True, norm_first=norm_first,
                                       activation=activation).eval()
    src = torch.randn(2, 3, embed)
    params = {"qkv_weight": layer.self_attn.in_proj_weight, "qkv_bias": layer.self_attn.in_proj_bias,
              "proj_weight": layer.self_attn.out_proj.weight, "proj_bias": layer.self_attn.out_proj.bias,
              "norm_weight_1": layer.norm1.weight, "norm_bias_1": layer.norm1.bias,
              "norm_weight_2": layer.norm2.weight, "norm_bias_2": layer.norm2.bias,
              "ffn_weight_1": layer.linear1.weight, "ffn_bias_1": layer.linear1.bias,
              "ffn_weight_2": layer.linear2.weight, "ffn_bias_2": layer.linear2.bias}
    with torch.no_grad():
        if with_mask:
            # the module with a padding mask takes the slow path; the kernel takes the mask as type 1
            expected = layer(src, src_key_padding_mask=kpm)
            fused = torch._transformer_encoder_layer_fwd(src, embed, heads, *list(params.values())[:4],
                                                         activation == "gelu", norm_first, 1e-5,
                                                         *list(params.values())[4:], kpm, 1)
        else:
            expected = layer(src)
            fused = torch._transformer_encoder_layer_fwd(src, embed, heads, *list(params.values())[:4],
                                                         activation == "gelu", norm_first, 1e-5,
                                                         *list(params.values())[4:])
    assert torch.allclose(fused, expected, atol=1e-5), (fused - expected).abs().max()
    inputs = dict(params, src=src, kpm=kpm)
    return case(inputs, expected)


cases["encoder_post_norm_relu"] = encoder_case(False, "relu", False)
cases["encoder_pre_norm_gelu"] = encoder_case(True, "gelu", False)
cases["encoder_key_padding_mask"] = encoder_case(False, "relu", True)
save("attention", cases)
