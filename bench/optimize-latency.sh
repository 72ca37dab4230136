#!/usr/bin/env bash
# Issue 3's speed goals, measured in one run on this machine (medians; a shared 2-core machine is noisy):
#   1. ORT latency of the model optimized by `mconv -O aggressive`, ORT's own optimizations off,
#      <= the original at ORT BASIC;
#   2. ORT latency of `mconv -O aggressive --target ort` at ORT_ENABLE_ALL <= the original at ORT_ENABLE_ALL;
#   3. `mconv optimize` of resnet50 under 2 s of wall time, JVM start included, with bounded memory.
#
#   bench/optimize-latency.sh [MODEL.onnx ...]    (default: the five fixture models of issue 3)
# Environment: RUNS (50), WARMUP (10), DISABLE (passes to leave out, comma-separated), SHAPES (sizes for symbolic
# inputs, default input_ids:1x64, the most positions bert_like has). The five set-ups of a model are measured in interleaved rounds, so the
# machine's drift falls on all of them alike.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
gen=testdata/generated
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  testdata/make_models.sh resnet18 mobilenet_v2 efficientnet_b0 convnext_tiny bert_like resnet50 >/dev/null
  models=("$gen/resnet18.onnx" "$gen/mobilenet_v2.onnx" "$gen/efficientnet_b0.onnx" "$gen/convnext_tiny.onnx"
          "$gen/bert_like.onnx")
fi
mvn -q -B -o -DskipTests package
# This tree's modules from their target folders (never the shared ~/.m2 snapshots), third-party jars from Maven.
cp_file="$root/agent/target/bench.classpath"
mvn -q -B -o -pl agent dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test \
  -DexcludeGroupIds=io.mconv >/dev/null
modules="onnx-proto/target/classes:passes/target/classes:passes/target/test-classes:agent/target/classes"
java -Xmx2g -Druns="${RUNS:-50}" -Dwarmup="${WARMUP:-10}" -Ddisable="${DISABLE:-}" \
  -Dshapes="${SHAPES:-input_ids:1x64}" -DperRound="${PER_ROUND:-2}" -Dspinning="${SPINNING:-false}" \
  -cp "$modules:agent/target/test-classes:$(cat "$cp_file")" \
  io.mconv.agent.bench.OptimizeLatencyBench "${models[@]}"

echo
echo "mconv optimize resnet50 -O aggressive, wall time with JVM start (median of 5), max RSS:"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Timed as users run it: through the launcher install.sh writes (class-data sharing archive, serial GC), installed
# into the scratch folder from this tree's jars.
./install.sh --prefix "$out/inst" >/dev/null 2>&1
for flags in "--no-validate" ""; do
  times=()
  for _ in 1 2 3 4 5; do
    s=$( { MCONV_JAVA_OPTS=-Xmx1g /usr/bin/time -f "%e %M" "$out/inst/bin/mconv" optimize "$gen/resnet50.onnx" \
          -o "$out/r50.onnx" -O aggressive $flags >/dev/null; } 2>&1 | tail -1)
    times+=("$s")
  done
  med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  echo "  ${flags:-with ORT validation}: ${med%% *} s, max RSS $(( ${med##* } / 1024 )) MB (goal < 2 s)"
done
