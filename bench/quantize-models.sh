#!/usr/bin/env bash
# Issue 5's quantization figures and the advisor's check, measured in one run on this machine:
# for bert_like, gpt2_like, resnet18 and mobilenet_v2 the quantization advisor measures fp32, dynamic int8
# (qoperator full-range and, without VNNI, reduce-range; qdq per-channel), static QDQ int8 per-channel (calibrated on
# seeded N(0,1) samples, evaluated on other N(0,1) samples: the same distribution), weight-only int4 (MatMulNBits)
# and fp16, and prints size ratio, ORT CPU latency ratio against fp32 (medians of interleaved rounds), cosine, max
# abs error; then its pick and the check that the pick meets the limit and no plan is both no larger and faster.
#
#   bench/quantize-models.sh [MODEL.onnx[@INPUT:DIMS] ...]
# Environment: ROUNDS (20), THREADS (1), SAMPLES (4), MAX_DROP (0.01).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
gen=testdata/generated
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  testdata/make_models.sh bert_like gpt2_like resnet18 mobilenet_v2 >/dev/null
  models=("$gen/bert_like.onnx@input_ids:1x16" "$gen/gpt2_like.onnx@input_ids:1x32" "$gen/resnet18.onnx"
          "$gen/mobilenet_v2.onnx")
fi
mvn -q -B -o -DskipTests package -pl agent -am
# This tree's modules from their target folders (never the shared ~/.m2 snapshots), third-party jars from Maven.
cp_file="$root/agent/target/bench.classpath"
mvn -q -B -o -pl agent dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test \
  -DexcludeGroupIds=io.mconv >/dev/null
modules="onnx-proto/target/classes:passes/target/classes:passes/target/test-classes:agent/target/classes"
java -Xmx3g -Drounds="${ROUNDS:-20}" -Dthreads="${THREADS:-1}" -Dsamples="${SAMPLES:-4}" \
  -DmaxDrop="${MAX_DROP:-0.01}" \
  -cp "$modules:agent/target/test-classes:$(cat "$cp_file")" \
  io.mconv.agent.bench.QuantizeModelsBench "${models[@]}"
