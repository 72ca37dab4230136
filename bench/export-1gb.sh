#!/usr/bin/env bash
# Issue 4's memory goal: mconv exports a TorchScript file with about 1 GB of float32 weights with the JVM capped
# at -Xmx512m, so weights must stream from the archive to the output instead of sitting on the heap.
# Makes (with Debian's /usr/bin/python3 and torch) a traced MLP, 4 x Linear(8192, 8192) with ReLUs between
# (268,468,224 parameters, 1.07 GB), then times
#   mconv convert big.pt --to onnx -o big.onnx --no-validate --input-shape input:1x8192   (JVM option -Xmx512m)
# and prints wall time, peak RSS and the size of what it wrote. Until mconv has its exporter it says so.
#
#   bench/export-1gb.sh [WORK_FOLDER]     (default: a new folder under $TMPDIR or /tmp; needs about 2.2 GB free)
# Environment: MCONV (the mconv command, see lib/mconv-launcher.sh; with MCONV set, put -Xmx512m in it yourself),
#              LAYERS (4), WIDTH (8192): the MLP's depth and width.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/mconv-launcher.sh
. "$root/bench/lib/mconv-launcher.sh"
# The launcher and the jar fallback both take JVM options from MCONV_JAVA_OPTS.
export MCONV_JAVA_OPTS="-Xmx512m${MCONV_JAVA_OPTS:+ $MCONV_JAVA_OPTS}"
find_mconv "$root"
layers="${LAYERS:-4}"; width="${WIDTH:-8192}"

work="$(mktemp -d "${1:-${TMPDIR:-/tmp}}/mconv-export-1gb.XXXXXX")"
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 -c 'import torch' 2>/dev/null || {
  echo "/usr/bin/python3 cannot import torch: sudo apt-get install -y python3-torch" >&2; exit 3; }
echo "making $work/big.pt: traced MLP, $layers x Linear($width, $width) ..."
t0=$(date +%s%N)
/usr/bin/python3 - "$work/big.pt" "$layers" "$width" <<'PY'
import sys, warnings
import torch
import torch.nn as nn
warnings.filterwarnings("ignore")
path, layers, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0)
mods = []
for i in range(layers):
    mods.append(nn.Linear(width, width))
    if i < layers - 1:
        mods.append(nn.ReLU())
model = nn.Sequential(*mods).eval()
with torch.no_grad():
    traced = torch.jit.trace(model, (torch.randn(1, width),), check_trace=False)
torch.jit.save(traced, path)
print("  %d parameters" % sum(p.numel() for p in model.parameters()))
PY
t1=$(date +%s%N)
echo "  made in $(( (t1 - t0) / 1000000 )) ms, $(du -b "$work/big.pt" | awk '{printf "%.1f", $1/1e6}') MB"

mkdir "$work/out"
echo "mconv convert big.pt --to onnx -o big.onnx --no-validate, with -Xmx512m:"
echo "  command: ${mconv_cmd[*]} (MCONV_JAVA_OPTS=$MCONV_JAVA_OPTS)"
t0=$(date +%s%N)
rc=0
/usr/bin/time -f "%M" -o "$work/rss" "${mconv_cmd[@]}" convert "$work/big.pt" --to onnx -o "$work/out/big.onnx" \
  --no-validate --input-shape "input:1x$width" >/dev/null 2>"$work/err" || rc=$?
t1=$(date +%s%N)
if [ "$rc" -ne 0 ]; then
  if grep -qiE "$PT_UNSUPPORTED_PATTERN" "$work/err"; then
    echo "  convert of .pt not supported by this build yet ($(grep -iE "$PT_UNSUPPORTED_PATTERN" "$work/err" | head -1))"
    exit 0
  fi
  echo "  mconv convert failed (exit $rc):" >&2; tail -5 "$work/err" >&2; exit 1
fi
echo "  wall time  $(( (t1 - t0) / 1000000 )) ms"
echo "  peak RSS   $(( $(tail -1 "$work/rss") / 1024 )) MB"
echo "  output     $(du -cb "$work"/out/* | tail -1 | awk '{printf "%.1f", $1/1e6}') MB ($(cd "$work/out" && ls | paste -sd' '))"
