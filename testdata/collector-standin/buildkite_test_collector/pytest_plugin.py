"""A pytest plugin that writes buildkite-test-collector's --json result format, for bktec-java's tests.

It is NOT the real collector (which cannot be installed here): it uploads nothing and models only what bktec
reads. Record shape and rules follow the real collector 1.8.0 as captured in testdata/pytest-results:
* one JSON array, one record per test, in execution order; `--merge-json` appends to an existing array;
* scope/name: the node id split at its last "::" (so "a::b" inside a parameter id splits oddly, as the real one);
* result: failed if any phase failed (setup, call), skipped if skipped or xfailed, passed otherwise (a failing
  teardown after a passing call stays "passed", as in the real collector);
* a module that fails to import gives a record with an empty scope, the file as name, and the tag
  test.pytest_collection_error = "true"; a module skipped at collection gives no record;
* file_name/location are relative to the working directory, scope/name to pytest's rootdir;
* --tag-filters key:value keeps the tests marked execution_tag(key, value) and deselects the others, as the real
  collector (newer than 1.2.0) does: the text is split at its first colon (no colon: the value is empty), a marker
  without exactly two arguments is ignored, and when a test has the key more than once the marker pytest's
  iter_markers yields last wins (the outermost: a module's pytestmark over the function's own mark).
The package's version (in the dist-info) is 1.8.0+standin, so bktec's version check passes.
"""
import json
import os
import time
import uuid

_START = time.monotonic()


def pytest_addoption(parser):
    group = parser.getgroup("buildkite", "Buildkite Test Collector (bktec-java stand-in)")
    group.addoption("--json", default=None, help="write test results to this file in the collector's JSON format")
    group.addoption("--merge-json", action="store_true", default=False, help="append to an existing --json file")
    group.addoption("--tag-filters", default=None, dest="tag_filters",
                    help="run only tests whose execution_tag matches key:value")


def pytest_configure(config):
    config.addinivalue_line("markers", "execution_tag(key, value): a Buildkite Test Engine execution tag")
    path = config.getoption("json")
    if path:
        config.pluginmanager.register(_JsonWriter(config, path), "buildkite-json-standin")


def pytest_collection_modifyitems(config, items):
    text = config.getoption("tag_filters")
    if not text:
        return
    key, _, value = text.partition(":")
    kept, dropped = [], []
    for item in items:
        tags = {}
        for marker in item.iter_markers("execution_tag"):
            if len(marker.args) == 2:
                tags[marker.args[0]] = marker.args[1]
        (kept if tags.get(key) == value else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def _split(nodeid):
    if "::" not in nodeid:
        return "", nodeid
    scope, name = nodeid.rsplit("::", 1)
    return scope, name


class _JsonWriter:
    def __init__(self, config, path):
        self.config = config
        self.path = path
        self.records = {}
        self.order = []

    def _rel(self, rootdir_relative):
        absolute = os.path.join(str(self.config.rootpath), rootdir_relative)
        return os.path.relpath(absolute, os.getcwd())

    def _record(self, nodeid, file_part, line):
        if nodeid not in self.records:
            scope, name = _split(nodeid)
            now = time.monotonic() - _START
            file_name = self._rel(file_part)
            self.records[nodeid] = {
                "id": str(uuid.uuid4()),
                "scope": scope,
                "name": name,
                "location": file_name if line is None else "%s:%d" % (file_name, line),
                "file_name": file_name,
                "history": {"section": "top", "children": [], "start_at": now, "end_at": now, "duration": 0.0},
            }
            self.order.append(nodeid)
        return self.records[nodeid]

    def pytest_collectreport(self, report):
        if report.failed and report.nodeid:
            record = self._record(report.nodeid, report.nodeid.split("::")[0], None)
            record["scope"], record["name"] = "", report.nodeid
            record["tags"] = {"test.pytest_collection_error": "true"}
            record["result"] = "failed"
            record["failure_reason"] = str(report.longrepr).splitlines()[0] if report.longrepr else ""

    def pytest_runtest_logreport(self, report):
        file_part, line, _ = report.location
        record = self._record(report.nodeid, report.nodeid.split("::")[0], line)
        history = record["history"]
        history["duration"] += report.duration
        history["end_at"] = time.monotonic() - _START
        xfailed = hasattr(report, "wasxfail")
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.failed:
                record["result"] = "failed"
                text = str(report.longrepr) if report.longrepr else ""
                record["failure_reason"] = text.strip().splitlines()[-1] if text.strip() else ""
            elif report.skipped or xfailed:
                record["result"] = "skipped"
            else:
                record["result"] = "passed"

    def pytest_sessionfinish(self, session):
        records = [self.records[n] for n in self.order]
        existing = []
        if self.config.getoption("merge_json") and os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as f:
                existing = json.load(f)
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(existing + records, f)
