#!/usr/bin/env bash
# bktec-java benchmarks. Each comparison is measured side by side in this run, on this machine.
#   bench/run.sh           full run (several minutes)
#   bench/run.sh --smoke   tiny sizes: only checks that every benchmark runs (used by CI)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

smoke=false
[[ "${1:-}" == "--smoke" ]] && smoke=true
if $smoke; then
  runs=1 rounds=1 files=12 scale=0.05 tests=2000 output_mib=16 tree=2000
  plugin_rounds=1 plugin_tests=200 plugin_instructions=""
else
  runs=9 rounds=3 files=200 scale=1 tests=100000 output_mib=1024 tree=100000
  plugin_rounds=11 plugin_tests=2000 plugin_instructions="--instructions"
fi

if [[ ! -f target/bktec.jar || ! -d target/test-classes/io/bktec/bench ]]; then
  mvn -B -q package -DskipTests
fi
cp="target/bktec.jar:target/test-classes"
bktec=$PWD/bin/bktec
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
summary=()

echo "=== overhead: bktec run vs the same pytest command, sample suite ($runs runs each, medians)"
overhead=$(bench/overhead.sh "$runs")
echo "$overhead"
summary+=("overhead | $(sed -n 's/^overhead: \(.*\)$/\1/p' <<< "$overhead")")

# The same on a JDK 25+ with its AOT cache, when one is installed: BKTEC_BENCH_AOT_JAVA, else one under /usr/lib/jvm.
aot_java=${BKTEC_BENCH_AOT_JAVA:-}
if [[ -z "$aot_java" ]]; then
  for release in /usr/lib/jvm/*/release; do
    if [[ -f "$release" && "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")" -ge 25 ]] 2>/dev/null; then
      aot_java="${release%/release}/bin/java"
    fi
  done
fi
if [[ -n "$aot_java" && -x "$aot_java" ]]; then
  echo "=== overhead on $aot_java with its AOT cache"
  scripts/train-archive.sh "$aot_java"
  overhead_aot=$(BKTEC_JAVA=$aot_java bench/overhead.sh "$runs")
  echo "$overhead_aot"
  summary+=("overhead, JDK 25+ with AOT cache | $(sed -n 's/^overhead: \(.*\)$/\1/p' <<< "$overhead_aot")")
else
  summary+=("overhead, JDK 25+ with AOT cache | n/a: no JDK 25+ found (set BKTEC_BENCH_AOT_JAVA)")
fi

echo "=== in-node parallelism: $files generated files, 2 slots, $rounds rounds (medians)"
python3 bench/gen_suite.py "$work/suite" "$files" "$scale"
(
  cd "$work/suite"
  xdist_ok=false
  if python3 -c 'import xdist' 2>/dev/null || pip install -q pytest-xdist >/dev/null 2>&1; then
    xdist_ok=true
  fi
  # Wall ms of one run; the CPU (user + system) it and its children used goes to $work/cpu, in ms.
  timed_cpu() {
    local t0 t1
    t0=$(now)
    /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" > "$work/last-run.log" 2>&1 || true
    t1=$(now)
    # The last line: GNU time writes "Command exited with non-zero status N" before it when the command fails.
    tail -n 1 "$work/cpu" | awk '{printf "%d", ($1 + $2) * 1000}' > "$work/cpu.ms"
    ms "$t0" "$t1"
  }
  serial=() xdist=() parallel=() serial_cpu=()
  for i in $(seq "$rounds"); do
    # In a different order each round, so none gains from always coming first or last.
    for kind in $(printf '%s\n' serial xdist bktec | shuf --random-source=<(yes "$i")); do
      case $kind in
        serial)
          serial+=("$(timed_cpu pytest -q -p no:cacheprovider tests)")
          serial_cpu+=("$(cat "$work/cpu.ms")") ;;
        xdist) $xdist_ok && xdist+=("$(timed_cpu pytest -q -p no:cacheprovider -n 2 tests)") ;;
        bktec)
          # The same pytest options as the other two, plus the result file bktec reads.
          parallel+=("$(timed_cpu env BUILDKITE_TEST_ENGINE_CONCURRENCY=2 \
            BUILDKITE_TEST_ENGINE_TEST_CMD='pytest -q -p no:cacheprovider {{testExamples}} --junit-xml={{resultPath}}' \
            "$bktec" run)")
          grep -q 'exit status 0' "$work/last-run.log" || { tail -20 "$work/last-run.log"; exit 1; } ;;
      esac
    done
  done
  s=$(median "${serial[@]}"); p=$(median "${parallel[@]}"); x=n/a
  [[ ${#xdist[@]} -gt 0 ]] && x=$(median "${xdist[@]}")
  # No 2-way split can finish before half the CPU time the serial run needed.
  bound=$(( $(median "${serial_cpu[@]}") / 2 ))
  echo "serial pytest ${s} ms (all: ${serial[*]}); pytest -n 2 ${x} ms (all: ${xdist[*]:-n/a}); bktec concurrency 2 ${p} ms (all: ${parallel[*]})"
  echo "CPU bound for any 2-way split (serial run's user + system CPU / 2): ${bound} ms"
  # What two cores give here: the same CPU-bound loop alone, then two at once.
  burn="x = 0
for i in range($(awk -v s="$scale" 'BEGIN {printf "%d", 20000000 * s}')): x += i"
  t0=$(now); python3 -c "$burn"; t1=$(now)
  python3 -c "$burn" & python3 -c "$burn"; wait; t2=$(now)
  alone=$(ms "$t0" "$t1"); pair=$(ms "$t1" "$t2")
  echo "one CPU-bound loop alone ${alone} ms; two at once ${pair} ms (two free cores would take the same)"
  versus_xdist=n/a
  [[ $x != n/a ]] && versus_xdist=$(ratio "$p" "$x")
  echo "bktec/serial $(ratio "$p" "$s"); bktec/xdist $versus_xdist; bktec/CPU bound $(ratio "$p" "$bound"); two CPU-bound loops at once / one alone $(ratio "$pair" "$alone")" > "$work/parallel.txt"
  cat "$work/parallel.txt"
)
summary+=("concurrency 2 | $(cat "$work/parallel.txt")")

echo "=== bktec's pytest plugin: pytest with and without it, $plugin_tests quick tests, $plugin_rounds rounds"
plugin=$(bench/plugin-overhead.sh $plugin_instructions "$plugin_rounds" "$plugin_tests")
echo "$plugin"
summary+=("pytest plugin | $(sed -n 's/^plugin: //p' <<< "$plugin")$(sed -n 's/^instructions (callgrind): .*: \(.*\)$/; instructions \1/p' <<< "$plugin")")

echo "=== split quality (makespan / lower bound), generated suite's durations"
split=$(java -cp "$cp" io.bktec.bench.SplitQuality "$work/suite/.test_durations")
echo "$split"
summary+=("split P=4 | round-robin / longest-first: $(awk -F'|' '$2 ~ / 4 / {gsub(/ /, "", $4); gsub(/ /, "", $5); print $4 " / " $5}' <<< "$split")")

echo "=== parse: $tests tests per format, -Xmx256m"
parse=$(java -Xmx256m -XX:+UseSerialGC -cp "$cp" io.bktec.bench.ParseBench "$work" "$tests")
echo "$parse"
summary+=("parse $tests tests, -Xmx256m | $(grep -E 'results in' <<< "$parse" | sed -E 's/^ *//; s/ +/ /g' | paste -sd ';' -)")

# bktec passes the output on itself only when its stdout is a regular file: to a pipe or a device pytest writes directly.
echo "=== output: ${output_mib} MiB written by a child through bktec to a file"
mkdir -p "$work/out/tests"
echo "def test_x(): pass" > "$work/out/tests/test_out.py"
(
  cd "$work/out"
  bytes=$(( output_mib * 1048576 ))
  t0=$(now); head -c "$bytes" /dev/zero | cat > /dev/null; t1=$(now)
  base=$(ms "$t0" "$t1")
  for size in $(( bytes / 16 )) "$bytes"; do
    t0=$(now)
    /usr/bin/time -f '%M' -o "$work/rss" env BUILDKITE_TEST_ENGINE_TEST_CMD="sh -c 'head -c $size /dev/zero' --junit-xml={{resultPath}} {{testExamples}}" \
      "$bktec" run > "$work/out.log" 2>"$work/out.err" || true
    t1=$(now)
    rm -f "$work/out.log"
    echo "$(( size / 1048576 )) MiB: $(ms "$t0" "$t1") ms, peak RSS $(( $(tail -1 "$work/rss") / 1024 )) MiB"
  done | tee "$work/output.txt"
  last=$(tail -1 "$work/output.txt")
  wall=$(sed -E 's/.*: ([0-9]+) ms.*/\1/' <<< "$last")
  echo "baseline (head piped to cat): ${base} ms; bktec throughput $(awk -v m="$output_mib" -v w="$wall" 'BEGIN {printf "%.0f", m / (w / 1000)}') MiB/s (wall, JVM start included)" | tee "$work/throughput.txt"
)
summary+=("output | $(cat "$work/throughput.txt"); $(paste -sd ';' "$work/output.txt")")

echo "=== scale: bktec against pytest on suites of thousands of files and tens of thousands of tests"
if $smoke; then
  scaling=$(bench/scale.sh --smoke)
else
  scaling=$(bench/scale.sh 3)
fi
echo "$scaling"
while IFS= read -r row; do
  summary+=("scale, $(cut -d'|' -f2 <<< "$row" | xargs) | $(cut -d'|' -f3- <<< "$row" | sed 's/ |$//; s/^ //')")
done < <(grep -E '^\| (flat|wide)-' <<< "$scaling")

echo "=== discovery: $tree files"
discovery=$(java -cp "$cp" io.bktec.bench.DiscoveryBench "$work/tree" "$tree")
echo "$discovery"
summary+=("discovery | bktec/find $(sed -E 's/.*; ratio ([0-9.]+);.*ratio ([0-9.]+).*/\1 with the default pattern, \2 by python_files/' <<< "$discovery")")

echo
echo "| benchmark | result |"
echo "|---|---|"
for line in "${summary[@]}"; do
  echo "| ${line%% | *} | ${line#* | } |"
done
