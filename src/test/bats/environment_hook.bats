#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031 # bats runs each test in a subshell on purpose
# The plugin's `environment` hook: option validation and the variables it exports.

load helpers

setup() {
  WORK=$(mktemp -d)
  export BUILDKITE_PLUGIN_NAME=BKTEC_JAVA
  export BKTEC_BIN=/bin/false # bktec is there, so the hook downloads nothing (release_bundle.bats tests that)
  for var in $(compgen -e | grep -E '^(BUILDKITE_PLUGIN_BKTEC_JAVA_|BUILDKITE_TEST_ENGINE_)'); do
    unset "$var"
  done
}

teardown() {
  rm -rf "$WORK"
}

# Sources the hook the way the agent's wrapper does, then prints the variables it left behind.
source_hook() {
  bash -c 'set -e; source "$1"; env | grep "^BUILDKITE_TEST_ENGINE_" | sort' _ "$PROJECT/hooks/environment"
}

@test "options become BUILDKITE_TEST_ENGINE_ variables" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRY_COUNT=2
  export BUILDKITE_PLUGIN_BKTEC_JAVA_TEST_COMMAND="pytest -q {{testExamples}}"
  export BUILDKITE_PLUGIN_BKTEC_JAVA_FILE_EXCLUDE_PATTERN="tests/slow"
  export BUILDKITE_PLUGIN_BKTEC_JAVA_CONCURRENCY=3
  export BUILDKITE_PLUGIN_BKTEC_JAVA_ANNOTATE=false
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RESULTS_STREAM=false
  export BUILDKITE_PLUGIN_BKTEC_JAVA_WORKERS=false
  export BUILDKITE_PLUGIN_BKTEC_JAVA_FORK_SERVER=false
  export BUILDKITE_PLUGIN_BKTEC_JAVA_TEST_TIMEOUT=1m30s
  export BUILDKITE_PLUGIN_BKTEC_JAVA_JOB_RETRY=all
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRY_MAX_FAILURES=10%
  export BUILDKITE_PLUGIN_BKTEC_JAVA_SPLIT_BY_EXAMPLE=true
  export BUILDKITE_PLUGIN_BKTEC_JAVA_DURATIONS_FILE=artifacts/junit
  export BUILDKITE_PLUGIN_BKTEC_JAVA_TAG_FILTERS=team:a
  export BUILDKITE_PLUGIN_BKTEC_JAVA_DEBUG=true
  run source_hook
  [ "$status" -eq 0 ]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_RETRY_COUNT=2"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_TEST_CMD=pytest -q {{testExamples}}"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_TEST_FILE_EXCLUDE_PATTERN=tests/slow"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_CONCURRENCY=3"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_ANNOTATE=false"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_RESULTS_STREAM=false"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_WORKERS=false"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_FORK_SERVER=false"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_TEST_TIMEOUT=1m30s"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_JOB_RETRY=all"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES=10%"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_SPLIT_BY_EXAMPLE=true"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_DURATIONS_FILE=artifacts/junit"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_TAG_FILTERS=team:a"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_DEBUG_ENABLED=true"* ]]
  [[ "$output" == *"BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest"* ]]
}

@test "the runner defaults to pytest and can be pytest-pants" {
  run source_hook
  [ "$output" = "BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest" ]
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RUNNER=pytest-pants
  run source_hook
  [ "$output" = "BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest-pants" ]
}

@test "an unknown option fails with a +++ message naming it" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRIES=2
  run source_hook
  [ "$status" -eq 1 ]
  [[ "$output" == "+++ 🚨 bktec plugin: unknown option 'retries' (valid options: runner,"* ]]
}

@test "a bad retry count fails with a clear message" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRY_COUNT=two
  run source_hook
  [ "$status" -eq 1 ]
  [ "$output" = "+++ 🚨 bktec plugin: retry-count must be a whole number of 0 or more, not 'two'" ]
}

@test "bad concurrency, booleans and runners fail too" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_CONCURRENCY=0
  run source_hook
  [ "$status" -eq 1 ]
  unset BUILDKITE_PLUGIN_BKTEC_JAVA_CONCURRENCY
  export BUILDKITE_PLUGIN_BKTEC_JAVA_DEBUG=yes
  run source_hook
  [ "$status" -eq 1 ]
  [[ "$output" == *"debug must be true or false"* ]]
  unset BUILDKITE_PLUGIN_BKTEC_JAVA_DEBUG
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RUNNER=rspec
  run source_hook
  [ "$status" -eq 1 ]
}

@test "valid options reach bktec (bktec run --debug prints its config)" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRY_COUNT=2
  export BUILDKITE_PLUGIN_BKTEC_JAVA_BATCH_SIZE=1
  export BUILDKITE_PLUGIN_BKTEC_JAVA_FILE_PATTERN="tests/test_steady.py"
  export BUILDKITE_PLUGIN_BKTEC_JAVA_DEBUG=true
  cd "$PROJECT/testdata/flaky"
  run bash -c 'source "$1/hooks/environment" && "$1/bin/bktec" run' _ "$PROJECT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"config: Config[runner=pytest"* ]]
  [[ "$output" == *"files=FileSelection[pattern=Optional[tests/test_steady.py]"* ]]
  [[ "$output" == *"retry=RetrySettings[count=2,"* ]]
  [[ "$output" == *"processes=ProcessSettings[batchSize=1,"* ]]
}

@test "results-stream must be true or false" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RESULTS_STREAM=off
  run source_hook
  [ "$status" -eq 1 ]
  [ "$output" = "+++ 🚨 bktec plugin: results-stream must be true or false, not 'off'" ]
}

@test "job-retry must be failed or all, and retry-max-failures a count or a percentage" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_JOB_RETRY=some
  run source_hook
  [ "$status" -eq 1 ]
  [ "$output" = "+++ 🚨 bktec plugin: job-retry must be failed or all, not 'some'" ]
  export BUILDKITE_PLUGIN_BKTEC_JAVA_JOB_RETRY=failed
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRY_MAX_FAILURES=ten
  run source_hook
  [ "$status" -eq 1 ]
  [ "$output" = "+++ 🚨 bktec plugin: retry-max-failures must be a count or a percentage such as 10%, not 'ten'" ]
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RETRY_MAX_FAILURES=2.5%
  run source_hook
  [ "$status" -eq 0 ]
}

@test "test-timeout must be a duration" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_TEST_TIMEOUT=soon
  run source_hook
  [ "$status" -eq 1 ]
  [ "$output" = "+++ 🚨 bktec plugin: test-timeout must be a duration such as 30s, 5m or 1m30s (0 for none), not 'soon'" ]
  export BUILDKITE_PLUGIN_BKTEC_JAVA_TEST_TIMEOUT=0
  run source_hook
  [ "$status" -eq 0 ]
}
