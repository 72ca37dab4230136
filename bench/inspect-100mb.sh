#!/usr/bin/env bash
# Times `mconv inspect` end to end (JVM start included) on a ~100 MB model: the goal is under 1 s.
# Prints the median of N runs, and as a same-run baseline the median of `mconv --version` (JVM start + CLI
# set-up, no model), so the cost of reading and analysing the model is visible apart from start-up noise.
#
#   bench/inspect-100mb.sh [N] [LAUNCHER]
#   N defaults to 11; LAUNCHER defaults to ~/.local/bin/mconv (run ./install.sh first).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-11}"
mconv="${2:-$HOME/.local/bin/mconv}"
model="$here/testdata/generated/mlp_100mb.onnx"
[ -x "$mconv" ] || { echo "no launcher at $mconv: run ./install.sh first" >&2; exit 2; }
[ -f "$model" ] || "$here/testdata/make_models.sh" mlp_100mb

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_runs() {
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
  done | median
}

"$mconv" inspect "$model" >/dev/null   # warm the page cache
size=$(stat -c %s "$model")
base=$(time_runs "$mconv" --version)
inspect=$(time_runs "$mconv" inspect "$model")
json=$(time_runs "$mconv" inspect "$model" --json)
echo "model: $model ($((size / 1000000)) MB), $runs runs each, medians"
echo "  mconv --version (baseline)  ${base} ms"
echo "  mconv inspect               ${inspect} ms  (ratio to baseline $(awk "BEGIN {printf \"%.2f\", $inspect/$base}"))"
echo "  mconv inspect --json        ${json} ms"
awk "BEGIN {exit !($inspect < 1000)}" && echo "goal (< 1000 ms): met" || { echo "goal (< 1000 ms): NOT met"; exit 1; }
