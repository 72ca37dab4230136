#!/usr/bin/python3
"""Run onnx.checker.check_model(full_check=True) on every ONNX file given.

Run with Debian's interpreter, which has python3-onnx (onnx 1.12):
    /usr/bin/python3 tools/quantize/check_models.py out1.onnx out2.onnx ...
Prints one line per file ("OK path" or "FAIL path: reason") and exits 1 when any file fails, 2 when the onnx
package is missing. onnx 1.12 knows default-domain opsets up to 17, so models at a newer opset (int4 QDQ needs
opset 21) cannot be checked by it: those are reported as FAIL with that reason, never silently passed.
"""
import sys

try:
    import onnx
    import onnx.checker
    import onnx.defs
except ImportError:
    sys.stderr.write("the onnx package is missing: sudo apt-get install python3-onnx, "
                     "and run this with /usr/bin/python3\n")
    sys.exit(2)


def default_opset(model):
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            return imp.version
    return None


def check(path):
    model = onnx.load(path)
    opset = default_opset(model)
    known = onnx.defs.onnx_opset_version()
    if opset is not None and opset > known:
        return "opset %d is newer than this onnx %s knows (%d)" % (opset, onnx.__version__, known)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # the checker raises ValidationError and shape inference errors alike
        return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return None


def main(paths):
    if not paths:
        sys.stderr.write("usage: check_models.py MODEL.onnx...\n")
        return 2
    failed = 0
    for p in paths:
        reason = check(p)
        if reason is None:
            print("OK %s" % p)
        else:
            failed += 1
            print("FAIL %s: %s" % (p, reason))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
