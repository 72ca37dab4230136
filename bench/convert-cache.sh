#!/usr/bin/env bash
# Issue 7's cache goal: a second identical `mconv convert` is at least 5x faster than the first, because every step
# (export, optimize, quantize, validation against libtorch, profile) is served from the step cache.
#   mconv convert resnet18.pt --to onnx --quantize int8 -o OUT --input-shape x:1x3x224x224:float32 --cache-dir C
# Both runs are whole processes, start-up included; the cache folder starts empty. Prints both wall times, the
# ratio first/second, and whether the two outputs are byte-identical.
#
#   bench/convert-cache.sh [MODEL.pt]      (default: testdata/generated/torch/resnet18.pt, made if missing)
# Environment: MCONV (the mconv command; default the installed launcher, see lib/mconv-launcher.sh), QUANTIZE (int8)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/mconv-launcher.sh
. "$root/bench/lib/mconv-launcher.sh"
pt="${1:-$root/testdata/generated/torch/resnet18.pt}"
if [ $# -eq 0 ] && [ ! -f "$pt" ]; then
  "$root/testdata/make_torch_zoo.sh" --no-onnx-check resnet18
fi
[ -f "$pt" ] || { echo "no such file: $pt" >&2; exit 2; }
find_mconv "$root"
quantize="${QUANTIZE:-int8}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shape_args=($(input_shape_args "$pt"))

run() { # run OUT: one conversion, prints its wall seconds
  local out="$1" t0 t1
  t0=$(date +%s%N)
  "${mconv_cmd[@]}" convert "$pt" --to onnx --quantize "$quantize" -o "$out" "${shape_args[@]}" \
    --cache-dir "$work/cache" --report "$out.report.json" >"$out.log" 2>&1 || {
      cat "$out.log" >&2; echo "mconv convert failed" >&2; exit 4; }
  t1=$(date +%s%N)
  echo "scale=2; ($t1 - $t0) / 1000000000" | bc
}

echo "model: $pt, --quantize $quantize, cache: $work/cache (empty)"
first=$(run "$work/first.onnx")
second=$(run "$work/second.onnx")
hits=$(grep -o '"cache_hits" : [0-9]*' "$work/second.onnx.report.json" | grep -o '[0-9]*$')
steps=$(grep -c '"cached" :' "$work/second.onnx.report.json")
identical=no
cmp -s "$work/first.onnx" "$work/second.onnx" && identical=yes
echo "first run:  ${first} s"
echo "second run: ${second} s  (${hits} of ${steps} steps from the cache)"
echo "ratio:      $(echo "scale=1; $first / $second" | bc)x  (goal >= 5x)"
echo "identical outputs: $identical"
# the first run's report: what the conversion measured
for k in source_bytes target_bytes speedup accuracy_drop peak_memory_bytes; do
  printf '%s: %s\n' "$k" "$(grep -m1 -o "\"$k\" : [^,]*" "$work/first.onnx.report.json" | sed 's/.* : //')"
done
