"""Reporting: every test's reports onto the results stream as they happen (protocol.py, 1).

The hooks that run for every test are the plugin's hot path: a few string operations each, and one write() per test.
Every hook only reads: outcomes, ordering and output are pytest's own. PYTEST_DONT_REWRITE.
"""
import json
import os
import sys

import pytest

from . import hangs
from .protocol import one_line

_string = json.encoder.encode_basestring_ascii
_QUOTED = {word: '"%s"' % word for word in ("setup", "call", "teardown", "passed", "failed", "skipped")}


def _quoted(word):
    return _QUOTED.get(word) or _string(str(word))


def _reason(report):
    """A one-line reason for a failed or skipped report."""
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, "Skipped: why")
        return one_line(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    if message:
        return one_line(message)
    return one_line(longrepr, last=True)


def _details(report):
    """The fields of a report that did not simply pass: its reason, and xfail or xpass."""
    fields = ""
    if report.outcome != "passed":
        fields += ',"reason":' + _string(_reason(report))
    xfail = getattr(report, "wasxfail", None)
    if xfail is not None:
        fields += ',"xfail":' + _string(one_line(xfail))
        if report.outcome == "passed":
            fields += ',"xpass":true'
    return fields


def collected_event(nodeids, timeouts):
    """The "collected" event, with the tests whose timeout is their own (when there are any)."""
    event = {"event": "collected", "nodeids": nodeids}
    if timeouts:
        event["timeouts"] = timeouts
    return event


def _stop_reason(interruption, session):
    """Why the session stopped before its end, in pytest's words, or None when it ran to the end."""
    if interruption is not None:
        if isinstance(interruption, pytest.exit.Exception):
            return one_line("pytest.exit: %s" % (getattr(interruption, "msg", None) or interruption))
        if not isinstance(interruption, session.Interrupted):
            return "interrupted (%s)" % type(interruption).__name__
    stop = session.shouldfail or session.shouldstop
    if stop:
        return one_line(str(stop))
    if interruption is not None:
        return one_line(str(interruption)) or "interrupted"
    return None


class Reporter:
    """Writes the session, collection and each test's reports to the stream."""

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
        self._guarded(lambda: self._collected([item.nodeid for item in session.items],
                                              hangs.timeouts(self._config, session.items)))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self._guarded(lambda: self._collected(list(ids), {}))

    def _collected(self, nodeids, timeouts):
        if self._collected_sent:
            return None  # xdist: every worker collects the same tests
        self._collected_sent = True
        return collected_event(nodeids, timeouts)

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


