"""A test that fails the first time it runs in a bktec run and passes when retried.

State lives in a marker file: in $FLAKY_STATE_DIR when set, otherwise in the temp dir keyed by the process that
started pytest's parent (bktec's JVM when run through bktec), so every new bktec run starts flaky again.
"""
import os
import tempfile


def _grandparent_pid():
    try:
        with open("/proc/%d/stat" % os.getppid()) as f:
            return f.read().rsplit(")", 1)[1].split()[1]
    except OSError:
        return str(os.getppid())


def _marker():
    directory = os.environ.get("FLAKY_STATE_DIR") or tempfile.gettempdir()
    return os.path.join(directory, "bktec-flaky-%s-test_flaky_once" % (
        "state" if os.environ.get("FLAKY_STATE_DIR") else _grandparent_pid()))


def test_stable():
    assert 2 * 2 == 4


def test_flaky_once():
    marker = _marker()
    if not os.path.exists(marker):
        with open(marker, "w") as f:
            f.write("failed once\n")
        assert False, "flaky: fails on the first run, passes on retry"
