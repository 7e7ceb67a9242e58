"""bktec's pytest plugin: reports every test outcome to bktec as it happens.

bktec (bktec-java) loads this module into every pytest process it starts, through the environment: its directory
is put in front of PYTHONPATH and its name is added to PYTEST_PLUGINS. When BKTEC_RESULTS_STREAM_FILE names a
file, the plugin appends one JSON object per line to it:

  {"event": "session_start", "pytest": ..., "python": ..., "pid": ..., "rootdir": ..., "invocation_dir": ...,
   "plugins": [...]}
  {"event": "collection_error", "nodeid": ..., "reason": ...}
  {"event": "collection_skip", "nodeid": ..., "reason": ...}
  {"event": "collected", "nodeids": [...]}
  {"event": "start", "nodeid": ...}
  {"event": "report", "nodeid": ..., "when": "setup"|"call"|"teardown", "outcome": ..., "duration": ...,
   "reason": ..., "xfail": ..., "xpass": true}
  {"event": "passed", "nodeid": ..., "duration": ...}   (a test whose setup, call and teardown all passed: the three
                                                          reports in one line, as most tests are)
  {"event": "session_end", "exitstatus": ..., "stopped": ...}   ("stopped" only when the session stopped early)
  {"event": "plugin_error", "message": ...}
  {"event": "worker_ready"}                      (worker mode, below)
  {"event": "done", "command": ...}              (worker mode)

Lines reach the file whole (one write() call for a batch of whole lines), and a test's "start" line reaches it
before the test's setup begins, so when the process dies the last "start" without a teardown report names the test
that was running. A test's reports are held back until the next test starts, or the last test has run, so a test
costs one write() call instead of four: the plugin adds no measurable time per test. Nothing a crash could be
blamed on is held back: a report waits only while the next test is being set up to start.

A session that stops before running everything it collected says why in session_end's "stopped": pytest's own
words for -x and --maxfail ("stopping after 1 failures") or a plugin's session.shouldstop, "pytest.exit: <reason>",
or "interrupted (KeyboardInterrupt)". The test that was running then has a start and no teardown report.

Node ids are pytest's own, relative to the rootdir named in session_start. Without the variable the plugin does
nothing. It never changes outcomes, ordering or output: every hook only reads, and a fault inside the plugin is
reported once as plugin_error and then the plugin falls silent. Under pytest-xdist only the controller writes (it
hears every worker's reports), so each event is written once.

Worker mode (BKTEC_WORKER=1, with the stream on): bktec starts a few long-lived pytest processes and feeds them work
itself. pytest walks its arguments as usual but imports no test module; then, instead of running everything, the
plugin reads commands from the process's standard input, one JSON object per line:

  {"id": 3, "files": ["tests/test_a.py"], "ids": ["tests/test_b.py::test_x"]}   run these, in collection order
  {"stop": true}                                                               end the session normally

and answers each with a "done" event once it is ready for the next. A module is collected when a command first names
it, and its tests are announced with a "collected" event then (so in worker mode "collected" comes once per module,
each adding to what came before). A test runs only when the test after it is
known, as in a normal run: pytest's teardown of module and class fixtures depends on what runs next, so the last
test of a command waits for the next command (or the stop, which ends the session: session fixtures are torn down
and result files written). End of input counts as a stop. Standard input is taken at import, before pytest's
capturing replaces it.

Planned collection (--bktec-planned=FILE, whatever the stream variable says): bktec hands pytest the directory that
holds a process's tests and, in FILE, the planned paths and node ids (one per line, relative to the invocation
directory). pytest handed many files one by one collects their directory again for each (quadratic); handed their
directory it collects each once. The plugin keeps that walk to what was planned before anything is imported: a
planned file and the directories above it are never ignored (as explicit file arguments are not), everything else
is; a planned file that python_files would not match is still collected, as an explicit argument is; and where node
ids were planned, the other tests of their file are deselected, matching as pytest matches a node id argument
(the id itself, its parameters, or the tests of a class). Without the plugin pytest stops on the unknown option, and
bktec hands it the file list instead.

Fork server (BKTEC_FORK_SERVER=SOCKET, in worker mode): one pytest starts up (plugins, conftest files, configure)
for all of an attempt's workers, then, instead of starting its session, listens on SOCKET; it writes

  {"event": "fork_server_ready", "executable": ...}   (or "fork_server_unavailable" with a "reason")

and forks a worker for each request bktec_fork.py sends it. The worker takes over the requester's standard streams
wherever pytest keeps a copy of them (capture, faulthandler, the commands), its BKTEC_ variables (its own results
stream), its own planned list and result file (the requester names the server's paths that stand for them), and goes
on into its session as a worker started by itself would: so N workers cost one start-up, not N. The server reports
each worker's wait status to its requester, kills a worker whose requester is gone, and ends (killing any worker
left) at the end of its standard input.

Standard library only; Python 3.8+ and pytest 7+. PYTEST_DONT_REWRITE: the module has no asserts, so pytest need
not rewrite it on every import (it lives in a new temporary directory on every run).
"""
import array
import fnmatch
import gc
import json
import os
import select
import signal
import socket
import struct
import sys
import warnings

import pytest

STREAM_VARIABLE = "BKTEC_RESULTS_STREAM_FILE"
PLANNED_OPTION = "--bktec-planned"
WORKER_VARIABLE = "BKTEC_WORKER"
FORK_SERVER_VARIABLE = "BKTEC_FORK_SERVER"
_REASON_LIMIT = 500

# Worker mode reads its commands from the standard input pytest was started with: kept now, while it is still there.
_COMMANDS_FD = os.dup(0) if os.environ.get(WORKER_VARIABLE) == "1" and os.environ.get(STREAM_VARIABLE) else None


def _identity(fd):
    try:
        status = os.fstat(fd)
    except OSError:
        return None
    return status.st_dev, status.st_ino


# A fork server's standard streams as it was started, before pytest's capturing copied them: its workers find every
# copy of them by these identities and put their requester's streams in their place.
_STANDARD_STREAMS = tuple(_identity(fd) for fd in (0, 1, 2)) if _COMMANDS_FD is not None \
    and os.environ.get(FORK_SERVER_VARIABLE) else None


def pytest_addoption(parser):
    parser.getgroup("bktec").addoption(
        PLANNED_OPTION, dest="bktec_planned", default=None, metavar="FILE",
        help="run only the files and node ids listed in FILE (one per line), collecting their directories once")


def pytest_configure(config):
    planned = config.getoption("bktec_planned")
    if planned:
        config.pluginmanager.register(_Planned(config, planned), "bktec-planned")
    path = os.environ.get(STREAM_VARIABLE)
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller reports what the workers do
    # a fork server that cannot serve must end here rather than run the tests its workers are about to run
    serving = os.environ.get(FORK_SERVER_VARIABLE)
    if not path:
        if serving:
            raise pytest.UsageError("bktec's fork server needs its results stream (%s)" % STREAM_VARIABLE)
        return  # off
    try:
        stream = _Stream(path)
    except OSError as error:
        if serving:
            raise pytest.UsageError("bktec's fork server cannot open its results stream: %s" % error)
        return  # bktec sees no session start and reads the result file instead
    config.pluginmanager.register(_Reporter(config, stream), "bktec-results-stream")
    if _COMMANDS_FD is not None:
        config.pluginmanager.register(_Worker(stream, _COMMANDS_FD), "bktec-worker")
    if serving:
        if _STANDARD_STREAMS is None or config.option.collectonly:
            reason = "--collect-only" if _STANDARD_STREAMS is not None else "not in worker mode"
            stream.event({"event": "fork_server_unavailable", "reason": reason})
            raise pytest.UsageError("bktec's fork server cannot serve: %s" % reason)
        config.pluginmanager.register(_ForkServer(config, stream, serving), "bktec-fork-server")


class _Planned:
    """Collects only the planned files and node ids from the directories on the command line."""

    def __init__(self, config, listing):
        self.read(config, listing)

    def read(self, config, listing):
        base = str(config.invocation_params.dir)
        self._files = set()
        self._ids = {}
        self._directories = set()
        try:
            with open(listing, encoding="utf-8") as f:
                entries = [line.rstrip("\n") for line in f]
        except OSError as error:
            raise pytest.UsageError("%s: cannot read %s: %s" % (PLANNED_OPTION, listing, error))
        for entry in entries:
            if not entry:
                continue
            path, separator, rest = entry.partition("::")
            full = os.path.normpath(os.path.join(base, path))
            if separator:
                self._ids.setdefault(full, []).append("::" + rest)
            else:
                self._files.add(full)
            parent = os.path.dirname(full)
            while parent not in self._directories:
                self._directories.add(parent)
                if os.path.dirname(parent) == parent:
                    break
                parent = os.path.dirname(parent)

    def _planned(self, path):
        return path in self._files or path in self._ids

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(self, collection_path, config):
        path = os.path.normpath(str(collection_path))
        if self._planned(path) or path in self._directories:
            return False  # as an explicit argument: collected whatever norecursedirs or --ignore say
        if os.path.basename(path) == "__init__.py" and os.path.dirname(path) in self._directories:
            return None  # a package's own module: pytest decides, as it would
        return True

    def pytest_collect_file(self, file_path, parent):
        path = os.path.normpath(str(file_path))
        if not self._planned(path) or not path.endswith(".py") or parent.session.isinitpath(file_path):
            return None
        name = os.path.basename(path)
        patterns = parent.config.getini("python_files")
        if any(fnmatch.fnmatch(path if os.sep in pattern else name, pattern) for pattern in patterns):
            return None  # pytest's own collector takes it
        return parent.ihook.pytest_pycollect_makemodule(module_path=file_path, parent=parent)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        if not self._ids:
            return
        kept = []
        deselected = []
        for item in items:
            path = os.path.normpath(str(item.path))
            if path in self._files or self._selected(item.nodeid, self._ids.get(path, ())):
                kept.append(item)
            else:
                deselected.append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept

    @staticmethod
    def _selected(nodeid, selectors):
        return any(_Planned.selects(nodeid, selector) for selector in selectors)

    @staticmethod
    def selects(nodeid, selector):
        """Whether a node id argument's "::…" part picks this test: itself, its parameters, or a class's tests."""
        if not selector:
            return True
        rest = nodeid[nodeid.index("::"):] if "::" in nodeid else ""
        return rest == selector or rest.startswith(selector + "::") or rest.startswith(selector + "[")


class _Stream:
    """An append-only file of JSON lines. Lines wait in memory until flush(), which writes them with one call."""

    def __init__(self, path):
        self._fd = self._open(path)
        self._pending = []
        self.broken = False
        self.before_event = None  # settles lines a reporter holds back, so that they precede any event

    def add(self, line):
        self._pending.append(line)

    @staticmethod
    def _open(path):
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)

    def reopen(self, path):
        """Writes to another file from now on (a forked worker's own stream)."""
        old = self._fd
        self._fd = self._open(path)
        os.close(old)

    def flush(self):
        if self.broken or not self._pending:
            return
        data = "".join(self._pending).encode("ascii")
        self._pending = []
        try:
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
        except OSError:
            self.broken = True

    def event(self, event):
        """Writes an event now, after anything held back."""
        if self.before_event is not None:
            self.before_event()
        self.add(_encode(event) + "\n")
        self.flush()

    def fault(self, error):
        """A fault in the plugin: say so once, then write nothing more (bktec falls back to the result file)."""
        self.event({"event": "plugin_error", "message": "%s: %s" % (type(error).__name__, error)})
        self.broken = True

    def close(self):
        if self.before_event is not None:
            self.before_event()
        self.flush()
        try:
            os.close(self._fd)
        except OSError:
            pass


_encode = json.JSONEncoder(separators=(",", ":")).encode  # ASCII only: non-ASCII text is escaped
_string = json.encoder.encode_basestring_ascii
_QUOTED = {word: '"%s"' % word for word in ("setup", "call", "teardown", "passed", "failed", "skipped")}


def _quoted(word):
    return _QUOTED.get(word) or _string(str(word))


def _one_line(text, last=False):
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1] if last else lines[0]
    return line if len(line) <= _REASON_LIMIT else line[: _REASON_LIMIT - 3] + "..."


def _reason(report):
    """A one-line reason for a failed or skipped report."""
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, "Skipped: why")
        return _one_line(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    if message:
        return _one_line(message)
    return _one_line(longrepr, last=True)


def _details(report):
    """The fields of a report that did not simply pass: its reason, and xfail or xpass."""
    fields = ""
    if report.outcome != "passed":
        fields += ',"reason":' + _string(_reason(report))
    xfail = getattr(report, "wasxfail", None)
    if xfail is not None:
        fields += ',"xfail":' + _string(_one_line(xfail))
        if report.outcome == "passed":
            fields += ',"xpass":true'
    return fields


def _stop_reason(interruption, session):
    """Why the session stopped before its end, in pytest's words, or None when it ran to the end."""
    if interruption is not None:
        if isinstance(interruption, pytest.exit.Exception):
            return _one_line("pytest.exit: %s" % (getattr(interruption, "msg", None) or interruption))
        if not isinstance(interruption, session.Interrupted):
            return "interrupted (%s)" % type(interruption).__name__
    stop = session.shouldfail or session.shouldstop
    if stop:
        return _one_line(str(stop))
    if interruption is not None:
        return _one_line(str(interruption)) or "interrupted"
    return None


class _Reporter:
    def __init__(self, config, stream):
        self._config = config
        self._stream = stream
        self._collection_problems = set()
        self._collected_sent = False
        self._nodeid = None
        self._quoted_nodeid = ""
        self._passed = []  # (when, duration) of the current test's passed phases, not yet written
        self._interruption = None
        stream.before_event = self._settle

    def _guarded(self, build):
        if self._stream.broken:
            return
        try:
            event = build()
        except Exception as error:  # a bug here must never reach the tests
            self._stream.fault(error)
            return
        if event is not None:
            self._stream.event(event)

    def pytest_sessionstart(self, session):
        self._guarded(self._session_start)

    def _session_start(self):
        config = self._config
        plugins = []
        for _plugin, dist in config.pluginmanager.list_plugin_distinfo():
            name = getattr(dist, "project_name", None) or dist.metadata["name"]
            plugins.append("%s-%s" % (name, dist.version))
        return {
            "event": "session_start",
            "pytest": pytest.__version__,
            "python": "%d.%d.%d" % sys.version_info[:3],
            "pid": os.getpid(),
            "rootdir": str(config.rootpath),
            "invocation_dir": str(config.invocation_params.dir),
            "plugins": sorted(set(plugins)),
        }

    def pytest_collectreport(self, report):
        if report.failed or report.skipped:
            self._guarded(lambda: self._collection_problem(report))

    def _collection_problem(self, report):
        if report.nodeid in self._collection_problems:
            return None  # xdist: every worker reports the same module
        self._collection_problems.add(report.nodeid)
        event = "collection_error" if report.failed else "collection_skip"
        return {"event": event, "nodeid": report.nodeid, "reason": _reason(report)}

    def pytest_collection_finish(self, session):
        self._guarded(lambda: self._collected([item.nodeid for item in session.items]))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self._guarded(lambda: self._collected(list(ids)))

    def _collected(self, nodeids):
        if self._collected_sent:
            return None  # xdist: every worker collects the same tests
        self._collected_sent = True
        return {"event": "collected", "nodeids": nodeids}

    # The hooks below run for every test: kept to a few string operations each.

    def _settle(self):
        """Writes the current test's passed phases: one "passed" line when all three passed, else one line each."""
        passed = self._passed
        if not passed:
            return
        self._passed = []
        stream = self._stream
        if len(passed) == 3 and passed[0][0] == "setup" and passed[1][0] == "call" and passed[2][0] == "teardown":
            stream.add('{"event":"passed","nodeid":%s,"duration":%.6f}\n' % (
                self._quoted_nodeid, passed[0][1] + passed[1][1] + passed[2][1]))
            return
        for when, duration in passed:
            stream.add('{"event":"report","nodeid":%s,"when":%s,"outcome":"passed","duration":%.6f}\n' % (
                self._quoted_nodeid, _quoted(when), duration))

    def pytest_runtest_logstart(self, nodeid, location):
        # Out before the test runs, with the previous test's reports: one write per test.
        stream = self._stream
        if not stream.broken:
            self._settle()
            self._nodeid = nodeid
            self._quoted_nodeid = _string(nodeid)
            stream.add('{"event":"start","nodeid":' + self._quoted_nodeid + "}\n")
            stream.flush()

    def pytest_runtest_logreport(self, report):
        stream = self._stream
        if stream.broken:
            return
        try:
            nodeid = report.nodeid
            if nodeid != self._nodeid:  # a report without a start (xdist's crashed-worker report)
                self._settle()
                self._nodeid = nodeid
                self._quoted_nodeid = _string(nodeid)
            outcome = report.outcome
            if outcome == "passed" and not hasattr(report, "wasxfail"):
                self._passed.append((report.when, report.duration or 0.0))
                return
            self._settle()
            line = '{"event":"report","nodeid":%s,"when":%s,"outcome":%s,"duration":%.6f' % (
                self._quoted_nodeid, _quoted(report.when), _quoted(outcome), report.duration or 0.0)
            if outcome != "passed" or hasattr(report, "wasxfail"):
                line += _details(report)
            stream.add(line + "}\n")
        except Exception as error:  # a bug here must never reach the tests
            stream.fault(error)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session):
        yield
        self._settle()
        self._stream.flush()  # the last test's reports, before other plugins' session-end work

    def pytest_keyboard_interrupt(self, excinfo):
        # pytest.exit, a KeyboardInterrupt, or session.shouldstop (raised as Interrupted): the session ends here.
        self._interruption = excinfo.value

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        self._guarded(lambda: self._session_end(session, exitstatus))

    def _session_end(self, session, exitstatus):
        event = {"event": "session_end", "exitstatus": int(exitstatus)}
        stopped = _stop_reason(self._interruption, session)
        if stopped:
            event["stopped"] = stopped
        return event

    def pytest_unconfigure(self, config):
        self._stream.close()


class _Worker:
    """Runs what bktec asks for, file by file, collecting each file only when it is asked for.

    pytest's collection walks the directories as usual, but a test module is not imported then: its collector is
    kept, with its parents, and collected (imported, its tests generated, pytest_collection_modifyitems applied) when
    a command first names it. So N workers cost N start-ups, not N collections of everything, and the nodes above a
    module are the same objects for every command, so package and directory fixtures live as in a normal run.
    """

    def __init__(self, stream, commands_fd):
        self._stream = stream
        self._commands_fd = commands_fd
        self._modules = {}  # absolute path -> its Module collectors (a python module, a doctest one …), not collected
        self._items = {}  # absolute path -> its tests, once collected
        self._collecting = None  # the path being collected now, which pytest_make_collect_report lets through
        self._collection_failed = False

    def _commands(self):
        pending = b""
        while True:
            try:
                chunk = os.read(self._commands_fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if line.strip():
                    yield json.loads(line.decode("utf-8"))

    @pytest.hookimpl(tryfirst=True)
    def pytest_make_collect_report(self, collector):
        if not isinstance(collector, pytest.Module) or isinstance(collector, pytest.Package):
            return None  # directories, packages and other kinds of file are collected as usual
        path = os.path.abspath(str(collector.path))
        if path == self._collecting:
            return None
        self._modules.setdefault(path, []).append(collector)
        return pytest.CollectReport(collector.nodeid, "passed", None, [])

    def pytest_collectreport(self, report):
        if report.failed:
            self._collection_failed = True

    def _tests_of(self, session, path):
        """The file's tests, collected the first time they are asked for (after pytest's and plugins' deselection)."""
        if path in self._items:
            return self._items[path]
        items = []
        self._collecting = path
        try:
            for module in self._modules.get(path, ()):
                items.extend(session.genitems(module))
        finally:
            self._collecting = None
        session.config.hook.pytest_collection_modifyitems(session=session, config=session.config, items=items)
        session.items.extend(items)
        session.testscollected += len(items)
        self._items[path] = items
        self._stream.event({"event": "collected", "nodeids": [item.nodeid for item in items]})
        return items

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            return None  # pytest's own loop stops the session on collection errors
        if session.config.option.collectonly:
            return None
        self._stream.event({"event": "worker_ready"})
        if self._stream.broken:
            return True  # bktec cannot hear this worker: run nothing rather than everything
        held = None
        for command in self._commands():
            if command.get("stop") or self._stream.broken:
                break
            chosen = []
            for name in command.get("files", ()):
                chosen.extend(self._tests_of(session, os.path.abspath(name)))
            for nodeid in command.get("ids", ()):
                file_part, _, rest = nodeid.partition("::")
                selector = "::" + rest if rest else ""
                chosen.extend(item for item in self._tests_of(session, os.path.abspath(file_part))
                              if _Planned.selects(item.nodeid, selector))
            if self._collection_failed and not session.config.option.continue_on_collection_errors:
                if held is not None:
                    self._run(session, held, None)
                # as pytest does: a module that cannot be imported stops the session before its tests
                raise session.Interrupted("%d error%s during collection" % (
                    session.testsfailed, "" if session.testsfailed == 1 else "s"))
            seen = set()
            for item in chosen:
                if id(item) in seen:
                    continue
                seen.add(id(item))
                if held is not None:
                    self._run(session, held, item)
                held = item
            self._stream.event({"event": "done", "command": command.get("id")})
            if self._stream.broken:
                break  # a "done" bktec did not get would leave both sides waiting: end the session instead
        if held is not None:
            self._run(session, held, None)
        return True

    @staticmethod
    def _run(session, item, nextitem):
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        if session.shouldstop:
            raise session.Interrupted(session.shouldstop)


_FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class _ForkServer:
    """Starts pytest once for all of an attempt's workers and forks each worker from it when bktec_fork.py asks.

    The fork comes at the start of the session, before anything is collected: the server has loaded the plugins and
    conftest files and run pytest_configure, which is the start-up every worker would repeat; what comes after
    (collection, the session's fixtures, its end) is each worker's own.
    """

    def __init__(self, config, stream, path):
        self._config = config
        self._stream = stream
        self._path = path
        self._children = {}  # pid -> the connection of the requester it answers to
        self._gone = set()  # pids whose requester has gone: killed, waiting to be reaped
        self._stopping = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        import threading

        if threading.active_count() > 1:  # a lock another thread holds at the fork would never be released
            self._stream.event({"event": "fork_server_unavailable",
                                "reason": "pytest has %d threads running after start-up" % threading.active_count()})
            self._stream.close()
            os._exit(0)
        try:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            if os.path.exists(self._path):
                os.unlink(self._path)
            listener.bind(self._path)
            listener.listen(64)
            wake_read, wake_write = os.pipe()
            os.set_blocking(wake_write, False)
        except (OSError, ValueError) as error:
            self._stream.event({"event": "fork_server_unavailable", "reason": _one_line(error)})
            self._stream.close()
            os._exit(0)
        import ctypes  # noqa: F401 (each worker needs it: imported once, here)

        previous = {signum: signal.getsignal(signum) for signum in _FORWARDED_SIGNALS + (signal.SIGCHLD,)}
        signal.set_wakeup_fd(wake_write)
        for signum in previous:
            signal.signal(signum, self._note_signal)
        capture = self._config.pluginmanager.getplugin("capturemanager")
        capturing = capture is not None and getattr(capture, "_global_capturing", None) is not None
        # what conftest files printed while loading: every worker's first test gets it, as pytest's first test would
        start_up_output = capture.read_global_capture() if capturing else None
        # Start-up's objects move out of the collector's reach: a collection in a worker would otherwise write to
        # every one of them and so copy most of the server's memory into each worker (Python's advice for fork).
        gc.collect()
        gc.freeze()
        self._stream.event({"event": "fork_server_ready", "executable": sys.executable})
        request = self._serve(listener, wake_read)  # returns in a forked worker only
        connection, fds, details = request
        try:
            signal.set_wakeup_fd(-1)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            for fd in (wake_read, wake_write):
                os.close(fd)
            listener.close()
            for other in self._children.values():
                other.close()
            self._children.clear()
            self._become_worker(fds, details)
            if capturing:
                # the server's capture files are shared with every worker it forked: this worker gets its own
                capture.stop_global_capturing()
                capture.start_global_capturing()
                sys.stdout.write(start_up_output[0])
                sys.stderr.write(start_up_output[1])
                capture.suspend_global_capture()
            connection.send(_encode({"pid": os.getpid()}).encode("ascii"))
            connection.close()
        except Exception as error:  # the requester runs the worker's command itself instead
            try:
                connection.send(_encode({"refused": "%s: %s" % (type(error).__name__, error)}).encode("ascii"))
            except OSError:
                pass
            os._exit(0)

    def _note_signal(self, signum, frame):
        if signum != signal.SIGCHLD:
            self._stopping = True  # a cancel: the requesters forward it to their workers; end once they are gone

    def _serve(self, listener, wake_read):
        commands = _COMMANDS_FD
        while True:
            if self._stopping and not self._children:
                self._exit()
            watched = [listener, wake_read, commands] + [c for p, c in self._children.items() if p not in self._gone]
            readable, _, _ = select.select(watched, [], [])
            if wake_read in readable:
                os.read(wake_read, 4096)
                self._reap()
            if commands in readable:
                data = os.read(commands, 65536)
                if not data or b'"stop"' in data:
                    self._exit()
            for connection in readable:
                # a worker reaped just now has had its connection closed: only live ones are asked
                pid = next((p for p, c in self._children.items() if c is connection), None)
                if pid is None or pid in self._gone:
                    continue
                try:
                    gone = not connection.recv(1)
                except OSError:
                    gone = True
                if gone:  # its requester has gone (killed): so does its worker
                    self._gone.add(pid)
                    _kill_group(pid)
            if listener in readable:
                forked = self._fork(listener)
                if forked is not None:
                    return forked

    def _fork(self, listener):
        connection, _ = listener.accept()
        fds = []
        try:
            credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            if struct.unpack("3i", credentials)[1] != os.getuid():
                connection.close()
                return None
            connection.settimeout(10)
            data, ancillary, _, _ = connection.recvmsg(1 << 20, socket.CMSG_SPACE(3 * 4))
            connection.settimeout(None)
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds.extend(array.array("i", payload[: len(payload) - len(payload) % 4]))
            details = json.loads(data.decode("utf-8"))
            if len(fds) != 3:
                raise ValueError("expected 3 standard streams, got %d" % len(fds))
            sys.stdout.flush()
            sys.stderr.flush()
            self._stream.flush()
            with warnings.catch_warnings():
                # Python 3.12+ warns about native threads (a BLAS pool's), which are fork-safe; under -W error the
                # warning would be raised here, in the server, after the worker exists
                warnings.simplefilter("ignore")
                pid = os.fork()
        except (OSError, ValueError) as error:
            try:
                connection.send(_encode({"refused": _one_line(error)}).encode("ascii"))
            except OSError:
                pass
            for fd in fds:
                os.close(fd)
            connection.close()
            return None
        if pid == 0:
            return connection, fds, details
        try:
            os.setpgid(pid, pid)  # as the worker does itself: whichever runs first, it is never killed outside it
        except OSError:
            pass
        for fd in fds:
            os.close(fd)
        self._children[pid] = connection
        return None

    def _reap(self):
        while self._children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self._children.pop(pid, None)
            self._gone.discard(pid)
            _kill_group(pid)  # what the worker's tests left running, as bktec does for a process it started
            if connection is not None:
                try:
                    connection.send(_encode({"status": status}).encode("ascii"))
                except OSError:
                    pass
                connection.close()

    def _exit(self):
        for pid in self._children:
            _kill_group(pid)
        self._stream.close()
        os._exit(0)

    def _become_worker(self, fds, details):
        os.setpgid(0, 0)
        _die_with_parent()
        _take_standard_streams(fds)
        os.environ.pop(FORK_SERVER_VARIABLE, None)
        environment = details.get("environment") or {}
        os.environ.update({str(k): str(v) for k, v in environment.items()})
        _substitute(self._config, [(str(old), str(new)) for old, new in details.get("substitutions") or []])
        planned = self._config.pluginmanager.get_plugin("bktec-planned")
        if planned is not None:
            planned.read(self._config, self._config.getoption("bktec_planned"))
        self._stream.reopen(os.environ[STREAM_VARIABLE])


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _die_with_parent():
    """A worker dies with its fork server, which bktec kills with everything else it started."""
    import ctypes

    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:
        os._exit(0)


def _take_standard_streams(fds):
    """Puts the requester's stdin, stdout and stderr wherever this process holds a copy of the server's own."""
    mapping = {}
    for index in (1, 2, 0):  # one pipe for stdout and stderr stays stdout
        if _STANDARD_STREAMS[index] is not None:
            mapping.setdefault(_STANDARD_STREAMS[index], fds[index])
    targets = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd in fds:
            continue
        source = mapping.get(_identity(fd))
        if source is not None:
            targets.append((fd, source))
    for fd, source in targets:
        os.dup2(source, fd, inheritable=os.get_inheritable(fd))
    for fd in fds:
        os.close(fd)


def _substitute(config, substitutions):
    """Points a forked worker at its own files: the server's paths (its planned list, its result file) are replaced by
    the worker's in pytest's options, in plugins' attributes (junitxml keeps an absolute path) and in sys.argv."""
    if not substitutions:
        return
    exact = {}
    for old, new in substitutions:
        exact[old] = new
        exact[os.path.abspath(old)] = os.path.abspath(new)
        exact[os.path.normpath(os.path.abspath(old))] = os.path.normpath(os.path.abspath(new))

    def replaced(value):
        if isinstance(value, str):
            return exact.get(value, value)
        if isinstance(value, list):
            return [replaced(v) for v in value]
        return value

    holders = [config.option, getattr(config, "known_args_namespace", None)]
    holders.extend(plugin for plugin in config.pluginmanager.get_plugins() if not isinstance(plugin, type(os)))
    for holder in holders:
        try:
            attributes = vars(holder)
        except TypeError:
            continue
        for name, value in list(attributes.items()):
            new = replaced(value)
            if new is not value and new != value:
                try:
                    setattr(holder, name, new)
                except (AttributeError, TypeError):
                    pass
    words = sys.argv
    for old, new in substitutions:
        words = [word.replace(old, new) for word in words]
    sys.argv[:] = words
