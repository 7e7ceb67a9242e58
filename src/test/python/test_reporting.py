"""Reporting (bktec_pytest/reporting.py): what the results stream says of a session and its tests."""
import re

import pytest

from plugin_testing import PLUGIN_DIR, STREAM, by_test

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

