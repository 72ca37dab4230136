class GoogLeNet(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  conv1 : __torch__.torchvision.models.googlenet.BasicConv2d
  maxpool1 : __torch__.torch.nn.modules.pooling.MaxPool2d
  conv2 : __torch__.torchvision.models.googlenet.___torch_mangle_2.BasicConv2d
  conv3 : __torch__.torchvision.models.googlenet.___torch_mangle_5.BasicConv2d
  maxpool2 : __torch__.torch.nn.modules.pooling.___torch_mangle_6.MaxPool2d
  inception3a : __torch__.torchvision.models.googlenet.Inception
  inception3b : __torch__.torchvision.models.googlenet.___torch_mangle_50.Inception
  maxpool3 : __torch__.torch.nn.modules.pooling.___torch_mangle_51.MaxPool2d
  inception4a : __torch__.torchvision.models.googlenet.___torch_mangle_74.Inception
  inception4b : __torch__.torchvision.models.googlenet.___torch_mangle_97.Inception
  inception4c : __torch__.torchvision.models.googlenet.___torch_mangle_120.Inception
  inception4d : __torch__.torchvision.models.googlenet.___torch_mangle_143.Inception
  inception4e : __torch__.torchvision.models.googlenet.___torch_mangle_166.Inception
  maxpool4 : __torch__.torch.nn.modules.pooling.___torch_mangle_167.MaxPool2d
  inception5a : __torch__.torchvision.models.googlenet.___torch_mangle_190.Inception
  inception5b : __torch__.torchvision.models.googlenet.___torch_mangle_213.Inception
  avgpool : __torch__.torch.nn.modules.pooling.AdaptiveAvgPool2d
  dropout : __torch__.torch.nn.modules.dropout.Dropout
  fc : __torch__.torch.nn.modules.linear.Linear
  def forward(self: __torch__.torchvision.models.googlenet.GoogLeNet,
    x: Tensor) -> Tensor:
    fc = self.fc
    dropout = self.dropout
    avgpool = self.avgpool
    inception5b = self.inception5b
    inception5a = self.inception5a
    maxpool4 = self.maxpool4
    inception4e = self.inception4e
    inception4d = self.inception4d
    inception4c = self.inception4c
    inception4b = self.inception4b
    inception4a = self.inception4a
    maxpool3 = self.maxpool3
    inception3b = self.inception3b
    inception3a = self.inception3a
    maxpool2 = self.maxpool2
    conv3 = self.conv3
    conv2 = self.conv2
    maxpool1 = self.maxpool1
    conv1 = self.conv1
    _0 = (maxpool1).forward((conv1).forward(x, ), )
    _1 = (conv3).forward((conv2).forward(_0, ), )
    _2 = (inception3a).forward((maxpool2).forward(_1, ), )
    _3 = (maxpool3).forward((inception3b).forward(_2, ), )
    _4 = (inception4b).forward((inception4a).forward(_3, ), )
    _5 = (inception4d).forward((inception4c).forward(_4, ), )
    _6 = (maxpool4).forward((inception4e).forward(_5, ), )
    _7 = (inception5b).forward((inception5a).forward(_6, ), )
    input = torch.flatten((avgpool).forward(_7, ), 1)
    _8 = (fc).forward((dropout).forward(input, ), )
    return _8
class BasicConv2d(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  conv : __torch__.torch.nn.modules.conv.Conv2d
  bn : __torch__.torch.nn.modules.batchnorm.BatchNorm2d
  def forward(self: __torch__.torchvision.models.googlenet.BasicConv2d,
    x: Tensor) -> Tensor:
    bn = self.bn
    conv = self.conv
    input = torch.relu_((bn).forward((conv).forward(x, ), ))
    return input
class Inception(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  branch1 : __torch__.torchvision.models.googlenet.___torch_mangle_9.BasicConv2d
  branch2 : __torch__.torch.nn.modules.container.Sequential
  branch3 : __torch__.torch.nn.modules.container.___torch_mangle_22.Sequential
  branch4 : __torch__.torch.nn.modules.container.___torch_mangle_27.Sequential
  def forward(self: __torch__.torchvision.models.googlenet.Inception,
    argument_1: Tensor) -> Tensor:
    branch4 = self.branch4
    branch3 = self.branch3
    branch2 = self.branch2
    branch1 = self.branch1
    _9 = [(branch1).forward(argument_1, ), (branch2).forward(argument_1, ), (branch3).forward(argument_1, ), (branch4).forward(argument_1, )]
    return torch.cat(_9, 1)
