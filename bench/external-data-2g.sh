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
tensors="${1:-40}"; mib="${2:-64}"; base="${3:-/tmp}"
out_log="$root/onnx-proto/target/bench-out.log"
java -Xmx512m -Xlog:gc:file="$gc_log" \
  -cp "onnx-proto/target/classes:onnx-proto/target/test-classes:$(cat "$cp_file")" \
  io.mconv.onnx.io.bench.ExternalData2G "$tensors" "$mib" "$base" keep-source | tee "$out_log"
echo "gc log: $(grep -c 'Pause' "$gc_log") pauses; largest heap after GC: $(grep -o '[0-9]*M->[0-9]*M' "$gc_log" | sed 's/.*->//' | sort -n | tail -1)"

# The same model through the whole mconv pipeline (file -> IR -> writer), as a user runs it, under -Xmx512m.
src=$(sed -n 's/^source kept: //p' "$out_log")
work=$(dirname "$(dirname "$src")")
trap 'rm -rf "$work"' EXIT
[ -f cli/target/mconv.jar ] || mvn -q -B -o -DskipTests package
mconv() { /usr/bin/time -f "    %e s wall, %M KB max RSS" java -Xmx512m -Xlog:gc:file="$gc_log" -jar cli/target/mconv.jar "$@"; }
echo "mconv convert (IR round trip, AUTO external data, no ORT validation: ORT takes at most 2 GiB in memory):"
mconv convert "$src" --to onnx -o "$work/out/converted.onnx" --no-validate | sed 's/^/    /'
heap_after_gc() { local h; h=$(grep -o '[0-9]*M->[0-9]*M' "$gc_log" | sed 's/.*->//' | sort -n | tail -1); echo "${h:-no collection was needed}"; }
echo "    heap after GC, largest: $(heap_after_gc)"
echo "mconv inspect of the converted model:"
mconv inspect "$work/out/converted.onnx" | sed -n '1,6p' | sed 's/^/    /'
echo "    heap after GC, largest: $(heap_after_gc)"
