#!/usr/bin/env bash
# Reliability stress runs (not part of CI, which runs one trial of each):
#   cancel scenarios (SIGTERM/SIGINT/SIGHUP at several moments, concurrency 3, during a retry, during an API call),
#   each repeated $TRIALS times (default 20), and the no-false-green pipeline property with $CASES cases
#   (default 10000).
# Usage: bench/stress.sh [trials] [cases]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
trials=${1:-20}
cases=${2:-10000}
mvn -B -q package -DskipTests
echo "--- no-false-green property: $cases cases"
mvn -B -o -q surefire:test -Dtest=NoFalseGreenPropertyTest -Djqwik.tries.default="$cases" 2>&1 | tail -20
echo "--- cancel scenarios: $trials trials each"
mvn -B -o -q failsafe:integration-test failsafe:verify -Dit.test=CancelIT -Dbktec.cancel.trials="$trials" \
  -Dbktec.jar="$PWD/target/bktec.jar" 2>&1 | tail -20
grep -h -o 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' target/failsafe-reports/TEST-io.bktec.e2e.CancelIT.xml \
  | sed "s/^/CancelIT ($trials trials per test): /"
grep -h -o 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' target/surefire-reports/TEST-io.bktec.run.NoFalseGreenPropertyTest.xml \
  | sed "s/^/NoFalseGreenPropertyTest ($cases cases): /"
