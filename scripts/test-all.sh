#!/usr/bin/env bash
# Every test: Maven (unit tests, then end-to-end tests against the built jar), shellcheck on every shell file,
# and the bats tests of the hooks and launcher (through prove, so the summary is a standard TAP one).
# Installs bats and shellcheck from the OS packages when they are missing and this runs as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# bktec remembers answers under ~/.cache/bktec; the tests keep theirs to themselves.
BKTEC_CACHE_DIR=$(mktemp -d)
export BKTEC_CACHE_DIR
trap 'rm -rf "$BKTEC_CACHE_DIR"' EXIT

missing=()
command -v bats >/dev/null 2>&1 || missing+=(bats)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if (( ${#missing[@]} > 0 )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "--- installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "+++ scripts/test-all.sh needs ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
command -v prove >/dev/null 2>&1 || { echo "+++ scripts/test-all.sh needs prove (perl)" >&2; exit 1; }

echo "--- mvn verify (unit and end-to-end tests)"
mvn -B verify

echo "--- shellcheck"
shell_files=(bin/bktec hooks/command hooks/environment .ci/run scripts/*.sh bench/*.sh testdata/stubs/buildkite-agent
  src/test/bats/helpers.bash src/test/bats/*.bats)
shellcheck "${shell_files[@]}"
echo "shellcheck: ${#shell_files[@]} files clean"

echo "--- bats (hooks and launcher)"
prove --exec 'bats --tap' src/test/bats/*.bats

echo "--- benchmarks (smoke: checks they run; numbers are meaningless at this size)"
bench/run.sh --smoke
