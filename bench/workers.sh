#!/usr/bin/env bash
# What workers cost in CPU: on a slice of networkx's own tests (classes, algorithms, drawing), serial pytest, then for
# each concurrency N given (default 2 4 8) `pytest -n N` (pytest-xdist) and `bktec run` at concurrency N, ROUNDS rounds
# (default 1; each takes several minutes), in a different order each round. Prints medians of wall and of the CPU
# (user + system, children included) of each, each one's CPU over serial pytest's, and the busy share (CPU / wall /
# cores). At concurrency 2 bktec also runs with a durations file (bktec-2d: the JUnit XML of a warm-up serial run,
# which is not timed), and the script ends with bktec's wall and CPU over xdist's at the same N (medians of the
# rounds' ratios). The floor for N workers is serial CPU plus N - 1 extra pytest start-ups. With BENCH_UNFORKED=1 each
# bktec-N is paired with bktec-Ns, the same with the fork server off (every worker starts pytest itself), and the
# script also prints bktec-N over bktec-Ns; BENCH_NO_XDIST=1 leaves pytest-xdist out (for more rounds in the same
# time). Method and results: docs/internals.md.
# Needs networkx, numpy, scipy, pytest and pytest-xdist: see bench/lib.sh's networkx_python.
# Usage: bench/workers.sh [ROUNDS [N…]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
rounds=${1:-1}
[[ $# -gt 0 ]] && shift
concurrencies=("$@")
[[ ${#concurrencies[@]} -gt 0 ]] || concurrencies=(2 4 8)
bktec=$PWD/bin/bktec
networkx_bench_setup
cores=$(nproc)
slice=(classes algorithms drawing)
cd "$suite"
declare -A walls cpus
# The concurrency of a kind of run: xdist-4 -> 4, bktec-2d -> 2, bktec-8s -> 8.
concurrency_of() {
  local n=${1#*-}
  n=${n%d}
  echo "${n%s}"
}
kinds=(serial)
for n in "${concurrencies[@]}"; do
  [[ ${BENCH_NO_XDIST:-} == 1 ]] || kinds+=("xdist-$n")
  kinds+=("bktec-$n")
  [[ $n == 2 ]] && kinds+=(bktec-2d)
  [[ ${BENCH_UNFORKED:-} == 1 ]] && kinds+=("bktec-${n}s")
done
echo "warm-up: serial pytest writing the durations file"
"$python" -m pytest -q -p no:cacheprovider --junitxml="$work/durations.xml" "${slice[@]}" > "$work/warm-up.log" 2>&1 ||
  { tail -20 "$work/warm-up.log"; exit 1; }
for i in $(seq "$rounds"); do
  for kind in $(printf '%s\n' "${kinds[@]}" | shuf --random-source=<(yes "$i")); do
    n=$(concurrency_of "$kind")
    durations=""
    [[ $kind == *d ]] && durations=$work/durations.xml
    fork_server=true
    [[ $kind == bktec-*s ]] && fork_server=false
    case $kind in
      serial) wall=$(timed_run "$python" -m pytest -q -p no:cacheprovider "${slice[@]}") ;;
      xdist-*) wall=$(timed_run "$python" -m pytest -q -p no:cacheprovider -p xdist.plugin -n "$n" "${slice[@]}") ;;
      bktec-*)
        wall=$(timed_run env BUILDKITE_TEST_ENGINE_CONCURRENCY="$n" BUILDKITE_TEST_ENGINE_DURATIONS_FILE="$durations" \
          BUILDKITE_TEST_ENGINE_FORK_SERVER="$fork_server" \
          BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN='{classes,algorithms,drawing}/**/test_*.py' \
          BUILDKITE_TEST_ENGINE_TEST_CMD="$python -m pytest -q -p no:cacheprovider {{testExamples}}" "$bktec" run) ;;
    esac
    walls[$kind]+="$wall "
    cpus[$kind]+="$(cat "$work/cpu.ms") "
    echo "round $i: $kind ${wall} ms, CPU $(cat "$work/cpu.ms") ms"
  done
done
# shellcheck disable=SC2086 # the lists are space-separated numbers
serial_cpu=$(median ${cpus[serial]})
for kind in "${kinds[@]}"; do
  # shellcheck disable=SC2086
  w=$(median ${walls[$kind]})
  # shellcheck disable=SC2086
  c=$(median ${cpus[$kind]})
  awk -v k="$kind" -v w="$w" -v c="$c" -v s="$serial_cpu" -v cores="$cores" 'BEGIN {
    printf "%-10s wall %7d ms  CPU %7d ms  CPU/serial %.2f  busy %.0f%%\n", k, w, c, c / s, 100 * c / w / cores }'
done
# The median over rounds of bktec's value over xdist's in the same round.
paired() { # LIST_A LIST_B
  local a b i ratios=()
  read -ra a <<< "$1"
  read -ra b <<< "$2"
  for i in "${!a[@]}"; do
    ratios+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", x / y }')")
  done
  median "${ratios[@]}"
}
for kind in "${kinds[@]}"; do
  [[ $kind == bktec-* && ${BENCH_NO_XDIST:-} != 1 ]] || continue
  n=$(concurrency_of "$kind")
  printf '%-10s / xdist-%s  wall %s  CPU %s\n' "$kind" "$n" "$(paired "${walls[$kind]}" "${walls[xdist-$n]}")" \
    "$(paired "${cpus[$kind]}" "${cpus[xdist-$n]}")"
done
if [[ ${BENCH_UNFORKED:-} == 1 ]]; then
  for n in "${concurrencies[@]}"; do
    printf 'bktec-%-4s / bktec-%ss  wall %s  CPU %s\n' "$n" "$n" "$(paired "${walls[bktec-$n]}" "${walls[bktec-${n}s]}")" \
      "$(paired "${cpus[bktec-$n]}" "${cpus[bktec-${n}s]}")"
  done
fi
