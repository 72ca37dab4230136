#!/usr/bin/python3
"""Makes the TorchScript parser's corpus: the serialized code (code/**/*.py) of a few saved TorchScript models.

usage: /usr/bin/python3 testdata/make_script_corpus.py [--out DIR] [NAME ...]

Only the Python-subset source files are kept (into DIR/<name>/code/...), never the weights or pickles, so the
corpus stays small and text-only. Needs Debian's /usr/bin/python3 with python3-torch (1.13) and
python3-torchvision (0.14); nothing is downloaded (weights=None).
"""
import argparse
import io
import os
import shutil
import subprocess
import sys
import zipfile

try:
    import torch
    import torch.nn as nn
    import torchvision.models as tvm
except ImportError as e:
    sys.stderr.write(f"{e}\ninstall with: sudo apt-get install -y python3-torch python3-torchvision\n")
    sys.exit(3)

from typing import Dict, List, Optional, Tuple


def image():
    return torch.randn(1, 3, 224, 224)


def traced(model, *inputs):
    model.eval()
    with torch.no_grad():
        return torch.jit.trace(model, inputs)


class ControlFlow(nn.Module):
    """Everything the serializer writes for scripted Python control flow and container ops."""

    __constants__ = ["limit"]

    def __init__(self):
        super().__init__()
        self.limit = 4
        self.linear = nn.Linear(8, 8)
        self.blocks = nn.ModuleList([nn.ReLU(), nn.Tanh()])
        self.scale: float = 0.5

    def helper(self, x: torch.Tensor, n: int = 2) -> Tuple[torch.Tensor, int]:
        return x * n, n + 1

    def forward(self, x: torch.Tensor, flags: Optional[List[int]] = None) -> Dict[str, torch.Tensor]:
        if x.sum() > 0:
            y = self.linear(x)
        elif x.sum() < -1.0:
            y = -x
        else:
            y = x ** 2
        for block in self.blocks:
            y = block(y)
        i = 0
        while i < self.limit and not bool(y.mean() > 100.0):
            y = y + 1
            i += 1
            if i == 3:
                break
        acc: List[torch.Tensor] = []
        for k in range(3):
            if k == 1:
                continue
            acc.append(y[:, k:k + 2])
        pair = (y, i)
        z, m = self.helper(pair[0], n=pair[1])
        table: Dict[str, torch.Tensor] = {"y": y, "z": z}
        if flags is not None:
            for f in flags:
                table["f" + str(f)] = z * float(f)
        assert m >= 0, "negative"
        if "z" in table and len(acc) != 0:
            table["cat"] = torch.cat(acc, dim=1)
        table["neg"] = ~(y > 0) | (z < 0) & (y != z)
        table["shift"] = torch.tensor([(m << 2) >> 1, m // 2, m % 3, -m])
        t = x if m > 2 else y
        table["t"] = t[0, 1:] * self.scale
        del acc
        return table


def script_models():
    return {
        "transformer_encoder": lambda: torch.jit.script(nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, batch_first=True), num_layers=2)),
        "lstm": lambda: torch.jit.script(nn.LSTM(16, 32, num_layers=2)),
        "gru_bidirectional": lambda: torch.jit.script(nn.GRU(16, 32, bidirectional=True)),
        "multihead_attention": lambda: torch.jit.script(nn.MultiheadAttention(32, 4)),
        "control_flow": lambda: torch.jit.script(ControlFlow()),
    }


def traced_models():
    return {
        "resnet18": lambda: traced(tvm.resnet18(weights=None), image()),
        "mobilenet_v3_small": lambda: traced(tvm.mobilenet_v3_small(weights=None), image()),
        "vit_b_16": lambda: traced(tvm.vit_b_16(weights=None), image()),
        "googlenet": lambda: traced(tvm.googlenet(weights=None, aux_logits=False, init_weights=False), image()),
    }


def extract_code(module, target_dir):
    """Saves the module to memory and copies only its code/**/*.py entries, without the archive's top folder."""
    buffer = io.BytesIO()
    torch.jit.save(module, buffer)
    buffer.seek(0)
    count = 0
    with zipfile.ZipFile(buffer) as archive:
        for entry in archive.namelist():
            parts = entry.split("/", 1)
            if len(parts) < 2 or not parts[1].startswith("code/") or not parts[1].endswith(".py"):
                continue
            destination = os.path.join(target_dir, parts[1])
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            with open(destination, "wb") as out:
                out.write(archive.read(entry))
            count += 1
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "torchscript-code"))
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    torch.manual_seed(0)
    models = {**traced_models(), **script_models()}
    names = args.names or list(models)
    unknown = [name for name in names if name not in models]
    if unknown:
        sys.stderr.write(f"unknown model {', '.join(unknown)}; known: {', '.join(models)}\n")
        return 2
    if len(names) > 1 or os.environ.get("PYTHONHASHSEED") != "0":
        # Each model gets a fresh interpreter with fixed string hashing, so that its files do not depend on what
        # ran before: torch numbers mangled class names (___torch_mangle_N) with a per-process counter, and writes
        # a module's __constants__ (a set) in hash order.
        env = dict(os.environ, PYTHONHASHSEED="0")
        for name in names:
            subprocess.run([sys.executable, os.path.abspath(__file__), "--out", args.out, name], env=env, check=True)
        return 0
    for name in names:
        target = os.path.join(args.out, name)
        shutil.rmtree(target, ignore_errors=True)
        count = extract_code(models[name](), target)
        print(f"{name}: {count} code files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
