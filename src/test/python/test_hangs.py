"""What names a hung test (bktec_pytest/hangs.py): every thread's stack on bktec's signal, whatever the test is doing,
and each test's own timeout."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from plugin_testing import events_of, load_plugin, wait_until

# One test per kind of hang; each writes "ready" to $HANG_READY once it is about to block, and blocks on the line
# marked "# here".
HANGS = {
    "sleep": """
        def test_hang():
            ready()
            time.sleep(60)  # here
    """,
    "pipe": """
        def test_hang():
            read_end, write_end = os.pipe()
            ready()
            os.read(read_end, 1)  # here
    """,
    "busy": """
        def test_hang():
            counter = 0
            ready()
            while True: counter += 1  # here (one line: the signal may come at the test or in the body)
    """,
    "child": """
        def test_hang():
            ready()
            subprocess.run([sys.executable, "-c", "import time; time.sleep(60)"])  # here
    """,
    "deadlock": """
        def test_hang():
            first, second = threading.Lock(), threading.Lock()
            both = threading.Barrier(2)

            def other():
                with second:
                    both.wait()
                    first.acquire()

            threading.Thread(target=other, daemon=True).start()
            with first:
                both.wait()
                ready()
                second.acquire()  # here
    """,
}

PREAMBLE = """
import os
import subprocess
import sys
import threading
import time


def ready():
    with open(os.environ["HANG_READY"], "w") as f:
        f.write("ready")
"""


def _start(pytester, monkeypatch, tmp_path, body, *args):
    source = textwrap.dedent(PREAMBLE) + textwrap.dedent(body)
    path = pytester.path / "test_hangs_here.py"
    path.write_text(source)
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "# here" in text)
    stream, stacks, ready = tmp_path / "stream.jsonl", tmp_path / "stacks.txt", tmp_path / "ready"
    load_plugin(monkeypatch, stream, worker_mode="")
    monkeypatch.setenv("BKTEC_STACKS_FILE", str(stacks))
    monkeypatch.setenv("HANG_READY", str(ready))
    process = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s", str(path)] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    assert wait_until(ready.exists), process.communicate()
    time.sleep(0.2)  # now blocked on its line
    return process, stream, stacks, line


@pytest.mark.parametrize("kind", sorted(HANGS))
def test_the_stack_names_the_line_a_hung_test_is_on(pytester, monkeypatch, tmp_path, kind):
    process, stream, stacks, line = _start(pytester, monkeypatch, tmp_path, HANGS[kind])
    try:
        signum = next(e for e in events_of(stream) if e["event"] == "stacks")["signal"]
        os.kill(process.pid, signum)
        assert wait_until(lambda: stacks.exists() and "most recent call first" in stacks.read_text())
        time.sleep(0.1)
        assert process.poll() is None  # the signal took the stacks and nothing else
        dump = stacks.read_text()
        assert 'test_hangs_here.py", line %d in test_hang' % line in dump, dump
        if kind == "deadlock":
            assert dump.count("Thread 0x") + dump.count("Current thread 0x") == 2  # every thread
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # and the child a test may have started
        output = process.communicate()[0].decode()
    assert "most recent call first" not in output  # never in the test's own output


def test_a_handler_the_suite_had_for_the_signal_is_still_called(pytester, monkeypatch, tmp_path):
    seen = tmp_path / "seen"
    body = """
        import signal

        def test_hang():
            signal.signal(signal.SIGRTMIN + 6, lambda *_: open(%r, "w").close())
            ready()
            time.sleep(60)  # here
    """ % str(seen)
    # the suite installs its handler before bktec arms faulthandler: here, bktec arms it at session start, so the
    # handler comes later, as a suite's would in a fixture; faulthandler's own is then replaced, and bktec gets none
    process, stream, stacks, _ = _start(pytester, monkeypatch, tmp_path, body)
    try:
        signum = next(e for e in events_of(stream) if e["event"] == "stacks")["signal"]
        os.kill(process.pid, signum)
        assert wait_until(seen.exists)
        assert process.poll() is None
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def _collected_with_timeout_marks(pytester, monkeypatch, tmp_path):
    """The "collected" event of a run of the pytester's files, where an unknown mark would be an error."""
    stream = tmp_path / "stream.jsonl"
    load_plugin(monkeypatch, stream, worker_mode="")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error::pytest.PytestUnknownMarkWarning")
    assert result.ret == 0
    return next(e for e in events_of(stream) if e["event"] == "collected")


def test_own_timeouts_are_announced_with_the_collected_tests(pytester, monkeypatch, tmp_path):
    pytester.makepyfile(test_marks="""
        import pytest

        @pytest.mark.timeout(5)
        def test_five():
            pass

        @pytest.mark.timeout(timeout=0)
        def test_none():
            pass

        def test_default():
            pass
    """)
    collected = _collected_with_timeout_marks(pytester, monkeypatch, tmp_path)
    assert collected["timeouts"] == {"test_marks.py::test_five": 5, "test_marks.py::test_none": 0}


def test_the_closest_timeout_is_the_one_pytest_would_give(pytester, monkeypatch, tmp_path):
    # a module's, a class's, a method's and a parameter's marks: the nearest wins, as get_closest_marker has it
    pytester.makepyfile(test_nested="""
        import pytest

        pytestmark = pytest.mark.timeout(9)

        def test_module_wide():
            pass

        @pytest.mark.timeout(7)
        class TestClass:
            def test_class_wide(self):
                pass

            @pytest.mark.timeout(3)
            def test_own(self):
                pass

            @pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.timeout(1))])
            def test_param(self, n):
                pass
    """, test_plain="def test_none():\n    pass\n")
    collected = _collected_with_timeout_marks(pytester, monkeypatch, tmp_path)
    assert collected["timeouts"] == {
        "test_nested.py::test_module_wide": 9, "test_nested.py::TestClass::test_class_wide": 7,
        "test_nested.py::TestClass::test_own": 3, "test_nested.py::TestClass::test_param[1]": 7,
        "test_nested.py::TestClass::test_param[2]": 1}


def test_with_pytest_timeout_installed_its_marked_tests_are_left_to_it(pytester, monkeypatch, tmp_path):
    pytest.importorskip("pytest_timeout")
    pytester.makepyfile(test_marks="""
        import pytest

        @pytest.mark.timeout(5)
        def test_five():
            pass
    """)
    stream = tmp_path / "stream.jsonl"
    load_plugin(monkeypatch, stream, worker_mode="")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "pytest_timeout")
    assert result.ret == 0
    assert next(e for e in events_of(stream) if e["event"] == "collected")["timeouts"] == {"test_marks.py::test_five": 0}
