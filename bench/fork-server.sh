#!/usr/bin/env bash
# What the fork server saves: bktec at concurrency N (default 8) on networkx's classes tests (16 files, 1,373 tests,
# where pytest's start-up is a large share of the work), with the fork server (every worker forked from one pytest that
# has started up) and without it (every worker starts pytest itself), in turn for ROUNDS rounds (default 5). Prints
# each one's median wall and CPU (user + system of the whole process tree) and the medians of the rounds' on / off
# ratios. Needs networkx and pytest: see bench/lib.sh's networkx_python. Method: docs/internals.md.
# Usage: bench/fork-server.sh [ROUNDS [N]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
rounds=${1:-5}
concurrency=${2:-8}
bktec=$PWD/bin/bktec
networkx_bench_setup
cd "$suite"
walls_on=() walls_off=() cpus_on=() cpus_off=() wall_ratios=() cpu_ratios=()
run() {
  timed_run env BUILDKITE_TEST_ENGINE_CONCURRENCY="$concurrency" BUILDKITE_TEST_ENGINE_FORK_SERVER="$1" \
    BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN='classes/**/test_*.py' \
    BUILDKITE_TEST_ENGINE_TEST_CMD="$python -m pytest -q -p no:cacheprovider {{testExamples}}" "$bktec" run
}
run true > /dev/null # warm-up: byte-code and the page cache
for i in $(seq "$rounds"); do
  on_wall=$(run true)
  on_cpu=$(cat "$work/cpu.ms")
  off_wall=$(run false)
  off_cpu=$(cat "$work/cpu.ms")
  walls_on+=("$on_wall") cpus_on+=("$on_cpu") walls_off+=("$off_wall") cpus_off+=("$off_cpu")
  wall_ratios+=("$(awk -v a="$on_wall" -v b="$off_wall" 'BEGIN { printf "%.3f", a / b }')")
  cpu_ratios+=("$(awk -v a="$on_cpu" -v b="$off_cpu" 'BEGIN { printf "%.3f", a / b }')")
  echo "round $i: fork server ${on_wall} ms wall, ${on_cpu} ms CPU; without ${off_wall} ms wall, ${off_cpu} ms CPU"
done
printf 'fork server  wall %6d ms  CPU %6d ms\n' "$(median "${walls_on[@]}")" "$(median "${cpus_on[@]}")"
printf 'without      wall %6d ms  CPU %6d ms\n' "$(median "${walls_off[@]}")" "$(median "${cpus_off[@]}")"
printf 'fork server / without (median of the rounds)  wall %s  CPU %s\n' "$(median "${wall_ratios[@]}")" \
  "$(median "${cpu_ratios[@]}")"
