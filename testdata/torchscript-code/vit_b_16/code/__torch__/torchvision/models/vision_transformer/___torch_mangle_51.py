class MLPBlock(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  __annotations__["0"] = __torch__.torch.nn.modules.linear.___torch_mangle_46.Linear
  __annotations__["1"] = __torch__.torch.nn.modules.activation.___torch_mangle_47.GELU
  __annotations__["2"] = __torch__.torch.nn.modules.dropout.___torch_mangle_48.Dropout
  __annotations__["3"] = __torch__.torch.nn.modules.linear.___torch_mangle_49.Linear
  __annotations__["4"] = __torch__.torch.nn.modules.dropout.___torch_mangle_50.Dropout
  def forward(self: __torch__.torchvision.models.vision_transformer.___torch_mangle_51.MLPBlock,
    argument_1: Tensor) -> Tensor:
    _4 = getattr(self, "4")
    _3 = getattr(self, "3")
    _2 = getattr(self, "2")
    _1 = getattr(self, "1")
    _0 = getattr(self, "0")
    _5 = (_1).forward((_0).forward(argument_1, ), )
    _6 = (_4).forward((_3).forward((_2).forward(_5, ), ), )
    return _6
