class Sequential(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  head : __torch__.torch.nn.modules.linear.___torch_mangle_138.Linear
  def forward(self: __torch__.torch.nn.modules.container.___torch_mangle_139.Sequential,
    input: Tensor) -> Tensor:
    head = self.head
    return (head).forward(input, )
