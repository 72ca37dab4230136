#!/usr/bin/env bash
# Runs the Jazzer fuzz tests in fuzzing mode (issue 8), one target at a time, and prints a summary per target:
# executions, time, exec/s, coverage (libFuzzer's cov/ft), and findings.
#
#   tools/fuzz/run.sh TARGET|all [--runs N | --time S]      (default: --runs 1000000)
#   tools/fuzz/run.sh --list
#
# Plain `mvn test` replays only the committed seeds (regression mode). Here JAZZER_FUZZ=1 makes Jazzer mutate them;
# inputs libFuzzer finds interesting go to <module>/.cifuzz-corpus/ (git-ignored, reused by the next run), and a
# crashing input is written next to the seeds (src/test/resources/.../<Class>Inputs/<method>/crash-*), where the
# next `mvn test` replays it. Full logs: target/fuzz/<target>.log. Not for CI: a million runs take minutes per target.
set -euo pipefail
cd "$(dirname "$0")/../.."

# name  module  class  method
TARGETS="
model-reader        onnx-proto io.mconv.onnx.io.ModelReaderFuzzTest                       readModel
external-data       onnx-proto io.mconv.onnx.io.ExternalDataFuzzTest                      resolveExternalData
importer            passes     io.mconv.ir.serde.ProtoImporterFuzzTest                    importModel
zip                 agent      io.mconv.torch.archive.ZipArchiveFuzzTest                  openZip
torchscript-archive agent      io.mconv.torch.archive.TorchScriptArchiveFuzzTest          openArchive
unpickler           agent      io.mconv.torch.pickle.UnpicklerFuzzTest                    unpickle
script-parser       agent      io.mconv.torch.script.ScriptParserFuzzTest                 parse
npy                 agent      io.mconv.agent.quantize.calibration.NpyReaderFuzzTest      parseNpy
input-shape         cli        io.mconv.cli.options.OptionValuesFuzzTest                  inputShape
byte-size           cli        io.mconv.cli.options.OptionValuesFuzzTest                  byteSize
time-span           cli        io.mconv.cli.options.OptionValuesFuzzTest                  timeSpan
dynamic-axes        cli        io.mconv.cli.options.OptionValuesFuzzTest                  dynamicAxes
"

usage() {
    echo "usage: tools/fuzz/run.sh TARGET|all [--runs N | --time S]   (tools/fuzz/run.sh --list for the targets)" >&2
    exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = "--list" ]; then
    echo "$TARGETS" | awk 'NF { printf "%-20s %s#%s (%s)\n", $1, $3, $4, $2 }'
    exit 0
fi
target=$1
shift
runs=1000000
time_s=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || usage; runs=$2; time_s=""; shift 2 ;;
        --time) [ $# -ge 2 ] || usage; time_s=$2; runs=0; shift 2 ;;
        *) usage ;;
    esac
done
[[ "$runs" =~ ^[0-9]+$ ]] || usage
[ -z "$time_s" ] || [[ "$time_s" =~ ^[0-9]+$ ]] || usage

if [ "$target" = "all" ]; then
    selected=$(echo "$TARGETS" | awk 'NF { print $1 }')
else
    echo "$TARGETS" | awk -v t="$target" '$1 == t { found = 1 } END { exit !found }' \
        || { echo "run.sh: unknown target '$target'" >&2; "$0" --list >&2; exit 2; }
    selected=$target
fi

mkdir -p target/fuzz
# One build first, so that the per-target runs below only run tests.
echo "building (mvn -o test-compile) ..."
mvn -B -o -q -pl cli -am test-compile > target/fuzz/build.log 2>&1 || { cat target/fuzz/build.log; exit 1; }

# Without a duration limit Jazzer's @FuzzTest default (the annotation's maxDuration) would stop the run early.
duration=${time_s:+${time_s}s}
duration=${duration:-24h}

summary=()
failed=0
for name in $selected; do
    read -r _ module class method < <(echo "$TARGETS" | awk -v t="$name" '$1 == t')
    log=target/fuzz/$name.log
    inputs="$module/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
    before=$(ls "$inputs" 2>/dev/null | grep -c '^\(crash\|timeout\|oom\|leak\)-' || true)
    if [ -n "$time_s" ]; then limit="$time_s s"; else limit="$runs runs"; fi
    echo "fuzzing $name ($class#$method): $limit ..."
    start=$(date +%s)
    # jazzer.hooks=true: coverage instrumentation (off in junit-platform.properties for the fast regression run).
    # JUnit's own @Timeout is disabled: Jazzer passes it to libFuzzer as the per-input -timeout instead, whereas JUnit
    # would apply it to the whole fuzzing run.
    set +e
    JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test \
        -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.hooks=true -Djazzer.max_duration="$duration" -Djazzer.max_executions="$runs" \
        -Djunit.jupiter.execution.timeout.mode=disabled > "$log" 2>&1
    rc=$?
    set -e
    elapsed=$(( $(date +%s) - start ))
    status=$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
    execs=$(grep -a -o -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{ print $2 " runs in " $5 " s" }')
    [ -n "$execs" ] || execs="$(echo "$status" | grep -o -E '^#[0-9]+' | tr -d '#') runs (stopped early)"
    cov=$(echo "$status" | grep -o -E 'cov: [0-9]+ ft: [0-9]+' || true)
    rate=$(echo "$status" | grep -o -E 'exec/s: [0-9]+' || true)
    after=$(ls "$inputs" 2>/dev/null | grep -c '^\(crash\|timeout\|oom\|leak\)-' || true)
    findings=$((after - before))
    if grep -a -q -E '== Java Exception|FuzzTestFinding|DEATH:|libFuzzer: (timeout|out-of-memory)' "$log" \
            || [ "$findings" -gt 0 ] || [ $rc -ne 0 ]; then
        failed=1
        cause=$(grep -a -m1 -E '== Java Exception:|FuzzTestFinding|ERROR\] .*»' "$log" | cut -c1-200 || true)
        line="$name: FINDING (rc $rc, $findings new input(s) in $inputs) ${cause:-see $log}; $execs, $cov"
    else
        line="$name: $execs, $rate, $cov, wall ${elapsed} s, findings 0"
    fi
    echo "  $line"
    summary+=("$line")
done

echo
echo "summary"
printf '  %s\n' "${summary[@]}"
exit $failed
