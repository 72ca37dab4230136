"""torch's results for pad (constant, reflect, replicate) and the upsample ops: padresize.json."""
import torch
import torch.nn.functional as F

from fixture_io import case, save

torch.manual_seed(0)
x = torch.randn(1, 2, 3, 4)
cases = {
    "constant_pad": case({"x": x}, torch.constant_pad_nd(x, [1, 2], 0.5), F.pad(x, [0, 1, 2, 0])),
    "reflect_replicate": case({"x": x}, F.pad(x, [1, 1, 2, 0], mode="reflect"), F.pad(x, [2, 0, 1, 1], mode="replicate")),
    "pad_dynamic": case({"x": x}, F.pad(x, [0, 0, 0, x.size(1)])),
    "upsample_nearest": case({"x": x}, F.interpolate(x, scale_factor=2, mode="nearest"),
                             F.interpolate(x, size=(5, 7), mode="nearest")),
    "upsample_bilinear": case({"x": x}, F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False),
                              F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=True)),
    "upsample_bicubic": case({"x": x}, F.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False),
                             F.interpolate(x, size=(5, 7), mode="bicubic", align_corners=True)),
}
save("padresize", cases)
