"""Coverage across bktec's processes: each process's part (bktec_pytest/coverage_parts.py) and the combination at the
end of a run (bktec_pytest/coverage_combine.py), against the real pytest-cov and coverage (skipped where they are not
installed: scripts/test-all.sh installs them in its virtualenvs)."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from plugin_testing import PACKAGE_DIR, ForkServerHarness, events_of, finish, load_plugin

pytest.importorskip("pytest_cov")

SUITE = {
    "pkg/__init__.py": "import os\n\nSTARTED = os.getpid()\n",
    "pkg/one.py": "def one(x):\n    if x:\n        return 1\n    return 0\n",
    "pkg/two.py": "def two(x):\n    if x:\n        return 2\n    return 0\n",
    "tests/conftest.py": "import pkg  # covered at start-up\n",
    "tests/test_one.py": "from pkg.one import one\n\ndef test_one():\n    assert one(True) == 1\n",
    "tests/test_two.py": "from pkg.two import two\n\ndef test_two():\n    assert two(False) == 0\n",
}


@pytest.fixture
def suite(pytester, monkeypatch, tmp_path):
    for name, text in SUITE.items():
        (pytester.path / name).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / name).write_text(text)
    monkeypatch.chdir(pytester.path)
    return pytester.path


def _pytest(*args, env=None):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "pytest_cov"] + list(args),
                          capture_output=True, text=True, env=dict(os.environ, **(env or {})))


def _combine(setup, data_files, tmp_path, run_failed=False):
    request, result = tmp_path / "request.json", tmp_path / "result.json"
    request.write_text(json.dumps({"setup": setup, "data_files": [str(p) for p in data_files], "run_failed": run_failed}))
    done = subprocess.run([sys.executable, str(PACKAGE_DIR / "coverage_combine.py"), str(request), str(result)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(result.read_text()), done.stdout


def _covered(xml_file):
    """Covered lines per file, from a Cobertura XML report."""
    lines = {}
    for cls in ElementTree.parse(str(xml_file)).iter("class"):
        lines[cls.get("filename")] = sorted(int(line.get("number")) for line in cls.iter("line") if line.get("hits") != "0")
    return lines


def test_a_process_says_what_measures_it_and_leaves_its_reports_and_fail_under_to_bktec(suite, monkeypatch, tmp_path):
    stream = tmp_path / "stream.jsonl"
    load_plugin(monkeypatch, stream, worker_mode="")
    done = _pytest("--cov=pkg", "--cov-report=term-missing", "--cov-report=xml:cov.xml", "--cov-fail-under=100",
                   env={"COVERAGE_FILE": str(tmp_path / "p1.coverage")})
    assert done.returncode == 0, done.stdout  # the fail-under is judged once, on the whole run
    assert "coverage:" not in done.stdout and "Required test coverage" not in done.stdout
    assert not (suite / "cov.xml").exists() and not (suite / ".coverage").exists()
    assert (tmp_path / "p1.coverage").exists()
    event = next(e for e in events_of(stream) if e["event"] == "coverage")
    assert event["measured_by"] == "pytest-cov" and event["executable"] == sys.executable
    assert event["reports"] == {"term-missing": None, "xml": "cov.xml"} and event["fail_under"] == 100
    assert event["source"] == ["pkg"] and event["directory"] == str(suite)


def test_without_bktecs_stream_pytest_cov_reports_as_usual(suite, monkeypatch, tmp_path):
    load_plugin(monkeypatch, tmp_path / "stream.jsonl", worker_mode="")
    monkeypatch.delenv("BKTEC_RESULTS_STREAM_FILE")
    done = _pytest("--cov=pkg", "--cov-fail-under=100")
    assert done.returncode == 1 and "Required test coverage of 100% not reached" in done.stdout


def test_processes_combine_into_the_users_data_file_with_their_reports_written_once(suite, monkeypatch, tmp_path):
    parts = []
    for name in ("one", "two"):
        stream = tmp_path / ("%s.jsonl" % name)
        load_plugin(monkeypatch, stream, worker_mode="")
        _pytest("--cov=pkg", "--cov-report=term-missing", "--cov-report=xml:cov.xml", "--cov-fail-under=90",
                "tests/test_%s.py" % name, env={"COVERAGE_FILE": str(tmp_path / ("%s.coverage" % name))})
        parts.append(tmp_path / ("%s.coverage" % name))
    setup = next(e for e in events_of(stream) if e["event"] == "coverage")
    result, printed = _combine(setup, parts, tmp_path)
    # the same as one pytest running both files
    monkeypatch.delenv("BKTEC_RESULTS_STREAM_FILE")
    _pytest("--cov=pkg", "--cov-report=xml:whole.xml", "--cov-report=json:whole.json",
            env={"COVERAGE_FILE": str(tmp_path / "whole.coverage")})
    assert _covered(suite / "cov.xml") == _covered(suite / "whole.xml")
    whole = json.loads((suite / "whole.json").read_text())["totals"]["percent_covered"]
    assert result["data_file"] == str(suite / ".coverage") and result["processes"] == 2
    assert result["under"] is True and result["total"] == pytest.approx(whole) and whole < 90
    assert printed.count("TOTAL") == 1 and "Coverage XML written to file cov.xml" in printed
    assert "FAIL Required test coverage of 90%% not reached. Total coverage: %.2f%%" % whole in printed


def test_no_data_is_one_line_and_append_keeps_the_data_there_was(suite, tmp_path):
    setup = {"measured_by": "pytest-cov", "config_file": ".coveragerc", "source": ["pkg"], "reports": {"term": None},
             "fail_under": None, "precision": 0, "append": False}
    result, _ = _combine(setup, [], tmp_path)
    assert result == {"error": "NoDataError: No data to report."}
    _pytest("--cov=pkg", "--cov-report=", "tests/test_one.py", env={"COVERAGE_FILE": str(suite / ".coverage")})
    _pytest("--cov=pkg", "--cov-report=", "tests/test_two.py", env={"COVERAGE_FILE": str(tmp_path / "two.coverage")})
    part = (tmp_path / "two.coverage").read_bytes()
    appended, _ = _combine(dict(setup, append=True), [tmp_path / "two.coverage"], tmp_path)
    assert not (tmp_path / "two.coverage").exists()  # combined, the parts are removed
    (tmp_path / "two.coverage").write_bytes(part)
    replaced, _ = _combine(dict(setup, append=False), [tmp_path / "two.coverage"], tmp_path)
    assert appended["total"] > replaced["total"]


def test_forked_workers_measure_into_their_own_files_and_the_server_keeps_start_up(suite, monkeypatch, tmp_path):
    stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, stream)
    harness = ForkServerHarness(tmp_path, ["-p", "pytest_cov", "--cov=pkg", "--cov-report=xml:cov.xml"],
                                server_env={"COVERAGE_FILE": str(tmp_path / "server.coverage")})
    try:
        assert harness.wait_ready(stream)["event"] == "fork_server_ready"
        clients = [harness.start(name, [{"id": 1, "files": ["tests/test_%s.py" % name]}, {"stop": True}],
                                 env={"COVERAGE_FILE": str(tmp_path / ("%s.coverage" % name))})
                   for name in ("one", "two")]
        assert [finish(client)[0] for client, _ in clients] == [0, 0]
        setup = next(e for e in events_of(clients[0][1]) if e["event"] == "coverage")
    finally:
        harness.close()
    files = sorted(p for p in tmp_path.iterdir() if ".coverage" in p.name)
    assert [p.name.split(".")[0] for p in files] == ["one", "server", "two"]  # the server's: its start-up's
    _combine(setup, files, tmp_path)
    monkeypatch.delenv("BKTEC_RESULTS_STREAM_FILE")
    monkeypatch.delenv("BKTEC_WORKER")
    _pytest("--cov=pkg", "--cov-report=xml:whole.xml", env={"COVERAGE_FILE": str(tmp_path / "whole.coverage")})
    assert _covered(suite / "cov.xml") == _covered(suite / "whole.xml")


def test_coverage_run_as_the_command_is_said_and_a_fork_server_under_it_refuses(suite, monkeypatch, tmp_path):
    stream = tmp_path / "stream.jsonl"
    load_plugin(monkeypatch, stream, worker_mode="")
    subprocess.run([sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest", "-p", "no:cacheprovider"],
                   capture_output=True, env=dict(os.environ, COVERAGE_FILE=str(tmp_path / "run.coverage")))
    event = next(e for e in events_of(stream) if e["event"] == "coverage")
    assert event["measured_by"] == "coverage" and "reports" not in event
    server_stream = tmp_path / "server.jsonl"
    load_plugin(monkeypatch, server_stream)
    server = subprocess.run([sys.executable, "-m", "coverage", "run", "-m", "pytest", "-p", "no:cacheprovider", "tests"],
                            input=b"", capture_output=True, env=dict(os.environ, BKTEC_FORK_SERVER=str(tmp_path / "s.sock")))
    assert server.returncode == 0
    assert events_of(server_stream) == [{"event": "fork_server_unavailable", "reason": "coverage run measures pytest, "
                                         "and a forked worker would write the server's data file"}]
