"""What the plugin's tests share that is not a fixture: where the plugin is, and waiting on processes."""
import os
import time
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parents[2] / "main" / "python"
PACKAGE_DIR = PLUGIN_DIR / "bktec_pytest"
STREAM = "BKTEC_RESULTS_STREAM_FILE"


def load_plugin(monkeypatch, stream, worker_mode="1"):
    """bktec's environment for a pytest in worker mode: the plugin loaded, its stream at `stream`."""
    monkeypatch.setenv("PYTHONPATH", str(PLUGIN_DIR))
    monkeypatch.setenv("PYTEST_PLUGINS", "bktec_pytest")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv(STREAM, str(stream))
    monkeypatch.setenv("BKTEC_WORKER", worker_mode)


def by_test(events):
    tests = {}
    for event in events:
        if event["event"] in ("start", "report", "passed"):
            tests.setdefault(event["nodeid"], []).append(event)
    return tests


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:  # gone, and reaped
        return False


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
