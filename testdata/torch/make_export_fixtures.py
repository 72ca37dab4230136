"""Writes the small TorchScript fixtures of mconv's exporter CLI tests into testdata/torch/export/.

unsupported_ops.pt: a scripted module using operators mconv has no symbolic for (a determinant and an FFT), so
`mconv convert` must list both with their source lines and exit 3. Run with Debian's /usr/bin/python3 (torch 1.13).
"""
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "export")


class UsesUnsupportedOps(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = torch.linalg.det(x)
        f = torch.fft.rfft(x).abs()
        return torch.relu(f.sum(-1) + d)


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    torch.jit.script(UsesUnsupportedOps()).save(os.path.join(OUT, "unsupported_ops.pt"))


if __name__ == "__main__":
    main()
