#!/usr/bin/env bash
# In-node concurrency on a real suite: networkx's own tests (shipped inside the package), run by serial pytest,
# `pytest -n 2` (pytest-xdist) and `bktec run` at concurrency 2 with and without a durations file, ROUNDS rounds
# (default 3), the four in a different order each round. Prints each one's median wall and CPU (user + system of it and
# its children) and the ratios to xdist. Every command gets the same pytest options; bktec names no result file (its
# pytest plugin reports the outcomes). The durations file comes from one bktec run beforehand, not timed.
# Needs networkx, numpy, scipy, pytest and pytest-xdist: a virtualenv is made under target/bench-networkx from pip's
# configured index the first time (BKTEC_BENCH_PYTHON=<python> uses one that has them).
# Usage: bench/networkx.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
rounds=${1:-3}
bktec=$PWD/bin/bktec
networkx_bench_setup
options=(-q -p no:cacheprovider)
bktec_command="$python -m pytest ${options[*]} {{testExamples}}"
cd "$suite"
echo "networkx $("$python" -c 'import networkx; print(networkx.__version__)') in $suite; python $("$python" -c 'import sys; print(sys.version.split()[0])')"


env BUILDKITE_TEST_ENGINE_CONCURRENCY=2 BUILDKITE_TEST_ENGINE_TEST_CMD="$bktec_command" \
  BUILDKITE_TEST_ENGINE_DURATIONS_FILE="$work/durations.json" BUILDKITE_TEST_ENGINE_WRITE_DURATIONS=true \
  "$bktec" run > "$work/durations.log" 2>&1 || { tail -20 "$work/durations.log"; exit 1; }

declare -A wall cpu
for i in $(seq "$rounds"); do
  for kind in $(printf '%s\n' serial xdist bktec bktec-durations | shuf --random-source=<(yes "$i")); do
    case $kind in
      serial) w=$(timed_run "$python" -m pytest "${options[@]}") ;;
      xdist) w=$(timed_run "$python" -m pytest "${options[@]}" -p xdist.plugin -n 2) ;;
      bktec) w=$(timed_run env BUILDKITE_TEST_ENGINE_CONCURRENCY=2 BUILDKITE_TEST_ENGINE_TEST_CMD="$bktec_command" \
        BUILDKITE_TEST_ENGINE_DURATIONS_FILE="$work/none.json" "$bktec" run) ;;
      bktec-durations) w=$(timed_run env BUILDKITE_TEST_ENGINE_CONCURRENCY=2 BUILDKITE_TEST_ENGINE_TEST_CMD="$bktec_command" \
        BUILDKITE_TEST_ENGINE_DURATIONS_FILE="$work/durations.json" "$bktec" run) ;;
    esac
    wall[$kind]="${wall[$kind]:-} $w"
    cpu[$kind]="${cpu[$kind]:-} $(cat "$work/cpu.ms")"
    echo "round $i: $kind ${w} ms wall, $(cat "$work/cpu.ms") ms CPU" >&2
  done
done
# shellcheck disable=SC2086 # the lists are words on purpose
for kind in serial xdist bktec bktec-durations; do
  echo "$kind: wall $(median ${wall[$kind]}) ms (all:${wall[$kind]}), CPU $(median ${cpu[$kind]}) ms (all:${cpu[$kind]})"
done
# shellcheck disable=SC2086
x=$(median ${wall[xdist]}) xc=$(median ${cpu[xdist]})
# shellcheck disable=SC2086
for kind in bktec bktec-durations; do
  echo "$kind/xdist: wall $(awk -v a="$(median ${wall[$kind]})" -v b="$x" 'BEGIN {printf "%.3f", a / b}'), CPU $(awk -v a="$(median ${cpu[$kind]})" -v b="$xc" 'BEGIN {printf "%.3f", a / b}')"
done
