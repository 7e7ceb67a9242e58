#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031 # bats runs each test in a subshell on purpose
# bin/bktec: finding Java and the jar.

load helpers

setup() {
  WORK=$(mktemp -d)
}

teardown() {
  rm -rf "$WORK"
}

@test "runs the jar and passes arguments through" {
  run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" == "bktec v"*" (bktec-java)"$'\n'"Java "* ]]
}

@test "a missing BKTEC_JAR is a clear error" {
  BKTEC_JAR="$WORK/nope.jar" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 16 ]
  [ "$output" = "bktec: BKTEC_JAR is $WORK/nope.jar, which does not exist" ]
}

@test "an old Java is refused with the version it found" {
  printf '#!/bin/sh\necho "java version \\"1.8.0_392\\"" >&2\n' > "$WORK/java"
  chmod +x "$WORK/java"
  BKTEC_JAVA="$WORK/java" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 16 ]
  [[ "$output" == "bktec: Java 17 or newer is required; $WORK/java is: java version \"1.8.0_392\""* ]]
}

@test "a JDK's release file is read without starting it, also through a symlink on PATH" {
  mkdir -p "$WORK/jdk11/bin" "$WORK/path"
  printf '#!/bin/sh\necho started > "%s/started"\n' "$WORK" > "$WORK/jdk11/bin/java"
  chmod +x "$WORK/jdk11/bin/java"
  printf 'IMPLEMENTOR="x"\nJAVA_VERSION="11.0.2"\n' > "$WORK/jdk11/release"
  JAVA_HOME="$WORK/jdk11" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 16 ]
  [[ "$output" == *"$WORK/jdk11/bin/java is: JAVA_VERSION=\"11.0.2\""* ]]
  ln -s "$WORK/jdk11/bin/java" "$WORK/path/java"
  env -u JAVA_HOME PATH="$WORK/path:/usr/bin:/bin" "$PROJECT/bin/bktec" --version > "$WORK/out" 2>&1 || status=$?
  [ "$status" -eq 16 ]
  grep -q 'is: JAVA_VERSION="11.0.2"' "$WORK/out"
  [ ! -e "$WORK/started" ]
}

@test "a java on PATH that links into /usr/lib/jvm is placed without forking realpath" {
  [[ -L /usr/bin/java && "$(readlink -f /usr/bin/java)" == /usr/lib/jvm/* ]] || skip "/usr/bin/java does not link into /usr/lib/jvm"
  mkdir -p "$WORK/fakebin"
  printf '#!/bin/sh\necho called >> "%s/realpath-called"\nexec /usr/bin/realpath "$@"\n' "$WORK" > "$WORK/fakebin/realpath"
  chmod +x "$WORK/fakebin/realpath"
  env -u JAVA_HOME PATH="$WORK/fakebin:/usr/bin:/bin" "$PROJECT/bin/bktec" --version > "$WORK/out" 2>&1
  [[ "$(cat "$WORK/out")" == "bktec v"*" (bktec-java)"$'\n'"Java "* ]]
  [ ! -e "$WORK/realpath-called" ]
}

@test "no Java at all is a clear error" {
  env -i PATH=/nonexistent HOME="$HOME" /bin/bash "$PROJECT/bin/bktec" --version > "$WORK/out" 2>&1 || status=$?
  [ "${status:-0}" -eq 16 ]
  grep -q "Java 17 or newer is required but no java was found" "$WORK/out"
}

@test "the exit status of bktec passes through" {
  cd "$PROJECT/testdata/flaky"
  BUILDKITE_TEST_ENGINE_RETRY_COUNT=x run "$PROJECT/bin/bktec" run
  [ "$status" -eq 16 ]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_RETRY_COUNT was \"x\""* ]]
}

# A stand-in JDK of the given version whose java prints the options it was started with, one per line.
fake_jdk() {
  mkdir -p "$WORK/jdk$1/bin"
  # shellcheck disable=SC2016 # the stand-in java expands its own arguments
  printf '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n' > "$WORK/jdk$1/bin/java"
  chmod +x "$WORK/jdk$1/bin/java"
  printf 'JAVA_VERSION="%s.0.1"\n' "$1" > "$WORK/jdk$1/release"
}

@test "the start-up archive that fits the JVM is used: an AOT cache on JDK 25+, a class-data archive before" {
  fake_jdk 17
  fake_jdk 25
  touch -d '-1 minute' "$WORK/bktec.jar"
  touch "$WORK/bktec.jsa" "$WORK/bktec.aot"
  cp "$WORK/jdk17/release" "$WORK/bktec.jsa.release"
  cp "$WORK/jdk25/release" "$WORK/bktec.aot.release"
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk17" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" == *"-XX:SharedArchiveFile=$WORK/bktec.jsa"* ]]
  [[ "$output" != *"AOTCache"* ]]
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk25" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" == *"-XX:AOTCache=$WORK/bktec.aot"* ]]
  [[ "$output" != *"SharedArchiveFile"* && "$output" != *"-Xshare"* ]] # the JVM refuses AOTCache beside them
  printf 'JAVA_VERSION="25.0.2"\n' > "$WORK/bktec.aot.release" # made by another JDK 25 build: not passed
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk25" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" != *"AOTCache"* ]]
  rm "$WORK/bktec.aot"
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk25" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" != *"AOTCache"* && "$output" != *"SharedArchiveFile"* ]] # a JDK 17 archive is no use to JDK 25
  [[ "$(tail -n 1 <<< "$output")" == "--version" ]]
  touch -d '-2 minutes' "$WORK/bktec.jsa" # older than the jar: from an earlier build, so not passed
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk17" run "$PROJECT/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" != *"SharedArchiveFile"* ]]
}

@test "JNA is pointed at its unpacked native library only when the build made one for this platform" {
  fake_jdk 17
  touch "$WORK/bktec.jar"
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk17" run "$PROJECT/bin/bktec" --version
  [[ "$output" != *"jna.boot.library.path"* ]]
  mkdir -p "$WORK/bktec-native/com/sun/jna/linux-x86-64" "$WORK/bktec-native/com/sun/jna/linux-aarch64"
  BKTEC_JAR="$WORK/bktec.jar" JAVA_HOME="$WORK/jdk17" run "$PROJECT/bin/bktec" --version
  case "$(uname -m)" in
    x86_64) [[ "$output" == *"-Djna.boot.library.path=$WORK/bktec-native/com/sun/jna/linux-x86-64"* ]] ;;
    aarch64) [[ "$output" == *"-Djna.boot.library.path=$WORK/bktec-native/com/sun/jna/linux-aarch64"* ]] ;;
    *) [[ "$output" != *"jna.boot.library.path"* ]] ;;
  esac
}

@test "on an installed JDK 25+, its AOT cache is made and used, and bktec runs without JVM warnings" {
  java25=""
  for release in /usr/lib/jvm/*/release; do
    if [[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")" -ge 25 ]] 2>/dev/null; then
      java25="${release%/release}/bin/java"
    fi
  done
  [[ -n "$java25" ]] || skip "no JDK 25+ under /usr/lib/jvm"
  cp "$PROJECT/target/bktec.jar" "$WORK/bktec.jar"
  "$PROJECT/scripts/train-archive.sh" "$java25" "$WORK/bktec.jar"
  [ -s "$WORK/bktec.aot" ]
  cd "$PROJECT/testdata/sample"
  export BKTEC_JAR="$WORK/bktec.jar" BKTEC_JAVA="$java25" BKTEC_CACHE_DIR=off NO_COLOR=1
  export BUILDKITE_TEST_ENGINE_TEST_CMD="sh -c 'cp ../pytest-results/junit/junit-full.xml \"\${1#--junit-xml=}\"' sh --junit-xml={{resultPath}} {{testExamples}}"
  BKTEC_JAVA_OPTS="-Xlog:aot=info" run "$PROJECT/bin/bktec" run
  [[ "$output" == *"Using AOT-linked classes: true"* ]] # the cache was used
  run "$PROJECT/bin/bktec" run
  [ "$status" -eq 1 ] # the canned results hold failed tests
  [[ "$output" == *"exit status 1"* ]]
  [[ "$output" != *"WARNING"* && "$output" != *"[warning]"* && "$output" != *"[error"* ]]
  touch "$WORK/bktec.jar" # the cache no longer matches the jar: not used, without a word
  BKTEC_JAVA_OPTS="-Xlog:aot=info" run "$PROJECT/bin/bktec" run
  [[ "$output" != *"Using AOT-linked classes: true"* ]]
  run "$PROJECT/bin/bktec" run
  [ "$status" -eq 1 ]
  [[ "$output" != *"WARNING"* && "$output" != *"[warning]"* && "$output" != *"[error"* ]]
  "$PROJECT/scripts/train-archive.sh" "$java25" "$WORK/bktec.jar" # a new build's training replaces it
  [[ "$WORK/bktec.aot" -nt "$WORK/bktec.jar" ]]
  BKTEC_JAVA_OPTS="-Xlog:aot=info" run "$PROJECT/bin/bktec" run
  [[ "$output" == *"Using AOT-linked classes: true"* ]]
}

@test "training for one JVM removes archives that an earlier build left" {
  cp "$PROJECT/target/bktec.jar" "$WORK/bktec.jar"
  touch -d '-1 minute' "$WORK/bktec.aot" "$WORK/bktec.jsa"
  "$PROJECT/scripts/train-archive.sh" "$(command -v java)" "$WORK/bktec.jar"
  [ -s "$WORK/bktec.jsa" ] || [ -s "$WORK/bktec.aot" ] # the one for this java, made fresh
  [[ ! -e "$WORK/bktec.aot" || "$WORK/bktec.aot" -nt "$WORK/bktec.jar" ]]
  [[ ! -e "$WORK/bktec.jsa" || "$WORK/bktec.jsa" -nt "$WORK/bktec.jar" ]]
}
