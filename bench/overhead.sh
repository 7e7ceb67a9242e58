#!/usr/bin/env bash
# Overhead of `bktec run` over running the same pytest command directly, on the bundled sample suite.
# Runs both alternately N times (default 9) and prints the medians in ms and their difference and ratio.
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
direct=() ; wrapped=()
for _ in $(seq "$runs"); do
  t0=$(now); pytest "${files[@]}" --junit-xml="$out/direct.xml" >/dev/null 2>&1 || true; t1=$(now)
  "$launcher" run >/dev/null 2>&1 || true; t2=$(now)
  direct+=($(( (t1 - t0) / 1000000 ))); wrapped+=($(( (t2 - t1) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d=$(median "${direct[@]}"); w=$(median "${wrapped[@]}")
echo "runs: $runs"
echo "pytest directly (median ms): $d   all: ${direct[*]}"
echo "bktec run       (median ms): $w   all: ${wrapped[*]}"
echo "overhead: $((w - d)) ms   ratio: $(awk -v w="$w" -v d="$d" 'BEGIN {printf "%.2f", w / d}')"
