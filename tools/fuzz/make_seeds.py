#!/usr/bin/python3
"""Writes the seed corpus of every fuzz test (issue 8) under src/test/resources/<package>/<Class>Inputs/<method>/.

Seeds are small real files (ONNX conformance models, testdata's TorchScript archives, pickles, code files, .npy
files) and one file per BAD_INPUTS case that the target's parser meets. Run with /usr/bin/python3 (it has onnx);
re-running rewrites the same files. Findings that Jazzer writes next to them (crash-*, timeout-*) are kept.
"""
import io
import os
import struct
import zipfile

import onnx
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTDATA = os.path.join(ROOT, "testdata")
CONFORMANCE = "/usr/share/libonnx-testdata/data/node"
CONFORMANCE_MODELS = ["test_add", "test_if", "test_loop11", "test_scan9_sum", "test_conv_with_strides_padding",
                      "test_cast_FLOAT_to_STRING", "test_constant", "test_sequence_map_identity_1_sequence"]


def seeds(module, package, cls, method):
    d = os.path.join(ROOT, module, "src/test/resources", package.replace(".", "/"), cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)

    def put(name, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    return put


def read(path):
    with open(path, "rb") as f:
        return f.read()


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


# ---------------------------------------------------------------- ONNX
def model(nodes, inputs, outputs, inits=(), functions=(), opset=17):
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid("local", 1)],
                          functions=list(functions))
    m.ir_version = 8
    return m.SerializeToString()


def vi(name, dims=(2,), t=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, t, list(dims))


def raw_tensor(name, data_type, dims, raw):
    """A TensorProto built field by field: onnx.helper checks dims against the data, which these cases break."""
    t = TensorProto()
    t.name, t.data_type = name, data_type
    t.dims.extend(dims)
    t.raw_data = raw
    return t


def nested_if(depth):
    """An If whose then_branch holds an If ... depth levels deep (BAD_INPUTS 3)."""
    leaf = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "leaf", [], [vi("y")])
    inner = leaf
    for i in range(depth):
        # Only then_branch nests: nesting both branches would double the file at every level.
        node = helper.make_node("If", ["c"], ["y"], then_branch=inner, else_branch=leaf)
        inner = helper.make_graph([node], "level%d" % i, [], [vi("y")])
    top = helper.make_node("If", ["c"], ["y"], then_branch=inner, else_branch=leaf)
    return model([top], [vi("c", (), TensorProto.BOOL), vi("x")], [vi("y")])


def bad_onnx_files():
    add = read(os.path.join(CONFORMANCE, "test_add/model.onnx"))
    relu = [helper.make_node("Relu", ["x"], ["a"]), helper.make_node("Relu", ["a"], ["y"])]
    files = {
        "bad01_not_protobuf.bin": b"this is not an ONNX model at all \xff\xfe\x00",
        "bad01_truncated_midfield.onnx": add[: len(add) // 2],
        "bad01_truncated_midvarint.onnx": b"\x08\xff\xff",
        # graph field (7, length-delimited) claiming 2 GiB - 1 bytes in a 10-byte file.
        "bad02_length_beyond_file.onnx": b"\x08\x08\x3a" + varint(0x7FFFFFFF) + b"\x0a\x00",
        # 5000 nested start-group tags of an unknown field.
        "bad03_deep_unknown_groups.onnx": b"\x08\x08" + b"\xa3\x06" * 5000,
        "bad03_nested_if_40.onnx": nested_if(40),
        "bad04_cycle.onnx": model([helper.make_node("Relu", ["b"], ["a"]), helper.make_node("Relu", ["a"], ["b"]),
                                   helper.make_node("Identity", ["a"], ["y"])], [vi("x")], [vi("y")]),
        "bad04_out_of_order.onnx": model(list(reversed(relu)), [vi("x")], [vi("y")]),
        "bad05_two_producers.onnx": model([helper.make_node("Relu", ["x"], ["y"]),
                                           helper.make_node("Abs", ["x"], ["y"])], [vi("x")], [vi("y")]),
        "bad05_duplicate_initializer.onnx": model([helper.make_node("Add", ["w", "w"], ["y"])], [], [vi("y")],
                                                  [helper.make_tensor("w", TensorProto.FLOAT, [2], [1, 2]),
                                                   helper.make_tensor("w", TensorProto.FLOAT, [2], [3, 4])]),
        "bad05_dangling_input.onnx": model([helper.make_node("Add", ["x", "nowhere"], ["y"])], [vi("x")], [vi("y")]),
        "bad06_negative_dim.onnx": model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y")],
                                         [raw_tensor("w", TensorProto.FLOAT, [-2], b"")]),
        "bad06_count_overflow.onnx": model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y")],
                                           [raw_tensor("w", TensorProto.FLOAT, [2 ** 40, 2 ** 40], b"\0" * 8)]),
        "bad06_raw_length_mismatch.onnx": model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y")],
                                                [raw_tensor("w", TensorProto.FLOAT, [4], b"\0" * 7)]),
        "bad06_unknown_dtype.onnx": model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y")],
                                          [raw_tensor("w", 99, [1], b"\0")]),
    }
    ext = raw_tensor("w", TensorProto.FLOAT, [4], b"")
    ext.data_location = TensorProto.EXTERNAL
    for k, v in [("location", "../../etc/passwd"), ("offset", "-1"), ("length", "99999999999999999999")]:
        e = ext.external_data.add()
        e.key, e.value = k, v
    files["bad07_external_traversal.onnx"] = model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y")], [ext])
    f = helper.make_function("local", "F", ["a"], ["b"], [helper.make_node("F", ["a"], ["b"], domain="local")],
                             [helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
    files["bad09_recursive_function.onnx"] = model([helper.make_node("F", ["x"], ["y"], domain="local")],
                                                   [vi("x")], [vi("y")], functions=[f])
    return files


def onnx_seeds():
    for module, package, cls, method in [("onnx-proto", "io.mconv.onnx.io", "ModelReaderFuzzTest", "readModel"),
                                         ("passes", "io.mconv.ir.serde", "ProtoImporterFuzzTest", "importModel")]:
        put = seeds(module, package, cls, method)
        for t in CONFORMANCE_MODELS:
            put(t + ".onnx", read(os.path.join(CONFORMANCE, t, "model.onnx")))
        for name, data in bad_onnx_files().items():
            put(name, data)


# ---------------------------------------------------------------- zip archives and pickles
PT_FILES = ["torch/traced_cnn.pt", "torch/scripted_attrs.pt", "torch/export/unsupported_ops.pt"]


def zip_bytes(entries, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name), data)
    return buf.getvalue()


def pickle_of_global(module, name):
    return b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n)R."


def hostile_zips():
    good = zip_bytes([("a/data.pkl", b"\x80\x02N."), ("a/version", b"3\n")])
    dup = zip_bytes([("a/x", b"1"), ("a/y", b"2")]).replace(b"a/y", b"a/x")
    mismatch = bytearray(good)
    mismatch[8] = 8  # local header says deflated, central directory says stored
    bomb = bytearray(zip_bytes([("a/big", b"\0" * 2000)], zipfile.ZIP_DEFLATED))
    cd = bomb.rfind(b"PK\x01\x02")
    struct.pack_into("<I", bomb, cd + 24, 0x7FFFFFF0)  # declared size: 2 GiB from a few bytes
    return {
        "bad11_not_a_zip.bin": b"PK\x03\x04 but nothing else of a zip",
        "bad11_truncated_central_directory.zip": good[:-30],
        "bad11_dotdot_name.zip": zip_bytes([("a/../../evil", b"x")]),
        "bad11_absolute_name.zip": zip_bytes([("/etc/evil", b"x")]),
        "bad11_backslash_name.zip": zip_bytes([("\\evil", b"x")]),
        "bad11_duplicate_names.zip": dup,
        "bad11_local_central_disagree.zip": bytes(mismatch),
        "bad12_declared_size_huge.zip": bytes(bomb),
    }


def frames(entries):
    """TorchScriptArchiveFuzzTest's framing: 1, then [u8 name length][name][u16 LE data length][data]..."""
    out = bytearray(b"\x01")
    for name, data in entries:
        n = name.encode()
        out += bytes([len(n)]) + n + struct.pack("<H", len(data)) + data
    return bytes(out)


def pt_entries(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist() if len(z.read(i.filename)) < 65536]


def deep_list_pickle(depth):
    return b"\x80\x02" + b"]" * depth + b"a" * (depth - 1) + b"."


def bad_pickles():
    return {
        "bad13_os_system.pkl": b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00idq\x85R.",
        "bad13_builtins_eval.pkl": b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93X\x01\x00\x00\x001\x85R.",
        "bad14_stack_underflow.pkl": b"\x80\x02a.",
        "bad14_truncated_opcode.pkl": b"\x80\x02X\xff\x00\x00\x00ab",
        "bad14_dangling_memo.pkl": b"\x80\x02h\x07.",
        "bad14_invalid_utf8.pkl": b"\x80\x02X\x02\x00\x00\x00\xc3\x28.",
        "bad14_deep_marks.pkl": b"\x80\x02" + b"(" * 5000 + b"N" + b"t" * 5000 + b".",
        "bad14_deep_lists.pkl": deep_list_pickle(5000),
        "bad14_list_contains_itself.pkl": b"\x80\x02]q\x00h\x00a.",
        "bad15_storage_too_small.pkl": b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(X\x07\x00\x00\x00storage"
                                       b"ctorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQK\x00"
                                       b"M\x00\x01\x85K\x01\x85\x89NtR.",
        "bad15_negative_stride.pkl": b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(X\x07\x00\x00\x00storage"
                                     b"ctorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQK\x00"
                                     b"K\x02\x85J\xff\xff\xff\xff\x85\x89NtR.",
    }


def torch_seeds():
    put = seeds("agent", "io.mconv.torch.archive", "ZipArchiveFuzzTest", "openZip")
    for p in PT_FILES + ["torch/state_dict.pt"]:
        put(os.path.basename(p), read(os.path.join(TESTDATA, p)))
    for name, data in hostile_zips().items():
        put(name, data)

    put = seeds("agent", "io.mconv.torch.archive", "TorchScriptArchiveFuzzTest", "openArchive")
    for p in PT_FILES:
        put(os.path.basename(p) + ".frames", frames(pt_entries(os.path.join(TESTDATA, p))))
    for p in ["torch/legacy.pt", "torch/pickled_module.pt", "torch/state_dict.pt"]:
        put(os.path.basename(p) + ".raw", b"\x00" + read(os.path.join(TESTDATA, p)))
    base = [(n, d) for n, d in pt_entries(os.path.join(TESTDATA, "torch/scripted_attrs.pt")) if not n.endswith("data.pkl")]
    prefix = base[0][0].split("/")[0]
    put("bad13_disallowed_global.frames", frames(base + [(prefix + "/data.pkl", pickle_of_global("os", "system"))]))
    put("bad16_state_dict.frames", frames(pt_entries(os.path.join(TESTDATA, "torch/state_dict.pt"))))
    for name, data in hostile_zips().items():
        put(name + ".raw", b"\x00" + data)

    put = seeds("agent", "io.mconv.torch.pickle", "UnpicklerFuzzTest", "unpickle")
    for p in PT_FILES + ["torch/state_dict.pt"]:
        for n, d in pt_entries(os.path.join(TESTDATA, p)):
            if n.endswith("data.pkl") or n.endswith("constants.pkl"):
                put(os.path.basename(p) + "." + os.path.basename(n), d)
    put("legacy.pt", read(os.path.join(TESTDATA, "torch/legacy.pt")))
    for name, data in bad_pickles().items():
        put(name, data)


# ---------------------------------------------------------------- TorchScript code, .npy, CLI values
def script_seeds():
    put = seeds("agent", "io.mconv.torch.script", "ScriptParserFuzzTest", "parse")
    code = os.path.join(TESTDATA, "torchscript-code")
    for rel in ["control_flow/code/__torch__.py", "lstm/code/__torch__/torch/nn/modules/rnn.py",
                "resnet18/code/__torch__/torchvision/models/resnet.py",
                "multihead_attention/code/__torch__/torch/nn/modules/activation.py"]:
        path = os.path.join(code, rel)
        if os.path.exists(path) and os.path.getsize(path) < 64 * 1024:
            put(rel.replace("/", "_"), read(path))
    # Nesting seeds go a little past the parser's depth limit (200) and no further: libFuzzer's default -max_len
    # is the largest seed, and every byte of a mutated input costs a traced lex under instrumentation. Block
    # indentation is tabs then spaces (a tab counts to the next multiple of 8), else 250 levels would take 31 KB.
    depth = 250
    put("bad_deep_parens.py", "x = " + "(" * depth + "1" + ")" * depth + "\n")
    put("bad_deep_blocks.py", "".join("\t" * (i // 8) + " " * (i % 8) + "if x:\n" for i in range(depth))
        + "\t" * (depth // 8) + " " * (depth % 8) + "pass\n")
    put("bad_deep_attributes.py", "x = a" + ".b" * depth + "\n")
    put("bad_huge_int.py", "x = " + "9" * 5000 + "\n")
    put("bad_unterminated_string.py", "x = 'abc\n")
    put("bad_mixed_indent.py", "def f(x):\n\tif x:\n        return 1\n")
    put("bad_unclosed_bracket.py", "x = [1, 2\n")


def npy(header, data, version=1):
    h = header.encode("latin-1")
    pad = (64 - (10 + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    size = struct.pack("<H", len(h)) if version == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([version, 0]) + size + h + data


def npy_seeds():
    put = seeds("agent", "io.mconv.agent.quantize.calibration", "NpyReaderFuzzTest", "parseNpy")
    for name in sorted(os.listdir(os.path.join(TESTDATA, "npy"))):
        put(name, read(os.path.join(TESTDATA, "npy", name)))
    put("bad_count_overflow.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 2), }", b""))
    put("bad_bytes_overflow.npy", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2305843009213693952,), }", b""))
    put("bad_negative_dim.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", b""))
    put("bad_header_length.npy", b"\x93NUMPY\x02\x00\xff\xff\xff\x7f{")


def cli_seeds():
    values = {
        "inputShape": ["input:1x3x224x224", "ids:batchx128:int64", "x:?x16", "input:0:1x3:float16", "x:scalar",
                       "x:1x-3", "x:", ":1x2", "x:1x2:complex", "x:99999999999999999999x1"],
        "byteSize": ["1024", "50MB", "1.5GiB", "4k", "2 TiB", "-1", "1.5b", "99999999999TB", "12xb"],
        "timeSpan": ["500us", "10ms", "1.5s", "2m", "1h", "3µs", "0s", "10", "99999999999h", "0.1ns"],
        "dynamicAxes": ["x:0=batch", "x:0=batch,1=seq", "input:0:1=seq", "x:99999999999=b", ":0=a", "x:0=",
                        "x:0=batch\ny:1=seq"],
    }
    for method, vals in values.items():
        put = seeds("cli", "io.mconv.cli.options", "OptionValuesFuzzTest", method)
        for i, v in enumerate(vals):
            put("seed%02d" % i, v)


if __name__ == "__main__":
    onnx_seeds()
    torch_seeds()
    script_seeds()
    npy_seeds()
    cli_seeds()
