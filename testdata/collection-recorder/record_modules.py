"""A pytest plugin for bktec-java's discovery tests: writes the path of every test module pytest's collection took
(one per line, relative to the rootdir) to $RECORD_MODULES_FILE, including modules that collect no tests (a module
of base classes) or are skipped as a whole (a module-level importorskip): those are the files pytest walked to,
which `pytest --collect-only -q` does not list because they hold no test to run.

Load it with `-p record_modules` and this directory on PYTHONPATH.
"""
import os

_modules = []


def pytest_collectreport(report):
    nodeid = report.nodeid
    if nodeid.endswith(".py") and "::" not in nodeid:
        _modules.append(nodeid)


def pytest_sessionfinish(session):
    with open(os.environ["RECORD_MODULES_FILE"], "w", encoding="utf-8") as out:
        out.write("".join(m + "\n" for m in sorted(set(_modules))))
