"""Writes the crafted models of mconv's runtime-isolation tests into testdata/torch/hang/.

  endless_loop.pt      a torch.jit.script module whose forward loops while x.sum() == x.sum(): true for every
                       finite input, and the body keeps the tensor finite (tanh), so libtorch never returns.
                       Each iteration does real work (a 32x32 matmul), so nothing can skip it.
  endless_loop_signature.onnx
                       a plain ONNX model with the same signature (x: float[1,32] -> y: float[1,32], y = tanh(x)),
                       the target that `mconv validate endless_loop.pt endless_loop_signature.onnx` compares with.

`mconv validate` must report the hang of libtorch as exit 4 after --runtime-timeout, not wait forever.
Run with Debian's /usr/bin/python3 (torch 1.13, onnx 1.12):  /usr/bin/python3 testdata/torch/make_hang_fixtures.py
"""
import os

import onnx
import torch
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hang")
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


def write_signature_model(path):
    node = helper.make_node("Tanh", ["x"], ["y"])
    graph = helper.make_graph([node], "endless_loop_signature",
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
    write_signature_model(os.path.join(OUT, "endless_loop_signature.onnx"))
    for f in sorted(os.listdir(OUT)):
        print("%8d  %s" % (os.path.getsize(os.path.join(OUT, f)), os.path.join("torch", "hang", f)))


if __name__ == "__main__":
    main()
