#!/usr/bin/env bash
# BAD_INPUTS 19 at scale: KillMidWriteTest asking for 200 kills (the normal suite asks for 40). Each round starts
# `mconv optimize` or `mconv convert --external-data` on a ~105 MB model as a child JVM, SIGKILLs it at a random
# moment (half the rounds anywhere in the run, half while it writes), and checks the destination is absent, the old
# file, or the complete new one; every 10 rounds a full run must leave no temporary file behind. A round whose run
# ends before its kill moment is not a kill, so rounds go on until KILLS processes were really killed (at most 3
# rounds per kill; hitting that cap fails the test).
# Prints "kills: K of K asked (M mid-write) in R rounds, corrupt: 0, partial: 0 [...]".
#
#   bench/kill-test.sh [KILLS]     KILLS defaults to 200
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
kills="${1:-200}"
cd "$here"
mvn -B -o -q -pl cli -am test -Dtest=KillMidWriteTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmaven.test.redirectTestOutputToFile=true -Dmconv.killTest.kills="$kills" || { grep -h "kills:" cli/target/surefire-reports/*KillMidWriteTest-output.txt 2>/dev/null; exit 1; }
grep -h "kills:" cli/target/surefire-reports/*KillMidWriteTest-output.txt
