"""torch's results for max/min, argmax, all/any, var/std, norms, prod, cumsum, topk, sort: reduction.json."""
import torch

from fixture_io import case, save

torch.manual_seed(0)
x = torch.randn(3, 4)
y = torch.randn(3, 4)
b = torch.tensor([[True, False], [True, True]])
xi = torch.tensor([[1, 2], [3, 4]])
vmax, imax = torch.max(x, 1, keepdim=True)
vmin, imin = torch.min(x, 0)
tv, ti = torch.topk(x, 2, dim=1)
sv, si = torch.sort(x, dim=0, descending=True)
sv2, si2 = torch.sort(x)
cases = {
    "max_min_overloads": case({"x": x, "y": y}, torch.max(x), vmax, imax, vmin, imin, torch.max(x, y), torch.min(x, y)),
    "amax_amin": case({"x": x}, torch.amax(x, [0, 1]), torch.amin(x, 1, keepdim=True)),
    "argmax_argmin": case({"x": x}, torch.argmax(x), torch.argmax(x, 1, keepdim=True), torch.argmin(x, 0)),
    "all_any": case({"b": b, "xi": xi}, torch.all(b), torch.any(b, 1), torch.all(xi > 1, 0, keepdim=True),
                    torch.any(xi)),
    "var_std": case({"x": x}, torch.var(x), torch.var(x, 1, keepdim=True), torch.std(x, [0], unbiased=False),
                    torch.var(x, [1], correction=0), torch.std(x, False)),
    "norms": case({"x": x}, torch.norm(x), torch.norm(x, 1, [1]), torch.norm(x, float("inf"), [0], True),
                  torch.linalg.vector_norm(x, 3, [1]), torch.linalg.vector_norm(x, 0)),
    "prod": case({"x": x, "xi": xi}, torch.prod(x), torch.prod(x, 1, keepdim=True), torch.prod(xi, 0)),
    "cumsum": case({"x": x, "xi": xi}, torch.cumsum(x, 1), torch.cumsum(xi, 0)),
    "topk_sort": case({"x": x}, tv, ti, sv, si, sv2, si2),
}
save("reduction", cases)
