"""Writes the crafted models of mconv's runtime-isolation tests into testdata/torch/hostile/.

  endless_loop.pt      a torch.jit.script module whose forward loops while x.sum() == x.sum(): true for every
                       finite input, and the body keeps the tensor finite (tanh), so libtorch never returns.
                       Each iteration does real work (a 32x32 matmul), so nothing can skip it.
  int_min_division.pt  a torch.jit.script module that divides INT64_MIN by -1 (floor division of int64 tensors made
                       from the input): the quotient does not fit in int64 and the CPU's idiv raises SIGFPE, which
                       kills the process that runs libtorch (torch 1.13 and libtorch 2.7 alike).
  float_1x32.onnx      a plain ONNX model with the same signature as both (x: float[1,32] -> y: float[1,32],
                       y = tanh(x)): the target that `mconv validate <one of them>.pt float_1x32.onnx` compares with.

`mconv validate` must report the hang as exit 4 after --runtime-timeout and the crash as exit 4 naming the signal,
instead of waiting forever or dying. Run with Debian's /usr/bin/python3 (torch 1.13, onnx 1.12):
  /usr/bin/python3 testdata/torch/make_hostile_fixtures.py
"""
import os

import onnx
import torch
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hostile")
WIDTH = 32


class EndlessLoop(torch.nn.Module):
    def __init__(self):
        super().__init__()
        # Scaled so that tanh(y @ w) stays well inside (-1, 1): finite forever, the condition never turns false.
        self.w = torch.nn.Parameter(torch.randn(WIDTH, WIDTH) / WIDTH)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        steps = torch.zeros(1)
        # The condition depends on the tensor computed in the loop, so TorchScript cannot fold it to a constant;
        # it is false only for a NaN sum, which tanh of finite values never gives.
        while bool(y.sum() == y.sum()):
            y = torch.tanh(y @ self.w)
            steps = steps + 1
        return y + steps


class IntMinDivision(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Built from x so that nothing is constant until the run; -2**63 written as a sum since its literal
        # would not fit in an int64 before the minus applies.
        int_min = torch.zeros_like(x, dtype=torch.long) + (-9223372036854775807 - 1)
        quotient = torch.div(int_min, -1, rounding_mode="floor")
        return x + quotient.to(torch.float32)


def write_signature_model(path):
    node = helper.make_node("Tanh", ["x"], ["y"])
    graph = helper.make_graph([node], "float_1x32",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, WIDTH])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, WIDTH])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="mconv-testdata")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    torch.jit.script(EndlessLoop().eval()).save(os.path.join(OUT, "endless_loop.pt"))
    torch.jit.script(IntMinDivision().eval()).save(os.path.join(OUT, "int_min_division.pt"))
    write_signature_model(os.path.join(OUT, "float_1x32.onnx"))
    for f in sorted(os.listdir(OUT)):
        print("%8d  %s" % (os.path.getsize(os.path.join(OUT, f)), os.path.join("torch", "hostile", f)))


if __name__ == "__main__":
    main()
