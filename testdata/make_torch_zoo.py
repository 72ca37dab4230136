#!/usr/bin/python3
"""Generate the TorchScript zoo: the .pt files mconv's TorchScript -> ONNX exporter is tested on.

usage: make_torch_zoo.py [--out DIR] [--force] [--no-onnx-check] [--jobs N] [NAME ...]

Run with Debian's /usr/bin/python3 (python3-torch 1.13, python3-torchvision,
python3-onnx). Nothing is downloaded: torchvision models are built with
weights=None and initialised after torch.manual_seed(0).

For every model NAME this writes into DIR (default testdata/generated/torch/):
  NAME.pt                 the TorchScript archive (torch.jit.save of a traced
                          or scripted module in eval mode)
  NAME.input_N.pb         the N-th forward argument of one seeded input, an
                          ONNX TensorProto (onnx.numpy_helper.from_array)
  NAME.output_N.pb        the N-th tensor of the TorchScript module's output
                          for that input (tuples flattened in order)
  NAME.facts.json         names, shapes and dtypes of inputs and outputs,
                          how the module was made, parameter count, the
                          TorchScript ops it uses, and whether torch's own
                          torch.onnx.export (opset 17) manages it
Every file is written to a temporary name and renamed into place, the .pt
last, so a present .pt means a complete set. See testdata/README.md.
"""

import argparse
import os
import sys

if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    # torch.jit.script writes a module's constants in set order, which
    # depends on Python's string hash seed; a fixed seed (in this process and
    # the workers, which inherit it) makes the .pt files reproducible. Before
    # the imports below, which take seconds.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import collections
import concurrent.futures
import io
import json
import multiprocessing
import tempfile
import time
import warnings

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn
import torchvision

# The per-tensor re-draw of constant parameters, atomic writes and hashing are
# the ONNX fixtures' own; sharing them keeps both zoos initialised alike.
from make_models import redraw_constant_tensors, sha256_file, write_atomic

OPSET = 17
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "generated", "torch")
# The ops that mark torch 1.13's fused "fast path" for transformers; torch.onnx
# 1.13 has no symbolic for either, which is what mconv's exporter must cover.
FAST_PATH_OPS = ("aten::_transformer_encoder_layer_fwd", "aten::_native_multi_head_attention")


# --------------------------------------------------------------------------
# Models written here
# --------------------------------------------------------------------------

class TokenTransformerEncoder(nn.Module):
    """Embedding(1000, 64) + 2-layer nn.TransformerEncoder, batch_first, 4 heads.

    batch_first=True, post-norm, ReLU, an even head count and no mask are
    exactly the conditions under which torch 1.13's TransformerEncoderLayer
    takes its fast path in eval mode with grad off (one fused
    aten::_transformer_encoder_layer_fwd per layer).
    """

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(1000, 64)
        layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                           batch_first=True)
        # The nested-tensor path only matters with a padding mask; off, so
        # torch does not warn about it.
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)

    def forward(self, tokens):
        return self.encoder(self.embedding(tokens))


class Lstm2(nn.Module):
    """2-layer LSTM(32, 64), batch_first, returning only the output sequence."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 64, num_layers=2, batch_first=True)

    def forward(self, x):
        output, _ = self.lstm(x)
        return output


class ControlFlow(nn.Module):
    """Scripted, so the branches and loops stay in the graph (tracing would
    unroll them): a data-dependent if, a for loop whose trip count is a tensor
    argument, and a while loop on a tensor condition. An exporter has to emit
    ONNX If and Loop for these."""

    def __init__(self):
        super().__init__()
        self.fc_in = nn.Linear(16, 16)
        self.fc_step = nn.Linear(16, 16)

    def forward(self, x: torch.Tensor, steps: torch.Tensor) -> torch.Tensor:
        h = self.fc_in(x)
        if bool(h.mean() > 0.0):
            h = torch.relu(h)
        else:
            h = torch.tanh(h)
        for _ in range(int(steps)):
            h = h + torch.tanh(self.fc_step(h))
        while bool(h.abs().max() > 1.0):
            h = h * 0.5
        return h

    @torch.jit.ignore
    def path_taken(self, x, steps):
        """Which branch and how many while iterations forward takes on (x, steps), in eager mode, for the
        facts: a reference input that skipped a construct would not test it."""
        with torch.no_grad():
            h = self.fc_in(x)
            positive = bool(h.mean() > 0.0)
            h = torch.relu(h) if positive else torch.tanh(h)
            for _ in range(int(steps)):
                h = h + torch.tanh(self.fc_step(h))
            halvings = 0
            while bool(h.abs().max() > 1.0):
                h = h * 0.5
                halvings += 1
        return {"if_branch": "then (mean > 0)" if positive else "else", "for_iterations": int(steps),
                "while_iterations": halvings}


class ScriptedCnn(nn.Module):
    """Scripted CNN: a static for over a ModuleList (TorchScript unrolls it),
    then global average pooling and a Linear head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.blocks = nn.ModuleList([nn.Sequential(nn.Conv2d(8, 8, 3, padding=1),
                                                   nn.BatchNorm2d(8), nn.ReLU())
                                     for _ in range(3)])
        self.head = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        for block in self.blocks:
            x = x + block(x)
        x = torch.flatten(torch.mean(x, dim=[2, 3]), 1)
        return self.head(x)


# --------------------------------------------------------------------------
# Model table
# --------------------------------------------------------------------------

IMAGE = (1, 3, 224, 224)


def tv(name, **kwargs):
    return lambda: getattr(torchvision.models, name)(weights=None, **kwargs)


def image(name, desc, slow=False, **kwargs):
    return (name, dict(build=tv(name, **kwargs), make="trace", inputs=[("float32", IMAGE)],
                       desc=desc, slow=slow))


# name -> dict(build, make: trace|script, inputs: [(dtype, shape)], desc, slow: made first)
MODELS = collections.OrderedDict([
    image("resnet18", "torchvision resnet18, random init"),
    image("resnet50", "torchvision resnet50, random init (exporter timing)"),
    image("mobilenet_v2", "torchvision mobilenet_v2, random init"),
    image("mobilenet_v3_small", "torchvision mobilenet_v3_small (hardswish, SE), random init"),
    image("squeezenet1_0", "torchvision squeezenet1_0, random init"),
    image("efficientnet_b0", "torchvision efficientnet_b0 (SiLU, SE, stochastic depth), random init"),
    image("densenet121", "torchvision densenet121 (concatenations), random init", slow=True),
    image("shufflenet_v2_x1_0", "torchvision shufflenet_v2_x1_0 (channel shuffle, chunk), random init"),
    image("googlenet", "torchvision googlenet, no aux heads, random init",
          aux_logits=False, init_weights=False),
    image("regnet_y_400mf", "torchvision regnet_y_400mf (grouped convs, SE), random init"),
    image("mnasnet0_5", "torchvision mnasnet0_5, random init"),
    image("alexnet", "torchvision alexnet (adaptive avg pool, dropout), random init"),
    image("convnext_tiny", "torchvision convnext_tiny (channels-last LayerNorm, layer scale), random init",
          slow=True),
    image("vit_b_16", "torchvision vit_b_16 (nn.MultiheadAttention fast path), random init", slow=True),
    image("swin_t", "torchvision swin_t (shifted windows: roll, pad, masks), random init", slow=True),
    ("transformer_encoder", dict(build=TokenTransformerEncoder, make="trace",
                                 inputs=[("int64", (1, 16))],
                                 desc="Embedding(1000,64) + 2-layer nn.TransformerEncoder, batch_first, "
                                      "4 heads, on its eval-mode fast path")),
    ("lstm2", dict(build=Lstm2, make="trace", inputs=[("float32", (1, 10, 32))],
                   desc="2-layer nn.LSTM(32, 64), batch_first, returns the output sequence")),
    ("bigru", dict(build=lambda: nn.GRU(32, 48, bidirectional=True), make="trace",
                   inputs=[("float32", (10, 1, 32))],
                   desc="bidirectional nn.GRU(32, 48), sequence-first, returns (output, h_n)")),
    ("mlp_gelu", dict(build=lambda: nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 64)),
                      make="trace", inputs=[("float32", (2, 64))],
                      desc="Linear(64,256) - exact GELU - Linear(256,64)")),
    ("control_flow", dict(build=ControlFlow, make="script",
                          inputs=[("float32", (1, 16)), ("int64", ())],
                          desc="scripted: data-dependent if, for with a tensor trip count, while on a "
                               "tensor condition")),
    ("scripted_cnn", dict(build=ScriptedCnn, make="script", inputs=[("float32", (1, 3, 32, 32))],
                          desc="scripted CNN: static for over a ModuleList of Conv-BN-ReLU blocks")),
])

# The reference trip count for control_flow's `steps`; a random int64 would
# make the loop run for thousands of iterations.
CONTROL_FLOW_STEPS = 3


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------

def make_inputs(name, spec):
    """One seeded input per forward argument: randn for float, token ids in
    [0, 1000) for int64 (the embedding's vocabulary), except control_flow's
    trip count."""
    gen = torch.Generator().manual_seed(0)
    tensors = []
    for dtype, shape in spec["inputs"]:
        if dtype == "float32":
            tensors.append(torch.randn(shape, generator=gen, dtype=torch.float32))
        elif name == "control_flow":
            tensors.append(torch.tensor(CONTROL_FLOW_STEPS, dtype=torch.int64))
        else:
            tensors.append(torch.randint(0, 1000, shape, generator=gen, dtype=torch.int64))
    return tensors


def flatten_outputs(value, path="output"):
    """[(path, tensor)] in depth-first order: the order an exporter flattens a
    returned tuple into ONNX graph outputs."""
    if isinstance(value, torch.Tensor):
        return [(path, value)]
    if isinstance(value, (tuple, list)):
        flat = []
        for i, v in enumerate(value):
            flat.extend(flatten_outputs(v, "%s[%d]" % (path, i)))
        return flat
    raise TypeError("unsupported output type %s at %s" % (type(value).__name__, path))


def op_histogram(graph):
    """{node kind: count} over the graph and every nested block (If/Loop bodies)."""
    hist = collections.Counter()

    def visit(block_nodes):
        for node in block_nodes:
            hist[node.kind()] += 1
            for block in node.blocks():
                visit(block.nodes())

    visit(graph.nodes())
    return dict(sorted(hist.items()))


def torch_onnx_export_result(module, inputs):
    """"ok" or "fails: <first line of the error>" for torch's own exporter
    (opset 17) on the saved TorchScript module."""
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(module, tuple(inputs), io.BytesIO(), opset_version=OPSET)
        return "ok"
    except Exception as e:  # any failure is the fact being recorded
        lines = [l for l in str(e).splitlines() if l.strip()]
        return "fails: %s: %s" % (type(e).__name__, lines[0] if lines else "")


def tensor_facts(t, path, file_name, name=None):
    a = t.detach().numpy()
    facts = collections.OrderedDict()
    if name is not None:
        facts["name"] = name
    facts["path"] = path
    facts["shape"] = list(a.shape)
    facts["dtype"] = str(a.dtype)
    facts["file"] = file_name
    if a.dtype.kind == "f":
        facts["sum"] = float(a.astype(np.float64).sum())
        facts["abs_max"] = float(np.abs(a).max())
    facts["first"] = [a.reshape(-1)[i].item() for i in range(min(5, a.size))]
    return facts


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def build_module(spec, example):
    torch.manual_seed(0)
    model = spec["build"]()
    redraw_constant_tensors(model)
    model.eval()
    # No gradients: the transformer fast paths need either grad off or no
    # parameter requiring grad; this also holds when the .pt is used later.
    for p in model.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        if spec["make"] == "trace":
            # No check_trace: it re-runs the model twice to compare, and a
            # trace replays the very ops it recorded; the reference outputs
            # come from the saved archive anyway.
            scripted = torch.jit.trace(model, tuple(example), check_trace=False)
        else:
            scripted = torch.jit.script(model)
    return model, scripted


def eager_difference(model, example, outputs):
    """Largest absolute difference between the eager module and the scripted
    archive: scripting compiles Python source anew, so it can differ. (A
    trace records the eager ops themselves; comparing would cost another
    forward pass of the big models for nothing.)"""
    with torch.no_grad():
        eager = flatten_outputs(model(*example))
    return max(float((a - b).abs().max()) if a.numel() else 0.0
               for (_, a), (_, b) in zip(outputs, eager))


def check_expected_ops(name, ops):
    """Fail generation when a model lost the feature it is in the zoo for."""
    if name == "transformer_encoder" and not any(op in ops for op in FAST_PATH_OPS):
        raise RuntimeError("transformer_encoder: torch did not take its fast path (no %s in the graph)"
                           % " / ".join(FAST_PATH_OPS))
    if name == "control_flow" and not ("prim::If" in ops and "prim::Loop" in ops):
        raise RuntimeError("control_flow: the scripted graph has no prim::If or prim::Loop")


def generate(name, spec, out_dir, onnx_check):
    example = make_inputs(name, spec)
    model, scripted = build_module(spec, example)

    pt_path = os.path.join(out_dir, name + ".pt")
    # torch.jit.save names the archive's root folder after the file, so the
    # staged copy keeps the final name, in a private folder beside it.
    staging = tempfile.mkdtemp(prefix="." + name + ".", dir=out_dir)
    staged_pt = os.path.join(staging, name + ".pt")
    try:
        torch.jit.save(scripted, staged_pt)
        # Facts come from the saved archive as mconv will read it.
        loaded = torch.jit.load(staged_pt)
        loaded.eval()
        with torch.no_grad():
            reference = loaded(*example)
        outputs = flatten_outputs(reference)
        diff = eager_difference(model, example, outputs) if spec["make"] == "script" else None

        ops = op_histogram(loaded.inlined_graph)
        check_expected_ops(name, ops)
        schema = loaded.forward.schema
        arg_names = [a.name for a in schema.arguments[1:]]  # arguments[0] is self

        files = collections.OrderedDict()
        input_facts = []
        for i, (arg, t) in enumerate(zip(arg_names, example)):
            fname = "%s.input_%d.pb" % (name, i)
            data = onnx.numpy_helper.from_array(t.numpy(), name=arg).SerializeToString()
            write_atomic(os.path.join(out_dir, fname), data)
            files[fname] = {"bytes": len(data), "sha256": sha256_file(os.path.join(out_dir, fname))}
            input_facts.append(tensor_facts(t, "input[%d]" % i, fname, name=arg))
        output_facts = []
        for i, (path, t) in enumerate(outputs):
            fname = "%s.output_%d.pb" % (name, i)
            data = onnx.numpy_helper.from_array(t.numpy(), name="output_%d" % i).SerializeToString()
            write_atomic(os.path.join(out_dir, fname), data)
            files[fname] = {"bytes": len(data), "sha256": sha256_file(os.path.join(out_dir, fname))}
            output_facts.append(tensor_facts(t, path, fname))
        files[name + ".pt"] = {"bytes": os.path.getsize(staged_pt), "sha256": sha256_file(staged_pt)}

        facts = collections.OrderedDict()
        facts["name"] = name
        facts["description"] = spec["desc"]
        facts["generator"] = {"script": "testdata/make_torch_zoo.py", "torch": torch.__version__,
                              "torchvision": torchvision.__version__, "onnx": onnx.__version__,
                              "seed": 0}
        facts["made_by"] = "torch.jit." + spec["make"]
        facts["files"] = files
        facts["torch_parameters"] = int(sum(p.numel() for p in model.parameters()))
        facts["torch_buffer_elements"] = int(sum(b.numel() for b in model.buffers()))
        facts["forward_schema"] = str(schema)
        facts["inputs"] = input_facts
        facts["output_type"] = str(schema.returns[0].type)
        facts["output_count"] = len(output_facts)
        facts["outputs"] = output_facts
        if diff is not None:
            facts["eager_vs_torchscript_max_abs_diff"] = diff
        facts["fast_path_ops"] = [op for op in FAST_PATH_OPS if op in ops]
        facts["torchscript_ops"] = ops
        if hasattr(model, "path_taken"):
            facts["reference_path"] = model.path_taken(*example)
        facts["torch_onnx_export"] = (torch_onnx_export_result(loaded, example) if onnx_check
                                      else "not checked (--no-onnx-check)")
        write_atomic(os.path.join(out_dir, name + ".facts.json"),
                     (json.dumps(facts, indent=2) + "\n").encode("utf-8"))
        os.replace(staged_pt, pt_path)
    finally:
        if os.path.exists(staged_pt):
            os.unlink(staged_pt)
        os.rmdir(staging)
    return facts


def complete(name, out_dir):
    """True when NAME's facts file and every file it lists are present."""
    facts_path = os.path.join(out_dir, name + ".facts.json")
    if not os.path.exists(facts_path) or not os.path.exists(os.path.join(out_dir, name + ".pt")):
        return False
    try:
        with open(facts_path) as f:
            listed = json.load(f)["files"]
    except (ValueError, KeyError):
        return False
    return all(os.path.exists(os.path.join(out_dir, fname)) for fname in listed)


def generate_in_worker(name, out_dir, onnx_check):
    """One model in a worker process: one torch thread, so the reference
    outputs do not depend on how many cores the machine has, and the workers
    do not fight over cores. Returns (name, wall seconds, CPU seconds, facts)."""
    torch.set_num_threads(1)
    # torch.jit.trace and torch.onnx warn about every traced Python bool and
    # shape read; the facts record what matters.
    warnings.filterwarnings("ignore")
    t0, c0 = time.monotonic(), time.process_time()
    facts = generate(name, MODELS[name], out_dir, onnx_check)
    return name, time.monotonic() - t0, time.process_time() - c0, facts


def report(name, seconds, cpu_seconds, facts):
    size = facts["files"][name + ".pt"]["bytes"]
    print("%-20s %6.1fs wall %6.1fs CPU %8.2f MB  %-6s params=%-9d outputs=%d  torch.onnx: %s"
          % (name, seconds, cpu_seconds, size / 1e6, MODELS[name]["make"], facts["torch_parameters"],
             facts["output_count"], facts["torch_onnx_export"][:90]),
          flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="make_torch_zoo.py",
        description="Generate the TorchScript zoo (.pt files, reference tensors, facts) for mconv.",
        epilog="models: " + ", ".join(MODELS))
    ap.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                    help="output directory (default: testdata/generated/torch/)")
    ap.add_argument("--force", action="store_true",
                    help="regenerate models whose files already exist")
    ap.add_argument("--no-onnx-check", action="store_true",
                    help="do not try torch.onnx.export on each model (faster; facts say 'not checked')")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), metavar="N",
                    help="models made at once, each in a fresh process with one torch thread "
                         "(default: the number of CPUs, at most 4)")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help="models to generate (default: all)")
    args = ap.parse_args(argv)

    names = args.names or list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        ap.error("unknown model(s): %s (known: %s)" % (", ".join(unknown), ", ".join(MODELS)))

    os.makedirs(args.out, exist_ok=True)
    todo = []
    for name in names:
        if not args.force and complete(name, args.out):
            print("%-20s skipped (exists; use --force)" % name, flush=True)
        else:
            todo.append(name)
    # Slow models first, so no worker is left with a big one at the end.
    todo.sort(key=lambda n: not MODELS[n].get("slow", False))

    t0, cpu_total = time.monotonic(), 0.0
    onnx_check = not args.no_onnx_check
    if not todo:
        return 0
    # Every model in a fresh process: TorchScript numbers the names it mangles
    # (`___torch_mangle_N.Linear`) with a process-wide counter nothing resets,
    # so a reused process would write archives that depend on which models it
    # made before. The fork server imports torch once; the workers fork from
    # it, before any torch thread pool exists, and skip that import.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["make_torch_zoo"])
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=ctx,
                                                max_tasks_per_child=1) as pool:
        futures = [pool.submit(generate_in_worker, name, args.out, onnx_check) for name in todo]
        try:
            for future in concurrent.futures.as_completed(futures):
                result = future.result()
                report(*result)
                cpu_total += result[2]
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    print("total %.1fs wall, %.1fs CPU in the workers (%d model(s), %d job(s))"
          % (time.monotonic() - t0, cpu_total, len(todo), args.jobs), flush=True)
    return 0


if __name__ == "__main__":
    # TorchScript names classes after their Python module (__torch__.<module>.
    # ControlFlow); run everything from the module make_torch_zoo, never from
    # __main__ or the workers' __mp_main__, so the archives do not depend on
    # --jobs.
    import make_torch_zoo
    sys.exit(make_torch_zoo.main())
