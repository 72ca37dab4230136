"""Writes plain state_dicts (torch.save(model.state_dict())) of small MLPs for `mconv convert --arch`, and what
torch computes for a fixed input, so the tests compare the export with torch itself. Run with /usr/bin/python3
(torch 1.13): python3 testdata/torch/make_statedict_fixtures.py"""
import json
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "statedict")


def mlp(dims, act, bias=True):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1], bias=bias))
        if i < len(dims) - 2 and act is not None:
            layers.append(act())
    return nn.Sequential(*layers)


def write(name, model, arch):
    model.eval()
    torch.save(model.state_dict(), os.path.join(OUT, name + ".pt"))
    # A fixed input: a ramp, so the test can rebuild it without reading floats from JSON.
    x = torch.linspace(-2.0, 2.0, 2 * 8).reshape(2, 8)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"arch": arch, "input_shape": list(x.shape), "input": x.flatten().tolist(),
                   "output_shape": list(y.shape), "output": y.flatten().tolist()}, f, indent=1)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    write("mlp_relu", mlp([8, 16, 4], nn.ReLU), "mlp:8,16,4")
    torch.manual_seed(1)
    write("mlp_nobias", mlp([8, 16, 4], nn.ReLU, bias=False), "mlp:8,16,4:relu")
    torch.manual_seed(2)
    write("mlp_gelu", mlp([8, 16, 4], nn.GELU), "mlp:8,16,4:gelu")
    torch.manual_seed(3)
    # BatchNorm's extra tensors (running_mean, num_batches_tracked, ...) that an MLP arch cannot place.
    model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4))
    write("mlp_batchnorm", model, "mlp:8,16,4")


if __name__ == "__main__":
    main()
