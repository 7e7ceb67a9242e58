#!/usr/bin/env bash
# What workers cost in CPU: on a slice of networkx's own tests (classes, algorithms, drawing), serial pytest, then for
# each concurrency N given (default 2 4 8) `pytest -n N` (pytest-xdist) and `bktec run` at concurrency N, ROUNDS rounds
# (default 1; each takes several minutes), in a different order each round. Prints medians of wall and of the CPU
# (user + system, children included) of each, each one's CPU over serial pytest's, and the busy share (CPU / wall /
# cores). The floor for N workers is serial CPU plus N - 1 extra pytest start-ups.
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
python=$(networkx_python)
suite=$("$python" -c 'import networkx, os; print(os.path.dirname(networkx.__file__))')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 BKTEC_CACHE_DIR="$work/cache"
cores=$(nproc)
slice=(classes algorithms drawing)
cd "$suite"
declare -A walls cpus
kinds=(serial)
for n in "${concurrencies[@]}"; do
  kinds+=("xdist-$n" "bktec-$n")
done
for i in $(seq "$rounds"); do
  for kind in $(printf '%s\n' "${kinds[@]}" | shuf --random-source=<(yes "$i")); do
    n=${kind#*-}
    case $kind in
      serial) wall=$(timed_run "$python" -m pytest -q -p no:cacheprovider "${slice[@]}") ;;
      xdist-*) wall=$(timed_run "$python" -m pytest -q -p no:cacheprovider -p xdist.plugin -n "$n" "${slice[@]}") ;;
      bktec-*)
        wall=$(timed_run env BUILDKITE_TEST_ENGINE_CONCURRENCY="$n" \
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
