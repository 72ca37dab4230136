"""torch's results for the creation symbolics (zeros, full, arange, linspace, tensor, ...): creation.json."""
import torch

from fixture_io import case, save

torch.manual_seed(0)
x = torch.randn(2, 3)
xi = torch.tensor([[1, 2, 3], [4, 5, 6]])
cases = {
    "zeros_dynamic_size": case({"x": x}, torch.zeros([x.size(0), 4])),
    "ones_int64": case({}, torch.ones([2, 2], dtype=torch.int64)),
    "full_float_and_int": case({}, torch.full([2, 3], 2.5), torch.full([2], 7)),
    "full_like_and_zeros_like": case({"x": x}, torch.full_like(x, 3), torch.zeros_like(xi),
                                     torch.ones_like(xi, dtype=torch.float32)),
    "new_factories": case({"x": x}, x.new_zeros([3]), x.new_ones([2, 1]), x.new_full([2], 5)),
    "arange_overloads": case({}, torch.arange(5), torch.arange(2, 8, 2), torch.arange(0, 1, 0.25),
                             torch.arange(1, 4, dtype=torch.float64)),
    "arange_dynamic_end": case({"x": x}, torch.arange(x.size(1))),
    "linspace": case({}, torch.linspace(0, 1, 5), torch.linspace(-1, 2, 7),
                     torch.linspace(0, 10, 4, dtype=torch.int64)),
    "tensor_and_scalar_tensor": case({}, torch.tensor([[1, 2], [3, 4]]), torch.tensor([1.5, 2]),
                                     torch.tensor(3), torch.scalar_tensor(3)),
    "tensor_dynamic_element": case({"x": x}, torch.tensor([x.size(0), 7])),
    "fill": case({"x": x}, torch.fill_(x.clone(), 2.0)),
}
save("creation", cases)
