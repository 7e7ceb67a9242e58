"""Worker mode (bktec_pytest/worker.py): running what bktec writes on standard input, file by file."""


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



def test_a_worker_runs_what_it_is_told_file_by_file_with_fixtures_as_in_a_normal_run(pytester, worker):
    pytester.makepyfile(**WORKER_SUITE)
    result, events, log = worker([{"id": 1, "files": ["test_two.py"]}, {"id": 2, "files": ["test_one.py"]},
                                  {"stop": True}], "--junit-xml=out.xml")
    assert result.ret == 0
    # one session for the worker; each module's fixtures set up once and torn down before the next file starts
    assert log == ["session setup", "two setup", "two a", "two b", "two teardown", "one setup", "one a", "one b",
                   "one teardown", "session teardown"]
    kinds = [(e["event"], e.get("nodeid", e.get("command", e.get("exitstatus")))) for e in events
             if e["event"] not in ("report", "passed", "collected", "collecting", "stacks")]
    # each module is announced before it is imported (bktec times its collection as it times a test)
    assert [e["nodeid"] for e in events if e["event"] == "collecting"] == ["test_two.py", "test_one.py"]
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

