#!/usr/bin/python3
"""Writes the fixtures of `mconv validate` and of the libtorch runner into testdata/torch/validate/.

Run with Debian's /usr/bin/python3 (torch 1.13, onnx 1.12):  /usr/bin/python3 testdata/make_validate_fixtures.py

  two_input_cnn.pt             a small CNN traced with torch.jit.trace; forward(image, bias) -> (logits, features)
  two_input_cnn.onnx           the same module exported by torch.onnx.export (opset 17): must match the .pt
  two_input_cnn_perturbed.onnx the same module with its last layer's weights nudged: must NOT match the .pt
  test_data_set_0/input_N.pb   fixed inputs (ONNX test-data layout, TensorProto files)
  test_data_set_0/output_N.pb  what torch itself computed for them, the numbers the Java tests expect
  printing_transpose.pt        a scripted module that print()s (to the worker's stdout, which carries the
                               runner's protocol) and returns a non-contiguous tensor: forward(x) = x.t() * 2

Two inputs and two outputs on purpose: they check that the runner feeds inputs by position and flattens a tuple
output in order. Everything is seeded, so a rerun writes the same numbers.
"""
import os

import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch", "validate")
OPSET = 17


class TwoInputCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = torch.nn.BatchNorm2d(8)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = torch.nn.Linear(16, 10)

    def forward(self, image, bias):
        x = torch.relu(self.bn1(self.conv1(image)))
        x = torch.nn.functional.max_pool2d(x, 2)
        x = torch.relu(self.conv2(x))
        features = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1)
        logits = self.fc(features) + bias
        return logits, features


class PrintingTranspose(torch.nn.Module):
    def forward(self, x):
        print("printing_transpose: got a tensor of shape", x.shape)
        return x.t() * 2


def build():
    torch.manual_seed(1234)
    model = TwoInputCnn()
    # Non-trivial batch-norm statistics, so that an exporter that drops them would be caught.
    with torch.no_grad():
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 1.5)
    return model.eval()


def export_onnx(model, example, path):
    torch.onnx.export(model, example, path, opset_version=OPSET, input_names=["image", "bias"],
                      output_names=["logits", "features"], do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def main():
    os.makedirs(os.path.join(OUT, "test_data_set_0"), exist_ok=True)
    model = build()
    generator = torch.Generator().manual_seed(42)
    image = torch.rand(1, 3, 16, 16, generator=generator) * 2 - 1
    bias = torch.rand(1, 10, generator=generator) * 2 - 1
    example = (image, bias)

    traced = torch.jit.trace(model, example)
    traced.save(os.path.join(OUT, "two_input_cnn.pt"))
    export_onnx(model, example, os.path.join(OUT, "two_input_cnn.onnx"))

    with torch.no_grad():
        outputs = traced(*example)
    data = os.path.join(OUT, "test_data_set_0")
    for i, (name, t) in enumerate(zip(["image", "bias"], example)):
        onnx.save_tensor(numpy_helper.from_array(t.numpy(), name), os.path.join(data, "input_%d.pb" % i))
    for i, (name, t) in enumerate(zip(["logits", "features"], outputs)):
        onnx.save_tensor(numpy_helper.from_array(t.numpy(), name), os.path.join(data, "output_%d.pb" % i))

    torch.jit.script(PrintingTranspose()).save(os.path.join(OUT, "printing_transpose.pt"))

    perturbed = build()
    with torch.no_grad():
        # 0.05 on weights of magnitude ~0.25 moves every logit by far more than any tolerance.
        perturbed.fc.weight.add_(0.05)
    export_onnx(perturbed, example, os.path.join(OUT, "two_input_cnn_perturbed.onnx"))

    for root, _, files in os.walk(OUT):
        for f in sorted(files):
            p = os.path.join(root, f)
            print("%8d  %s" % (os.path.getsize(p), os.path.relpath(p, HERE)))


if __name__ == "__main__":
    main()
