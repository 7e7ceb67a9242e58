"""A test that needs more memory than the job has: every time, or, with $OOM_ONCE_DIR, only the first time (a marker
file says it has). The kernel's OOM killer ends it, in a memory-limited cgroup; where none can be made,
$OOM_STAND_IN names the cgroup file whose oom_kill count the test raises before killing itself, as the kernel would."""
import os
import signal


def _killed_for_memory():
    stand_in = os.environ.get("OOM_STAND_IN")
    if not stand_in:
        return bytearray(4 << 30)  # 4 GiB: more than the cgroup allows
    with open(stand_in) as f:
        count = int(f.read().split()[-1])
    with open(stand_in, "w") as f:
        f.write("oom_kill_disable 0\nunder_oom 0\noom_kill %d\n" % (count + 1))
    os.kill(os.getpid(), signal.SIGKILL)


def test_needs_memory():
    once = os.environ.get("OOM_ONCE_DIR")
    if once:
        marker = os.path.join(once, "killed")
        if os.path.exists(marker):
            return
        open(marker, "w").close()
    _killed_for_memory()


def test_after_it():
    pass
