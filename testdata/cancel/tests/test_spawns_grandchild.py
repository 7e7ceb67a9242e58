"""Spawns a grandchild `sleep` and then blocks, so cancel tests can check that nothing bktec started survives.

Writes "<pytest pid> <sleep pid>" to $BKTEC_PID_FILE when set, and a line to stdout once both are running.
"""
import os
import subprocess
import sys
import time


def test_spawns_grandchild_and_waits():
    child = subprocess.Popen(["sleep", "300"])
    pid_file = os.environ.get("BKTEC_PID_FILE")
    if pid_file:
        with open(pid_file + ".tmp", "w") as f:
            f.write("%d %d\n" % (os.getpid(), child.pid))
        os.replace(pid_file + ".tmp", pid_file)
    print("grandchild sleep started", flush=True)
    sys.stdout.flush()
    time.sleep(300)
