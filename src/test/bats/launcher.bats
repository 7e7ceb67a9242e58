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
  [[ "$output" == "bktec v"*" (bktec-java)" ]]
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
