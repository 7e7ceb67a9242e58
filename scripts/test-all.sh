#!/usr/bin/env bash
# Every test: Maven (unit tests, then end-to-end tests against the built jar, some of them under pytest 8.4 and 9.1
# with pytest-cov, pytest-xdist and pytest-timeout, each in a virtualenv under target/venvs made first, from the local
# wheel index when pip is configured with one), the release bundle from that jar (scripts/release.sh), bktec's pytest
# plugin under the default pytest and under each virtualenv's, shellcheck on every shell file, and the bats tests of
# the hooks, the launcher and the bundle (through prove, so the summary is a standard TAP one).
# Installs bats and shellcheck from the OS packages when they are missing and this runs as root.
# Ends with each stage's wall time, so a slow stage is seen before the whole run nears its limit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stage_names=()
stage_seconds=()
stage_started=$SECONDS
# Starts a stage: prints its header and closes the one before.
stage() {
  stage_done
  stage_names+=("$1")
  stage_started=$SECONDS
  echo "--- $1"
}
stage_done() {
  if (( ${#stage_names[@]} > ${#stage_seconds[@]} )); then
    stage_seconds+=($((SECONDS - stage_started)))
  fi
}
print_stage_times() {
  stage_done
  echo "--- stage times"
  local i
  for i in "${!stage_names[@]}"; do
    printf '%5d s  %s\n' "${stage_seconds[$i]}" "${stage_names[$i]}"
  done
  printf '%5d s  in all\n' "$SECONDS"
}
# bktec remembers answers under ~/.cache/bktec; the tests keep theirs to themselves.
BKTEC_CACHE_DIR=$(mktemp -d)
export BKTEC_CACHE_DIR
trap 'print_stage_times; rm -rf "$BKTEC_CACHE_DIR"' EXIT

missing=()
command -v bats >/dev/null 2>&1 || missing+=(bats)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if (( ${#missing[@]} > 0 )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    stage "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "+++ scripts/test-all.sh needs ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
command -v prove >/dev/null 2>&1 || { echo "+++ scripts/test-all.sh needs prove (perl)" >&2; exit 1; }

# pip's own index may be unreachable here; a file:// index from its configuration is used first when there is one.
local_index=$(python3 -m pip config list 2>/dev/null | sed -n "s/^global.extra-index-url='\(file:[^ ']*\).*/\1/p" | head -1)
pip_args=(-q --disable-pip-version-check --timeout 10 --retries 1)
[[ -n "$local_index" ]] && pip_args+=(--index-url "$local_index")
# Each supported pytest in a virtualenv, with the plugins whose cooperation bktec is tested against: pytest-xdist,
# pytest-cov (with coverage) and pytest-timeout. The end-to-end tests run suites under each (BKTEC_TEST_PYTHONS).
stage "virtualenvs (pytest 8.4.2 and 9.1.1 with pytest-xdist, pytest-cov, pytest-timeout)"
venv_pythons=()
for version in 8.4.2 9.1.1; do
  venv=target/venvs/pytest-$version
  if [[ ! -x "$venv/bin/pytest" ]] || ! "$venv/bin/python" -c 'import xdist, pytest_cov, pytest_timeout' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install "${pip_args[@]}" "pytest==$version" pytest-xdist pytest-cov pytest-timeout
  fi
  venv_pythons+=("$PWD/$venv/bin/python")
done
BKTEC_TEST_PYTHONS=$(IFS=:; echo "${venv_pythons[*]}")
export BKTEC_TEST_PYTHONS

stage "mvn verify (unit and end-to-end tests)"
mvn -B verify

stage "release bundle (scripts/release.sh, from the jar just built; the bats tests serve it)"
BKTEC_JAR=$PWD/target/bktec.jar scripts/release.sh

stage "bktec's pytest plugin (src/test/python) under each supported pytest, at once (they share nothing)"
plugin_logs=$(mktemp -d)
plugin_pids=()
for python in python3 "${venv_pythons[@]}"; do
  log=$plugin_logs/${#plugin_pids[@]}.log
  { echo "$("$python" -m pytest --version 2>&1):"; "$python" -m pytest -q -p no:cacheprovider src/test/python; } > "$log" 2>&1 &
  plugin_pids+=($!)
done
plugin_failed=0
for i in "${!plugin_pids[@]}"; do
  wait "${plugin_pids[$i]}" || plugin_failed=1
  cat "$plugin_logs/$i.log"
done
rm -rf "$plugin_logs"
(( plugin_failed == 0 )) || { echo "+++ bktec's pytest plugin tests failed" >&2; exit 1; }

stage "shellcheck"
shell_files=(bin/bktec hooks/command hooks/environment hooks/lib/fetch-bundle hooks/lib/version .ci/run scripts/*.sh bench/*.sh testdata/stubs/buildkite-agent
  src/test/bats/helpers.bash src/test/bats/*.bats)
shellcheck "${shell_files[@]}"
echo "shellcheck: ${#shell_files[@]} files clean"

stage "bats (hooks and launcher)"
prove --exec 'bats --tap' src/test/bats/*.bats

stage "benchmarks (smoke: checks they run; numbers are meaningless at this size)"
bench/run.sh --smoke
