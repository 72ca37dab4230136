class Sequential(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  encoder_layer_0 : __torch__.torchvision.models.vision_transformer.EncoderBlock
  encoder_layer_1 : __torch__.torchvision.models.vision_transformer.___torch_mangle_16.EncoderBlock
  encoder_layer_2 : __torch__.torchvision.models.vision_transformer.___torch_mangle_28.EncoderBlock
  encoder_layer_3 : __torch__.torchvision.models.vision_transformer.___torch_mangle_40.EncoderBlock
  encoder_layer_4 : __torch__.torchvision.models.vision_transformer.___torch_mangle_52.EncoderBlock
  encoder_layer_5 : __torch__.torchvision.models.vision_transformer.___torch_mangle_64.EncoderBlock
  encoder_layer_6 : __torch__.torchvision.models.vision_transformer.___torch_mangle_76.EncoderBlock
  encoder_layer_7 : __torch__.torchvision.models.vision_transformer.___torch_mangle_88.EncoderBlock
  encoder_layer_8 : __torch__.torchvision.models.vision_transformer.___torch_mangle_100.EncoderBlock
  encoder_layer_9 : __torch__.torchvision.models.vision_transformer.___torch_mangle_112.EncoderBlock
  encoder_layer_10 : __torch__.torchvision.models.vision_transformer.___torch_mangle_124.EncoderBlock
  encoder_layer_11 : __torch__.torchvision.models.vision_transformer.___torch_mangle_136.EncoderBlock
  def forward(self: __torch__.torch.nn.modules.container.Sequential,
    argument_1: Tensor) -> Tensor:
    encoder_layer_11 = self.encoder_layer_11
    encoder_layer_10 = self.encoder_layer_10
    encoder_layer_9 = self.encoder_layer_9
    encoder_layer_8 = self.encoder_layer_8
    encoder_layer_7 = self.encoder_layer_7
    encoder_layer_6 = self.encoder_layer_6
    encoder_layer_5 = self.encoder_layer_5
    encoder_layer_4 = self.encoder_layer_4
    encoder_layer_3 = self.encoder_layer_3
    encoder_layer_2 = self.encoder_layer_2
    encoder_layer_1 = self.encoder_layer_1
    encoder_layer_0 = self.encoder_layer_0
    _0 = (encoder_layer_0).forward(argument_1, )
    _1 = (encoder_layer_2).forward((encoder_layer_1).forward(_0, ), )
    _2 = (encoder_layer_4).forward((encoder_layer_3).forward(_1, ), )
    _3 = (encoder_layer_6).forward((encoder_layer_5).forward(_2, ), )
    _4 = (encoder_layer_8).forward((encoder_layer_7).forward(_3, ), )
    _5 = (encoder_layer_10).forward((encoder_layer_9).forward(_4, ), )
    return (encoder_layer_11).forward(_5, )
