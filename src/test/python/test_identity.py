"""Worker identity (bktec_pytest/identity.py): pytest-xdist's, given to bktec's processes above concurrency 1."""
import json
import os
import sys

import pytest

from plugin_testing import ForkServerHarness, events_of, finish, load_plugin

IDENTITY = {"PYTEST_XDIST_WORKER": "gw3", "PYTEST_XDIST_WORKER_COUNT": "4", "PYTEST_XDIST_TESTRUNUID": "abc123"}

# What the suite sees of its identity, written by its tests and hooks to $IDENTITY_LOG as JSON lines.
SEEN = {
    "conftest.py": """
        import json
        import os

        import pytest

        def seen(what, value):
            with open(os.environ["IDENTITY_LOG"], "a") as f:
                f.write(json.dumps({"what": what, "value": value}) + "\\n")

        def pytest_configure(config):
            seen("configure", hasattr(config, "workerinput"))

        def pytest_sessionstart(session):
            seen("sessionstart", hasattr(session.config, "workerinput"))

        def pytest_sessionfinish(session):
            seen("sessionfinish", hasattr(session.config, "workerinput"))

        @pytest.fixture(scope="session")
        def test_database(request):
            # as pytest-django names a worker's test database: django_db_modify_db_settings_xdist_suffix
            suffix = getattr(request.config, "workerinput", {}).get("workerid")
            return "test_db" + ("_" + suffix if suffix else "")
    """,
    "test_identity.py": """
        import os

        from conftest import seen

        def test_identity(worker_id, testrun_uid, test_database, pytestconfig):
            seen("worker_id", worker_id)
            seen("testrun_uid", testrun_uid)
            seen("database", test_database)
            seen("workerinput", getattr(pytestconfig, "workerinput", None))
            seen("environment", os.environ.get("PYTEST_XDIST_WORKER"))

        def test_fails():
            assert False
    """,
}


def _seen(log):
    return {entry["what"]: entry["value"] for entry in (json.loads(line) for line in log.read_text().splitlines())}


@pytest.fixture
def identity_run(pytester, monkeypatch, tmp_path):
    """Runs the SEEN suite with the plugin loaded as bktec loads it; returns (result, what the suite saw)."""
    pytester.makepyfile(**SEEN)
    log = tmp_path / "identity.log"

    def run(environment, *args):
        load_plugin(monkeypatch, tmp_path / "stream.jsonl", worker_mode="")
        monkeypatch.setenv("IDENTITY_LOG", str(log))
        for name in IDENTITY:
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        if log.exists():
            log.unlink()
        result = pytester.runpytest_subprocess(*args)
        return result, _seen(log)

    return run


def test_an_identity_is_given_as_pytest_xdist_gives_it_while_the_tests_run(pytester, identity_run):
    result, seen = identity_run(IDENTITY, "--junitxml=out.xml")
    assert result.ret == 1
    assert seen["worker_id"] == "gw3" and seen["testrun_uid"] == "abc123" and seen["environment"] == "gw3"
    assert seen["workerinput"] == {"workerid": "gw3", "workercount": 4, "testrunuid": "abc123"}
    assert seen["database"] == "test_db_gw3"  # a pytest-django-style suite gets a database of its own
    # outside the tests there is no workerinput: pytest-cov, junitxml, the cache and the collector act as without xdist
    assert (seen["configure"], seen["sessionstart"], seen["sessionfinish"]) == (False, False, False)
    assert (pytester.path / "out.xml").read_text().count("<testcase") == 2


def test_the_fixtures_work_whether_or_not_pytest_xdist_is_installed(pytester, identity_run):
    pytest.importorskip("xdist")
    result, seen = identity_run(IDENTITY, "-p", "xdist.plugin")
    assert (seen["worker_id"], seen["testrun_uid"], seen["database"]) == ("gw3", "abc123", "test_db_gw3")


def test_without_an_identity_nothing_changes(pytester, identity_run):
    result, seen = identity_run({})
    assert seen["worker_id"] == "master" and seen["workerinput"] is None and seen["database"] == "test_db"
    assert len(seen["testrun_uid"]) == 32


def test_the_cache_is_written_as_without_xdist(pytester, identity_run):
    result, seen = identity_run(IDENTITY, "-p", "cacheprovider")
    assert "test_identity.py::test_fails" in (pytester.path / ".pytest_cache/v/cache/lastfailed").read_text()


def test_pytest_cov_is_not_taken_for_an_xdist_worker(pytester, identity_run, tmp_path, monkeypatch):
    pytest.importorskip("pytest_cov")
    monkeypatch.setenv("COVERAGE_FILE", str(tmp_path / "w.coverage"))
    result, seen = identity_run(IDENTITY, "-p", "pytest_cov", "--cov=.", "--cov-report=")
    assert result.ret == 1 and seen["worker_id"] == "gw3"
    assert (tmp_path / "w.coverage").exists()  # measured and saved as a process of its own, not an xdist worker's


def test_a_fork_server_whose_start_up_reads_the_identity_refuses_to_serve(pytester, monkeypatch, tmp_path):
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "conftest.py").write_text(
        "import os\n\nDATABASE = 'db-%s' % os.environ.get('PYTEST_XDIST_WORKER', 'main')\n")
    (pytester.path / "tests" / "test_x.py").write_text("def test_x():\n    pass\n")
    stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, stream)
    monkeypatch.chdir(pytester.path)
    harness = ForkServerHarness(tmp_path)
    try:
        assert harness.wait_ready(stream) == {"event": "fork_server_unavailable", "reason": "start-up read the "
                                              "worker's identity: PYTEST_XDIST_WORKER (in tests/conftest.py)"}
        assert harness.process.wait(timeout=30) == 0
    finally:
        harness.close()


def _first_server_event(pytester, monkeypatch, tmp_path, conftest):
    """What a fork server with this conftest.py (and an identity of its own) says first: ready, or unavailable."""
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "conftest.py").write_text(conftest)
    (pytester.path / "tests" / "test_x.py").write_text("def test_x():\n    pass\n")
    stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, stream)
    monkeypatch.chdir(pytester.path)
    harness = ForkServerHarness(tmp_path, server_env={"PYTEST_XDIST_WORKER": "gw0"})
    try:
        return harness.wait_ready(stream)["event"]
    finally:
        harness.close()


@pytest.mark.parametrize("walk", ["{k: v for k, v in os.environ.items() if k.startswith('NETWORKX_')}",
                                  "dict(os.environ)", "os.environ.copy()", "[v for v in os.environ.values()]",
                                  "{**os.environ}"])
def test_a_start_up_that_walks_every_variable_does_not_read_the_identity(pytester, monkeypatch, tmp_path, walk):
    # networkx reads its NETWORKX_* settings at import by walking the whole environment, identity included
    conftest = "import os\n\nSETTINGS = %s\n" % walk
    assert _first_server_event(pytester, monkeypatch, tmp_path, conftest) == "fork_server_ready"


def test_a_start_up_that_picks_the_identity_out_of_a_walk_reads_it(pytester, monkeypatch, tmp_path):
    conftest = "import os\n\nNAME = [os.environ[k] for k in os.environ if k == 'PYTEST_XDIST_WORKER']\n"
    assert _first_server_event(pytester, monkeypatch, tmp_path, conftest) == "fork_server_unavailable"


def test_a_forked_worker_takes_its_identity_from_its_client(pytester, monkeypatch, tmp_path):
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_id.py").write_text(
        "import os\n\ndef test_id(worker_id, testrun_uid, pytestconfig):\n"
        "    with open(os.environ['IDENTITY_LOG'], 'a') as f:\n"
        "        f.write('%s %s %s\\n' % (worker_id, testrun_uid, pytestconfig.workerinput['workercount']))\n")
    log = tmp_path / "identity.log"
    monkeypatch.setenv("IDENTITY_LOG", str(log))
    stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, stream)
    monkeypatch.chdir(pytester.path)
    harness = ForkServerHarness(tmp_path)
    try:
        assert harness.wait_ready(stream)["event"] == "fork_server_ready"
        clients = [harness.start(name, [{"id": 1, "files": ["tests/test_id.py"]}, {"stop": True}],
                                 env={"PYTEST_XDIST_WORKER": slot, "PYTEST_XDIST_WORKER_COUNT": "2",
                                      "PYTEST_XDIST_TESTRUNUID": "run7"})[0]
                   for name, slot in (("one", "gw0"), ("two", "gw1"))]
        assert [finish(client)[0] for client in clients] == [0, 0]
    finally:
        harness.close()
    assert sorted(log.read_text().splitlines()) == ["gw0 run7 2", "gw1 run7 2"]


def test_a_plugin_that_only_asks_whether_xdist_runs_does_not_stop_the_fork_server(pytester, monkeypatch, tmp_path):
    # pytest-benchmark turns benchmarks off under xdist: it reads the identity at configure, for its truth alone
    (pytester.path / "pytest_benchmark").mkdir()
    (pytester.path / "pytest_benchmark" / "__init__.py").write_text(
        "import os\n\ndef pytest_configure(config):\n    config.xdist_seen = bool(os.environ.get('PYTEST_XDIST_WORKER'))\n")
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_x.py").write_text("def test_x():\n    pass\n")
    stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, stream)
    monkeypatch.setenv("PYTHONPATH", os.environ["PYTHONPATH"] + os.pathsep + str(pytester.path))
    monkeypatch.chdir(pytester.path)
    harness = ForkServerHarness(tmp_path, ["-p", "pytest_benchmark"], server_env={"PYTEST_XDIST_WORKER": "gw0"})
    try:
        assert harness.wait_ready(stream)["event"] == "fork_server_ready"
    finally:
        harness.close()
