class EncoderBlock(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  ln_1 : __torch__.torch.nn.modules.normalization.___torch_mangle_41.LayerNorm
  self_attention : __torch__.torch.nn.modules.activation.___torch_mangle_43.MultiheadAttention
  dropout : __torch__.torch.nn.modules.dropout.___torch_mangle_44.Dropout
  ln_2 : __torch__.torch.nn.modules.normalization.___torch_mangle_45.LayerNorm
  mlp : __torch__.torchvision.models.vision_transformer.___torch_mangle_51.MLPBlock
  def forward(self: __torch__.torchvision.models.vision_transformer.___torch_mangle_52.EncoderBlock,
    argument_1: Tensor) -> Tensor:
    mlp = self.mlp
    ln_2 = self.ln_2
    dropout = self.dropout
    self_attention = self.self_attention
    ln_1 = self.ln_1
    _0 = (self_attention).forward((ln_1).forward(argument_1, ), )
    input = torch.add((dropout).forward(_0, ), argument_1)
    _1 = (mlp).forward((ln_2).forward(input, ), )
    return torch.add(input, _1)
