#!/usr/bin/env python3
"""Generate mconv's operator schema resource from the ONNX operator changelogs.

Usage:
    generate_schemas.py CHANGELOG_MD CHANGELOG_ML_MD [-o OUTPUT] [--max-opset N] [--max-ml-opset N]

CHANGELOG_MD and CHANGELOG_ML_MD are docs/Changelog.md and docs/Changelog-ml.md of an
ONNX release (mconv's resource is built from v1.16.2). The output is the line-oriented
format described in docs/formats/operator-schemas.md and read by
io.mconv.schema.SchemaResourceParser.

Only the Python standard library is used. The markdown is never copied: only the facts
(names, kinds, defaults, types, arities) end up in the output.
"""

import argparse
import ast
import html
import re
import sys

DOMAIN_HEADERS = {
    "ai.onnx (default)": "ai.onnx",
    "ai.onnx.ml": "ai.onnx.ml",
}

OP_HEADER = re.compile(r'^### <a name="[^"]*"></a>\*\*(?P<full>[^*]+)\*\*(?P<dep> \(deprecated\))?</a>\s*$')
SECTION = re.compile(r'^#### (?P<title>Attributes|Inputs|Outputs|Type Constraints|Version)(?: \((?P<lo>\d+) - (?P<hi>\d+|\u221e)\))?\s*$')
SINCE = re.compile(r'has been (?P<what>available|deprecated) since version (?P<v>\d+) of the')
DT = re.compile(r'^<dt><tt>(?P<name>[^<]*)</tt>(?: \((?P<flags>[^)]*)\))? : (?P<rest>.*)</dt>\s*$')
ATTR_REST = re.compile(r'^(?P<kind>[a-z_ ]+?)(?: \((?P<extra>required|default is .*)\))?$')

UNBOUNDED = 2147483647

# The changelog prints float defaults rounded to about 7 significant digits, which for these
# attributes does not round-trip to the float32 value ONNX stores. Precise values (the float32
# largest finite value, and Selu's constants) replace the printed ones; the printed text must
# still match, so a changed spec is noticed. (Selu-1's 1.6732 / 1.0507 really are its defaults.)
FLOAT_DEFAULT_FIXES = {
    ("ai.onnx", "Clip", 6, "max"): ("(3.402823e+38)", "3.4028234663852886e+38"),
    ("ai.onnx", "Clip", 6, "min"): ("(-3.402823e+38)", "-3.4028234663852886e+38"),
    ("ai.onnx", "Selu", 6, "alpha"): ("1.67326", "1.6732631921768188"),
    ("ai.onnx", "Selu", 6, "gamma"): ("1.0507", "1.0507010221481323"),
}  # Java Integer.MAX_VALUE, like ONNX's std::numeric_limits<int>::max()


FIXES_USED = set()


class SpecError(Exception):
    pass


def split_types(text):
    """Split a comma-separated list of type strings at top level (map(a, b) keeps its comma)."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur).strip())
    return [t for t in out if t]


def attr_kind(spec):
    spec = spec.strip()
    if spec.startswith("list of "):
        spec = spec[len("list of "):]
    known = {"int", "float", "string", "tensor", "graph", "ints", "floats", "strings", "tensors",
             "graphs", "sparse_tensor", "sparse_tensors", "type_proto", "type_protos"}
    if spec in known:
        return spec
    raise SpecError("unknown attribute kind %r" % spec)


def parse_default(kind, text):
    """Turn the spec's printed default into a list of string fields for the resource."""
    text = text.strip()
    if kind in ("ints", "floats", "strings"):
        values = ast.literal_eval(text)
        if not isinstance(values, (list, tuple)):
            raise SpecError("list default expected, got %r" % text)
        if kind == "ints":
            return [str(int(v)) for v in values]
        if kind == "floats":
            return [repr(float(v)) for v in values]
        return [str(v) for v in values]
    if kind == "int":
        return [str(int(text))]
    if kind == "float":
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        float(text)  # validates
        return [text]
    if kind == "string":
        return [text]
    raise SpecError("defaults of kind %s are not supported: %r" % (kind, text))


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Op:
    def __init__(self, domain, name, since, deprecated):
        self.domain = domain
        self.name = name
        self.since = since
        self.deprecated = deprecated
        self.attrs = []      # (name, kind, mode, [values]) mode: R required, O optional, D default
        self.inputs = []     # (name, type, option, homogeneous, flags)
        self.outputs = []
        self.tcs = []        # (name, [types])
        self.in_range = None
        self.out_range = None
        self.version_line = None
        self.has_body = False

    def key(self):
        return (self.domain, self.name, self.since)


def param_from_dt(m):
    flags = [f.strip() for f in (m.group("flags") or "").split(",") if f.strip()]
    option, homogeneous = "S", True
    if "optional" in flags:
        option = "O"
    if "variadic" in flags:
        option = "V"
        homogeneous = "heterogeneous" not in flags
    for f in flags:
        if f not in ("optional", "variadic", "heterogeneous", "differentiable", "non-differentiable"):
            raise SpecError("unknown parameter flag %r" % f)
    return [m.group("name"), m.group("rest").strip(), option, homogeneous]


def parse_changelog(path, max_opsets):
    ops = []
    domain = None
    op = None
    section = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip()
        try:
            if line.startswith("# "):
                title = line[2:].strip()
                domain = DOMAIN_HEADERS.get(title)
                op = None
                section = None
                continue
            if domain is None:
                continue
            m = OP_HEADER.match(line)
            if m:
                full = m.group("full")
                base, _, ver = full.rpartition("-")
                prefix = "" if domain == "ai.onnx" else domain + "."
                if not base.startswith(prefix):
                    raise SpecError("operator %r outside domain %s" % (full, domain))
                op = Op(domain, base[len(prefix):], int(ver), m.group("dep") is not None)
                ops.append(op)
                section = None
                continue
            if op is None:
                continue
            if line.startswith("## "):
                op = None
                section = None
                continue
            m = SECTION.match(html.unescape(line))
            if m:
                section = m.group("title")
                rng = None
                if m.group("lo") is not None:
                    hi = m.group("hi")
                    rng = (int(m.group("lo")), UNBOUNDED if hi == "\u221e" else int(hi))
                if section == "Inputs":
                    op.in_range = rng
                elif section == "Outputs":
                    op.out_range = rng
                if section != "Version":
                    op.has_body = True
                continue
            if line.startswith("#### "):
                raise SpecError("unknown section %r" % line)
                continue
            if section == "Version":
                m = SINCE.search(line)
                if m:
                    v = int(m.group("v"))
                    if v != op.since:
                        raise SpecError("version line says %d for %s-%d" % (v, op.name, op.since))
                    if (m.group("what") == "deprecated") != op.deprecated:
                        raise SpecError("deprecation mismatch for %s-%d" % (op.name, op.since))
                    op.version_line = v
                elif line.startswith("No versioning maintained for experimental ops"):
                    op.version_line = op.since  # Upsample-1: experimental, listed under opset 1
                continue
            if section is None or not line.startswith("<dt>"):
                continue
            m = DT.match(html.unescape(line))
            if not m:
                raise SpecError("unparsable definition line %r" % line)
            if section == "Attributes":
                if m.group("flags"):
                    raise SpecError("attribute with flags: %r" % line)
                am = ATTR_REST.match(m.group("rest").strip())
                if not am:
                    raise SpecError("unparsable attribute %r" % line)
                kind = attr_kind(am.group("kind"))
                extra = am.group("extra")
                if extra is None:
                    op.attrs.append((m.group("name"), kind, "O", []))
                elif extra == "required":
                    op.attrs.append((m.group("name"), kind, "R", []))
                else:
                    printed = extra[len("default is "):]
                    fix = FLOAT_DEFAULT_FIXES.get((op.domain, op.name, op.since, m.group("name")))
                    if fix is not None:
                        if fix[0] != printed:
                            raise SpecError("expected printed default %r, got %r" % (fix[0], printed))
                        printed = fix[1]
                        FIXES_USED.add((op.domain, op.name, op.since, m.group("name")))
                    op.attrs.append((m.group("name"), kind, "D", parse_default(kind, printed)))
            elif section in ("Inputs", "Outputs"):
                (op.inputs if section == "Inputs" else op.outputs).append(param_from_dt(m))
            elif section == "Type Constraints":
                if m.group("flags"):
                    raise SpecError("type constraint with flags: %r" % line)
                op.tcs.append((m.group("name"), split_types(m.group("rest"))))
        except (SpecError, ValueError, SyntaxError) as e:
            raise SpecError("%s:%d: %s" % (path, lineno, e)) from e

    result = []
    for op in ops:
        if op.version_line is None:
            raise SpecError("%s-%d has no version line" % (op.name, op.since))
        if op.since <= max_opsets[op.domain]:
            result.append(op)
    return result


def finish(ops):
    """Fill in arities, inherit the signature of deprecated stubs, check invariants."""
    by_name = {}
    for op in sorted(ops, key=lambda o: (o.domain, o.name, o.since)):
        prev = by_name.get((op.domain, op.name))
        if op.deprecated and not op.has_body:
            # The changelog prints only a stub for a deprecated version; ONNX keeps the
            # previous version's signature for it, so carry that forward.
            if prev is None:
                raise SpecError("deprecated %s-%d has no earlier version" % (op.name, op.since))
            op.attrs = list(prev.attrs)
            op.inputs = [list(p) for p in prev.inputs]
            op.outputs = [list(p) for p in prev.outputs]
            op.tcs = list(prev.tcs)
            op.in_range, op.out_range = prev.in_range, prev.out_range
        for params, rng in ((op.inputs, op.in_range), (op.outputs, op.out_range)):
            for i, p in enumerate(params):
                if p[2] == "V" and i != len(params) - 1:
                    raise SpecError("%s-%d: variadic parameter is not last" % (op.name, op.since))
            # ONNX: max counts every parameter (variadic: unbounded); min counts up to the last
            # single parameter, or everything before a variadic plus its minimum arity.
            computed_max = UNBOUNDED if params and params[-1][2] == "V" else len(params)
            last_single = max([i + 1 for i, p in enumerate(params) if p[2] == "S"] or [0])
            if rng is None:
                rng = (last_single, computed_max)
                if rng[0] != rng[1]:
                    raise SpecError("%s-%d: no range printed but min != max" % (op.name, op.since))
            if rng[1] != computed_max:
                raise SpecError("%s-%d: printed max %s != %s" % (op.name, op.since, rng[1], computed_max))
            for p in params:
                del p[4:]
            if params and params[-1][2] == "V":
                arity = rng[0] - (len(params) - 1)
                if arity < 0:
                    raise SpecError("%s-%d: negative variadic arity" % (op.name, op.since))
                params[-1].append(arity)
            elif rng[0] != last_single:
                raise SpecError("%s-%d: printed min %d != %d" % (op.name, op.since, rng[0], last_single))
            if params is op.inputs:
                op.in_range = rng
            else:
                op.out_range = rng
        tc_names = {n for n, _ in op.tcs}
        for p in op.inputs + op.outputs:
            if "(" not in p[1] and p[1] not in tc_names:
                raise SpecError("%s-%d: %s uses undeclared type %s" % (op.name, op.since, p[0], p[1]))
        by_name[(op.domain, op.name)] = op
    return ops


HEADER = """\
# mconv operator schema registry: the standard ONNX operators.
# Generated by tools/schemas/generate_schemas.py from docs/Changelog.md and docs/Changelog-ml.md
# of ONNX {release}. Do not edit by hand; regenerate instead. Format: docs/formats/operator-schemas.md
#
# One record per line, fields separated by TAB; lines starting with '#' and empty lines are ignored.
# Backslash escapes inside fields: \\\\ \\t \\n \\r.
#   VERSION 1                                        format version, before anything else
#   MAXOPSET domain version                          newest opset of a domain the file covers completely
#   OP  domain name since_version deprecated(0|1) min_inputs max_inputs min_outputs max_outputs
#       starts an operator version; max 2147483647 means unbounded (a trailing variadic parameter)
#   IN  name type_string option                       option: S single, O optional
#   IN  name type_string V homogeneous(0|1) min_arity  a variadic (always the last parameter)
#   OUT same fields as IN, for an output
#   AT  name kind R                                  required attribute (kind: ONNX spec name, e.g. ints)
#   AT  name kind O                                  optional attribute without a default
#   AT  name kind D value...                         optional attribute with a default: one field
#                                                    for int/float/string, one per element for lists
#   TS  id allowed_type...                           a shared set of allowed types (id: 0, 1, 2, ...),
#                                                    defined before use, one field per type in spec order
#   TC  name ts_id                                   type constraint allowing the types of set ts_id
# Records after an OP line belong to it, in spec order. Domains: ai.onnx (max opset {max_opset}),
# ai.onnx.ml (max opset {max_ml}).
"""


def write(ops, out, release, max_opset, max_ml):
    out.write(HEADER.format(release=release, max_opset=max_opset, max_ml=max_ml))
    out.write("VERSION\t1\n")
    out.write("MAXOPSET\tai.onnx\t%d\n" % max_opset)
    out.write("MAXOPSET\tai.onnx.ml\t%d\n" % max_ml)
    type_sets = {}
    for op in sorted(ops, key=lambda o: (o.domain, o.name, o.since)):
        for _, types in op.tcs:
            if tuple(types) not in type_sets:
                type_sets[tuple(types)] = len(type_sets)
                out.write("\t".join(escape(f) for f in ["TS", str(type_sets[tuple(types)])] + list(types)) + "\n")
    for op in sorted(ops, key=lambda o: (o.domain, o.name, o.since)):
        out.write("\t".join(["OP", op.domain, op.name, str(op.since), "1" if op.deprecated else "0",
                             str(op.in_range[0]), str(op.in_range[1]),
                             str(op.out_range[0]), str(op.out_range[1])]) + "\n")
        for tag, params in (("IN", op.inputs), ("OUT", op.outputs)):
            for p in params:
                fields = [tag, p[0], p[1], p[2]]
                if p[2] == "V":
                    fields += ["1" if p[3] else "0", str(p[4])]
                out.write("\t".join(escape(f) for f in fields) + "\n")
        for name, kind, mode, values in op.attrs:
            out.write("\t".join(escape(f) for f in ["AT", name, kind, mode] + values) + "\n")
        for name, types in op.tcs:
            out.write("\t".join(escape(f) for f in ["TC", name, str(type_sets[tuple(types)])]) + "\n")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("changelog")
    ap.add_argument("changelog_ml")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--max-opset", type=int, default=21)
    ap.add_argument("--max-ml-opset", type=int, default=5)
    ap.add_argument("--release", default="v1.16.2")
    args = ap.parse_args(argv)
    limits = {"ai.onnx": args.max_opset, "ai.onnx.ml": args.max_ml_opset}
    ops = parse_changelog(args.changelog, limits) + parse_changelog(args.changelog_ml, limits)
    if not any(o.domain == "ai.onnx" for o in ops) or not any(o.domain == "ai.onnx.ml" for o in ops):
        raise SpecError("expected ai.onnx in the first file and ai.onnx.ml in the second")
    seen = set()
    for o in ops:
        if o.key() in seen:
            raise SpecError("duplicate %s" % (o.key(),))
        seen.add(o.key())
    finish(ops)
    if FIXES_USED != set(FLOAT_DEFAULT_FIXES):
        raise SpecError("float default fixes not applied: %s" % (set(FLOAT_DEFAULT_FIXES) - FIXES_USED))
    for dom, limit in limits.items():
        top = max(o.since for o in ops if o.domain == dom)
        if top != limit:
            print("warning: highest %s version present is %d, limit is %d" % (dom, top, limit), file=sys.stderr)
    if args.output == "-":
        write(ops, sys.stdout, args.release, args.max_opset, args.max_ml_opset)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            write(ops, f, args.release, args.max_opset, args.max_ml_opset)
    n_onnx = sum(1 for o in ops if o.domain == "ai.onnx")
    print("wrote %d operator versions (%d ai.onnx, %d ai.onnx.ml)" % (len(ops), n_onnx, len(ops) - n_onnx),
          file=sys.stderr)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SpecError as e:
        print("error: %s" % e, file=sys.stderr)
        sys.exit(1)
