#!/usr/bin/env bash
# Does the work of `mconv optimize` and `mconv quantize` grow in proportion to the model? Both run, without
# validation, on a chain of N MatMul+Add+Relu layers (3N nodes, 8x8 weights, so the weights cost nothing) at a small
# and a large N; the time per 1,000 nodes, JVM start taken off (the median of `mconv --version`), is compared.
# Linear work gives a ratio near 1, quadratic work about LARGE/SMALL. Until the graph kept an index of its names,
# each new name walked the whole model: quantize took 276 s and optimize 16.8 s on 9,000 nodes.
#
#   bench/graph-scaling.sh
# Environment: SMALL (1000) and LARGE (4000) layers, ROUNDS (3, medians). Goal: ratio <= 2 for both commands.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source bench/lib/mconv-launcher.sh
find_mconv "$root"
small="${SMALL:-1000}" large="${LARGE:-4000}" rounds="${ROUNDS:-3}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The chain models (Python for fixtures only: the system interpreter has onnx).
for n in "$small" "$large"; do
  /usr/bin/python3 - "$n" "$tmp/chain_$n.onnx" <<'PY'
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
nodes, inits, prev = [], [], "x"
for i in range(n):
    inits += [numpy_helper.from_array((rng.random((8, 8)) * 0.2).astype(np.float32), f"w{i}"),
              numpy_helper.from_array((rng.random(8) * 0.1).astype(np.float32), f"b{i}")]
    nodes += [helper.make_node("MatMul", [prev, f"w{i}"], [f"m{i}"]),
              helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"]),
              helper.make_node("Relu", [f"a{i}"], [f"r{i}"])]
    prev = f"r{i}"
g = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 8])],
                      [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [4, 8])], inits)
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), path)
PY
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
seconds() { # COMMAND... -> wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f\n", b - a}'
}
timed() { # COMMAND N -> median wall seconds over the rounds
  local out=() r
  for ((r = 1; r <= rounds; r++)); do
    rm -f "$tmp/out.onnx"
    case "$1" in
      optimize) out+=("$(seconds "${mconv_cmd[@]}" optimize "$tmp/chain_$2.onnx" -O aggressive --no-validate -o "$tmp/out.onnx")") ;;
      quantize) out+=("$(seconds "${mconv_cmd[@]}" quantize "$tmp/chain_$2.onnx" --no-validate -o "$tmp/out.onnx")") ;;
    esac
  done
  printf '%s\n' "${out[@]}" | median
}

starts=()
for ((r = 1; r <= rounds; r++)); do starts+=("$(seconds "${mconv_cmd[@]}" --version)"); done
start=$(printf '%s\n' "${starts[@]}" | median)
echo "chains of $small and $large layers ($((3 * small)) and $((3 * large)) nodes), medians of $rounds; JVM start ${start} s taken off"
verdict=met
for cmd in optimize quantize; do
  ts=$(timed "$cmd" "$small")
  tl=$(timed "$cmd" "$large")
  read -r ps pl ratio ok <<<"$(awk -v ts="$ts" -v tl="$tl" -v s0="$start" -v ns="$((3 * small))" -v nl="$((3 * large))" \
    'BEGIN { ps = (ts - s0) / ns * 1000; pl = (tl - s0) / nl * 1000; if (ps <= 0) ps = 1e-9;
             r = pl / ps; printf "%.3f %.3f %.2f %s\n", ps, pl, r, (r <= 2) ? "met" : "NOT"}')"
  [ "$ok" = met ] || verdict="NOT met"
  printf '  %-9s %6.2f s and %6.2f s: %.3f and %.3f s per 1,000 nodes, ratio %s (goal <= 2: %s)\n' \
    "$cmd" "$ts" "$tl" "$ps" "$pl" "$ratio" "$([ "$ok" = met ] && echo met || echo "NOT met")"
done
echo "scaling goal $verdict"
