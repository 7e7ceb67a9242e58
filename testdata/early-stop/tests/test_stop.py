"""Tests that stop pytest's session early, as $EARLY_STOP_MODE says (see testdata/README.md).

  x-flaky      test_first fails on its first run in a bktec run (state in $EARLY_STOP_STATE_DIR), test_second
               always fails: with `-x`, pytest stops after test_first and test_second never runs
  x-pass       test_first fails on its first run, test_second passes
  exit0        test_first calls pytest.exit(..., returncode=0); test_second fails
  exit0-once   test_first calls pytest.exit(..., returncode=0) on its first run only; the others pass
  interrupt    test_first passes, test_second raises KeyboardInterrupt, test_third passes
  os-exit      test_first passes, test_second ends its process with os._exit(0), test_third passes
"""
import os

import pytest

MODE = os.environ.get("EARLY_STOP_MODE", "")


def _first_run(name):
    """True the first time this is asked for `name` in one state directory."""
    marker = os.path.join(os.environ["EARLY_STOP_STATE_DIR"], "early-stop-" + name)
    if os.path.exists(marker):
        return False
    with open(marker, "w") as f:
        f.write("ran\n")
    return True


def test_first():
    if MODE in ("x-flaky", "x-pass"):
        assert not _first_run("test_first"), "fails on its first run"
    elif MODE == "exit0" or (MODE == "exit0-once" and _first_run("test_first")):
        pytest.exit("stopping the session from a test", returncode=0)


def test_second():
    if MODE in ("x-flaky", "exit0"):
        assert False, "always fails"
    elif MODE == "interrupt":
        raise KeyboardInterrupt
    elif MODE == "os-exit":
        os._exit(0)


def test_third():
    pass
