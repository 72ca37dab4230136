#!/bin/sh
# Generate the TorchScript zoo for mconv's exporter tests; see testdata/README.md.
# usage: testdata/make_torch_zoo.sh [--out DIR] [--force] [--no-onnx-check] [--jobs N] [NAME ...]
#
# Needs Debian's /usr/bin/python3 with torch, torchvision and onnx (the
# python3 on PATH may be a different interpreter without them).
# Exit status 3: the Python packages are missing.
set -eu

PY=/usr/bin/python3
HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)

if ! [ -x "$PY" ] || ! "$PY" -c 'import torch, torchvision, onnx' >/dev/null 2>&1; then
    echo "make_torch_zoo.sh: $PY cannot import torch, torchvision and onnx." >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y python3-torch python3-torchvision python3-onnx" >&2
    exit 3
fi

exec "$PY" "$HERE/make_torch_zoo.py" "$@"
