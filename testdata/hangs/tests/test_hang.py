"""A test that hangs: for an hour, or, with $HANG_ONCE_DIR, only the first time it runs (a marker file says it has).
It writes its pid to $HANG_PID_DIR, when set, so that tests can see it gone."""
import os
import time


def test_hangs():
    if os.environ.get("HANG_PID_DIR"):
        open(os.path.join(os.environ["HANG_PID_DIR"], str(os.getpid())), "w").close()
    once = os.environ.get("HANG_ONCE_DIR")
    if once:
        marker = os.path.join(once, "hung")
        if os.path.exists(marker):
            return
        open(marker, "w").close()
    time.sleep(3600)  # line 16: the line a timeout names


def test_after_the_hang():
    pass
