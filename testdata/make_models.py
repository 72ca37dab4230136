#!/usr/bin/python3
"""Generate the ONNX test fixtures for mconv, each with a facts file.

usage: make_models.py [--out DIR] [--force] [NAME ...]

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision,
python3-onnx). Nothing is downloaded: every torchvision model is built with
weights=None and randomly initialised after torch.manual_seed(0), so the
output is deterministic for a given torch build.

For every model NAME this writes into DIR:
  NAME.onnx               the exported model (external_small also writes
                          external_small.onnx.data next to it)
  NAME.input.pb           a seeded random input, onnx TensorProto
  NAME.output.pb          torch's output for that input, onnx TensorProto
  NAME.facts.json         parameter / initializer / MAC counts, op histogram,
                          input and output names and shapes (see README.md)
Every file is written to a temporary name in DIR and renamed into place;
the .onnx file is renamed last, so a complete .onnx means a complete set.
"""

import argparse
import collections
import hashlib
import io
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

OPSET = 17
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "generated")


# --------------------------------------------------------------------------
# Models written here
# --------------------------------------------------------------------------

class TinyCnn(nn.Module):
    """Conv-BN-ReLU x2, global average pool, Linear to 10 classes."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)


class SmallConvNet(nn.Module):
    """Small conv net for the external-data fixture (biased convs, no BN)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = nn.Linear(16 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


class Mlp100MB(nn.Module):
    """2048 -> 4096 -> 4096 -> 10, about 25.2 M float32 weights (~101 MB)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2048, 4096)
        self.fc2 = nn.Linear(4096, 4096)
        self.fc3 = nn.Linear(4096, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class SelfAttention(nn.Module):
    """Multi-head self-attention written out with MatMul and Softmax."""

    def __init__(self, hidden, heads):
        super().__init__()
        assert hidden % heads == 0
        self.heads = heads
        self.head_dim = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, hidden)
        self.scale = 1.0 / float(self.head_dim) ** 0.5

    def split(self, x):
        b, s = x.size(0), x.size(1)
        return x.view(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x):
        q = self.split(self.query(x))                       # B,H,S,D
        k = self.split(self.key(x))
        v = self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.scale  # B,H,S,S
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v)                        # B,H,S,D
        ctx = ctx.transpose(1, 2).reshape(x.size(0), x.size(1), self.heads * self.head_dim)
        return self.out(ctx)


class ManualLayerNorm(nn.Module):
    """LayerNorm written out by hand, as older BERT code and many custom models do. torch.onnx exports it as
    ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add: the decomposed form an optimizer should fuse."""

    def __init__(self, hidden, eps=1e-12):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden))
        self.bias = nn.Parameter(torch.zeros(hidden))
        self.eps = eps

    def forward(self, x):
        u = x.mean(-1, keepdim=True)
        s = (x - u).pow(2).mean(-1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight * x + self.bias


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, intermediate, norm=nn.LayerNorm):
        super().__init__()
        self.attn = SelfAttention(hidden, heads)
        self.ln1 = norm(hidden, eps=1e-12)
        self.fc1 = nn.Linear(hidden, intermediate)
        self.fc2 = nn.Linear(intermediate, hidden)
        self.ln2 = norm(hidden, eps=1e-12)

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        h = self.fc2(F.gelu(self.fc1(x)))      # exact (erf) GELU
        return self.ln2(x + h)


class BertLike(nn.Module):
    """Token + position embedding, LayerNorm, 2 post-LN encoder layers."""

    def __init__(self, vocab=1000, max_pos=64, hidden=128, heads=4, layers=2, norm=nn.LayerNorm):
        super().__init__()
        self.tok = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(max_pos, hidden)
        self.ln = norm(hidden, eps=1e-12)
        self.layers = nn.ModuleList(
            [EncoderLayer(hidden, heads, 4 * hidden, norm) for _ in range(layers)])

    def forward(self, input_ids):
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.tok(input_ids) + self.pos(positions).unsqueeze(0)
        x = self.ln(x)
        for layer in self.layers:
            x = layer(x)
        return x


class CausalSelfAttention(SelfAttention):
    """GPT-2's masked self-attention: a position attends to itself and earlier positions only. The mask is a
    lower-triangular buffer sliced to the sequence; masked scores get -1e4 (GPT-2's own constant), which stays
    finite in float16."""

    def __init__(self, hidden, heads, max_pos):
        super().__init__(hidden, heads)
        self.register_buffer("causal", torch.tril(torch.ones(max_pos, max_pos, dtype=torch.bool)))

    def forward(self, x):
        s = x.size(1)
        q = self.split(self.query(x))
        k = self.split(self.key(x))
        v = self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        scores = scores.masked_fill(~self.causal[:s, :s], -1e4)
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v)
        ctx = ctx.transpose(1, 2).reshape(x.size(0), s, self.heads * self.head_dim)
        return self.out(ctx)


class DecoderBlock(nn.Module):
    """GPT-2's pre-LN block: x + attn(ln1(x)), then x + mlp(ln2(x)) with the tanh GELU."""

    def __init__(self, hidden, heads, max_pos):
        super().__init__()
        self.ln1 = nn.LayerNorm(hidden, eps=1e-5)
        self.attn = CausalSelfAttention(hidden, heads, max_pos)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-5)
        self.fc1 = nn.Linear(hidden, 4 * hidden)
        self.fc2 = nn.Linear(4 * hidden, hidden)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))


class Gpt2Like(nn.Module):
    """Token + position embedding, 2 pre-LN causal decoder blocks, final LayerNorm, LM head to vocabulary logits.
    The LM head is its own Linear (not tied to the embedding) so the file holds no transposed copy of a shared
    weight."""

    def __init__(self, vocab=1000, max_pos=64, hidden=128, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(max_pos, hidden)
        self.blocks = nn.ModuleList([DecoderBlock(hidden, heads, max_pos) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(hidden, eps=1e-5)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids):
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.tok(input_ids) + self.pos(positions).unsqueeze(0)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))


# --------------------------------------------------------------------------
# Model table
# --------------------------------------------------------------------------

IMAGE = (1, 3, 224, 224)


def tv(name):
    return lambda: getattr(torchvision.models, name)(weights=None)


# name -> dict(build, input shape, input dtype, dynamic axes, input name, description)
MODELS = collections.OrderedDict([
    ("tiny_cnn", dict(build=TinyCnn, shape=(1, 3, 32, 32),
                      desc="Conv-BN-ReLU x2, global avg pool, Linear 32->10")),
    ("resnet18", dict(build=tv("resnet18"), shape=IMAGE,
                      desc="torchvision resnet18, random init")),
    ("mobilenet_v2", dict(build=tv("mobilenet_v2"), shape=IMAGE,
                          desc="torchvision mobilenet_v2, random init")),
    ("efficientnet_b0", dict(build=tv("efficientnet_b0"), shape=IMAGE,
                             desc="torchvision efficientnet_b0, random init")),
    ("convnext_tiny", dict(build=tv("convnext_tiny"), shape=IMAGE,
                           desc="torchvision convnext_tiny, random init")),
    ("bert_like", dict(build=BertLike, shape=(1, 16), dtype="int64", vocab=1000,
                       input_name="input_ids",
                       dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                     "output": {0: "batch", 1: "sequence"}},
                       desc="2-layer BERT-like encoder, hidden 128, 4 heads, seq 16")),
    ("gpt2_like", dict(build=Gpt2Like, shape=(1, 32), dtype="int64", vocab=1000,
                       input_name="input_ids",
                       dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                     "output": {0: "batch", 1: "sequence"}},
                       desc="2-layer GPT-2-like decoder, hidden 128, 4 heads, causal, seq 32, vocab logits")),
    ("bert_manual_ln", dict(build=lambda: BertLike(norm=ManualLayerNorm), shape=(1, 16), dtype="int64",
                            vocab=1000, input_name="input_ids",
                            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                          "output": {0: "batch", 1: "sequence"}},
                            desc="bert_like with hand-written LayerNorms (decomposed in ONNX)")),
    ("resnet50", dict(build=tv("resnet50"), shape=IMAGE,
                      desc="torchvision resnet50, random init (optimizer timing)")),
    ("resnet18_dynamic", dict(build=tv("resnet18"), shape=IMAGE,
                              dynamic_axes={"input": {0: "batch"},
                                            "output": {0: "batch"}},
                              desc="resnet18 with a symbolic batch dimension")),
    ("mlp_100mb", dict(build=Mlp100MB, shape=(1, 2048),
                       desc="MLP 2048->4096->4096->10, ~101 MB of float32 weights")),
    ("external_small", dict(build=SmallConvNet, shape=(1, 3, 16, 16), external=True,
                            desc="small conv net saved by python onnx with external data")),
])


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------

def count_macs(model, example):
    """Multiply-accumulates for one forward pass at the example's batch size.

    Conv2d:          Cout * Hout * Wout * Cin/groups * kh * kw (per image)
    ConvTranspose2d: Cin * Hin * Win * Cout/groups * kh * kw (per image)
    Linear:          in * out per row (rows = all leading dims, e.g. tokens)
    SelfAttention:   the two activation MatMuls, QK^T and PV
    Returns (total, per-kind breakdown).
    """
    per_kind = collections.Counter()
    hooks = []

    def conv_hook(mod, inp, out):
        n, cout = out.shape[0], out.shape[1]
        spatial = int(np.prod(out.shape[2:]))
        k = int(np.prod(mod.kernel_size))
        per_kind["Conv"] += n * cout * spatial * (mod.in_channels // mod.groups) * k

    def convt_hook(mod, inp, out):
        x = inp[0]
        n, cin = x.shape[0], x.shape[1]
        spatial = int(np.prod(x.shape[2:]))
        k = int(np.prod(mod.kernel_size))
        per_kind["ConvTranspose"] += n * cin * spatial * (mod.out_channels // mod.groups) * k

    def linear_hook(mod, inp, out):
        rows = out.numel() // mod.out_features
        per_kind["Linear"] += rows * mod.in_features * mod.out_features

    def attn_hook(mod, inp, out):
        x = inp[0]
        b, s = x.shape[0], x.shape[1]
        # QK^T: B*H*S*S*D, PV: B*H*S*S*D
        per_kind["MatMul"] += 2 * b * mod.heads * s * s * mod.head_dim

    for m in model.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
            hooks.append(m.register_forward_hook(convt_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
        elif isinstance(m, SelfAttention):
            hooks.append(m.register_forward_hook(attn_hook))
    try:
        with torch.no_grad():
            model(example)
    finally:
        for h in hooks:
            h.remove()
    return int(sum(per_kind.values())), {k: int(v) for k, v in sorted(per_kind.items())}


def value_info_facts(vi):
    tt = vi.type.tensor_type
    dims = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append(int(d.dim_value))
        elif d.HasField("dim_param"):
            dims.append(d.dim_param)
        else:
            dims.append(None)
    return {"name": vi.name,
            "elem_type": onnx.TensorProto.DataType.Name(tt.elem_type),
            "shape": dims}


def onnx_facts(m):
    g = m.graph
    init_names = {t.name for t in g.initializer}
    hist = collections.Counter(
        (n.domain + "::" + n.op_type) if n.domain not in ("", "ai.onnx") else n.op_type
        for n in g.node)
    return {
        "opset": [{"domain": o.domain or "ai.onnx", "version": int(o.version)}
                  for o in m.opset_import],
        "ir_version": int(m.ir_version),
        "producer": (m.producer_name + " " + m.producer_version).strip(),
        "initializer_count": len(g.initializer),
        "initializer_elements": int(sum(int(np.prod(t.dims, dtype=np.int64)) for t in g.initializer)),
        "node_count": len(g.node),
        "op_histogram": dict(sorted(hist.items())),
        "inputs": [value_info_facts(v) for v in g.input if v.name not in init_names],
        "outputs": [value_info_facts(v) for v in g.output],
    }


# --------------------------------------------------------------------------
# File writing
# --------------------------------------------------------------------------

def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()


def tmp_path(out_dir, final):
    fd, path = tempfile.mkstemp(prefix="." + os.path.basename(final) + ".", suffix=".tmp",
                                dir=out_dir)
    os.close(fd)
    os.chmod(path, 0o666 & ~UMASK)  # mkstemp makes 0600; give the usual mode
    return path


def write_atomic(path, data):
    tmp = tmp_path(os.path.dirname(path), path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def output_files(name, spec):
    files = [name + ".input.pb", name + ".output.pb", name + ".facts.json", name + ".onnx"]
    if spec.get("external"):
        files.insert(0, name + ".onnx.data")
    return files


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def redraw_constant_tensors(model):
    """Re-draw every floating parameter/buffer whose elements are all equal.

    Default init leaves BatchNorm/LayerNorm affine parameters at 1/0, BN
    running stats at 0/1, some biases at 0 and ConvNeXt layer scales at 1e-6.
    Left like that, BN folding yields all-zero conv biases and the torch
    exporter's initializer de-duplication merges all equal tensors of equal
    shape, so the ONNX file would share initializers no trained model shares.
    Each such tensor c is replaced, from a generator seeded with 0, by
    c * U(0.5, 1.5) when c != 0 and by N(0, 0.1) when c == 0.
    Shapes and counts are unchanged.
    """
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        tensors = list(model.named_parameters()) + list(model.named_buffers())
        for _, t in tensors:
            if not t.is_floating_point() or t.numel() < 2:
                continue
            flat = t.reshape(-1)
            c = float(flat[0])
            if not bool((flat == c).all()):
                continue
            if c != 0.0:
                t.copy_(c * (0.5 + torch.rand(t.shape, generator=gen)))
            else:
                t.copy_(0.1 * torch.randn(t.shape, generator=gen))


def make_input(spec):
    gen = torch.Generator().manual_seed(0)
    if spec.get("dtype") == "int64":
        return torch.randint(0, spec["vocab"], spec["shape"], generator=gen, dtype=torch.int64)
    return torch.randn(spec["shape"], generator=gen, dtype=torch.float32)


def generate(name, spec, out_dir):
    torch.manual_seed(0)
    model = spec["build"]()
    redraw_constant_tensors(model)
    model.eval()
    example = make_input(spec)
    input_name = spec.get("input_name", "input")

    with torch.no_grad():
        reference = model(example)
    macs, macs_by_kind = count_macs(model, example)
    torch_params = int(sum(p.numel() for p in model.parameters()))

    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, example, buf,
                          export_params=True,
                          opset_version=OPSET,
                          do_constant_folding=True,
                          input_names=[input_name],
                          output_names=["output"],
                          dynamic_axes=spec.get("dynamic_axes"))
    onnx_bytes = buf.getvalue()
    m = onnx.load_from_string(onnx_bytes)
    onnx.checker.check_model(m)
    ofacts = onnx_facts(m)

    onnx_path = os.path.join(out_dir, name + ".onnx")
    files = {}

    # Reference tensors first; the .onnx goes last.
    in_pb = onnx.numpy_helper.from_array(example.numpy(), name=input_name).SerializeToString()
    out_pb = onnx.numpy_helper.from_array(reference.numpy(), name="output").SerializeToString()
    write_atomic(os.path.join(out_dir, name + ".input.pb"), in_pb)
    write_atomic(os.path.join(out_dir, name + ".output.pb"), out_pb)

    if spec.get("external"):
        # Let python onnx write model + data into a private directory in
        # out_dir, then rename data first and model last.
        location = name + ".onnx.data"
        tmpdir = tempfile.mkdtemp(prefix="." + name + ".", dir=out_dir)
        try:
            onnx.save_model(m, os.path.join(tmpdir, name + ".onnx"),
                            save_as_external_data=True, all_tensors_to_one_file=True,
                            location=location, size_threshold=0)
            data_path = os.path.join(out_dir, location)
            staged_model = os.path.join(tmpdir, name + ".onnx")
            data_bytes = os.path.getsize(os.path.join(tmpdir, location))
            model_bytes = os.path.getsize(staged_model)
            # Facts need the final file sizes/hashes, computed from the staged copies.
            files[name + ".onnx"] = {"bytes": model_bytes, "sha256": sha256_file(staged_model)}
            files[location] = {"bytes": data_bytes,
                               "sha256": sha256_file(os.path.join(tmpdir, location))}
            facts = build_facts(name, spec, torch_params, macs, macs_by_kind, ofacts,
                                input_name, example, reference, in_pb, out_pb, files)
            write_atomic(os.path.join(out_dir, name + ".facts.json"), facts)
            os.replace(os.path.join(tmpdir, location), data_path)
            os.replace(staged_model, onnx_path)
        finally:
            for f in os.listdir(tmpdir):
                os.unlink(os.path.join(tmpdir, f))
            os.rmdir(tmpdir)
    else:
        files[name + ".onnx"] = {"bytes": len(onnx_bytes),
                                 "sha256": hashlib.sha256(onnx_bytes).hexdigest()}
        facts = build_facts(name, spec, torch_params, macs, macs_by_kind, ofacts,
                            input_name, example, reference, in_pb, out_pb, files)
        write_atomic(os.path.join(out_dir, name + ".facts.json"), facts)
        write_atomic(onnx_path, onnx_bytes)
    return json.loads(facts)


def build_facts(name, spec, torch_params, macs, macs_by_kind, ofacts, input_name,
                example, reference, in_pb, out_pb, files):
    ref = reference.numpy()
    facts = collections.OrderedDict()
    facts["name"] = name
    facts["description"] = spec["desc"]
    facts["generator"] = {
        "script": "testdata/make_models.py",
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "onnx": onnx.__version__,
        "seed": 0,
    }
    facts["files"] = files
    facts["torch_parameters"] = torch_params
    facts["onnx_initializer_elements"] = ofacts.pop("initializer_elements")
    facts["onnx_initializer_count"] = ofacts.pop("initializer_count")
    facts["macs"] = macs
    facts["macs_by_kind"] = macs_by_kind
    facts["node_count"] = ofacts.pop("node_count")
    facts["op_histogram"] = ofacts.pop("op_histogram")
    facts["inputs"] = ofacts.pop("inputs")
    facts["outputs"] = ofacts.pop("outputs")
    facts.update(ofacts)  # opset, ir_version, producer
    facts["reference"] = {
        "input_file": name + ".input.pb",
        "input_name": input_name,
        "input_shape": list(example.shape),
        "input_dtype": str(example.numpy().dtype),
        "input_sha256": hashlib.sha256(in_pb).hexdigest(),
        "output_file": name + ".output.pb",
        "output_shape": list(ref.shape),
        "output_dtype": str(ref.dtype),
        "output_sha256": hashlib.sha256(out_pb).hexdigest(),
        "output_sum": float(ref.astype(np.float64).sum()),
        "output_abs_max": float(np.abs(ref).max()),
        "output_first": [float(v) for v in ref.reshape(-1)[:5]],
    }
    return (json.dumps(facts, indent=2) + "\n").encode("utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="make_models.py",
        description="Generate ONNX test fixtures and their facts files for mconv.",
        epilog="models: " + ", ".join(MODELS))
    ap.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                    help="output directory (default: testdata/generated/)")
    ap.add_argument("--force", action="store_true",
                    help="regenerate models whose files already exist")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help="models to generate (default: all)")
    args = ap.parse_args(argv)

    names = args.names or list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        ap.error("unknown model(s): %s (known: %s)" % (", ".join(unknown), ", ".join(MODELS)))

    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    total = 0.0
    for name in names:
        spec = MODELS[name]
        existing = [f for f in output_files(name, spec)
                    if os.path.exists(os.path.join(args.out, f))]
        if not args.force and len(existing) == len(output_files(name, spec)):
            print("%-18s skipped (exists; use --force)" % name, flush=True)
            continue
        t0 = time.monotonic()
        facts = generate(name, spec, args.out)
        dt = time.monotonic() - t0
        total += dt
        size = sum(f["bytes"] for f in facts["files"].values())
        print("%-18s %6.1fs  %10.2f MB  torch_params=%d onnx_init=%d macs=%d nodes=%d"
              % (name, dt, size / 1e6, facts["torch_parameters"],
                 facts["onnx_initializer_elements"], facts["macs"], facts["node_count"]),
              flush=True)
    print("total %.1fs" % total, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
