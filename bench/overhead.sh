#!/usr/bin/env bash
# Overhead of `bktec run` over running the same pytest command directly, on the bundled sample suite.
# Runs them alternately N times (default 9) and prints the medians in ms and their difference and ratio: bktec with
# the collector probe's answer remembered (every run after the first on a machine) and without (BKTEC_CACHE_DIR=off,
# as on a fresh machine, where Python is asked each time).
# Usage: bench/overhead.sh [N]    (needs target/bktec.jar: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
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
now() { date +%s%N; }
export BKTEC_CACHE_DIR="$out/cache"
"$launcher" run >/dev/null 2>&1 || true # remembers the probe's answer
direct=() ; wrapped=() ; uncached=()
for _ in $(seq "$runs"); do
  t0=$(now); pytest "${files[@]}" --junit-xml="$out/direct.xml" >/dev/null 2>&1 || true; t1=$(now)
  "$launcher" run >/dev/null 2>&1 || true; t2=$(now)
  BKTEC_CACHE_DIR=off "$launcher" run >/dev/null 2>&1 || true; t3=$(now)
  direct+=($(( (t1 - t0) / 1000000 ))); wrapped+=($(( (t2 - t1) / 1000000 ))); uncached+=($(( (t3 - t2) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d=$(median "${direct[@]}"); w=$(median "${wrapped[@]}"); u=$(median "${uncached[@]}")
echo "runs: $runs"
echo "pytest directly              (median ms): $d   all: ${direct[*]}"
echo "bktec run                    (median ms): $w   all: ${wrapped[*]}"
echo "bktec run, Python asked anew (median ms): $u   all: ${uncached[*]}"
# This host's speed drifts between runs, so the median of each run's own difference (bktec minus the direct run just
# before it) is shown beside the difference of the medians.
paired=() ; paired_uncached=()
for i in "${!direct[@]}"; do
  paired+=($(( wrapped[i] - direct[i] ))); paired_uncached+=($(( uncached[i] - direct[i] )))
done
echo "overhead: $((w - d)) ms   ratio: $(awk -v w="$w" -v d="$d" 'BEGIN {printf "%.2f", w / d}');" \
  "median paired difference $(median "${paired[@]}") ms;" \
  "asking Python each run: $((u - d)) ms (paired $(median "${paired_uncached[@]}") ms)"
