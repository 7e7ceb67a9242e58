"""The fork server (bktec_pytest/fork_server.py, forked_worker.py) and the fork client (fork_client.py)."""
import json
import os
import signal
import sys
import textwrap

import pytest

from plugin_testing import ForkServerHarness, alive, events_of, finish, load_plugin, wait_until


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



@pytest.fixture
def fork_server(pytester, monkeypatch, tmp_path):
    """Starts a fork server on the suite's tests, and workers from it through the fork client (as bktec does)."""
    for path, text in FORK_SUITE.items():
        (pytester.path / path).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / path).write_text(textwrap.dedent(text))
    server_stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, server_stream)
    monkeypatch.setenv("IMPORT_LOG", str(tmp_path / "imports.log"))
    monkeypatch.setenv("BKTEC_SLEEPER_PID", str(tmp_path / "sleeper.pid"))
    monkeypatch.chdir(pytester.path)
    harness = ForkServerHarness(tmp_path)
    assert harness.wait_ready(server_stream)["event"] == "fork_server_ready"

    class Workers:
        process = harness.process
        start = staticmethod(harness.start)
        events = staticmethod(events_of)
        result_file = staticmethod(harness.result_file)

        @staticmethod
        def imports():
            path = tmp_path / "imports.log"
            return path.read_text().split("\n")[:-1] if path.exists() else []

    yield Workers
    harness.close()


def test_workers_forked_from_one_server_start_up_once_and_keep_their_own_streams_and_files(fork_server):
    first, first_stream = fork_server.start("one", [{"id": 1, "files": ["tests/test_a.py"]}, {"stop": True}])
    second, second_stream = fork_server.start("two", [{"id": 1, "files": ["tests/test_b.py"]}, {"stop": True}])
    first_code, first_out, first_err = finish(first)
    second_code, second_out, second_err = finish(second)
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
    code, _, _ = finish(client)
    assert code == -signal.SIGSEGV
    assert [e["event"] for e in fork_server.events(stream)][-1] == "start"


def test_the_requester_forwards_sigterm_to_its_worker(fork_server, tmp_path):
    client, _ = fork_server.start("term", [{"id": 1, "files": ["tests/test_sleeps.py"]}, {"stop": True}])
    assert wait_until(lambda: (tmp_path / "sleeper.pid").exists() and (tmp_path / "sleeper.pid").read_text())
    worker = int((tmp_path / "sleeper.pid").read_text())
    client.send_signal(signal.SIGTERM)
    code, _, _ = finish(client, timeout=20)
    assert code == -signal.SIGTERM
    assert wait_until(lambda: not alive(worker))


def test_a_worker_whose_requester_is_killed_is_killed_too(fork_server, tmp_path):
    client, _ = fork_server.start("kill", [{"id": 1, "files": ["tests/test_sleeps.py"]}, {"stop": True}])
    assert wait_until(lambda: (tmp_path / "sleeper.pid").exists() and (tmp_path / "sleeper.pid").read_text())
    worker = int((tmp_path / "sleeper.pid").read_text())
    client.kill()
    client.wait()
    assert wait_until(lambda: not alive(worker))
    assert fork_server.process.poll() is None  # and the server goes on forking


def test_the_end_of_the_servers_input_ends_it_and_any_worker_left(fork_server, tmp_path):
    client, _ = fork_server.start("left", [{"id": 1, "files": ["tests/test_sleeps.py"]}, {"stop": True}])
    assert wait_until(lambda: (tmp_path / "sleeper.pid").exists() and (tmp_path / "sleeper.pid").read_text())
    worker = int((tmp_path / "sleeper.pid").read_text())
    fork_server.process.stdin.close()
    assert fork_server.process.wait(timeout=20) == 0
    assert wait_until(lambda: not alive(worker))
    code, _, _ = finish(client, timeout=20)
    assert code == -signal.SIGKILL


def test_without_a_server_the_requester_runs_the_command_itself(fork_server, tmp_path):
    client, stream = fork_server.start("alone", [{"id": 1, "files": ["tests/test_b.py"]}, {"stop": True}],
                                       server_path=str(tmp_path / "no-such.sock"))
    code, out, _ = finish(client)
    assert code == 0
    events = fork_server.events(stream)
    assert events[0]["pid"] == client.pid  # the command replaced the requester
    assert [e["nodeid"] for e in events if e["event"] == "passed"] == ["tests/test_b.py::test_two"]
    assert "conftest %d" % client.pid in fork_server.imports()



@pytest.mark.parametrize("worker_mode", ["1", ""])
def test_a_server_that_cannot_serve_says_so_and_never_runs_a_test(pytester, monkeypatch, tmp_path, worker_mode):
    # a thread left running by start-up could hold a lock at the fork; outside worker mode there are no commands
    pytester.makeconftest("import threading, time\n\n"
                          "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n")
    pytester.makepyfile(test_x="def test_x():\n    raise AssertionError('a fork server never runs a test')\n")
    stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, stream, worker_mode)
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
