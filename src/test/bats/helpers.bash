# Shared set-up for the hook and launcher tests.
PROJECT=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
export PROJECT

# A stub bktec that records how it was called and exits with $STUB_BKTEC_EXIT (default 0).
make_stub_bktec() {
  local dir=$1
  cat > "$dir/bktec" <<'STUB'
#!/usr/bin/env bash
{
  printf 'args:%s\n' "$*"
  printf 'TEST_CMD:%s\n' "${BUILDKITE_TEST_ENGINE_TEST_CMD:-}"
} >> "${STUB_BKTEC_LOG:?}"
exit "${STUB_BKTEC_EXIT:-0}"
STUB
  chmod +x "$dir/bktec"
}

# Alive and not a zombie.
process_running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != "Z" && "$state" != "X" ]]
}
