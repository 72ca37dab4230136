#!/usr/bin/python3
"""Developer cross-check of the generated schema resource against an installed `onnx` package.

Usage (Debian's python3-onnx lives in the system interpreter, not the pyenv one):
    /usr/bin/python3 tools/schemas/crosscheck.py passes/src/main/resources/io/mconv/schema/onnx-operators.txt

Every schema the installed onnx knows for ai.onnx / ai.onnx.ml is compared with the resource:
presence, deprecation, arities, formal parameters, attributes (kind, required, default) and type
constraints. Differences are printed; the exit status is 1 if there are any. The installed
package may be older than the release the resource was generated from (python3-onnx 1.12 knows
opset <= 17), so only versions it knows are compared. mconv itself never needs Python.
"""

import math
import struct
import sys

import onnx
import onnx.defs
import onnx.helper

UNBOUNDED = 2147483647

# Differences that are known and explained: the older onnx package has a bug the newer spec fixed.
EXPECTED = {
    # onnx 1.12 typed GridSample-16's grid as T1 and Y as T2; ONNX 1.16 corrected it to grid: T2
    # (float types) and Y: T1 (same as X).
    "ai.onnx GridSample-16: input ('grid', 'T2', 'S') vs ('grid', 'T1', 'S')",
    "ai.onnx GridSample-16: output ('Y', 'T1', 'S') vs ('Y', 'T2', 'S')",
}
KIND_NAMES = {1: "float", 2: "int", 3: "string", 4: "tensor", 5: "graph", 6: "floats", 7: "ints",
              8: "strings", 9: "tensors", 10: "graphs", 11: "sparse_tensor", 12: "sparse_tensors",
              13: "type_proto", 14: "type_protos"}


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[s[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def load(path):
    ops, cur, type_sets = {}, None, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = [unescape(x) for x in line.split("\t")]
            tag = fields[0]
            if tag == "OP":
                cur = {"deprecated": fields[4] == "1", "range": tuple(int(x) for x in fields[5:9]),
                       "inputs": [], "outputs": [], "attrs": {}, "tcs": {}}
                ops[(fields[1], fields[2], int(fields[3]))] = cur
            elif tag in ("IN", "OUT"):
                cur["inputs" if tag == "IN" else "outputs"].append(tuple(fields[1:]))
            elif tag == "AT":
                cur["attrs"][fields[1]] = (fields[2], fields[3], fields[4:])
            elif tag == "TS":
                type_sets[fields[1]] = set(fields[2:])
            elif tag == "TC":
                cur["tcs"][fields[1]] = type_sets[fields[2]]
    return ops


def f32(x):
    return struct.unpack("f", struct.pack("f", float(x)))[0]


def same_default(kind, ours, theirs):
    if kind == "int":
        return int(ours[0]) == theirs
    if kind == "float":
        a, b = f32(ours[0]), f32(theirs)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if kind == "string":
        return ours[0] == (theirs.decode() if isinstance(theirs, bytes) else theirs)
    if kind == "ints":
        return [int(x) for x in ours] == list(theirs)
    if kind == "floats":
        return [f32(x) for x in ours] == [f32(x) for x in theirs]
    if kind == "strings":
        return ours == [t.decode() if isinstance(t, bytes) else t for t in theirs]
    return False


def main(path):
    ops = load(path)
    problems = []
    checked = 0
    option_names = {0: "S", 1: "O", 2: "V"}
    for s in onnx.defs.get_all_schemas_with_history():
        domain = s.domain or "ai.onnx"
        if domain not in ("ai.onnx", "ai.onnx.ml"):
            continue
        key = (domain, s.name, s.since_version)
        where = "%s %s-%d" % key
        ours = ops.get(key)
        if ours is None:
            problems.append("%s: missing" % where)
            continue
        checked += 1
        if ours["deprecated"] != s.deprecated:
            problems.append("%s: deprecated %s vs %s" % (where, ours["deprecated"], s.deprecated))
        theirs_range = (s.min_input, s.max_input, s.min_output, s.max_output)
        if ours["range"] != theirs_range:
            problems.append("%s: arity %s vs %s" % (where, ours["range"], theirs_range))
        for label, mine, params in (("input", ours["inputs"], s.inputs), ("output", ours["outputs"], s.outputs)):
            if len(mine) != len(params):
                problems.append("%s: %d %ss vs %d" % (where, len(mine), label, len(params)))
                continue
            for m, p in zip(mine, params):
                opt = option_names[int(p.option.value)]
                want = (p.name, p.typeStr, opt)
                if tuple(m[:3]) != want:
                    problems.append("%s: %s %s vs %s" % (where, label, m, want))
                if opt == "V" and (m[3] == "1") != p.isHomogeneous:
                    problems.append("%s: %s %s homogeneous %s vs %s" % (where, label, p.name, m[3], p.isHomogeneous))
        if list(ours["attrs"]) != sorted(s.attributes):
            if set(ours["attrs"]) != set(s.attributes):
                problems.append("%s: attributes %s vs %s" % (where, sorted(ours["attrs"]), sorted(s.attributes)))
        for name, a in s.attributes.items():
            if name not in ours["attrs"]:
                continue
            kind, mode, values = ours["attrs"][name]
            want_kind = KIND_NAMES[int(a.type.value)]
            if kind != want_kind:
                problems.append("%s: attr %s kind %s vs %s" % (where, name, kind, want_kind))
            has_default = a.default_value is not None and a.default_value.name != ""
            want_mode = "R" if a.required else ("D" if has_default else "O")
            if mode != want_mode:
                problems.append("%s: attr %s mode %s vs %s" % (where, name, mode, want_mode))
            elif mode == "D":
                theirs = onnx.helper.get_attribute_value(a.default_value)
                if not same_default(kind, values, theirs):
                    problems.append("%s: attr %s default %s vs %r" % (where, name, values, theirs))
        theirs_tcs = {c.type_param_str: set(c.allowed_type_strs) for c in s.type_constraints}
        if ours["tcs"] != theirs_tcs:
            diff = [(k, sorted(ours["tcs"].get(k, set()) ^ theirs_tcs.get(k, set())))
                    for k in sorted(set(ours["tcs"]) | set(theirs_tcs))
                    if ours["tcs"].get(k) != theirs_tcs.get(k)]
            problems.append("%s: type constraints differ: %s" % (where, diff))
    expected = [p for p in problems if p in EXPECTED]
    problems = [p for p in problems if p not in EXPECTED]
    for p in expected:
        print("expected: " + p)
    for p in problems:
        print(p)
    print("onnx %s: compared %d schema versions, %d differences" % (onnx.__version__, checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
