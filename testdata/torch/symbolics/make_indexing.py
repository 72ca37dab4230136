"""torch's results for the indexing symbolics (index, gather, masked_fill, scatter, ...): indexing.json."""
import torch

from fixture_io import case, save

torch.manual_seed(0)
x = torch.randn(3, 4)
x3 = torch.randn(2, 3, 4)
idx = torch.tensor([2, 0, -1])
sel = torch.tensor([2, 0, 3])
gi = torch.tensor([[0, 1, 2, 0]])
src = torch.randn(1, 4)
rows = torch.tensor([[0, 2], [1, 1]])
mask = torch.tensor([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
col_mask = torch.tensor([True, False, True, True])
table = torch.randn(6, 2)
pos = torch.tensor([[5, 0], [3, 3]])
g_index = torch.tensor([[0, 1, 0, 2], [2, 2, 1, 0], [1, 0, 0, 0]])
i0 = torch.tensor([0, 2, 1])
i1 = torch.tensor([[1], [-1]])
cases = {
    "index_select": case({"x": x, "sel": sel}, torch.index_select(x, 1, sel)),
    "gather": case({"x": x, "g_index": g_index}, torch.gather(x, 0, g_index)),
    "index_one_tensor": case({"table": table, "pos": pos}, table[pos.view(-1)], table[pos]),
    "index_second_dim": case({"x3": x3, "idx": idx}, x3[:, idx]),
    "index_bool_mask": case({"x": x, "mask": mask}, x[mask]),
    "index_bool_mask_second_dim": case({"x": x, "col_mask": col_mask}, x[:, col_mask]),
    "index_two_tensors": case({"x3": x3, "i0": i0, "i1": i1}, x3[:, i0, i1], x3[torch.tensor([1, 0]), :, torch.tensor([3, 1])]),
    "masked_fill": case({"x": x, "mask": mask}, x.masked_fill(mask, float("-inf")), x.masked_fill(mask, torch.tensor(2.0))),
    "masked_select": case({"x": x, "col_mask": col_mask}, torch.masked_select(x, col_mask)),
    "scatter": case({"x": x, "gi": gi, "src": src}, torch.scatter(x, 0, gi, src), torch.scatter(x, 0, gi, 1.5),
                    torch.scatter_add(x, 0, gi, src)),
    "embedding": case({"table": table, "pos": pos}, torch.nn.functional.embedding(pos, table)),
    "narrow": case({"x": x}, torch.narrow(x, 1, 1, 2), torch.narrow(x, 0, -2, 2)),
}
save("indexing", cases)
