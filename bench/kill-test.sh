#!/usr/bin/env bash
# BAD_INPUTS 19 at scale: KillMidWriteTest with 200 rounds (the normal suite runs 40). Each round starts
# `mconv optimize` or `mconv convert --external-data` on a ~105 MB model as a child JVM, SIGKILLs it at a random
# moment (half the rounds anywhere in the run, half while it writes), and checks the destination is absent, the old
# file, or the complete new one; every 10 rounds a full run must leave no temporary file behind.
# Prints "kills: N (M left a temporary, i.e. died mid-write), corrupt: 0, partial: 0".
#
#   bench/kill-test.sh [ROUNDS]     ROUNDS defaults to 200
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-200}"
cd "$here"
mvn -B -o -q -pl cli -am test -Dtest=KillMidWriteTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmaven.test.redirectTestOutputToFile=true -Dmconv.killTest.rounds="$rounds" || { grep -h "kills:" cli/target/surefire-reports/*KillMidWriteTest-output.txt 2>/dev/null; exit 1; }
grep -h "kills:" cli/target/surefire-reports/*KillMidWriteTest-output.txt
