class TransformerEncoder(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  num_layers : int
  enable_nested_tensor : bool
  mask_check : bool
  layers : __torch__.torch.nn.modules.container.ModuleList
  norm : Final[NoneType] = None
  def forward(self: __torch__.torch.nn.modules.transformer.TransformerEncoder,
    src: Tensor,
    mask: Optional[Tensor]=None,
    src_key_padding_mask: Optional[Tensor]=None) -> Tensor:
    _0 = "AssertionError: only bool and floating types of key_padding_mask are supported"
    _1 = "{}.self_attn._qkv_same_embed_dim was not True"
    _2 = " {}.activation_relu_or_gelu was not True"
    _3 = "input not batched; expected src.dim() of 3 but got {}"
    why_not_sparsity_fast_path = "mask_check enabled, and src and src_key_padding_mask was not left aligned"
    why_not_sparsity_fast_path0 = "NestedTensor input is not supported"
    why_not_sparsity_fast_path1 = "src_key_padding_mask and mask were both supplied"
    why_not_sparsity_fast_path2 = "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad"
    _4 = torch.__isnot__(src_key_padding_mask, None)
    if _4:
      src_key_padding_mask1 = unchecked_cast(Tensor, src_key_padding_mask)
      _skpm_dtype = ops.prim.dtype(src_key_padding_mask1)
      if torch.ne(_skpm_dtype, 11):
        _6 = torch.is_floating_point(src_key_padding_mask1)
        _5 = torch.__not__(_6)
      else:
        _5 = False
      if _5:
        ops.prim.RaiseException(_0)
      else:
        pass
      src_key_padding_mask0 : Optional[Tensor] = src_key_padding_mask1
    else:
      src_key_padding_mask0 = src_key_padding_mask
    layers = self.layers
    _00 = getattr(layers, "0")
    training = _00.training
    if training:
      why_not_sparsity_fast_path4 = torch.format("{} was in training mode", "self.layers[0]")
      why_not_sparsity_fast_path3, src_key_padding_mask2, mask0 = why_not_sparsity_fast_path4, src_key_padding_mask0, mask
    else:
      self_attn = _00.self_attn
      _qkv_same_embed_dim = self_attn._qkv_same_embed_dim
      _7 = torch.__not__(_qkv_same_embed_dim)
      if _7:
        why_not_sparsity_fast_path6 = torch.format(_1, "self.layers[0]")
        why_not_sparsity_fast_path5, src_key_padding_mask3, mask1 = why_not_sparsity_fast_path6, src_key_padding_mask0, mask
      else:
        activation_relu_or_gelu = _00.activation_relu_or_gelu
        _8 = torch.__not__(bool(activation_relu_or_gelu))
        if _8:
          why_not_sparsity_fast_path8 = torch.format(_2, "self.layers[0]")
          why_not_sparsity_fast_path7, src_key_padding_mask4, mask2 = why_not_sparsity_fast_path8, src_key_padding_mask0, mask
        else:
          _9 = torch.__not__(torch.eq(torch.dim(src), 3))
          if _9:
            why_not_sparsity_fast_path10 = torch.format(_3, torch.dim(src))
            why_not_sparsity_fast_path9, src_key_padding_mask5, mask3 = why_not_sparsity_fast_path10, src_key_padding_mask0, mask
          else:
            enable_nested_tensor = self.enable_nested_tensor
            _10 = torch.__not__(enable_nested_tensor)
            if _10:
              why_not_sparsity_fast_path11, src_key_padding_mask6, mask4 = "enable_nested_tensor was not True", src_key_padding_mask0, mask
            else:
              _11 = torch.__is__(src_key_padding_mask0, None)
              if _11:
                why_not_sparsity_fast_path12, src_key_padding_mask7, mask5 = "src_key_padding_mask was None", src_key_padding_mask0, mask
              else:
                src_key_padding_mask8 = unchecked_cast(Tensor, src_key_padding_mask0)
                mask_check = self.mask_check
                if mask_check:
                  _13 = torch.logical_not(src_key_padding_mask8)
                  _14 = torch._nested_tensor_from_mask_left_aligned(src, _13)
                  _12 = torch.__not__(_14)
                else:
                  _12 = False
                if _12:
                  why_not_sparsity_fast_path13, mask6 = why_not_sparsity_fast_path, mask
                else:
                  _15 = ops.prim.is_nested(src)
                  if _15:
                    why_not_sparsity_fast_path14, mask7 = why_not_sparsity_fast_path0, mask
                  else:
                    _16 = torch.__isnot__(mask, None)
                    if _16:
                      mask9 = unchecked_cast(Tensor, mask)
                      why_not_sparsity_fast_path15, mask8 = why_not_sparsity_fast_path1, mask9
                    else:
                      self_attn0 = _00.self_attn
                      num_heads = self_attn0.num_heads
                      _17 = torch.remainder(num_heads, 2)
                      if torch.eq(_17, 1):
                        why_not_sparsity_fast_path16 = "num_head is odd"
                      else:
                        _18 = torch.is_autocast_enabled()
                        if _18:
                          why_not_sparsity_fast_path17 = "autocast is enabled"
                        else:
                          why_not_sparsity_fast_path17 = ""
                        why_not_sparsity_fast_path16 = why_not_sparsity_fast_path17
                      why_not_sparsity_fast_path15, mask8 = why_not_sparsity_fast_path16, mask
                    why_not_sparsity_fast_path14, mask7 = why_not_sparsity_fast_path15, mask8
                  why_not_sparsity_fast_path13, mask6 = why_not_sparsity_fast_path14, mask7
                why_not_sparsity_fast_path12, src_key_padding_mask7, mask5 = why_not_sparsity_fast_path13, src_key_padding_mask8, mask6
              why_not_sparsity_fast_path11, src_key_padding_mask6, mask4 = why_not_sparsity_fast_path12, src_key_padding_mask7, mask5
            why_not_sparsity_fast_path9, src_key_padding_mask5, mask3 = why_not_sparsity_fast_path11, src_key_padding_mask6, mask4
          why_not_sparsity_fast_path7, src_key_padding_mask4, mask2 = why_not_sparsity_fast_path9, src_key_padding_mask5, mask3
        why_not_sparsity_fast_path5, src_key_padding_mask3, mask1 = why_not_sparsity_fast_path7, src_key_padding_mask4, mask2
      why_not_sparsity_fast_path3, src_key_padding_mask2, mask0 = why_not_sparsity_fast_path5, src_key_padding_mask3, mask1
    _19 = torch.len(why_not_sparsity_fast_path3)
    if torch.__not__(torch.gt(_19, 0)):
      self_attn1 = _00.self_attn
      in_proj_weight = self_attn1.in_proj_weight
      self_attn2 = _00.self_attn
      in_proj_bias = self_attn2.in_proj_bias
      self_attn3 = _00.self_attn
      out_proj = self_attn3.out_proj
      weight = out_proj.weight
      self_attn4 = _00.self_attn
      out_proj0 = self_attn4.out_proj
      bias = out_proj0.bias
      norm1 = _00.norm1
      weight0 = norm1.weight
      norm10 = _00.norm1
      bias0 = norm10.bias
      norm2 = _00.norm2
      weight1 = norm2.weight
      norm20 = _00.norm2
      bias1 = norm20.bias
      linear1 = _00.linear1
      weight2 = linear1.weight
      linear10 = _00.linear1
      bias2 = linear10.bias
      linear2 = _00.linear2
      weight3 = linear2.weight
      linear20 = _00.linear2
      bias3 = linear20.bias
      if ops.prim.is_cuda(src):
        _20 = True
      else:
        _21 = str(ops.prim.device(src))
        _22 = torch.find(_21, "cpu", 0, torch.len(_21))
        _20 = torch.ne(_22, -1)
      if torch.__not__(_20):
        why_not_sparsity_fast_path18 = "src is neither CUDA nor CPU"
      else:
        if torch.is_grad_enabled():
          _24 = annotate(List[bool], [])
          _25 = torch.append(_24, ops.prim.requires_grad(src))
          _26 = ops.prim.requires_grad(in_proj_weight)
          _27 = torch.append(_24, _26)
          _28 = ops.prim.requires_grad(in_proj_bias)
          _29 = torch.append(_24, _28)
          _30 = ops.prim.requires_grad(weight)
          _31 = torch.append(_24, _30)
          _32 = torch.append(_24, ops.prim.requires_grad(bias))
          _33 = ops.prim.requires_grad(weight0)
          _34 = torch.append(_24, _33)
          _35 = torch.append(_24, ops.prim.requires_grad(bias0))
          _36 = ops.prim.requires_grad(weight1)
          _37 = torch.append(_24, _36)
          _38 = torch.append(_24, ops.prim.requires_grad(bias1))
          _39 = ops.prim.requires_grad(weight2)
          _40 = torch.append(_24, _39)
          _41 = torch.append(_24, ops.prim.requires_grad(bias2))
          _42 = ops.prim.requires_grad(weight3)
          _43 = torch.append(_24, _42)
          _44 = torch.append(_24, ops.prim.requires_grad(bias3))
          _23 = torch.any(_24)
        else:
          _23 = False
        if _23:
          why_not_sparsity_fast_path19 = why_not_sparsity_fast_path2
        else:
          why_not_sparsity_fast_path19 = why_not_sparsity_fast_path3
        why_not_sparsity_fast_path18 = why_not_sparsity_fast_path19
      _45 = torch.len(why_not_sparsity_fast_path18)
      if torch.__not__(torch.gt(_45, 0)):
        _47 = torch.__isnot__(src_key_padding_mask2, None)
        _46 = _47
      else:
        _46 = False
      if _46:
        src_key_padding_mask9 = unchecked_cast(Tensor, src_key_padding_mask2)
        _48 = torch.logical_not(src_key_padding_mask9)
        output1 = torch._nested_tensor_from_mask(src, _48, False)
        output0, src_key_padding_mask_for_layers0, convert_to_nested0 = output1, None, True
      else:
        output0, src_key_padding_mask_for_layers0, convert_to_nested0 = src, src_key_padding_mask0, False
      output, src_key_padding_mask_for_layers, convert_to_nested = output0, src_key_padding_mask_for_layers0, convert_to_nested0
    else:
      output, src_key_padding_mask_for_layers, convert_to_nested = src, src_key_padding_mask0, False
    layers0 = self.layers
    _01 = getattr(layers0, "0")
    _110 = getattr(layers0, "1")
    output2 = (_01).forward(output, mask0, src_key_padding_mask_for_layers, )
    output3 = (_110).forward(output2, mask0, src_key_padding_mask_for_layers, )
    if convert_to_nested:
      output5 = torch.to_padded_tensor(output3, 0.)
      output4 = output5
    else:
      output4 = output3
    return output4
class TransformerEncoderLayer(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  activation_relu_or_gelu : int
  self_attn : __torch__.torch.nn.modules.activation.MultiheadAttention
  linear1 : __torch__.torch.nn.modules.linear.Linear
  dropout : __torch__.torch.nn.modules.dropout.Dropout
  linear2 : __torch__.torch.nn.modules.linear.___torch_mangle_0.Linear
  norm1 : __torch__.torch.nn.modules.normalization.LayerNorm
  norm2 : __torch__.torch.nn.modules.normalization.LayerNorm
  dropout1 : __torch__.torch.nn.modules.dropout.Dropout
  dropout2 : __torch__.torch.nn.modules.dropout.Dropout
  norm_first : Final[bool] = False
  def forward(self: __torch__.torch.nn.modules.transformer.TransformerEncoderLayer,
    src: Tensor,
    src_mask: Optional[Tensor]=None,
    src_key_padding_mask: Optional[Tensor]=None) -> Tensor:
    _49 = "AssertionError: only bool and floating types of key_padding_mask are supported"
    _50 = "input not batched; expected src.dim() of 3 but got {}"
    why_not_sparsity_fast_path = "self_attn._qkv_same_embed_dim was not True"
    why_not_sparsity_fast_path20 = "activation_relu_or_gelu was not True"
    why_not_sparsity_fast_path21 = "src_mask is not supported for fastpath"
    why_not_sparsity_fast_path22 = "src_key_padding_mask is not supported with NestedTensor input for fastpath"
    why_not_sparsity_fast_path23 = "some Tensor argument is neither CUDA nor CPU"
    why_not_sparsity_fast_path24 = "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad"
    _51 = uninitialized(Tensor)
    _52 = torch.__isnot__(src_key_padding_mask, None)
    if _52:
      src_key_padding_mask11 = unchecked_cast(Tensor, src_key_padding_mask)
      _skpm_dtype = ops.prim.dtype(src_key_padding_mask11)
      if torch.ne(_skpm_dtype, 11):
        _54 = torch.is_floating_point(src_key_padding_mask11)
        _53 = torch.__not__(_54)
      else:
        _53 = False
      if _53:
        ops.prim.RaiseException(_49)
      else:
        pass
      src_key_padding_mask10 : Optional[Tensor] = src_key_padding_mask11
    else:
      src_key_padding_mask10 = src_key_padding_mask
    _55 = torch.__not__(torch.eq(torch.dim(src), 3))
    if _55:
      why_not_sparsity_fast_path25, src_mask0, src_key_padding_mask12 = torch.format(_50, torch.dim(src)), src_mask, src_key_padding_mask10
    else:
      training = self.training
      if training:
        why_not_sparsity_fast_path26, src_mask1, src_key_padding_mask13 = "training is enabled", src_mask, src_key_padding_mask10
      else:
        self_attn = self.self_attn
        _qkv_same_embed_dim = self_attn._qkv_same_embed_dim
        _56 = torch.__not__(_qkv_same_embed_dim)
        if _56:
          why_not_sparsity_fast_path27, src_mask2, src_key_padding_mask14 = why_not_sparsity_fast_path, src_mask, src_key_padding_mask10
        else:
          activation_relu_or_gelu = self.activation_relu_or_gelu
          _57 = torch.__not__(bool(activation_relu_or_gelu))
          if _57:
            why_not_sparsity_fast_path28, src_mask3, src_key_padding_mask15 = why_not_sparsity_fast_path20, src_mask, src_key_padding_mask10
          else:
            _58 = torch.__isnot__(src_mask, None)
            if _58:
              src_mask5 = unchecked_cast(Tensor, src_mask)
              why_not_sparsity_fast_path29, src_mask4, src_key_padding_mask16 = why_not_sparsity_fast_path21, src_mask5, src_key_padding_mask10
            else:
              if ops.prim.is_nested(src):
                _60 = torch.__isnot__(src_key_padding_mask10, None)
                _59 = _60
              else:
                _59 = False
              if _59:
                src_key_padding_mask18 = unchecked_cast(Tensor, src_key_padding_mask10)
                why_not_sparsity_fast_path30, src_key_padding_mask17 = why_not_sparsity_fast_path22, src_key_padding_mask18
              else:
                self_attn5 = self.self_attn
                num_heads = self_attn5.num_heads
                _61 = torch.remainder(num_heads, 2)
                if torch.eq(_61, 1):
                  why_not_sparsity_fast_path31 = "num_head is odd"
                else:
                  _62 = torch.is_autocast_enabled()
                  if _62:
                    why_not_sparsity_fast_path32 = "autocast is enabled"
                  else:
                    why_not_sparsity_fast_path32 = ""
                  why_not_sparsity_fast_path31 = why_not_sparsity_fast_path32
                why_not_sparsity_fast_path30, src_key_padding_mask17 = why_not_sparsity_fast_path31, src_key_padding_mask10
              why_not_sparsity_fast_path29, src_mask4, src_key_padding_mask16 = why_not_sparsity_fast_path30, src_mask, src_key_padding_mask17
            why_not_sparsity_fast_path28, src_mask3, src_key_padding_mask15 = why_not_sparsity_fast_path29, src_mask4, src_key_padding_mask16
          why_not_sparsity_fast_path27, src_mask2, src_key_padding_mask14 = why_not_sparsity_fast_path28, src_mask3, src_key_padding_mask15
        why_not_sparsity_fast_path26, src_mask1, src_key_padding_mask13 = why_not_sparsity_fast_path27, src_mask2, src_key_padding_mask14
      why_not_sparsity_fast_path25, src_mask0, src_key_padding_mask12 = why_not_sparsity_fast_path26, src_mask1, src_key_padding_mask13
    _63 = torch.len(why_not_sparsity_fast_path25)
    if torch.__not__(torch.gt(_63, 0)):
      self_attn6 = self.self_attn
      in_proj_weight = self_attn6.in_proj_weight
      self_attn7 = self.self_attn
      in_proj_bias = self_attn7.in_proj_bias
      self_attn8 = self.self_attn
      out_proj = self_attn8.out_proj
      weight = out_proj.weight
      self_attn9 = self.self_attn
      out_proj1 = self_attn9.out_proj
      bias = out_proj1.bias
      norm1 = self.norm1
      weight4 = norm1.weight
      norm11 = self.norm1
      bias4 = norm11.bias
      norm2 = self.norm2
      weight5 = norm2.weight
      norm21 = self.norm2
      bias5 = norm21.bias
      linear1 = self.linear1
      weight6 = linear1.weight
      linear11 = self.linear1
      bias6 = linear11.bias
      linear2 = self.linear2
      weight7 = linear2.weight
      linear21 = self.linear2
      bias7 = linear21.bias
      _66 = annotate(List[bool], [])
      if ops.prim.is_cuda(src):
        _67 = True
      else:
        _68 = str(ops.prim.device(src))
        _69 = torch.find(_68, "cpu", 0, torch.len(_68))
        _67 = torch.ne(_69, -1)
      _70 = torch.append(_66, _67)
      if ops.prim.is_cuda(in_proj_weight):
        _71 = True
      else:
        _72 = str(ops.prim.device(in_proj_weight))
        _73 = torch.find(_72, "cpu", 0, torch.len(_72))
        _71 = torch.ne(_73, -1)
      _74 = torch.append(_66, _71)
      if ops.prim.is_cuda(in_proj_bias):
        _75 = True
      else:
        _76 = str(ops.prim.device(in_proj_bias))
        _77 = torch.find(_76, "cpu", 0, torch.len(_76))
        _75 = torch.ne(_77, -1)
      _78 = torch.append(_66, _75)
      if ops.prim.is_cuda(weight):
        _79 = True
      else:
        _80 = str(ops.prim.device(weight))
        _81 = torch.find(_80, "cpu", 0, torch.len(_80))
        _79 = torch.ne(_81, -1)
      _82 = torch.append(_66, _79)
      if ops.prim.is_cuda(bias):
        _83 = True
      else:
        _84 = str(ops.prim.device(bias))
        _85 = torch.find(_84, "cpu", 0, torch.len(_84))
        _83 = torch.ne(_85, -1)
      _86 = torch.append(_66, _83)
      if ops.prim.is_cuda(weight4):
        _87 = True
      else:
        _88 = str(ops.prim.device(weight4))
        _89 = torch.find(_88, "cpu", 0, torch.len(_88))
        _87 = torch.ne(_89, -1)
      _90 = torch.append(_66, _87)
      if ops.prim.is_cuda(bias4):
        _91 = True
      else:
        _92 = str(ops.prim.device(bias4))
        _93 = torch.find(_92, "cpu", 0, torch.len(_92))
        _91 = torch.ne(_93, -1)
      _94 = torch.append(_66, _91)
      if ops.prim.is_cuda(weight5):
        _95 = True
      else:
        _96 = str(ops.prim.device(weight5))
        _97 = torch.find(_96, "cpu", 0, torch.len(_96))
        _95 = torch.ne(_97, -1)
      _98 = torch.append(_66, _95)
      if ops.prim.is_cuda(bias5):
        _99 = True
      else:
        _100 = str(ops.prim.device(bias5))
        _101 = torch.find(_100, "cpu", 0, torch.len(_100))
        _99 = torch.ne(_101, -1)
      _102 = torch.append(_66, _99)
      if ops.prim.is_cuda(weight6):
        _103 = True
      else:
        _104 = str(ops.prim.device(weight6))
        _105 = torch.find(_104, "cpu", 0, torch.len(_104))
        _103 = torch.ne(_105, -1)
      _106 = torch.append(_66, _103)
      if ops.prim.is_cuda(bias6):
        _107 = True
      else:
        _108 = str(ops.prim.device(bias6))
        _109 = torch.find(_108, "cpu", 0, torch.len(_108))
        _107 = torch.ne(_109, -1)
      _110 = torch.append(_66, _107)
      if ops.prim.is_cuda(weight7):
        _111 = True
      else:
        _112 = str(ops.prim.device(weight7))
        _113 = torch.find(_112, "cpu", 0, torch.len(_112))
        _111 = torch.ne(_113, -1)
      _114 = torch.append(_66, _111)
      if ops.prim.is_cuda(bias7):
        _115 = True
      else:
        _116 = str(ops.prim.device(bias7))
        _117 = torch.find(_116, "cpu", 0, torch.len(_116))
        _115 = torch.ne(_117, -1)
      _118 = torch.append(_66, _115)
      if torch.__not__(torch.all(_66)):
        why_not_sparsity_fast_path33 = why_not_sparsity_fast_path23
      else:
        if torch.is_grad_enabled():
          _120 = annotate(List[bool], [])
          _121 = torch.append(_120, ops.prim.requires_grad(src))
          _122 = ops.prim.requires_grad(in_proj_weight)
          _123 = torch.append(_120, _122)
          _124 = ops.prim.requires_grad(in_proj_bias)
          _125 = torch.append(_120, _124)
          _126 = ops.prim.requires_grad(weight)
          _127 = torch.append(_120, _126)
          _128 = torch.append(_120, ops.prim.requires_grad(bias))
          _129 = ops.prim.requires_grad(weight4)
          _130 = torch.append(_120, _129)
          _131 = torch.append(_120, ops.prim.requires_grad(bias4))
          _132 = ops.prim.requires_grad(weight5)
          _133 = torch.append(_120, _132)
          _134 = torch.append(_120, ops.prim.requires_grad(bias5))
          _135 = ops.prim.requires_grad(weight6)
          _136 = torch.append(_120, _135)
          _137 = torch.append(_120, ops.prim.requires_grad(bias6))
          _138 = ops.prim.requires_grad(weight7)
          _139 = torch.append(_120, _138)
          _140 = torch.append(_120, ops.prim.requires_grad(bias7))
          _119 = torch.any(_120)
        else:
          _119 = False
        if _119:
          why_not_sparsity_fast_path34 = why_not_sparsity_fast_path24
        else:
          why_not_sparsity_fast_path34 = why_not_sparsity_fast_path25
        why_not_sparsity_fast_path33 = why_not_sparsity_fast_path34
      _141 = torch.len(why_not_sparsity_fast_path33)
      if torch.__not__(torch.gt(_141, 0)):
        self_attn10 = self.self_attn
        embed_dim = self_attn10.embed_dim
        self_attn11 = self.self_attn
        num_heads0 = self_attn11.num_heads
        self_attn12 = self.self_attn
        in_proj_weight0 = self_attn12.in_proj_weight
        self_attn13 = self.self_attn
        in_proj_bias0 = self_attn13.in_proj_bias
        self_attn14 = self.self_attn
        out_proj2 = self_attn14.out_proj
        weight8 = out_proj2.weight
        self_attn15 = self.self_attn
        out_proj3 = self_attn15.out_proj
        bias8 = out_proj3.bias
        activation_relu_or_gelu0 = self.activation_relu_or_gelu
        _144 = torch.eq(activation_relu_or_gelu0, 2)
        norm12 = self.norm1
        weight9 = norm12.weight
        norm13 = self.norm1
        bias9 = norm13.bias
        norm22 = self.norm2
        weight10 = norm22.weight
        norm23 = self.norm2
        bias10 = norm23.bias
        linear12 = self.linear1
        weight11 = linear12.weight
        linear13 = self.linear1
        bias11 = linear13.bias
        linear22 = self.linear2
        weight12 = linear22.weight
        linear23 = self.linear2
        bias12 = linear23.bias
        _145 = torch.__isnot__(src_mask0, None)
        if _145:
          src_mask9 = unchecked_cast(Tensor, src_mask0)
          src_mask8, _146 = src_mask9, src_mask9
        else:
          src_mask8, _146 = src_mask0, src_key_padding_mask12
        _147 = torch.__isnot__(src_key_padding_mask12, None)
        if _147:
          src_key_padding_mask22 = unchecked_cast(Tensor, src_key_padding_mask12)
          _148, src_mask10, src_key_padding_mask21 = 1, src_mask8, src_key_padding_mask22
        else:
          _149 = torch.__isnot__(src_mask8, None)
          if _149:
            src_mask12 = unchecked_cast(Tensor, src_mask8)
            _150, src_mask11 = 0, src_mask12
          else:
            _150, src_mask11 = None, src_mask8
          _148, src_mask10, src_key_padding_mask21 = _150, src_mask11, src_key_padding_mask12
        _151 = torch._transformer_encoder_layer_fwd(src, embed_dim, num_heads0, in_proj_weight0, in_proj_bias0, weight8, bias8, _144, False, 1.0000000000000001e-05, weight9, bias9, weight10, bias10, weight11, bias11, weight12, bias12, _146, _148)
        _142, _143, src_mask7, src_key_padding_mask20 = True, _151, src_mask10, src_key_padding_mask21
      else:
        _142, _143, src_mask7, src_key_padding_mask20 = False, _51, src_mask0, src_key_padding_mask12
      _64, _65, src_mask6, src_key_padding_mask19 = _142, _143, src_mask7, src_key_padding_mask20
    else:
      _64, _65, src_mask6, src_key_padding_mask19 = False, _51, src_mask0, src_key_padding_mask12
    if _64:
      _152 = _65
    else:
      norm14 = self.norm1
      _153 = (self)._sa_block(src, src_mask6, src_key_padding_mask19, )
      x = (norm14).forward(torch.add(src, _153), )
      norm24 = self.norm2
      _154 = torch.add(x, (self)._ff_block(x, ))
      _152 = (norm24).forward(_154, )
    return _152
  def _sa_block(self: __torch__.torch.nn.modules.transformer.TransformerEncoderLayer,
    x: Tensor,
    attn_mask: Optional[Tensor],
    key_padding_mask: Optional[Tensor]) -> Tensor:
    self_attn = self.self_attn
    _155 = (self_attn).forward(x, x, x, key_padding_mask, False, attn_mask, True, )
    x0 = (_155)[0]
    dropout1 = self.dropout1
    return (dropout1).forward(x0, )
  def _ff_block(self: __torch__.torch.nn.modules.transformer.TransformerEncoderLayer,
    x: Tensor) -> Tensor:
    linear2 = self.linear2
    dropout = self.dropout
    linear1 = self.linear1
    _156 = __torch__.torch.nn.functional.relu((linear1).forward(x, ), False, )
    x1 = (linear2).forward((dropout).forward(_156, ), )
    dropout2 = self.dropout2
    return (dropout2).forward(x1, )
