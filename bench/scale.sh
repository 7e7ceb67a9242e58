#!/usr/bin/env bash
# bktec's cost at the scale of big suites: `bin/bktec run` against the same pytest run directly, on generated suites
# of one-line tests (the worst case for anything bktec spends per file or per test):
#   400 files of 10 tests in one directory (where handing pytest every file made its collection quadratic),
#   20,000 tests in 20 directories of 10 files, and 50,000 tests in 500 files of one directory.
# Each round runs pytest and bktec in turn (in a different order each round); medians, the ratio of the medians and
# the median of the round-by-round ratios are printed, CPU (user + system of the whole process tree) beside wall.
# Both outputs go to a pipe, as under the agent (with bktec at concurrency 1 pytest writes to that pipe itself). bktec's own JVM CPU is the tree's CPU minus pytest's (timed
# inside bktec's test command); its peak RSS is the JVM's VmHWM.
#   bench/scale.sh [ROUNDS [SUITE…]]  full sizes (default 3 rounds, all three suites: about 15 minutes); SUITE picks
#                                     some by name (flat-400x10, wide-20k, flat-50k)
#   bench/scale.sh --smoke       tiny sizes, one round: checks that it runs
#   BKTEC_BENCH_BIN=DIR/bin/bktec bench/scale.sh …   measures another launcher, such as an unpacked release bundle's
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
smoke=false
if [[ "${1:-}" == "--smoke" ]]; then
  smoke=true
  shift
fi
rounds=${1:-3}
$smoke && rounds=1
[[ $# -gt 0 ]] && shift
picked=("$@")
[[ -f target/bktec.jar ]] || mvn -B -q package -DskipTests
bktec=${BKTEC_BENCH_BIN:-$PWD/bin/bktec}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 BKTEC_CACHE_DIR="$work/cache"

# name directories files-per-directory tests-per-file
if $smoke; then
  suites=("flat-40x10 1 40 10" "wide-400 4 5 20" "flat-1000 1 50 20")
else
  suites=("flat-400x10 1 400 10" "wide-20k 20 10 100" "flat-50k 1 500 100")
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3f", a / b }'; }

# pytest alone: wall ms; CPU ms to $work/cpu.ms. Its output goes to a pipe too: pytest flushes after every test, and
# a pipe's reader waking up each time costs what it costs under the agent, with bktec or without.
run_pytest() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$work/cpu" pytest -p no:cacheprovider tests \
    --junit-xml="$work/alone.xml" > >(cat > "$work/pytest.log") 2>&1 || true
  t1=$(now)
  tail -n 1 "$work/cpu" | awk '{printf "%d", ($1 + $2) * 1000}' > "$work/cpu.ms"
  ms "$t0" "$t1"
}

# bktec: wall ms; tree CPU ms to $work/cpu.ms, JVM CPU ms to $work/jvm.ms, JVM peak RSS MiB to $work/rss.mib
run_bktec() {
  local t0 t1 pid hwm="" line
  t0=$(now)
  # shellcheck disable=SC2016 # the test command's words are bktec's to split
  /usr/bin/time -f '%U %S' -o "$work/cpu" env \
    BUILDKITE_TEST_ENGINE_TEST_CMD="/usr/bin/time -f '%U %S' -o $work/inner pytest -p no:cacheprovider {{testExamples}} --junit-xml={{resultPath}}" \
    "$bktec" run > >(cat > "$work/bktec.log") 2>&1 &
  pid=$!
  # time forks bktec (and the output's cat): the JVM is the child named java; its peak RSS is read while it runs
  # (builtins only, no forks)
  local jvm="" children comm
  while kill -0 "$pid" 2>/dev/null; do
    if [[ -z $jvm ]]; then
      read -r -a children < /proc/"$pid"/task/"$pid"/children 2>/dev/null || true
      for child in "${children[@]}"; do
        read -r comm < /proc/"$child"/comm 2>/dev/null || true
        [[ $comm == java ]] && jvm=$child
      done
    fi
    if [[ -n $jvm && -r /proc/$jvm/status ]]; then
      while read -r key value _; do
        [[ $key == VmHWM: ]] && hwm=$value
      done < /proc/"$jvm"/status 2>/dev/null || true
    fi
    sleep 0.2
  done
  wait "$pid" || true
  t1=$(now)
  grep -q 'exit status 0' "$work/bktec.log" || { tail -20 "$work/bktec.log" >&2; exit 1; }
  tail -n 1 "$work/cpu" | awk '{printf "%d", ($1 + $2) * 1000}' > "$work/cpu.ms"
  line=$(tail -n 1 "$work/inner")
  awk -v tree="$(cat "$work/cpu.ms")" -v inner="$line" 'BEGIN {split(inner, p, " "); printf "%d", tree - (p[1] + p[2]) * 1000}' > "$work/jvm.ms"
  echo $(( ${hwm:-0} / 1024 )) > "$work/rss.mib"
  ms "$t0" "$t1"
}

table=()
for suite in "${suites[@]}"; do
  read -r name directories files tests <<< "$suite"
  if [[ ${#picked[@]} -gt 0 && " ${picked[*]} " != *" $name "* ]]; then
    continue
  fi
  root="$work/$name"
  python3 bench/gen_quick_suite.py "$root" "$directories" "$files" "$tests" > /dev/null
  echo "=== $name: $(( directories * files * tests )) tests in $(( directories * files )) files, $rounds rounds"
  walls_p=() walls_b=() cpus_p=() cpus_b=() jvms=() rsss=() pairs=()
  for i in $(seq "$rounds"); do
    for kind in $(printf '%s\n' pytest bktec | shuf --random-source=<(yes "$i")); do
      if [[ $kind == pytest ]]; then
        walls_p+=("$(cd "$root" && run_pytest)")
        cpus_p+=("$(cat "$work/cpu.ms")")
      else
        walls_b+=("$(cd "$root" && run_bktec)")
        cpus_b+=("$(cat "$work/cpu.ms")")
        jvms+=("$(cat "$work/jvm.ms")")
        rsss+=("$(cat "$work/rss.mib")")
      fi
    done
    pairs+=("$(ratio "${walls_b[-1]}" "${walls_p[-1]}")")
    echo "round $i: pytest ${walls_p[-1]} ms (CPU ${cpus_p[-1]}), bktec ${walls_b[-1]} ms (CPU ${cpus_b[-1]}, JVM ${jvms[-1]} ms, RSS ${rsss[-1]} MiB)"
  done
  wp=$(median "${walls_p[@]}"); wb=$(median "${walls_b[@]}")
  cp=$(median "${cpus_p[@]}"); cb=$(median "${cpus_b[@]}")
  result="pytest ${wp} ms (CPU ${cp}); bktec ${wb} ms (CPU ${cb}); wall $(ratio "$wb" "$wp")× (paired median $(median "${pairs[@]}")×); CPU $(ratio "$cb" "$cp")×; bktec's JVM CPU $(median "${jvms[@]}") ms, peak RSS $(median "${rsss[@]}") MiB"
  echo "$result"
  table+=("$name | $result")
done
echo
echo "| suite | result |"
echo "|---|---|"
for line in "${table[@]}"; do
  echo "| ${line%% | *} | ${line#* | } |"
done
