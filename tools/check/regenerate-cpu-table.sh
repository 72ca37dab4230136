#!/bin/sh
# Regenerates agent/src/main/resources/io/mconv/agent/check/cpu.caps from the ONNX Runtime on the build's classpath
# (one single-node session per operator version and type), then shows the diff to review before committing.
set -eu
cd "$(dirname "$0")/../.."
mvn -B -o -q -pl agent -am test -Dtest='CpuCapabilityTableTest' -Dsurefire.failIfNoSpecifiedTests=false \
    >/dev/null 2>&1 || true
cp agent/target/check/cpu.caps agent/src/main/resources/io/mconv/agent/check/cpu.caps
git --no-pager diff --stat -- agent/src/main/resources/io/mconv/agent/check/cpu.caps
