"""What the plugin's tests share that is not a fixture: where the plugin is, and waiting on processes."""
import json
import os
import subprocess
import sys
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


def events_of(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class ForkServerHarness:
    """A fork server on the tests under `tests` in the current directory, and workers forked from it through the fork
    client, as bktec starts them: each worker's command is the server's but for its planned list and result file.
    The plugin must be loaded through the environment (load_plugin) with the server's stream."""

    def __init__(self, tmp_path, extra_args=(), server_env=None):
        self.tmp_path = tmp_path
        self.extra_args = list(extra_args)
        self.socket_path = str(tmp_path / "fork.sock")
        (tmp_path / "planned-server.txt").write_text("tests\n")
        env = dict(os.environ, BKTEC_FORK_SERVER=self.socket_path, **(server_env or {}))
        self.process = subprocess.Popen(self.arguments("server"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env=env)

    def arguments(self, name):
        return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests",
                "--bktec-planned=%s" % (self.tmp_path / ("planned-%s.txt" % name)),
                "--junitxml=%s" % (self.tmp_path / ("result-%s.xml" % name))] + self.extra_args

    def wait_ready(self, stream):
        """The server's first word on its stream: fork_server_ready, or fork_server_unavailable."""
        assert wait_until(lambda: any(e["event"].startswith("fork_server_") for e in events_of(stream)))
        return next(e for e in events_of(stream) if e["event"].startswith("fork_server_"))

    def start(self, name, commands, server_path=None, env=None):
        """A worker through the fork client, its commands on its standard input; returns (client, its stream)."""
        stream = self.tmp_path / ("%s.jsonl" % name)
        substitutions = [[str(self.tmp_path / "planned-server.txt"), str(self.tmp_path / ("planned-%s.txt" % name))],
                         [str(self.tmp_path / "result-server.xml"), str(self.tmp_path / ("result-%s.xml" % name))]]
        worker_env = dict(os.environ, BKTEC_RESULTS_STREAM_FILE=str(stream),
                          BKTEC_FORK_FROM=server_path or self.socket_path,
                          BKTEC_FORK_SUBSTITUTIONS=json.dumps(substitutions), **(env or {}))
        (self.tmp_path / ("planned-%s.txt" % name)).write_text(
            "".join(f + "\n" for c in commands for f in c.get("files", ())))
        client = subprocess.Popen([sys.executable, "-S", str(PACKAGE_DIR / "fork_client.py")] + self.arguments(name),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=worker_env)
        client.stdin.write("".join(json.dumps(c) + "\n" for c in commands).encode())
        client.stdin.flush()
        return client, stream

    def result_file(self, name):
        return self.tmp_path / ("result-%s.xml" % name)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def finish(client, timeout=60):
    out, err = client.communicate(timeout=timeout)  # closes its standard input first
    return client.returncode, out.decode(), err.decode()
