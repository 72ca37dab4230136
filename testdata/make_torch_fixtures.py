#!/usr/bin/python3
"""Generate the small PyTorch fixtures for mconv's TorchScript archive reader.

usage: make_torch_fixtures.py [--out DIR]

Run with Debian's /usr/bin/python3 (python3-torch 1.13). Default DIR is
testdata/torch/. The outputs are committed (each well under 200 KB); tests
never run this script. Everything is built right after torch.manual_seed(0),
so re-running on the same torch build gives the same tensors. The script
re-executes itself with PYTHONHASHSEED=0 because torch.jit.script writes a
module's constants in set order, which string hashing would otherwise shuffle.
legacy.pt alone differs between runs: the legacy format names storages by
their memory addresses; its content is the same.

Writes:
  traced_cnn.pt        torch.jit.trace of a tiny CNN (Conv-BN-ReLU, Conv-ReLU,
                       pool, Linear) whose forward also uses a tensor constant,
                       so constants.pkl holds a tensor
  traced_cnn.json      facts the Java test checks: root class, submodules,
                       every parameter/buffer's dtype, sizes, strides, offset,
                       storage key and first values, constants count
  scripted_attrs.pt    torch.jit.script of a module with a submodule and
                       list / dict / int / float / str / bool attributes
  scripted_attrs.json  its facts
  state_dict.pt        torch.save(TinyCnn().state_dict())  (not TorchScript)
  state_dict.json      names, dtypes, sizes, first values
  pickled_module.pt    torch.save(TinyCnn())  (a whole pickled nn.Module)
  legacy.pt            torch.save(state_dict, _use_new_zipfile_serialization=False)
"""

import argparse
import json
import os
import sys
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "torch")
FIRST = 5


class TinyCnn(nn.Module):
    """Conv3x3(3->4)-BN-ReLU, Conv3x3 s2(4->8)-ReLU, global average pool, Linear 8->5."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, 3, stride=2, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.conv2(x))
        x = torch.flatten(self.pool(x), 1)
        # A tensor built in forward: tracing records it in constants.pkl.
        return self.fc(x) * torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 3)
        self.scale = 0.5

    def forward(self, x):
        return self.proj(x) * self.scale


class WithAttributes(nn.Module):
    """A scripted module whose attributes cover the pickle value model."""

    def __init__(self):
        super().__init__()
        self.head = Head()
        self.sizes = [1, 2, 3]
        self.ratios = [0.5, 1.5]
        self.table = {"a": 1.5, "b": -2.0}
        self.count = 7
        self.eps = 0.25
        self.label = "hello"
        self.enabled = True
        self.register_buffer("steps", torch.arange(6, dtype=torch.int64).reshape(2, 3))

    def forward(self, x):
        y = self.head(x) * self.count + self.eps
        if self.enabled:
            y = y + float(len(self.sizes)) + self.table["a"]
        return y


def tensor_facts(t):
    flat = t.detach().reshape(-1)
    first = flat[:FIRST].tolist()
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "sizes": list(t.shape),
        "strides": list(t.stride()),
        "storage_offset": t.storage_offset(),
        "requires_grad": bool(t.requires_grad),
        "first": first,
    }


def module_tensors(m):
    """Parameters and buffers by dotted name, in module order."""
    out = {}
    for name, p in m.named_parameters():
        out[name] = tensor_facts(p)
    for name, b in m.named_buffers():
        out[name] = tensor_facts(b)
    return out


def entry_names(path):
    with zipfile.ZipFile(path) as z:
        return [i.filename for i in z.infolist()]


def write_json(path, facts):
    with open(path, "w") as f:
        json.dump(facts, f, indent=1, sort_keys=True)
        f.write("\n")


def jit_facts(path, loaded):
    return {
        "generator": {"script": "testdata/make_torch_fixtures.py", "torch": torch.__version__, "seed": 0},
        "file_bytes": os.path.getsize(path),
        "entries": entry_names(path),
        "root_class": loaded._c._type().qualified_name(),
        "submodules": {name: m._c._type().qualified_name() for name, m in loaded.named_modules() if name},
        "tensors": module_tensors(loaded),
    }


def make_traced_cnn(out):
    torch.manual_seed(0)
    model = TinyCnn().eval()
    with torch.no_grad():
        # Non-trivial BN statistics so the buffers are not all 0 / 1.
        model.bn1.running_mean.copy_(torch.randn(4) * 0.1)
        model.bn1.running_var.copy_(torch.rand(4) + 0.5)
    example = torch.randn(1, 3, 8, 8)
    traced = torch.jit.trace(model, example)
    path = os.path.join(out, "traced_cnn.pt")
    traced.save(path)
    loaded = torch.jit.load(path)
    facts = jit_facts(path, loaded)
    # constants.pkl is what CONSTANTS.cN in the code index.
    with zipfile.ZipFile(path) as z:
        prefix = z.infolist()[0].filename.split("/")[0]
        facts["constants"] = [tensor_facts(c) for c in torch.jit.load(path).code_with_constants[1].const_mapping.values()]
        facts["constants_count"] = len(facts["constants"])
        facts["code_files"] = sorted(n[len(prefix) + 1:] for n in z.namelist()
                                     if n.startswith(prefix + "/code/") and n.endswith(".py"))
    facts["example_input_shape"] = list(example.shape)
    write_json(os.path.join(out, "traced_cnn.json"), facts)


def make_scripted_attrs(out):
    torch.manual_seed(0)
    scripted = torch.jit.script(WithAttributes().eval())
    path = os.path.join(out, "scripted_attrs.pt")
    scripted.save(path)
    loaded = torch.jit.load(path)
    facts = jit_facts(path, loaded)
    facts["attributes"] = {
        "sizes": loaded.sizes, "ratios": loaded.ratios, "table": dict(loaded.table), "count": loaded.count,
        "eps": loaded.eps, "label": loaded.label, "enabled": loaded.enabled, "head.scale": loaded.head.scale,
    }
    write_json(os.path.join(out, "scripted_attrs.json"), facts)


def make_not_torchscript(out):
    torch.manual_seed(0)
    model = TinyCnn().eval()
    state = model.state_dict()
    path = os.path.join(out, "state_dict.pt")
    torch.save(state, path)
    write_json(os.path.join(out, "state_dict.json"), {
        "generator": {"script": "testdata/make_torch_fixtures.py", "torch": torch.__version__, "seed": 0},
        "file_bytes": os.path.getsize(path),
        "entries": entry_names(path),
        "tensors": {name: tensor_facts(t) for name, t in state.items()},
    })
    torch.save(model, os.path.join(out, "pickled_module.pt"))
    torch.save(state, os.path.join(out, "legacy.pt"), _use_new_zipfile_serialization=False)


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    make_traced_cnn(args.out)
    make_scripted_attrs(args.out)
    make_not_torchscript(args.out)
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(os.path.join(args.out, name)):>8}  {name}")


if __name__ == "__main__":
    main()
