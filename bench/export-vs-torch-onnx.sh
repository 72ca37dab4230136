#!/usr/bin/env bash
# Issue 4's speed goal: mconv's pure-Java TorchScript -> ONNX export of resnet50 takes at most half the wall time
# of torch's own exporter on the same file. Both sides are whole processes, start-up included, as a user runs them:
#   mconv   mconv convert resnet50.pt --to onnx -o X --no-validate --input-shape x:1x3x224x224:float32
#   python  /usr/bin/python3: torch.jit.load(resnet50.pt) + torch.onnx.export(opset 17) of a 1x3x224x224 input
# The two are timed in interleaved rounds (machine drift falls on both alike); prints medians, max RSS and the
# ratio mconv/python (goal <= 0.5). Until mconv has its exporter it says so and prints the Python side alone.
#
#   bench/export-vs-torch-onnx.sh [MODEL.pt]      (default: testdata/generated/torch/resnet50.pt, made if missing)
# Environment: RUNS (5, rounds), MCONV (the mconv command; default the installed launcher, see lib/mconv-launcher.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/mconv-launcher.sh
. "$root/bench/lib/mconv-launcher.sh"
runs="${RUNS:-5}"
pt="${1:-$root/testdata/generated/torch/resnet50.pt}"
if [ $# -eq 0 ] && [ ! -f "$pt" ]; then
  "$root/testdata/make_torch_zoo.sh" --no-onnx-check resnet50
fi
[ -f "$pt" ] || { echo "no such file: $pt" >&2; exit 2; }
find_mconv "$root"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# torch.onnx.export needs example inputs (mconv does not); a 1x3x224x224 image unless the zoo's facts file says
# otherwise for a float model with one input.
cat >"$work/torch_export.py" <<'PY'
import json, os, sys, warnings
import torch
warnings.filterwarnings("ignore")
pt, out = sys.argv[1], sys.argv[2]
shape = [1, 3, 224, 224]
facts = pt[:-3] + ".facts.json"
if os.path.exists(facts):
    ins = json.load(open(facts))["inputs"]
    if len(ins) == 1 and ins[0]["dtype"] == "float32":
        shape = ins[0]["shape"]
module = torch.jit.load(pt)
torch.onnx.export(module, (torch.randn(shape),), out, opset_version=17)
PY

# run_timed NAME CMD...: appends "wall_ms max_rss_kb" to $work/NAME.times; fails when the command does.
run_timed() {
  local name="$1"; shift
  local t0 t1 rss
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/$name.err" || {
    echo "$name failed:" >&2; tail -5 "$work/$name.err" >&2; return 1; }
  t1=$(date +%s%N)
  rss=$(tail -1 "$work/rss")
  echo "$(( (t1 - t0) / 1000000 )) $rss" >>"$work/$name.times"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
median_ms() { cut -d' ' -f1 "$work/$1.times" | median; }
max_rss_mb() { cut -d' ' -f2 "$work/$1.times" | sort -n | tail -1 | awk '{printf "%d", $1/1024}'; }

python_cmd=(/usr/bin/python3 "$work/torch_export.py" "$pt" "$work/python.onnx")
# shellcheck disable=SC2207
shape_args=($(input_shape_args "$pt"))
mconv_cmd_line=("${mconv_cmd[@]}" convert "$pt" --to onnx -o "$work/mconv.onnx" --no-validate "${shape_args[@]}")

# One untimed run of each warms the page cache and tells whether mconv can convert .pt at all.
mconv_ok=1
probe_pt_convert "$pt" "$work/mconv.onnx" "$work/probe.err" "${shape_args[@]}" || {
  rc=$?
  if [ "$rc" -eq 10 ]; then
    echo "mconv: convert of .pt not supported by this build yet ($(head -1 "$work/probe.err"))"
    echo "       timing the Python side alone"
  else
    echo "mconv convert failed (exit $rc):" >&2; tail -5 "$work/probe.err" >&2
  fi
  mconv_ok=0
  mconv_failed_rc=$rc
}
"${python_cmd[@]}" >/dev/null 2>"$work/python.err" || {
  echo "the Python side failed:" >&2; tail -5 "$work/python.err" >&2; exit 1; }

for _ in $(seq "$runs"); do
  [ "$mconv_ok" -eq 1 ] && run_timed mconv "${mconv_cmd_line[@]}"
  run_timed python "${python_cmd[@]}"
done

size_mb() { du -cb "$@" 2>/dev/null | tail -1 | awk '{printf "%.1f", $1/1e6}'; }
echo "model: $pt ($(size_mb "$pt") MB), $runs interleaved rounds, medians"
py=$(median_ms python)
echo "  python torch.jit.load + torch.onnx.export  ${py} ms, max RSS $(max_rss_mb python) MB," \
     "output $(size_mb "$work"/python.onnx*) MB"
if [ "$mconv_ok" -eq 1 ]; then
  mc=$(median_ms mconv)
  echo "  mconv convert --no-validate                ${mc} ms, max RSS $(max_rss_mb mconv) MB," \
       "output $(size_mb "$work"/mconv.onnx*) MB"
  ratio=$(awk "BEGIN {printf \"%.2f\", $mc/$py}")
  echo "  ratio mconv/python                         ${ratio}"
  awk "BEGIN {exit !($ratio <= 0.5)}" && echo "goal (ratio <= 0.5): met" || { echo "goal (ratio <= 0.5): NOT met"; exit 1; }
else
  echo "  mconv convert                              not measured"
  [ "$mconv_failed_rc" -eq 10 ] || exit 1
fi
