"""torch's results for roll, flip, repeat, tile, tril/triu, pixel_shuffle, channel_shuffle: rearrange.json."""
import torch

from fixture_io import case, save

torch.manual_seed(0)
x = torch.arange(24, dtype=torch.float32).view(2, 3, 4)
m = torch.randn(3, 4)
c = torch.randn(1, 8, 2, 2)
cases = {
    "roll": case({"x": x}, torch.roll(x, [-1, 3], [1, 2]), torch.roll(x, 5), torch.roll(x, [7], [2])),
    "flip": case({"x": x}, torch.flip(x, [0, 2])),
    "repeat_tile": case({"m": m}, m.repeat(2, 1, 2), torch.tile(m, [2])),
    "tril_triu": case({"m": m}, torch.tril(m), torch.triu(m, 1), torch.tril(m, -1)),
    "pixel_shuffle": case({"c": c}, torch.pixel_shuffle(c, 2)),
    "channel_shuffle": case({"c": c}, torch.nn.functional.channel_shuffle(c, 2)),
}
save("rearrange", cases)
