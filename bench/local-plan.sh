#!/usr/bin/env bash
# Local planning on a real suite: networkx's own tests. Three serial `bktec run`s measure every test (serial, so
# that two tests never compete for a core), each writing its durations (BUILDKITE_TEST_ENGINE_WRITE_DURATIONS) and
# its JUnit XML; then
#  - SplitQuality plans from run 1's durations and weighs the plans with run 3's (what the nodes would then take),
#    for P = 2 … 32, with and without slow files split into their tests;
#  - runs 1 and 2's JUnit files, as a directory, against the `.test_durations` that `bktec durations` merges from
#    them: the plans at P = 4, weighed with run 3's durations;
#  - `bktec plan --json` with a 20 s target time and at most 12 nodes, and that plan's slowest node.
# Needs networkx, numpy, scipy and pytest (see networkx_python in bench/lib.sh). About five minutes.
# Usage: bench/local-plan.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
project=$PWD
bktec=$project/bin/bktec
cp="$project/target/bktec.jar:$project/target/test-classes"
python=$(networkx_python)
suite=$("$python" -c 'import networkx, os; print(os.path.dirname(networkx.__file__))')
work=$(mktemp -d)
# BKTEC_BENCH_KEEP=<dir> keeps the durations and JUnit files there.
trap '[[ -n "${BKTEC_BENCH_KEEP:-}" ]] && cp -r "$work" "$BKTEC_BENCH_KEEP"; rm -rf "$work"' EXIT
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 BKTEC_CACHE_DIR="$work/cache"
PATH="$(dirname "$python"):$PATH" # the plan lists slow files' tests with this Python's pytest
export PATH
cd "$suite"
echo "networkx $("$python" -c 'import networkx; print(networkx.__version__)') in $suite"

for run in 1 2 3; do
  mkdir -p "$work/junit/run-$run"
  t0=$(now)
  env \
    BUILDKITE_TEST_ENGINE_TEST_CMD="$python -m pytest -q -p no:cacheprovider {{testExamples}} --junit-xml={{resultPath}}" \
    BUILDKITE_TEST_ENGINE_RESULT_PATH="$work/junit/run-$run/junit.xml" \
    BUILDKITE_TEST_ENGINE_DURATIONS_FILE="$work/durations-$run.json" BUILDKITE_TEST_ENGINE_WRITE_DURATIONS=true \
    "$bktec" run > "$work/run-$run.log" 2>&1 || { tail -20 "$work/run-$run.log"; exit 1; }
  echo "run $run: $(ms "$t0" "$(now)") ms; $(grep -o 'wrote [0-9]* test durations' "$work/run-$run.log")"
done

echo "=== split quality: planned and weighed with run 1's durations"
java -cp "$cp" io.bktec.bench.SplitQuality "$work/durations-1.json"
echo "=== split quality: planned with run 1's durations, measured with run 3's"
java -cp "$cp" io.bktec.bench.SplitQuality "$work/durations-1.json" "$work/durations-3.json" 20 12

echo "=== durations from JUnit XML: runs 1 and 2's files as a directory, then merged by bktec durations; measured with run 3's"
mv "$work/junit/run-3" "$work/junit-run-3"
"$bktec" durations --output "$work/merged.json" "$work/junit" 2>&1
java -cp "$cp" io.bktec.bench.SplitQuality "$work/junit" "$work/durations-3.json" | grep -E '^\| (P|4) '
java -cp "$cp" io.bktec.bench.SplitQuality "$work/merged.json" "$work/durations-3.json" | grep -E '^\| 4 '

echo "=== bktec plan --json, target 20 s, at most 12 nodes, slow files split"
env BUILDKITE_TEST_ENGINE_DURATIONS_FILE="$work/durations-1.json" BUILDKITE_TEST_ENGINE_SPLIT_BY_EXAMPLE=true \
  BUILDKITE_TEST_ENGINE_TARGET_TIME=20s BUILDKITE_TEST_ENGINE_MAX_PARALLELISM=12 \
  "$bktec" plan --json 2> "$work/plan.log"
grep -E 'plan local|node [0-9]+:' "$work/plan.log" | sed 's/^bktec: //'
