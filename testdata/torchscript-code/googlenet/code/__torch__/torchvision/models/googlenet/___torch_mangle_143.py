class Inception(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  branch1 : __torch__.torchvision.models.googlenet.___torch_mangle_123.BasicConv2d
  branch2 : __torch__.torch.nn.modules.container.___torch_mangle_130.Sequential
  branch3 : __torch__.torch.nn.modules.container.___torch_mangle_137.Sequential
  branch4 : __torch__.torch.nn.modules.container.___torch_mangle_142.Sequential
  def forward(self: __torch__.torchvision.models.googlenet.___torch_mangle_143.Inception,
    argument_1: Tensor) -> Tensor:
    branch4 = self.branch4
    branch3 = self.branch3
    branch2 = self.branch2
    branch1 = self.branch1
    _0 = [(branch1).forward(argument_1, ), (branch2).forward(argument_1, ), (branch3).forward(argument_1, ), (branch4).forward(argument_1, )]
    return torch.cat(_0, 1)
