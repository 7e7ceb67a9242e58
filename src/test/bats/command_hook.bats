#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031 # bats runs each test in a subshell on purpose
# The `command` hook: bktec for test steps, the agent's default command phase for everything else.

load helpers

setup() {
  WORK=$(mktemp -d)
  make_stub_bktec "$WORK"
  export STUB_BKTEC_LOG="$WORK/bktec.log"
  export BKTEC_BIN="$WORK/bktec"
  export BUILDKITE_BUILD_CHECKOUT_PATH="$WORK/checkout"
  mkdir -p "$BUILDKITE_BUILD_CHECKOUT_PATH"
  cd "$BUILDKITE_BUILD_CHECKOUT_PATH" || return 1
  unset BUILDKITE_TEST_ENGINE_TEST_RUNNER BUILDKITE_TEST_ENGINE_TEST_CMD BUILDKITE_COMMAND_EVAL BUILDKITE_SHELL
}

teardown() {
  rm -rf "$WORK"
}

@test "a test step runs bktec with the step command as the test command" {
  export BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest
  export BUILDKITE_COMMAND="pytest -x {{testExamples}} --junit-xml={{resultPath}}"
  run "$PROJECT/hooks/command"
  [ "$status" -eq 0 ]
  grep -qx 'args:run' "$STUB_BKTEC_LOG"
  grep -qx 'TEST_CMD:pytest -x {{testExamples}} --junit-xml={{resultPath}}' "$STUB_BKTEC_LOG"
}

@test "a configured test command is kept" {
  export BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest
  export BUILDKITE_TEST_ENGINE_TEST_CMD="python -m pytest {{testExamples}}"
  export BUILDKITE_COMMAND="make test"
  run "$PROJECT/hooks/command"
  [ "$status" -eq 0 ]
  grep -qx 'TEST_CMD:python -m pytest {{testExamples}}' "$STUB_BKTEC_LOG"
}

@test "a step whose command is bktec runs it through the launcher" {
  export BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest
  export BUILDKITE_COMMAND="bktec run --test-engine-retry-count 2"
  run "$PROJECT/hooks/command"
  [ "$status" -eq 0 ]
  grep -qx 'args:run --test-engine-retry-count 2' "$STUB_BKTEC_LOG"
  grep -qx 'TEST_CMD:' "$STUB_BKTEC_LOG"
}

@test "bktec's exit status passes through" {
  export BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest
  export BUILDKITE_COMMAND="pytest"
  export STUB_BKTEC_EXIT=16
  run "$PROJECT/hooks/command"
  [ "$status" -eq 16 ]
}

@test "a non-test step runs its command with bash -e -c and keeps its exit status" {
  export BUILDKITE_COMMAND=$'echo "hello $((6 * 7))"\nexit 3'
  run "$PROJECT/hooks/command"
  [ "$status" -eq 3 ]
  [ "$output" = "hello 42" ]
  [ ! -f "$STUB_BKTEC_LOG" ]
}

@test "bash -e stops at the first failing line, as the agent's default shell does" {
  export BUILDKITE_COMMAND=$'false\necho unreachable'
  run "$PROJECT/hooks/command"
  [ "$status" -eq 1 ]
  [ -z "$output" ]
}

@test "BUILDKITE_SHELL is honoured" {
  export BUILDKITE_SHELL="/bin/sh -c"
  # shellcheck disable=SC2016 # expanded by the shell under test
  export BUILDKITE_COMMAND='echo "shell: $0"'
  run "$PROJECT/hooks/command"
  [ "$status" -eq 0 ]
  [ "$output" = "shell: /bin/sh" ]
}

@test "a script in the checkout is made executable and run as ./path" {
  mkdir -p scripts
  # shellcheck disable=SC2016 # expanded when the script runs
  printf '#!/bin/sh\necho "script ran in $(pwd)"\nexit 4\n' > scripts/test.sh
  chmod -x scripts/test.sh
  export BUILDKITE_COMMAND="scripts/test.sh"
  run "$PROJECT/hooks/command"
  [ "$status" -eq 4 ]
  [ "$output" = "script ran in $BUILDKITE_BUILD_CHECKOUT_PATH" ]
  [ -x scripts/test.sh ]
}

@test "with command eval off, shell strings are refused but checkout scripts still run" {
  export BUILDKITE_COMMAND_EVAL=false
  export BUILDKITE_COMMAND="echo not allowed"
  run "$PROJECT/hooks/command"
  [ "$status" -eq 1 ]
  [[ "$output" == *"not allowed to evaluate console commands"* ]]
  printf '#!/bin/sh\necho ok\n' > run.sh
  export BUILDKITE_COMMAND="run.sh"
  run "$PROJECT/hooks/command"
  [ "$status" -eq 0 ]
  [ "$output" = "ok" ]
}

@test "an empty command is an error" {
  export BUILDKITE_COMMAND="  "
  run "$PROJECT/hooks/command"
  [ "$status" -eq 1 ]
  [[ "$output" == *"has no command to run"* ]]
}

@test "SIGTERM to the hook reaches the real bktec: exit 143 and nothing left running" {
  unset BKTEC_BIN
  export BUILDKITE_TEST_ENGINE_TEST_RUNNER=pytest
  export BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN="tests/test_spawns_grandchild.py"
  export BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD=2s
  export BUILDKITE_COMMAND="pytest {{testExamples}} --junit-xml={{resultPath}}"
  export BKTEC_PID_FILE="$WORK/pids"
  cd "$PROJECT/testdata/cancel"
  "$PROJECT/hooks/command" > "$WORK/out.txt" 2>&1 &
  hook=$!
  for _ in $(seq 1 600); do
    [ -f "$BKTEC_PID_FILE" ] && break
    sleep 0.1
  done
  [ -f "$BKTEC_PID_FILE" ]
  kill -TERM "$hook"
  status=0
  wait "$hook" || status=$?
  [ "$status" -eq 143 ]
  sleep 0.3
  read -r -a pids < "$BKTEC_PID_FILE"
  [ "${#pids[@]}" -eq 2 ]
  for pid in "${pids[@]}" "$hook"; do
    if process_running "$pid"; then
      echo "process $pid survived" >&2
      return 1
    fi
  done
}
