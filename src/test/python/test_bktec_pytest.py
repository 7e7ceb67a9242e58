"""Tests of bktec's pytest plugin (src/main/python/bktec_pytest.py) against the pytest running them.

scripts/test-all.sh runs this file under the default interpreter's pytest and under pytest 8.4 and 9.1 in
virtualenvs, so every supported pytest is checked the same way. Each test starts pytest in a subprocess, loading
the plugin as bktec does: its directory on PYTHONPATH and its name in PYTEST_PLUGINS.
"""
import json
import os
import re
import shutil
import subprocess
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PLUGIN_DIR = Path(__file__).resolve().parents[2] / "main" / "python"
STREAM = "BKTEC_RESULTS_STREAM_FILE"

SUITE = {
    "test_outcomes": """
        import pytest

        @pytest.fixture
        def broken_setup():
            raise ConnectionError("no database")

        @pytest.fixture
        def broken_teardown():
            yield
            raise RuntimeError("cleanup failed")

        def test_pass():
            pass

        def test_fail():
            assert 1 == 2

        def test_setup_error(broken_setup):
            pass

        def test_teardown_error(broken_teardown):
            pass

        @pytest.mark.skip(reason="not today")
        def test_skip():
            pass

        @pytest.mark.xfail(reason="bug 12")
        def test_xfail():
            assert False

        @pytest.mark.xfail(reason="bug 13")
        def test_xpass():
            pass

        @pytest.mark.parametrize("value", ["a::b", "x y"])
        def test_param(value):
            pass
    """,
}


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


def by_test(events):
    tests = {}
    for event in events:
        if event["event"] in ("start", "report", "passed"):
            tests.setdefault(event["nodeid"], []).append(event)
    return tests


def test_without_the_variable_it_writes_nothing(pytester, run, tmp_path):
    pytester.makepyfile(**SUITE)
    result, events = run(stream_variable=False)
    assert events == []
    assert not (tmp_path / "stream.jsonl").exists()
    result.assert_outcomes(passed=4, failed=1, errors=2, skipped=1, xfailed=1, xpassed=1)


def test_outcomes_and_output_are_those_of_pytest_without_it(pytester, run):
    pytester.makepyfile(**SUITE)
    with_plugin, events = run("-p", "no:cacheprovider")
    without, _ = run("-p", "no:cacheprovider", plugin=False, stream_variable=False)
    assert with_plugin.ret == without.ret == 1
    assert with_plugin.parseoutcomes() == without.parseoutcomes()

    def normalised(result):
        return [re.sub(r"in [0-9.]+s", "in Xs", line) for line in result.outlines]

    assert normalised(with_plugin) == normalised(without)
    assert events  # the plugin was loaded in the first run


def test_every_phase_of_every_test_is_reported_in_order(pytester, run):
    pytester.makepyfile(**SUITE)
    result, events = run()
    start = events[0]
    assert start["event"] == "session_start"
    assert start["pytest"] == pytest.__version__
    assert start["rootdir"] == str(pytester.path)
    assert start["pid"] > 0
    collected = [e for e in events if e["event"] == "collected"]
    assert len(collected) == 1
    assert collected[0]["nodeids"][0] == "test_outcomes.py::test_pass"
    assert "test_outcomes.py::test_param[a::b]" in collected[0]["nodeids"]
    assert events[-1] == {"event": "session_end", "exitstatus": 1}
    tests = by_test(events)
    assert len(tests) == 9
    for nodeid, stream in tests.items():
        # a test whose three phases passed has them in one "passed" line; any other, a line per phase
        assert [e.get("when", e["event"]) for e in stream] in (["start", "passed"], ["start", "setup", "call", "teardown"],
                                                               ["start", "setup", "teardown"]), nodeid

    def report(name, when):
        return next(e for e in tests["test_outcomes.py::" + name] if e.get("when") == when)

    passed = tests["test_outcomes.py::test_pass"][-1]
    assert passed["event"] == "passed" and isinstance(passed["duration"], float) and "reason" not in passed
    assert [e["event"] for e in tests["test_outcomes.py::test_param[x y]"]] == ["start", "passed"]
    assert report("test_teardown_error", "setup")["outcome"] == "passed"
    assert report("test_fail", "call")["outcome"] == "failed"
    assert report("test_fail", "call")["reason"] == "assert 1 == 2"
    assert report("test_setup_error", "setup")["outcome"] == "failed"
    assert report("test_setup_error", "setup")["reason"] == "ConnectionError: no database"
    assert report("test_teardown_error", "call")["outcome"] == "passed"
    assert report("test_teardown_error", "teardown")["outcome"] == "failed"
    assert report("test_teardown_error", "teardown")["reason"] == "RuntimeError: cleanup failed"
    assert report("test_skip", "setup")["outcome"] == "skipped"
    assert report("test_skip", "setup")["reason"] == "Skipped: not today"
    assert report("test_xfail", "call")["outcome"] == "skipped"
    assert report("test_xfail", "call")["xfail"] == "bug 12"
    assert report("test_xpass", "call")["outcome"] == "passed"
    assert report("test_xpass", "call")["xpass"] is True
    assert all(isinstance(e["duration"], float) for e in events if e["event"] == "report")


def test_collection_errors_and_skipped_modules(pytester, run):
    pytester.makepyfile(test_broken="import not_a_module_anywhere\n",
                        test_windows="import pytest\npytest.skip('windows only', allow_module_level=True)\n",
                        test_fine="def test_ok():\n    pass\n")
    result, events = run()
    assert result.ret == 2
    problems = [(e["event"], e["nodeid"]) for e in events if e["event"].startswith("collection_")]
    assert problems == [("collection_error", "test_broken.py"), ("collection_skip", "test_windows.py")]
    error = next(e for e in events if e["event"] == "collection_error")
    assert "not_a_module_anywhere" in error["reason"]
    assert events[-1]["event"] == "session_end"


def test_a_test_that_ends_its_process_leaves_its_start_and_no_session_end(pytester, run):
    pytester.makepyfile(test_exit="""
        import os

        def test_before():
            pass

        def test_dies():
            os._exit(3)

        def test_after():
            pass
    """)
    result, events = run()
    assert result.ret == 3
    # the start reached the file before the test ran; its setup report was still held back when it died
    assert events[-1] == {"event": "start", "nodeid": "test_exit.py::test_dies"}
    assert (events[-2]["event"], events[-2]["nodeid"]) == ("passed", "test_exit.py::test_before")
    assert not any(e["event"] == "session_end" for e in events)
    collected = next(e for e in events if e["event"] == "collected")
    assert collected["nodeids"][-1] == "test_exit.py::test_after"


def test_a_death_after_the_last_test_does_not_lose_its_reports(pytester, run):
    """Another plugin dying in its session-end work must not make the last test look like the one that crashed."""
    pytester.makeconftest("""
        import os
        import pytest

        @pytest.hookimpl(tryfirst=True)
        def pytest_sessionfinish(session):
            os._exit(7)
    """)
    pytester.makepyfile(test_last="def test_only():\n    pass\n")
    result, events = run()
    assert result.ret == 7
    assert (events[-1]["event"], events[-1]["nodeid"]) == ("passed", "test_last.py::test_only")


def test_exitfirst_ends_the_session_normally_and_says_why_it_stopped(pytester, run):
    pytester.makepyfile(**SUITE)
    result, events = run("-x")
    assert result.ret == 1
    ran = by_test(events)
    assert list(ran) == ["test_outcomes.py::test_pass", "test_outcomes.py::test_fail"]
    assert events[-1] == {"event": "session_end", "exitstatus": 1, "stopped": "stopping after 1 failures"}


STOPPING = """
    import pytest

    def test_before():
        pass

    def test_stops():
        {stop}

    def test_after():
        pass
"""


@pytest.mark.parametrize("stop, code, reason", [
    ('pytest.exit("enough for today", returncode=0)', 0, "pytest.exit: enough for today"),
    ('pytest.exit("no returncode")', 2, "pytest.exit: no returncode"),
    ("raise KeyboardInterrupt", 2, "interrupted (KeyboardInterrupt)"),
])
def test_a_session_stopped_inside_a_test_says_why_and_leaves_that_test_without_a_call_report(
        pytester, run, stop, code, reason):
    pytester.makepyfile(test_stop=STOPPING.replace("{stop}", stop))
    result, events = run()
    assert result.ret == code
    ran = by_test(events)
    assert list(ran) == ["test_stop.py::test_before", "test_stop.py::test_stops"]
    assert [(e["when"], e["outcome"]) for e in ran["test_stop.py::test_stops"] if e["event"] == "report"] == [
        ("setup", "passed")]
    assert events[-1] == {"event": "session_end", "exitstatus": code, "stopped": reason}


def test_a_plugin_that_sets_shouldstop_is_named(pytester, run):
    pytester.makeconftest("""
        def pytest_runtest_teardown(item):
            item.session.shouldstop = "the database went away"
    """)
    pytester.makepyfile(test_stop=STOPPING.replace("{stop}", "pass"))
    result, events = run()
    assert list(by_test(events)) == ["test_stop.py::test_before"]
    assert events[-1]["stopped"] == "the database went away"


def test_last_failed_and_no_cacheprovider(pytester, run):
    pytester.makepyfile(**SUITE)
    run()
    result, events = run("--lf")
    collected = next(e for e in events if e["event"] == "collected")["nodeids"]
    assert sorted(collected) == sorted(["test_outcomes.py::test_fail", "test_outcomes.py::test_setup_error",
                                        "test_outcomes.py::test_teardown_error"])
    result, events = run("-p", "no:cacheprovider")
    assert events[-1] == {"event": "session_end", "exitstatus": 1}


def test_it_loads_whether_or_not_plugins_autoload(pytester, run):
    pytester.makepyfile(test_one="def test_ok():\n    pass\n")
    for autoload in (False, True):
        result, events = run(autoload=autoload)
        assert result.ret == 0
        assert [e["event"] for e in events] == ["session_start", "collected", "start", "passed", "session_end"], autoload


def test_a_stream_file_that_cannot_be_opened_changes_nothing(pytester, monkeypatch, tmp_path):
    pytester.makepyfile(test_one="def test_ok():\n    pass\n")
    monkeypatch.setenv("PYTHONPATH", str(PLUGIN_DIR))
    monkeypatch.setenv("PYTEST_PLUGINS", "bktec_pytest")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv(STREAM, str(tmp_path / "no" / "such" / "dir" / "stream.jsonl"))
    result = pytester.runpytest_subprocess()
    assert result.ret == 0
    result.assert_outcomes(passed=1)


def test_under_xdist_each_event_is_written_once(pytester, run):
    pytest.importorskip("xdist")
    pytester.makepyfile(**SUITE)
    result, events = run("-p", "xdist.plugin", "-n", "2")
    assert result.ret == 1
    kinds = [e["event"] for e in events]
    assert kinds.count("session_start") == 1
    assert kinds.count("collected") == 1
    assert kinds.count("session_end") == 1
    assert len(next(e for e in events if e["event"] == "collected")["nodeids"]) == 9
    tests = by_test(events)
    assert len(tests) == 9
    for nodeid, stream in tests.items():
        whens = [e["when"] for e in stream if e["event"] == "report"]
        assert sorted(whens) == sorted(set(whens)), nodeid  # no phase twice
        assert [e["event"] for e in stream].count("start") == 1, nodeid


def _module_with_fixture(name):
    """A test module whose module fixture and two tests log what they do."""
    return """
        import pytest
        from conftest import log

        @pytest.fixture(scope="module", autouse=True)
        def module_resource():
            log("{name} setup")
            yield
            log("{name} teardown")

        def test_a():
            log("{name} a")

        def test_b():
            log("{name} b")
    """.format(name=name)


WORKER_SUITE = {
    "conftest": """
        import os
        import pytest

        def log(text):
            with open(os.environ["FIXTURE_LOG"], "a") as f:
                f.write(text + "\\n")

        @pytest.fixture(scope="session", autouse=True)
        def session_resource():
            log("session setup")
            yield
            log("session teardown")
    """,
    "test_one": _module_with_fixture("one"),
    "test_two": _module_with_fixture("two"),
}


def _load_plugin(monkeypatch, stream, worker_mode="1"):
    """bktec's environment for a pytest in worker mode: the plugin loaded, its stream at `stream`."""
    monkeypatch.setenv("PYTHONPATH", str(PLUGIN_DIR))
    monkeypatch.setenv("PYTEST_PLUGINS", "bktec_pytest")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv(STREAM, str(stream))
    monkeypatch.setenv("BKTEC_WORKER", worker_mode)


@pytest.fixture
def worker(pytester, monkeypatch, tmp_path):
    """Runs pytest in worker mode with these commands on its standard input; returns (result, events, fixture log)."""
    stream = tmp_path / "stream.jsonl"
    log = tmp_path / "fixtures.log"

    def worker(commands, *args):
        _load_plugin(monkeypatch, stream)
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


def test_a_worker_runs_what_it_is_told_file_by_file_with_fixtures_as_in_a_normal_run(pytester, worker):
    pytester.makepyfile(**WORKER_SUITE)
    result, events, log = worker([{"id": 1, "files": ["test_two.py"]}, {"id": 2, "files": ["test_one.py"]},
                                  {"stop": True}], "--junit-xml=out.xml")
    assert result.ret == 0
    # one session for the worker; each module's fixtures set up once and torn down before the next file starts
    assert log == ["session setup", "two setup", "two a", "two b", "two teardown", "one setup", "one a", "one b",
                   "one teardown", "session teardown"]
    kinds = [(e["event"], e.get("nodeid", e.get("command", e.get("exitstatus")))) for e in events
             if e["event"] not in ("report", "passed", "collected")]
    # nothing is imported before it is asked for: each module's tests are announced when a command first names it
    assert [e["nodeids"] for e in events if e["event"] == "collected"] == [
        [], ["test_two.py::test_a", "test_two.py::test_b"], ["test_one.py::test_a", "test_one.py::test_b"]]
    # a test's reports always come before the next event: the one test that ran before a "done" is settled first
    assert [e["event"] for e in events].index("done") == [e["event"] for e in events].index("passed") + 1
    assert kinds[1:] == [("worker_ready", None), ("start", "test_two.py::test_a"), ("done", 1),
                         ("start", "test_two.py::test_b"), ("start", "test_one.py::test_a"), ("done", 2),
                         ("start", "test_one.py::test_b"), ("session_end", 0)]
    # the user's result file is written at the stop, with every test the worker ran
    assert (pytester.path / "out.xml").read_text().count("<testcase") == 4


def test_node_ids_pick_single_tests_and_unknown_names_pick_nothing(pytester, worker):
    pytester.makepyfile(**WORKER_SUITE)
    result, events, log = worker([{"id": 1, "ids": ["test_one.py::test_b"], "files": ["test_nowhere.py"]},
                                  {"id": 2, "files": []}, {"stop": True}])
    assert result.ret == 0
    assert [e["nodeid"] for e in events if e["event"] == "start"] == ["test_one.py::test_b"]
    assert [e["command"] for e in events if e["event"] == "done"] == [1, 2]
    assert "one a" not in log


def test_the_end_of_input_ends_the_session_like_a_stop(pytester, worker):
    pytester.makepyfile(**WORKER_SUITE)
    result, events, log = worker([{"id": 1, "files": ["test_one.py"]}])
    assert result.ret == 0
    assert log[-2:] == ["one teardown", "session teardown"]
    assert events[-1] == {"event": "session_end", "exitstatus": 0}


def test_a_collection_error_ends_a_worker_as_it_ends_pytest_once_the_module_is_asked_for(pytester, worker):
    pytester.makepyfile(test_broken="import not_a_module_anywhere\n", test_fine="def test_ok():\n    pass\n")
    result, events, log = worker([{"id": 1, "files": ["test_fine.py"]}, {"id": 2, "files": ["test_broken.py"]},
                                  {"stop": True}])
    assert result.ret == 2
    kinds = [e["event"] for e in events]
    assert kinds.index("worker_ready") < kinds.index("collection_error")
    assert [e["nodeid"] for e in events if e["event"] == "passed"] == ["test_fine.py::test_ok"]
    assert next(e for e in events if e["event"] == "collection_error")["nodeid"] == "test_broken.py"
    assert events[-1] == {"event": "session_end", "exitstatus": 2, "stopped": "1 error during collection"}


def test_a_worker_imports_a_module_only_when_a_command_names_it(pytester, worker, tmp_path):
    imports = tmp_path / "imports.log"
    for name in ("alpha", "beta", "gamma"):
        pytester.makepyfile(**{"test_" + name: "with open(%r, 'a') as f:\n    f.write('%s\\n')\n\n"
                                                 "def test_x():\n    pass\n" % (str(imports), name)})
    result, events, log = worker([{"id": 1, "files": ["test_beta.py"]}, {"id": 2, "ids": ["test_beta.py::test_x"]},
                                  {"stop": True}])
    assert result.ret == 0
    assert imports.read_text().split() == ["beta"]
    assert [e["nodeid"] for e in events if e["event"] == "start"] == ["test_beta.py::test_x", "test_beta.py::test_x"]


def test_a_worker_stopped_by_exitfirst_ends_its_session_and_says_why(pytester, worker):
    pytester.makepyfile(test_fails="def test_a():\n    assert False\n\ndef test_b():\n    pass\n",
                        test_fine="def test_ok():\n    pass\n")
    result, events, log = worker([{"id": 1, "files": ["test_fails.py"]}, {"id": 2, "files": ["test_fine.py"]},
                                  {"stop": True}], "-x")
    assert result.ret == 1
    assert [e["nodeid"] for e in events if e["event"] == "start"] == ["test_fails.py::test_a"]
    assert events[-1] == {"event": "session_end", "exitstatus": 1, "stopped": "stopping after 1 failures"}


def test_the_plugin_is_python_3_8_syntax():
    """CI has Python 3.11; the plugin must still run on 3.8 (checked when a 3.8 interpreter is at hand)."""
    candidates = [shutil.which("python3.8")] + sorted(
        str(p) for p in Path(os.path.expanduser("~/.pyenv/versions")).glob("3.8*/bin/python3.8"))

    def runs(python):
        return python and subprocess.run([python, "--version"], capture_output=True).returncode == 0

    python38 = next((c for c in candidates if runs(c)), None)
    if python38 is None:
        pytest.skip("no Python 3.8 interpreter here")
    source = PLUGIN_DIR / "bktec_pytest.py"
    check = subprocess.run([python38, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), "
                                            "feature_version=(3, 8))", str(source)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_plugin_uses_only_the_standard_library_and_pytest():
    source = (PLUGIN_DIR / "bktec_pytest.py").read_text()
    imports = set(re.findall(r"^(?:import|from) ([a-zA-Z_]+)", source, re.M))
    allowed = set(getattr(sys, "stdlib_module_names", ())) | {"pytest", "json", "os", "sys"}
    assert imports <= allowed, imports - allowed


PLANNED_SUITE = {
    "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef value():\n    return 1\n",
    "tests/test_a.py": "def test_one(value):\n    assert value == 1\n\ndef test_two():\n    pass\n",
    "tests/test_b.py": "import pytest\n\n@pytest.mark.slow\ndef test_slow():\n    pass\n\n"
                       "@pytest.mark.parametrize('x', [1, 2])\ndef test_param(x):\n    pass\n\n"
                       "class TestGroup:\n    def test_in_class(self):\n        pass\n",
    "tests/test_unplanned.py": "raise ImportError('an unplanned file is never imported')\n",
    "tests/sub/__init__.py": "",
    "tests/sub/conftest.py": "import pytest\n\n@pytest.fixture\ndef value():\n    return 2\n",
    "tests/sub/test_c.py": "def test_sub(value):\n    assert value == 2\n",
    "tests/check_named_otherwise.py": "def test_found_by_name():\n    pass\n",
    "tests/build/test_in_norecurse.py": "def test_built():\n    pass\n",
    "tests/elsewhere/test_d.py": "def test_far():\n    pass\n",
}


def _write_planned_suite(pytester):
    for name, text in PLANNED_SUITE.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (pytester.path / "pytest.ini").write_text("[pytest]\nmarkers = slow\nnorecursedirs = build\n")


def _collected(pytester, run, *args):
    result, events = run("--collect-only", "-q", *args)
    return result, next(e for e in events if e["event"] == "collected")["nodeids"]


PLANNED = ["tests/test_a.py", "tests/test_b.py::test_param", "tests/test_b.py::TestGroup", "tests/sub/test_c.py",
           "tests/check_named_otherwise.py", "tests/build/test_in_norecurse.py"]


@pytest.mark.parametrize("extra", [(), ("-k", "not two"), ("-m", "not slow")])
def test_planned_collection_collects_what_the_file_list_collects(pytester, run, tmp_path, extra):
    _write_planned_suite(pytester)
    listing = tmp_path / "planned.txt"
    listing.write_text("\n".join(PLANNED) + "\n")
    _, by_files = _collected(pytester, run, *PLANNED, *extra)
    result, by_directory = _collected(pytester, run, "tests", "--bktec-planned=%s" % listing, *extra)
    assert result.ret == 0
    assert sorted(by_directory) == sorted(by_files)
    assert "tests/test_b.py::test_param[1]" in by_directory and "tests/test_b.py::test_slow" not in by_directory
    assert "tests/check_named_otherwise.py::test_found_by_name" in by_directory
    assert "tests/build/test_in_norecurse.py::test_built" in by_directory


def test_planned_collection_runs_them_with_their_own_conftest_fixtures(pytester, run, tmp_path):
    _write_planned_suite(pytester)
    listing = tmp_path / "planned.txt"
    listing.write_text("tests/test_a.py\ntests/sub/test_c.py\n")
    result, events = run("tests", "--bktec-planned=%s" % listing)
    assert result.ret == 0
    assert sorted(e["nodeid"] for e in events if e["event"] == "passed") == [
        "tests/sub/test_c.py::test_sub", "tests/test_a.py::test_one", "tests/test_a.py::test_two"]


def test_planned_collection_is_linear_in_files(pytester, run, tmp_path):
    """Handed every file, pytest collects the directory again for each one; handed the directory, once."""
    for i in range(60):
        pytester.makepyfile(**{"test_m%02d" % i: "def test_x():\n    pass\n"})
    pytester.makeconftest("""
        import os

        def pytest_collect_file(file_path, parent):
            with open(os.environ["COLLECT_COUNT"], "a") as f:
                f.write("x")
    """)
    counter = tmp_path / "count"
    os.environ["COLLECT_COUNT"] = str(counter)
    try:
        files = sorted(p.name for p in pytester.path.glob("test_m*.py"))
        run(*files)
        by_files = len(counter.read_text())
        counter.unlink()
        listing = tmp_path / "planned.txt"
        listing.write_text("\n".join(files) + "\n")
        run(".", "--bktec-planned=%s" % listing)
        by_directory = len(counter.read_text())
    finally:
        del os.environ["COLLECT_COUNT"]
    assert by_directory <= 62  # each file (and conftest.py) once
    assert by_files > 10 * by_directory


def test_without_the_plugin_pytest_stops_on_the_planned_option_before_collecting(pytester, run, tmp_path):
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    listing = tmp_path / "planned.txt"
    listing.write_text("test_x.py\n")
    result, events = run(".", "--bktec-planned=%s" % listing, plugin=False)
    assert result.ret == 4
    assert "--bktec-planned" in result.stderr.str()
    assert events == []


def test_a_workers_package_fixture_lives_across_commands_as_in_a_normal_run(pytester, worker, tmp_path):
    log = tmp_path / "package.log"
    pkg = pytester.path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture(scope='package')\ndef shared():\n"
        "    with open(%r, 'a') as f:\n        f.write('setup\\n')\n    yield\n"
        "    with open(%r, 'a') as f:\n        f.write('teardown\\n')\n" % (str(log), str(log)))
    (pkg / "test_one.py").write_text("def test_a(shared):\n    pass\n")
    (pkg / "test_two.py").write_text("def test_b(shared):\n    pass\n")
    result, events, _ = worker([{"id": 1, "files": ["pkg/test_one.py"]}, {"id": 2, "files": ["pkg/test_two.py"]},
                                {"stop": True}], "pkg")
    assert result.ret == 0
    assert [e["nodeid"] for e in events if e["event"] == "passed"] == ["pkg/test_one.py::test_a", "pkg/test_two.py::test_b"]
    assert log.read_text().split() == ["setup", "teardown"]


FORK_SUITE = {
    "tests/conftest.py": """
        import os
        import pytest

        with open(os.environ["IMPORT_LOG"], "a") as f:
            f.write("conftest %d\\n" % os.getpid())
        print("printed by conftest")

        @pytest.fixture(scope="session", autouse=True)
        def session_resource():
            with open(os.environ["IMPORT_LOG"], "a") as f:
                f.write("session %d\\n" % os.getpid())
            yield
    """,
    "tests/test_a.py": """
        import sys

        def test_one():
            pass

        def test_prints():
            print("out of a")
            sys.stderr.write("err of a\\n")
            assert False, "boom"
    """,
    "tests/test_b.py": """
        def test_two():
            pass
    """,
    "tests/test_sleeps.py": """
        import os
        import time

        def test_sleeps():
            with open(os.environ["BKTEC_SLEEPER_PID"], "w") as f:
                f.write(str(os.getpid()))
            time.sleep(60)
    """,
    "tests/test_crashes.py": """
        import os
        import signal

        def test_crashes():
            os.kill(os.getpid(), signal.SIGSEGV)
    """,
}


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:  # gone, and reaped
        return False


def _wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def fork_server(pytester, monkeypatch, tmp_path):
    """Starts a fork server on the suite's tests, and workers from it through bktec_fork.py (as bktec does)."""
    for path, text in FORK_SUITE.items():
        (pytester.path / path).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / path).write_text(textwrap.dedent(text))
    server_stream = tmp_path / "server.jsonl"
    _load_plugin(monkeypatch, server_stream)
    monkeypatch.setenv("IMPORT_LOG", str(tmp_path / "imports.log"))
    monkeypatch.setenv("BKTEC_SLEEPER_PID", str(tmp_path / "sleeper.pid"))
    monkeypatch.chdir(pytester.path)
    socket_path = str(tmp_path / "fork.sock")

    def arguments(name):
        return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests",
                "--bktec-planned=%s" % (tmp_path / ("planned-%s.txt" % name)),
                "--junitxml=%s" % (tmp_path / ("result-%s.xml" % name))]

    (tmp_path / "planned-server.txt").write_text("tests\n")
    env = dict(os.environ, BKTEC_FORK_SERVER=socket_path)
    server = subprocess.Popen(arguments("server"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env)

    def events_of(path):
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    assert _wait_until(lambda: any(e["event"] == "fork_server_ready" for e in events_of(server_stream)))

    class Workers:
        process = server

        @staticmethod
        def start(name, commands, server_path=socket_path):
            stream = tmp_path / ("%s.jsonl" % name)
            substitutions = [[str(tmp_path / "planned-server.txt"), str(tmp_path / ("planned-%s.txt" % name))],
                             [str(tmp_path / "result-server.xml"), str(tmp_path / ("result-%s.xml" % name))]]
            worker_env = dict(os.environ, BKTEC_RESULTS_STREAM_FILE=str(stream), BKTEC_FORK_FROM=server_path,
                              BKTEC_FORK_SUBSTITUTIONS=json.dumps(substitutions))
            argv = arguments(name)
            (tmp_path / ("planned-%s.txt" % name)).write_text(
                "".join(f + "\n" for c in commands for f in c.get("files", ())))
            client = subprocess.Popen([sys.executable, "-S", str(PLUGIN_DIR / "bktec_fork.py")] + argv,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      env=worker_env)
            client.stdin.write("".join(json.dumps(c) + "\n" for c in commands).encode())
            client.stdin.flush()
            return client, stream

        @staticmethod
        def events(stream):
            return events_of(stream)

        @staticmethod
        def result_file(name):
            return tmp_path / ("result-%s.xml" % name)

        @staticmethod
        def imports():
            path = tmp_path / "imports.log"
            return path.read_text().split("\n")[:-1] if path.exists() else []

    yield Workers
    if server.poll() is None:
        server.kill()
    server.wait()


def _finish(client, timeout=60):
    out, err = client.communicate(timeout=timeout)  # closes its standard input first
    return client.returncode, out.decode(), err.decode()


def test_workers_forked_from_one_server_start_up_once_and_keep_their_own_streams_and_files(fork_server):
    first, first_stream = fork_server.start("one", [{"id": 1, "files": ["tests/test_a.py"]}, {"stop": True}])
    second, second_stream = fork_server.start("two", [{"id": 1, "files": ["tests/test_b.py"]}, {"stop": True}])
    first_code, first_out, first_err = _finish(first)
    second_code, second_out, second_err = _finish(second)
    assert (first_code, second_code) == (1, 0)
    one, two = fork_server.events(first_stream), fork_server.events(second_stream)
    assert [e["nodeid"] for e in one if e["event"] in ("passed", "start")] == [
        "tests/test_a.py::test_one", "tests/test_a.py::test_one", "tests/test_a.py::test_prints"]
    assert [e["nodeid"] for e in two if e["event"] == "passed"] == ["tests/test_b.py::test_two"]
    assert one[-1]["event"] == two[-1]["event"] == "session_end"
    server_pid = fork_server.process.pid
    worker_pids = {one[0]["pid"], two[0]["pid"]}
    assert server_pid not in worker_pids and len(worker_pids) == 2
    # conftest was imported once, by the server; each worker set up its own session fixture
    assert sorted(fork_server.imports()) == sorted(["conftest %d" % server_pid] + ["session %d" % p for p in worker_pids])
    # each worker's output, and its result file, are its own
    assert "1 failed, 1 passed" in first_out and "boom" in first_out and "test_b" not in first_out
    assert "1 passed" in second_out and "boom" not in second_out
    assert fork_server.result_file("one").read_text().count("<testcase") == 2
    assert "out of a" in fork_server.result_file("one").read_text()
    assert fork_server.result_file("two").read_text().count("<testcase") == 1
    assert not fork_server.result_file("server").exists()
    # what conftest printed while loading goes to the first test's capture, as without the server
    assert "printed by conftest" not in first_out + second_out
    assert fork_server.process.poll() is None


def test_a_worker_killed_by_a_signal_ends_its_requester_by_the_same_signal(fork_server):
    client, stream = fork_server.start("crash", [{"id": 1, "files": ["tests/test_crashes.py"]}, {"stop": True}])
    code, _, _ = _finish(client)
    assert code == -signal.SIGSEGV
    assert [e["event"] for e in fork_server.events(stream)][-1] == "start"


def test_the_requester_forwards_sigterm_to_its_worker(fork_server, tmp_path):
    client, _ = fork_server.start("term", [{"id": 1, "files": ["tests/test_sleeps.py"]}, {"stop": True}])
    assert _wait_until(lambda: (tmp_path / "sleeper.pid").exists() and (tmp_path / "sleeper.pid").read_text())
    worker = int((tmp_path / "sleeper.pid").read_text())
    client.send_signal(signal.SIGTERM)
    code, _, _ = _finish(client, timeout=20)
    assert code == -signal.SIGTERM
    assert _wait_until(lambda: not _alive(worker))


def test_a_worker_whose_requester_is_killed_is_killed_too(fork_server, tmp_path):
    client, _ = fork_server.start("kill", [{"id": 1, "files": ["tests/test_sleeps.py"]}, {"stop": True}])
    assert _wait_until(lambda: (tmp_path / "sleeper.pid").exists() and (tmp_path / "sleeper.pid").read_text())
    worker = int((tmp_path / "sleeper.pid").read_text())
    client.kill()
    client.wait()
    assert _wait_until(lambda: not _alive(worker))
    assert fork_server.process.poll() is None  # and the server goes on forking


def test_the_end_of_the_servers_input_ends_it_and_any_worker_left(fork_server, tmp_path):
    client, _ = fork_server.start("left", [{"id": 1, "files": ["tests/test_sleeps.py"]}, {"stop": True}])
    assert _wait_until(lambda: (tmp_path / "sleeper.pid").exists() and (tmp_path / "sleeper.pid").read_text())
    worker = int((tmp_path / "sleeper.pid").read_text())
    fork_server.process.stdin.close()
    assert fork_server.process.wait(timeout=20) == 0
    assert _wait_until(lambda: not _alive(worker))
    code, _, _ = _finish(client, timeout=20)
    assert code == -signal.SIGKILL


def test_without_a_server_the_requester_runs_the_command_itself(fork_server, tmp_path):
    client, stream = fork_server.start("alone", [{"id": 1, "files": ["tests/test_b.py"]}, {"stop": True}],
                                       server_path=str(tmp_path / "no-such.sock"))
    code, out, _ = _finish(client)
    assert code == 0
    events = fork_server.events(stream)
    assert events[0]["pid"] == client.pid  # the command replaced the requester
    assert [e["nodeid"] for e in events if e["event"] == "passed"] == ["tests/test_b.py::test_two"]
    assert "conftest %d" % client.pid in fork_server.imports()


def test_the_fork_client_is_python_3_8_and_standard_library_only():
    source = (PLUGIN_DIR / "bktec_fork.py").read_text()
    imports = set(re.findall(r"^\s*(?:import|from) ([a-zA-Z_]+)", source, re.M))
    assert imports <= set(getattr(sys, "stdlib_module_names", imports)), imports
    import ast

    ast.parse(source, feature_version=(3, 8))


@pytest.mark.parametrize("worker_mode", ["1", ""])
def test_a_server_that_cannot_serve_says_so_and_never_runs_a_test(pytester, monkeypatch, tmp_path, worker_mode):
    # a thread left running by start-up could hold a lock at the fork; outside worker mode there are no commands
    pytester.makeconftest("import threading, time\n\n"
                          "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n")
    pytester.makepyfile(test_x="def test_x():\n    raise AssertionError('a fork server never runs a test')\n")
    stream = tmp_path / "server.jsonl"
    _load_plugin(monkeypatch, stream, worker_mode)
    monkeypatch.setenv("BKTEC_FORK_SERVER", str(tmp_path / "fork.sock"))
    result = pytester.run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", stdin=b"")
    events = [json.loads(line) for line in stream.read_text().splitlines()]
    if worker_mode:
        assert result.ret == 0
        assert events == [{"event": "fork_server_unavailable", "reason": "pytest has 2 threads running after start-up"}]
    else:
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        assert "bktec's fork server cannot serve: not in worker mode" in result.stderr.str()
        assert events == [{"event": "fork_server_unavailable", "reason": "not in worker mode"}]
    assert "a fork server never runs a test" not in result.stdout.str()
