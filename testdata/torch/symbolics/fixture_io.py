"""Shared by the make_<family>.py scripts: tensors as JSON ({dtype, shape, data}) and the write of one file.

Each script computes torch's outputs for fixed small inputs; the Java symbolic tests feed the same inputs to the
lowered ONNX in ONNX Runtime and compare. Run with /usr/bin/python3 (torch 1.13).
"""
import json
import math
import os

import torch

_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.int32: "int32",
          torch.bool: "bool", torch.uint8: "uint8"}


def T(t):
    """A tensor as {dtype, shape, data (flat, row-major)}; inf and nan as the strings JSON lacks numbers for."""
    t = t.detach().contiguous()
    flat = t.reshape(-1).tolist()
    if t.dtype == torch.bool:
        flat = [int(v) for v in flat]
    elif t.dtype.is_floating_point:
        flat = [v if math.isfinite(v) else str(v) for v in flat]
    return {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data": flat}


def case(inputs, *outputs):
    return {"inputs": {k: T(v) for k, v in inputs.items()}, "outputs": [T(o) for o in outputs]}


def save(family, cases):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), family + ".json")
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(path, len(cases), "cases")
