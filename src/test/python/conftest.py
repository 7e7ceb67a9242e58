"""Fixtures shared by the tests of bktec's pytest plugin (src/main/python/bktec_pytest).

scripts/test-all.sh runs these tests under the default interpreter's pytest and under pytest 8.4 and 9.1 in
virtualenvs, so every supported pytest is checked the same way. Each test starts pytest in a subprocess, loading the
plugin as bktec does: its directory on PYTHONPATH and its name in PYTEST_PLUGINS.
"""
import json
import sys

import pytest

from plugin_testing import PLUGIN_DIR, STREAM, load_plugin

pytest_plugins = ["pytester"]


@pytest.fixture
def run(pytester, monkeypatch, tmp_path):
    """Runs pytest in a subprocess with the plugin loaded as bktec loads it; returns (result, events)."""
    stream = tmp_path / "stream.jsonl"

    def run(*args, plugin=True, stream_variable=True, autoload=False):
        monkeypatch.setenv("PYTHONPATH", str(PLUGIN_DIR) if plugin else "")
        if plugin:
            monkeypatch.setenv("PYTEST_PLUGINS", "bktec_pytest")
        else:
            monkeypatch.delenv("PYTEST_PLUGINS", raising=False)
        if stream_variable:
            monkeypatch.setenv(STREAM, str(stream))
        else:
            monkeypatch.delenv(STREAM, raising=False)
        if autoload:
            monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
        else:
            monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        if stream.exists():
            stream.unlink()
        result = pytester.runpytest_subprocess(*args)
        events = []
        if stream.exists():
            for line in stream.read_text(encoding="ascii").splitlines():
                events.append(json.loads(line))
        return result, events

    return run



@pytest.fixture
def worker(pytester, monkeypatch, tmp_path):
    """Runs pytest in worker mode with these commands on its standard input; returns (result, events, fixture log)."""
    stream = tmp_path / "stream.jsonl"
    log = tmp_path / "fixtures.log"

    def worker(commands, *args):
        load_plugin(monkeypatch, stream)
        monkeypatch.setenv("FIXTURE_LOG", str(log))
        for leftover in (stream, log):
            if leftover.exists():
                leftover.unlink()
        text = "".join(json.dumps(c) + "\n" for c in commands).encode()
        result = pytester.run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args, stdin=text)
        events = [json.loads(line) for line in stream.read_text().splitlines()] if stream.exists() else []
        lines = log.read_text().splitlines() if log.exists() else []
        return result, events, lines

    return worker
