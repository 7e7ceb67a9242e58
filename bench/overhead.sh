#!/usr/bin/env bash
# Overhead of `bktec run` over running the same pytest command directly, on the bundled sample suite.
# Runs them alternately N times (default 9) and prints the medians in ms and their difference and ratio: bktec with
# the collector probe's answer remembered (every run after the first on a machine) and without (BKTEC_CACHE_DIR=off,
# as on a fresh machine, where Python is asked each time).
# Usage: bench/overhead.sh [N]    (needs target/bktec.jar: mvn -B -q package -DskipTests)
# bktec runs on the java bin/bktec picks; BKTEC_JAVA=<java> measures another (with its archive, if one was made for
# it: scripts/train-archive.sh <java>).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
runs=${1:-9}
jar=$PWD/target/bktec.jar
launcher=$PWD/bin/bktec
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
cd testdata/sample
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t files < <(python3 - <<'PY'
import glob
print("\n".join(sorted(set(glob.glob("tests/**/test_*.py", recursive=True) + glob.glob("tests/**/*_test.py", recursive=True)))))
PY
)
export BKTEC_CACHE_DIR="$out/cache"
"$launcher" run >/dev/null 2>&1 || true # remembers the probe's answer
# Wall ms of one run, after a short pause: a JVM started right after another one's exit measured slower here.
timed() {
  sleep 0.2
  local t0 t1
  t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
  echo $(( (t1 - t0) / 1000000 ))
}
# bktec's own share measured inside one run, free of the drift between runs: the test command times pytest itself
# (a bash around it, whose few ms count as bktec's), and bktec's wall minus that is what bktec added.
# shellcheck disable=SC2016 # expanded by the bash that bktec starts, not here
inner_cmd='bash -c '"'"'t0=$(date +%s%N); pytest "$@"; rc=$?; echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$BENCH_INNER"; exit $rc'"'"' bash {{testExamples}} --junit-xml={{resultPath}}'
direct=() ; wrapped=() ; uncached=() ; own=()
for i in $(seq "$runs"); do
  # In a different order each round, so none gains from always coming first or last.
  for step in $(printf '%s\n' direct wrapped uncached own | shuf --random-source=<(yes "$i")); do
    case $step in
      direct) direct+=("$(timed pytest "${files[@]}" --junit-xml="$out/direct.xml")") ;;
      wrapped) wrapped+=("$(timed "$launcher" run)") ;;
      uncached) uncached+=("$(timed env BKTEC_CACHE_DIR=off "$launcher" run)") ;;
      own)
        wall=$(timed env BENCH_INNER="$out/inner" BUILDKITE_TEST_ENGINE_TEST_CMD="$inner_cmd" "$launcher" run)
        own+=($(( wall - $(cat "$out/inner") ))) ;;
    esac
  done
done
d=$(median "${direct[@]}"); w=$(median "${wrapped[@]}"); u=$(median "${uncached[@]}")
echo "runs: $runs"
echo "pytest directly              (median ms): $d   all: ${direct[*]}"
echo "bktec run                    (median ms): $w   all: ${wrapped[*]}"
echo "bktec run, Python asked anew (median ms): $u   all: ${uncached[*]}"
# This host's speed drifts between runs, so the median of each round's own difference (bktec minus the direct run of
# the same round) is shown beside the difference of the medians.
paired=() ; paired_uncached=()
for i in "${!direct[@]}"; do
  paired+=($(( wrapped[i] - direct[i] ))); paired_uncached+=($(( uncached[i] - direct[i] )))
done
echo "overhead: $((w - d)) ms   ratio: $(awk -v w="$w" -v d="$d" 'BEGIN {printf "%.2f", w / d}');" \
  "median paired difference $(median "${paired[@]}") ms;" \
  "asking Python each run: $((u - d)) ms (paired $(median "${paired_uncached[@]}") ms);" \
  "within one run: $(median "${own[@]}") ms"
echo "bktec's own time within one run (bktec wall minus the pytest it ran, ms): ${own[*]}"
