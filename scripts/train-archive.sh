#!/usr/bin/env bash
# Makes bktec's start-up archive for one JVM by a training run of the jar on the bundled sample suite, with a canned
# result file so no Python is needed:
#   JDK 25 and newer:  an AOT cache, <jar without .jar>.aot   (-XX:AOTCacheOutput; classes loaded and linked ahead)
#   JDK 17 to 24:      a dynamic class-data archive, <jar without .jar>.jsa   (-XX:ArchiveClassesAtExit)
# bin/bktec passes it only to the JDK whose release file matches <archive>.release and only while it is newer than the
# jar; the JVM itself also checks both and ignores a mismatched archive silently. `mvn package` runs this with Maven's
# own java; run it by hand for another:
#   scripts/train-archive.sh /usr/lib/jvm/temurin-25-jdk-amd64/bin/java [target/bktec.jar]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
java_bin=${1:?usage: train-archive.sh <java> [jar]}
jar=$(cd "$(dirname "${2:-$here/target/bktec.jar}")" && pwd)/$(basename "${2:-$here/target/bktec.jar}")
[[ -f "$jar" ]] || { echo "train-archive: $jar does not exist; build it with 'mvn -B package'" >&2; exit 1; }

version_line=$("$java_bin" -version 2>&1 | head -n 1)
[[ "$version_line" =~ version\ \"([0-9]+) ]] || { echo "train-archive: cannot tell the version of $java_bin: $version_line" >&2; exit 1; }
major=${BASH_REMATCH[1]}

# The same JVM options as bin/bktec: an archive is only used by a JVM started with compatible ones.
opts=(-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -XX:-UsePerfData)
if (( major >= 25 )); then
  archive="${jar%.jar}.aot"
  opts+=("-XX:AOTCacheOutput=$archive" -Xlog:aot=off -Xlog:cds=off)
else
  archive="${jar%.jar}.jsa"
  opts+=("-XX:ArchiveClassesAtExit=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
# Archives older than the jar were made from an earlier build and will never match again (bin/bktec skips them).
for stale in "${jar%.jar}.jsa" "${jar%.jar}.aot"; do
  if [[ -f "$stale" && "$stale" -ot "$jar" ]]; then
    rm -f "$stale" "$stale.release"
  fi
done
rm -f "$archive" "$archive.release"
# The JDK's release file goes beside the archive: bin/bktec passes the archive only to the JDK it was made by.
release="$(realpath -- "$java_bin")"
release="${release%/bin/java}/release"
log="${jar%.jar}-archive-training.log"
# -Dbktec.exit=halt: the archive is written by the JVM's own exit, which bktec's fast exit would skip.
# The sample suite, configured by a pyproject.toml instead of its pytest.ini: that is the usual layout, and reading it
# loads the TOML parser's classes, which then come from the archive too.
training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
cp -r "$here/testdata/sample/tests" "$training/"
printf '[tool.pytest.ini_options]\nmarkers = ["execution_tag(key, value): a Buildkite Test Engine execution tag"]\n' \
  > "$training/pyproject.toml"
(
  cd "$training"
  export BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest NO_COLOR=1 BKTEC_CACHE_DIR=off
  export BUILDKITE_TEST_ENGINE_TEST_CMD="sh -c 'cp \"\$0\" \"\${1#--junit-xml=}\"' $here/testdata/pytest-results/junit/junit-full.xml --junit-xml={{resultPath}} {{testExamples}}"
  "$java_bin" "${opts[@]}" -Dbktec.exit=halt -jar "$jar" run
) > "$log" 2>&1 || true # the canned results hold failed tests, so the run exits 1
if [[ -f "$archive" ]]; then
  if [[ -f "$release" ]]; then
    cp "$release" "$archive.release"
  else
    echo "train-archive: $java_bin has no release file ($release), so bin/bktec will not use $archive" >&2
  fi
  echo "train-archive: $archive (Java $major)"
else
  echo "train-archive: no archive was written for Java $major; see $log" >&2
  exit 1
fi
