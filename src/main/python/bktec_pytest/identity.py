"""Worker identity as pytest-xdist gives it, for bktec's test processes above concurrency 1.

bktec puts each test process's identity in its environment: PYTEST_XDIST_WORKER (gw0 … gw{N-1}, the process's slot,
which a replacement worker takes over), PYTEST_XDIST_WORKER_COUNT and PYTEST_XDIST_TESTRUNUID (one for the whole run);
a forked worker takes them over from its fork client. Here, what the suite's own code reads of it beyond that:

- the worker_id and testrun_uid fixtures, as pytest-xdist defines them, so that they work whether it is installed or
  not (worker_id is "master" in a process without an identity, as under plain pytest);
- config.workerinput ({"workerid", "workercount", "testrunuid"}) while the tests run, where pytest-django names each
  worker's test database from it; and not outside that window, where pytest-cov (at session start and after the test
  loop), pytest's junitxml, cache and stepwise and the test collector (at configure and at the end) would take the
  process for an xdist worker and leave their work to a controller that bktec does not have;
- in the fork server, a watch on start-up reading PYTEST_XDIST_WORKER by its name (a conftest.py that names a
  database at import; a walk over every variable, as networkx's import makes, is not such a read): start-up runs
  once for every forked worker, so such a server refuses to serve, and each worker starts pytest itself, with its own
  identity. Plugins known to read it only to tell whether xdist runs (pytest-benchmark,
  which then turns benchmarks off) do not count; bktec gives the server an identity too, so that they decide in the
  server as they would in each worker.

PYTEST_DONT_REWRITE.
"""
import os
import sys
import uuid

import pytest

WORKER_VARIABLE = "PYTEST_XDIST_WORKER"
COUNT_VARIABLE = "PYTEST_XDIST_WORKER_COUNT"
RUN_VARIABLE = "PYTEST_XDIST_TESTRUNUID"


@pytest.fixture(scope="session")
def worker_id(request):
    """This worker's id (gw0, gw1 …), or "master" in a process that is not one of several."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput is not None else "master"


@pytest.fixture(scope="session")
def testrun_uid(request):
    """The run's id, the same in every worker."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["testrunuid"] if workerinput is not None else uuid.uuid4().hex


class IdentityWindow:
    """Gives config the workerinput of the identity bktec set, while the tests run (and only then)."""

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtestloop(self, session):
        config = session.config
        workerinput = _workerinput()
        if workerinput is None or hasattr(config, "workerinput"):
            yield  # no identity, or a real xdist worker that has its own
            return
        config.workerinput = workerinput
        config.workeroutput = {}
        try:
            yield
        finally:
            del config.workerinput
            del config.workeroutput


def _workerinput():
    worker = os.environ.get(WORKER_VARIABLE)
    if not worker:
        return None
    count = os.environ.get(COUNT_VARIABLE, "")
    return {"workerid": worker, "workercount": int(count) if count.isdigit() else 1,
            "testrunuid": os.environ.get(RUN_VARIABLE) or uuid.uuid4().hex}


_START_UP_READ = {}  # variable -> where start-up read it
# Read only to tell whether xdist runs: the same answer in every worker.
_TRUTH_ONLY_READERS = ("pytest_benchmark",)
# Frames between the reader and the watch: os.getenv, Mapping.get and `in` (collections.abc is _collections_abc's name).
_PASSED_THROUGH = ("os", "_collections_abc", "collections.abc", __name__)


def _reader():
    """The module and file of the code that read os.environ (past os's and collections' own frames)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") in _PASSED_THROUGH:
        frame = frame.f_back
    if frame is None:
        return "", ""
    return frame.f_globals.get("__name__") or "", frame.f_code.co_filename


# The keys of the latest walk over os.environ and how many of them have been read since, in order: reading every
# variable in turn (items(), values(), copy(), dict(os.environ)) is not reading the identity by its name, as
# networkx does at import to find its own NETWORKX_* settings.
_WALK = {"keys": [], "read": 0}


def _walked(key):
    """Whether this read is the next of a walk over every variable."""
    keys, read = _WALK["keys"], _WALK["read"]
    if read < len(keys) and keys[read] == key:
        _WALK["read"] = read + 1
        return True
    _WALK["keys"] = []
    return False


class _WatchedEnviron(type(os.environ)):
    """os.environ, noting each read of the worker's identity by its name (get, [], in, os.getenv all come here)."""

    def __iter__(self):
        keys = list(super().__iter__())  # os.environ's own iteration takes a snapshot of its keys too
        _WALK["keys"], _WALK["read"] = keys, 0
        return iter(keys)

    def __getitem__(self, key):
        if not _walked(key) and key == WORKER_VARIABLE:
            module, path = _reader()
            if module.split(".")[0] not in _TRUTH_ONLY_READERS:
                _START_UP_READ.setdefault(key, os.path.relpath(path) if path.startswith(os.sep) else path)
        return super().__getitem__(key)


_UNWATCHED = type(os.environ)


def watch_start_up():
    """In a fork server, from the plugin's import on: start-up's reads of the identity are noted."""
    os.environ.__class__ = _WatchedEnviron


def start_up_read():
    """What start-up read of the identity, "VARIABLE (in FILE)", so that the server's reading would stand for every
    worker's; empty when nothing did."""
    return ["%s (in %s)" % (name, where) for name, where in sorted(_START_UP_READ.items())]


def stop_watching():
    os.environ.__class__ = _UNWATCHED
