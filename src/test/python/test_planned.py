"""Planned collection (bktec_pytest/planned.py): the planned files and node ids, from their directory, once."""
import os

import pytest


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

