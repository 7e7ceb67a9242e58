"""Ignores SIGTERM and blocks, so cancel tests can check that bktec kills it after the grace period.

Writes "<pytest pid>" to $BKTEC_PID_FILE when set.
"""
import os
import signal
import time


def test_ignores_sigterm():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    pid_file = os.environ.get("BKTEC_PID_FILE")
    if pid_file:
        with open(pid_file + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.replace(pid_file + ".tmp", pid_file)
    print("ignoring SIGTERM", flush=True)
    time.sleep(300)
