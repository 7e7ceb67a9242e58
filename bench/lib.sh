# shellcheck shell=bash
# Helpers the bench scripts share; sourced, not run.

# Nanoseconds since the epoch.
now() { date +%s%N; }
# Milliseconds from nanosecond stamp $1 to $2.
ms() { echo $(( ($2 - $1) / 1000000 )); }
# The median of the numbers given (the lower middle one for an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command that must pass (its output says "passed" or "exit status 0", else its tail is shown and the script
# exits) after a one-second pause; prints its wall ms and writes its CPU (user + system, children included) in ms to
# $work/cpu.ms, its output to $work/last.log. Needs $work.
# shellcheck disable=SC2154 # $work is the sourcing script's
timed_run() {
  sleep 1
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" > "$work/last.log" 2>&1 || true
  t1=$(now)
  tail -n 1 "$work/cpu" | awk '{printf "%d", ($1 + $2) * 1000}' > "$work/cpu.ms"
  grep -Eq "passed|exit status 0" "$work/last.log" || { tail -20 "$work/last.log"; exit 1; }
  ms "$t0" "$t1"
}

# For the networkx benches: sets $python (networkx_python), $suite (networkx's package directory, where its tests are)
# and $work (a scratch directory removed on exit), and keeps pytest's plugin autoloading, bytecode writing and bktec's
# remembered answers out of the measurements.
# shellcheck disable=SC2034 # the variables are the sourcing script's
networkx_bench_setup() {
  python=$(networkx_python)
  suite=$("$python" -c 'import networkx, os; print(os.path.dirname(networkx.__file__))')
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 BKTEC_CACHE_DIR="$work/cache"
}

# A Python with networkx 3.6.1, numpy, scipy, pytest and pytest-xdist: $BKTEC_BENCH_PYTHON if set, else a virtualenv
# under target/bench-networkx, made from pip's configured index the first time.
networkx_python() {
  if [[ -n "${BKTEC_BENCH_PYTHON:-}" ]]; then
    echo "$BKTEC_BENCH_PYTHON"
    return
  fi
  local venv=$PWD/target/bench-networkx local_index
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import networkx, numpy, scipy, xdist' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    local_index=$(python3 -m pip config list 2>/dev/null | sed -n "s/^global.extra-index-url='\(file:[^ ']*\).*/\1/p" | head -1)
    local pip_args=(-q --disable-pip-version-check --timeout 10 --retries 1)
    [[ -n "$local_index" ]] && pip_args+=(--index-url "$local_index")
    "$venv/bin/pip" install "${pip_args[@]}" "networkx==3.6.1" numpy scipy pytest pytest-xdist >&2
  fi
  echo "$venv/bin/python"
}
