"""Shared by the test_block_* files: start a grandchild sleep, record both pids, block."""
import os
import subprocess
import time


def spawn_and_block():
    child = subprocess.Popen(["sleep", "300"])
    directory = os.environ.get("BKTEC_PID_DIR")
    if directory:
        path = os.path.join(directory, "%d.pids" % os.getpid())
        with open(path + ".tmp", "w") as f:
            f.write("%d %d\n" % (os.getpid(), child.pid))
        os.replace(path + ".tmp", path)
    print("blocking with grandchild", child.pid, flush=True)
    time.sleep(300)
