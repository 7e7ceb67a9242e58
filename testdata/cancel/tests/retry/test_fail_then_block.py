"""Fails on the first run; when retried, starts a grandchild and blocks (for cancelling during a retry)."""
import os

from blocker import spawn_and_block


def test_fail_then_block():
    marker = os.path.join(os.environ["FLAKY_STATE_DIR"], "failed-once")
    if not os.path.exists(marker):
        open(marker, "w").close()
        assert False, "first run fails"
    spawn_and_block()
