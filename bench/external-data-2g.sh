#!/usr/bin/env bash
# Benchmark: write and read a model with > 2 GiB of float weights through external data, with the JVM capped at
# -Xmx512m. The main class is onnx-proto/src/test/java/io/mconv/onnx/io/bench/ExternalData2G.java (test sources,
# so it ships in no jar). Arguments: [tensors=40] [MiB per tensor=64] [work folder=/tmp]. Needs about twice the
# weights in free disk space (source data + written data); deletes its files at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B -o -pl onnx-proto test-compile
cp_file="$root/onnx-proto/target/bench.classpath"
if ! mvn -q -B -o -pl onnx-proto dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1; then
  echo "$HOME/.m2/repository/com/google/protobuf/protobuf-java/4.36.2/protobuf-java-4.36.2.jar" > "$cp_file"
fi
gc_log="$root/onnx-proto/target/bench-gc.log"
java -Xmx512m -Xlog:gc:file="$gc_log" \
  -cp "onnx-proto/target/classes:onnx-proto/target/test-classes:$(cat "$cp_file")" \
  io.mconv.onnx.io.bench.ExternalData2G "$@"
echo "gc log: $(grep -c 'Pause' "$gc_log") pauses; largest heap after GC: $(grep -o '[0-9]*M->[0-9]*M' "$gc_log" | sed 's/.*->//' | sort -n | tail -1)"
