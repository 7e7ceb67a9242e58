#!/usr/bin/env bash
# What bktec's pytest plugin (src/main/python/bktec_pytest) adds to pytest's own time: the same pytest command on
# a suite of quick tests (default 2,000, one-line assertions: the worst case for a cost per test), without and with
# the plugin loaded as bktec loads it, in turn (a different order each round), N rounds (default 11). Prints the
# medians of wall and CPU (user + system) time, their ratios, and the median of each round's own wall ratio.
# With --instructions (needs valgrind; about two minutes) it also counts the instructions of one run of each under
# callgrind: a count that, unlike time on this host, does not drift from one minute to the next.
# Usage: bench/plugin-overhead.sh [--instructions] [ROUNDS] [TESTS]
set -euo pipefail
instructions=false
[[ "${1:-}" == "--instructions" ]] && { instructions=true; shift; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
rounds=${1:-11}
tests=${2:-2000}
plugin=$PWD/src/main/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_many_tests.py "$work/suite" "$tests" > /dev/null
cd "$work/suite"
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 # the machine's own pytest plugins are not what is measured
# One run: prints "wall_ms cpu_ms".
timed() {
  sleep 0.2
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" -q -p no:cacheprovider tests > "$work/out" 2>&1 || true
  t1=$(now)
  grep -q "$tests passed" "$work/out" || { cat "$work/out"; exit 1; }
  echo "$(ms "$t0" "$t1") $(tail -n 1 "$work/cpu" | awk '{printf "%d", ($1 + $2) * 1000}')"
}
without_wall=() without_cpu=() with_wall=() with_cpu=() ratios=()
for i in $(seq "$rounds"); do
  for kind in $(printf '%s\n' without with | shuf --random-source=<(yes "$i")); do
    if [[ $kind == without ]]; then
      read -r wall cpu < <(timed python3 -m pytest)
      without_wall+=("$wall") without_cpu+=("$cpu")
    else
      rm -f "$work/stream.jsonl"
      read -r wall cpu < <(timed env PYTHONPATH="$plugin" PYTEST_PLUGINS=bktec_pytest \
        BKTEC_RESULTS_STREAM_FILE="$work/stream.jsonl" python3 -m pytest)
      with_wall+=("$wall") with_cpu+=("$cpu")
      lines=$(wc -l < "$work/stream.jsonl")
    fi
  done
  ratios+=("$(awk -v a="${with_wall[-1]}" -v b="${without_wall[-1]}" 'BEGIN {printf "%.4f", a / b}')")
done
ww=$(median "${with_wall[@]}"); ow=$(median "${without_wall[@]}")
wc=$(median "${with_cpu[@]}"); oc=$(median "${without_cpu[@]}")
echo "rounds: $rounds; tests: $tests; stream lines written per run: $lines"
echo "pytest without the plugin: wall ${ow} ms (all: ${without_wall[*]}), CPU ${oc} ms (all: ${without_cpu[*]})"
echo "pytest with the plugin:    wall ${ww} ms (all: ${with_wall[*]}), CPU ${wc} ms (all: ${with_cpu[*]})"
if $instructions && command -v valgrind > /dev/null; then
  # The interpreter itself, not a pyenv shim: valgrind does not follow exec.
  python=$(python3 -c 'import sys; print(sys.executable)')
  count() {
    env PYTHONHASHSEED=0 "$@" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$python" -m pytest -q \
      -p no:cacheprovider tests 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  without_instructions=$(count)
  rm -f "$work/stream.jsonl"
  with_instructions=$(count PYTHONPATH="$plugin" PYTEST_PLUGINS=bktec_pytest BKTEC_RESULTS_STREAM_FILE="$work/stream.jsonl")
  echo "instructions (callgrind): without ${without_instructions}, with ${with_instructions}:" \
    "$(awk -v a="$with_instructions" -v b="$without_instructions" 'BEGIN {printf "%.4f", a / b}')x"
fi
echo "plugin: wall $(awk -v a="$ww" -v b="$ow" 'BEGIN {printf "%.3f", a / b}')x, CPU $(awk -v a="$wc" -v b="$oc" 'BEGIN {printf "%.3f", a / b}')x, median paired wall ratio $(median "${ratios[@]}")x (target <= 1.02)"
