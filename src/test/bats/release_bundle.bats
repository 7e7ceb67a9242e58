#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031 # bats runs each test in a subshell on purpose
# The release bundle (scripts/release.sh, which must have run) and the plugin getting it: its `environment` hook
# runs hooks/lib/fetch-bundle against a release server on 127.0.0.1 (loopback_server.py) or a local bundle.

load helpers

setup_file() {
  VERSION=$("$PROJECT/hooks/lib/version")
  NAME=bktec-$VERSION-linux-x86_64.tar.gz
  BUNDLE=$PROJECT/target/release/$NAME
  if [[ ! -f "$BUNDLE" || ! -f "$BUNDLE.sha256" ]]; then
    echo "# $BUNDLE is missing: run scripts/release.sh first" >&3
    return 1
  fi
  SERVED=$(mktemp -d)
  local half
  half=$(( $(stat -c %s "$BUNDLE") / 2 ))
  mkdir -p "$SERVED/good" "$SERVED/altered" "$SERVED/short" "$SERVED/cut" "$SERVED/missing"
  cp "$BUNDLE" "$BUNDLE.sha256" "$SERVED/good/"
  # A tarball that is not the release, with the release's checksum: its bktec would leave a mark if it ever ran.
  mkdir -p "$SERVED/evil/bktec-$VERSION/bin" "$SERVED/evil/bktec-$VERSION/runtime/bin"
  # shellcheck disable=SC2016 # expanded by the script when it runs
  printf '#!/bin/sh\ntouch "$EVIL_MARK"\n' > "$SERVED/evil/bktec-$VERSION/bin/bktec"
  cp "$SERVED/evil/bktec-$VERSION/bin/bktec" "$SERVED/evil/bktec-$VERSION/runtime/bin/java"
  chmod +x "$SERVED/evil/bktec-$VERSION/bin/bktec" "$SERVED/evil/bktec-$VERSION/runtime/bin/java"
  tar -czf "$SERVED/altered/$NAME" -C "$SERVED/evil" "bktec-$VERSION"
  cp "$BUNDLE.sha256" "$SERVED/altered/"
  # The first half of the release, served whole: a file truncated before it was published.
  head -c "$half" "$BUNDLE" > "$SERVED/short/$NAME"
  cp "$BUNDLE.sha256" "$SERVED/short/"
  # The release, announced whole, with the connection closed half-way.
  cp "$BUNDLE" "$BUNDLE.sha256" "$SERVED/cut/"
  echo "$half" > "$SERVED/cut/$NAME.cut-at"
  cp "$BUNDLE.sha256" "$SERVED/missing/"
  python3 "$BATS_TEST_DIRNAME/loopback_server.py" "$SERVED" "$SERVED/port" "$SERVED/requests.log" 3>&- &
  echo $! > "$SERVED/server.pid"
  for _ in $(seq 100); do
    [[ -f "$SERVED/port" ]] && break
    sleep 0.05
  done
  PORT=$(< "$SERVED/port")
  PYTHON_DIR=$(dirname "$(python3 -c 'import sys; print(sys.executable)')")
  export VERSION NAME BUNDLE SERVED PORT PYTHON_DIR
}

teardown_file() {
  kill "$(< "$SERVED/server.pid")" 2>/dev/null || true
  rm -rf "$SERVED"
}

setup() {
  WORK=$(mktemp -d)
  # The plugin as the agent checks it out: its hooks and version, and no bktec of its own.
  mkdir -p "$WORK/plugin"
  cp -r "$PROJECT/hooks" "$WORK/plugin/"
  echo "$VERSION" > "$WORK/plugin/VERSION"
  export BUILDKITE_PLUGIN_NAME=BKTEC_JAVA BKTEC_BUNDLE_CACHE_DIR=$WORK/cache EVIL_MARK=$WORK/evil-ran
  for var in $(compgen -e | grep -E '^(BUILDKITE_PLUGIN_BKTEC_JAVA_|BUILDKITE_TEST_ENGINE_|BKTEC_(BIN|JAR|JAVA|BUNDLE|RELEASE_URL)$|[Hh][Tt][Tt][Pp][Ss]?_[Pp][Rr][Oo][Xx][Yy]|[Aa][Ll][Ll]_[Pp][Rr][Oo][Xx][Yy])'); do
    unset "$var"
  done
  : > "$SERVED/requests.log"
}

teardown() {
  rm -rf "$WORK"
}

# A job's environment phase: the plugin's hook, sourced as the agent does; prints where it left bktec.
environment_phase() {
  bash -c 'set -e; source "$1"; echo "BKTEC_BIN=$BKTEC_BIN"' _ "$WORK/plugin/hooks/environment"
}

downloads() {
  grep -c "/$NAME\$" "$SERVED/requests.log" || true
}

# Nothing but the lock file: no entry, and no partial download.
cache_is_clean() {
  local left
  for left in "$WORK/cache"/* "$WORK/cache"/.[!.]*; do
    [[ -e "$left" && "$left" != "$WORK/cache/.$VERSION.lock" ]] || continue
    echo "left in the cache: $left"
    return 1
  done
  [[ ! -e "$EVIL_MARK" ]] || { echo "the download was run"; return 1; }
}

# The environment phase fails with one `+++ 🚨` line naming source $1, the reason matching the glob $2, and leaves the
# cache clean.
job_fails() {
  run environment_phase
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ] || { echo "$output"; return 1; }
  # shellcheck disable=SC2053 # $2 is a glob on purpose
  [[ "$output" == "+++ 🚨 bktec plugin: could not get bktec $VERSION from $1: "$2 ]] || { echo "$output"; return 1; }
  cache_is_clean
}

# A PATH with python3 and pytest and every system tool but java.
path_without_java() {
  mkdir -p "$WORK/nojava"
  local tool
  for tool in /usr/bin/* /bin/*; do
    [[ "$(basename "$tool")" == java* || -e "$WORK/nojava/$(basename "$tool")" ]] || ln -s "$tool" "$WORK/nojava/"
  done
  echo "$PYTHON_DIR:$WORK/nojava"
}

# The summary from its heading on, and the exit status.
summary_of() {
  sed -n '/bktec: summary/,$p' "$1"
}

@test "four jobs at once on one agent download the bundle once, and its bktec runs on its own runtime" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/good
  for job in 1 2 3 4; do
    (environment_phase > "$WORK/job$job.out" 2>&1; echo $? > "$WORK/job$job.status") &
  done
  wait
  for job in 1 2 3 4; do
    [ "$(< "$WORK/job$job.status")" -eq 0 ] || { cat "$WORK/job$job.out"; false; }
    [ "$(tail -n 1 "$WORK/job$job.out")" = "BKTEC_BIN=$WORK/cache/$VERSION/bin/bktec" ]
  done
  [ "$(downloads)" -eq 1 ]
  run "$WORK/cache/$VERSION/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "$output" == *"at $WORK/cache/$VERSION/runtime" ]]
  # a later job finds it and downloads nothing
  run environment_phase
  [ "$status" -eq 0 ]
  [ "$(downloads)" -eq 1 ]
}

@test "a download whose SHA-256 is not the release's fails the job, is never run, and leaves the cache clean" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/altered
  job_fails "http://127.0.0.1:$PORT/altered/$NAME" 'its SHA-256 is *, not *nothing was unpacked'
  # the next job, from a good server, is not stopped by what this one left
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/good
  run environment_phase
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "BKTEC_BIN=$WORK/cache/$VERSION/bin/bktec" ]
}

@test "a truncated file fails the checksum and leaves the cache clean" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/short
  job_fails "http://127.0.0.1:$PORT/short/$NAME" 'its SHA-256 is *truncated or altered*'
}

@test "a download cut off mid-way fails naming the URL and leaves the cache clean" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/cut
  job_fails "http://127.0.0.1:$PORT/cut/$NAME" '*bytes remaining*'
}

@test "a release the server does not have (404) fails naming the URL" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/missing
  job_fails "http://127.0.0.1:$PORT/missing/$NAME" '*404*'
}

@test "a server that does not answer (closed port) fails naming the URL" {
  local closed
  closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$closed/good
  job_fails "http://127.0.0.1:$closed/good/$NAME.sha256" '*onnect*'
}

@test "a local bundle is used without any download, and a missing checksum beside it is refused" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_RELEASE_URL=http://127.0.0.1:$PORT/good
  cp "$BUNDLE" "$WORK/$NAME"
  export BUILDKITE_PLUGIN_BKTEC_JAVA_BUNDLE=$WORK/$NAME
  job_fails "$WORK/$NAME" "its checksum file $WORK/$NAME.sha256 is missing"
  cp "$BUNDLE.sha256" "$WORK/"
  run environment_phase
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "BKTEC_BIN=$WORK/cache/$VERSION/bin/bktec" ]
  [ "$(downloads)" -eq 0 ]
}

@test "a job on an agent with no java runs the sample suite through the plugin's hooks from the bundle" {
  export BUILDKITE_PLUGIN_BKTEC_JAVA_BUNDLE=$BUNDLE
  local path
  path=$(path_without_java)
  run env -u JAVA_HOME PATH="$path" bash -c 'command -v java'
  [ "$status" -ne 0 ]
  cp -r "$PROJECT/testdata/sample" "$WORK/checkout"
  cd "$WORK/checkout"
  # shellcheck disable=SC2016 # expanded by that bash
  env -u JAVA_HOME PATH="$path" BUILDKITE_COMMAND='pytest {{testExamples}} --junit-xml={{resultPath}}' NO_COLOR=1 \
    bash -c 'set -e; source "$1/hooks/environment"; exec "$1/hooks/command"' _ "$WORK/plugin" > "$WORK/plugin.out" 2>&1 &&
    status=0 || status=$?
  [ "$status" -eq 1 ] || { cat "$WORK/plugin.out"; false; }
  grep -q "Failed                   21" "$WORK/plugin.out"
}

@test "unpacked anywhere, the bundle runs on its own runtime with java on PATH, and matches java -jar" {
  mkdir "$WORK/empty"
  tar -xzf "$BUNDLE" -C "$WORK/empty"
  local bktec=$WORK/empty/bktec-$VERSION/bin/bktec
  run env -u JAVA_HOME "$bktec" --version
  [ "$status" -eq 0 ]
  [[ "${lines[1]}" == "Java "*" at $WORK/empty/bktec-$VERSION/runtime" ]]
  # its start-up archive, trained where the bundle was built, still serves bktec's classes here
  BKTEC_JAVA_OPTS=-Xlog:class+load run env -u JAVA_HOME "$bktec" --version
  [[ "$output" == *"io.bktec.cli.Main source: shared objects file"* ]]
  # even a JAVA_HOME does not displace it; BKTEC_JAVA does
  JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 run "$bktec" --version
  [[ "${lines[1]}" == *" at $WORK/empty/bktec-$VERSION/runtime" ]]
  BKTEC_JAVA=$(command -v java) run "$bktec" --version
  [[ "${lines[1]}" != *" at $WORK/empty/"* ]]

  cp -r "$PROJECT/testdata/sample" "$WORK/sample"
  cd "$WORK/sample"
  env -u JAVA_HOME NO_COLOR=1 "$bktec" run > "$WORK/bundle.out" 2>&1 && status=0 || status=$?
  [ "$status" -eq 1 ] || { cat "$WORK/bundle.out"; false; }
  env NO_COLOR=1 java -jar "$PROJECT/target/bktec.jar" run > "$WORK/jar.out" 2>&1 && status=0 || status=$?
  [ "$status" -eq 1 ]
  [ -n "$(summary_of "$WORK/jar.out")" ]
  diff <(summary_of "$WORK/jar.out") <(summary_of "$WORK/bundle.out")
}

@test "a bundle whose runtime is for another machine falls back to the system Java" {
  mkdir "$WORK/empty"
  tar -xzf "$BUNDLE" -C "$WORK/empty"
  local runtime=$WORK/empty/bktec-$VERSION/runtime
  grep -Eq "^OS_ARCH=\"?$HOSTTYPE\"?$" "$runtime/release"
  sed -i 's/^OS_ARCH=.*/OS_ARCH="aarch64"/' "$runtime/release"
  run env -u JAVA_HOME "$WORK/empty/bktec-$VERSION/bin/bktec" --version
  [ "$status" -eq 0 ]
  [[ "${lines[1]}" == "Java "* ]]
  [[ "${lines[1]}" != *" at $runtime" ]]
}
