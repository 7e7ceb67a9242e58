"""bktec's pytest plugin: reports every test outcome to bktec as it happens, and runs bktec's workers.

bktec (bktec-java) loads this package into every pytest process it starts, through the environment: its directory is
put in front of PYTHONPATH and its name is added to PYTEST_PLUGINS. Without BKTEC_RESULTS_STREAM_FILE (and without
--bktec-planned) the plugin does nothing. What bktec and the plugin say to each other is specified in protocol.py.
One module per role:

  protocol       the results stream, worker commands and the fork request; the names both sides share
  inherited      the standard streams the process was started with, kept at import before pytest's capture
  stream         the results stream's writer
  reporting      each test's reports onto the stream (the per-test hot path)
  planned        --bktec-planned: collecting the planned files and node ids from their directory, once
  worker         worker mode: running what bktec writes on standard input, collecting each file when first named
  fork_server    one start-up for all of an attempt's workers, each forked from it
  forked_worker  a forked child becoming its requester's worker
  fork_client    the stand-in process bktec starts for each forked worker (a script: never imported by pytest)
  hangs          what names a hung test: every thread's stack on bktec's signal, each test's own timeout
  identity       pytest-xdist's worker identity (worker_id, testrun_uid, config.workerinput while tests run)
  coverage_parts each process's coverage: what measures it, its reports left to the end of the run
  coverage_combine  the end of the run: every process's coverage data combined, the reports written once (a script)

Standard library only; Python 3.8+ and pytest 7+. PYTEST_DONT_REWRITE: the package has no asserts, so pytest need not
rewrite it on every import (it lives in a new temporary directory on every run).
"""
from . import inherited  # first: it keeps the standard streams before pytest's capture replaces them

import os

import pytest

from . import hangs
from . import identity
from . import protocol
from .coverage_parts import CoverageHandoff
from .identity import IdentityWindow, testrun_uid, worker_id  # noqa: F401 (fixtures of the plugin)
from .reporting import Reporter
from .stream import StreamWriter

# The roles a process may not take (planned collection, worker mode, the fork server) are imported when it takes
# them: the package is compiled afresh in every process where bytecode is not written (PYTHONDONTWRITEBYTECODE).

if inherited.STANDARD_STREAMS is not None:
    identity.watch_start_up()  # a fork server: before any conftest.py is imported


def pytest_addoption(parser):
    parser.getgroup("bktec").addoption(
        protocol.PLANNED_OPTION, dest="bktec_planned", default=None, metavar="FILE",
        help="run only the files and node ids listed in FILE (one per line), collecting their directories once")


def pytest_configure(config):
    planned = config.getoption("bktec_planned")
    if planned:
        from .planned import Planned
        config.pluginmanager.register(Planned(config, planned), "bktec-planned")
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller reports what the workers do
    stream = _open_stream()
    if stream is None:
        return  # off, or bktec sees no session start and reads the result file instead
    config.pluginmanager.register(Reporter(config, stream), "bktec-results-stream")
    config.pluginmanager.register(CoverageHandoff(config, stream), "bktec-coverage")
    config.pluginmanager.register(IdentityWindow(), "bktec-identity")
    hangs.register_marker(config)
    if hangs.stacks_path():
        config.pluginmanager.register(hangs.StackDumps(stream), "bktec-stacks")
    if inherited.COMMANDS_FD is not None:
        from .worker import Worker
        config.pluginmanager.register(Worker(stream, inherited.COMMANDS_FD), "bktec-worker")
    serving = os.environ.get(protocol.FORK_SERVER_VARIABLE)
    if serving:
        _check_fork_server(config, stream)
        from .fork_server import ForkServer
        config.pluginmanager.register(ForkServer(config, stream, serving), "bktec-fork-server")


def _open_stream():
    """The stream's writer; None when there is none. A fork server that cannot serve ends here rather than run the
    tests its workers are about to run."""
    path = os.environ.get(protocol.STREAM_VARIABLE)
    serving = os.environ.get(protocol.FORK_SERVER_VARIABLE)
    if not path:
        if serving:
            raise pytest.UsageError("bktec's fork server needs its results stream (%s)" % protocol.STREAM_VARIABLE)
        return None
    try:
        return StreamWriter(path)
    except OSError as error:
        if serving:
            raise pytest.UsageError("bktec's fork server cannot open its results stream: %s" % error)
        return None


def _check_fork_server(config, stream):
    if inherited.STANDARD_STREAMS is None or config.option.collectonly:
        reason = "--collect-only" if inherited.STANDARD_STREAMS is not None else "not in worker mode"
        stream.event({"event": "fork_server_unavailable", "reason": reason})
        raise pytest.UsageError("bktec's fork server cannot serve: %s" % reason)
