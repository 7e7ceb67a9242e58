"""Worker mode (BKTEC_WORKER=1, with the stream on): runs what bktec asks for, file by file (protocol.py, 2).

bktec starts a few long-lived pytest processes and feeds them work itself: pytest walks its arguments as usual but
imports no test module; then, instead of running everything, the plugin reads commands from the standard input the
process was started with (inherited.py keeps it) and answers each with a "done" event. PYTEST_DONT_REWRITE.
"""
import os

import pytest

from . import hangs
from . import protocol
from .planned import selects
from .reporting import collected_event


class Worker:
    """Runs what bktec asks for, collecting each file only when a command first names it.

    pytest's collection walks the directories as usual, but a test module is not imported then: its collector is
    kept, with its parents, and collected (imported, its tests generated, pytest_collection_modifyitems applied) when
    a command first names it. So N workers cost N start-ups, not N collections of everything, and the nodes above a
    module are the same objects for every command, so package and directory fixtures live as in a normal run.

    A test runs only when the test after it is known, as in a normal run: pytest's teardown of module and class
    fixtures depends on what runs next, so the last test of a command waits for the next command, or the stop.
    """

    def __init__(self, stream, commands_fd):
        self._stream = stream
        self._commands_fd = commands_fd
        self._modules = {}  # absolute path -> its Module collectors (a python module, a doctest one …), not collected
        self._items = {}  # absolute path -> its tests, once collected
        self._collecting = None  # the path being collected now, which pytest_make_collect_report lets through
        self._collection_failed = False
        self._held = None  # the last test given, which runs once the test after it is known

    def _commands(self):
        reader = protocol.CommandReader(self._commands_fd)
        while True:
            commands = reader.read()
            if commands is None:
                return
            for command in commands:
                yield command

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
        modules = self._modules.get(path, ())
        if modules:  # importing it is this module's phase: bktec times it as it times a test
            self._stream.event({"event": "collecting", "nodeid": modules[0].nodeid})
        self._collecting = path
        try:
            for module in modules:
                items.extend(session.genitems(module))
        finally:
            self._collecting = None
        session.config.hook.pytest_collection_modifyitems(session=session, config=session.config, items=items)
        session.items.extend(items)
        session.testscollected += len(items)
        self._items[path] = items
        self._stream.event(collected_event([item.nodeid for item in items], hangs.timeouts(session.config, items)))
        return items

    def _chosen(self, session, command):
        """The tests a command names: its files' tests, then those its node ids pick, in that order."""
        chosen = []
        for name in command.get("files", ()):
            chosen.extend(self._tests_of(session, os.path.abspath(name)))
        for nodeid in command.get("ids", ()):
            file_part, _, rest = nodeid.partition("::")
            selector = "::" + rest if rest else ""
            chosen.extend(item for item in self._tests_of(session, os.path.abspath(file_part))
                          if selects(item.nodeid, selector))
        return chosen

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            return None  # pytest's own loop stops the session on collection errors
        if session.config.option.collectonly:
            return None
        self._stream.event({"event": "worker_ready"})
        if self._stream.broken:
            return True  # bktec cannot hear this worker: run nothing rather than everything
        for command in self._commands():
            if protocol.is_stop(command) or self._stream.broken:
                break
            self._run_command(session, command)
            if self._stream.broken:
                break  # a "done" bktec did not get would leave both sides waiting: end the session instead
        self._give(session, None)
        return True

    def _run_command(self, session, command):
        chosen = self._chosen(session, command)
        if self._collection_failed and not session.config.option.continue_on_collection_errors:
            self._give(session, None)
            # as pytest does: a module that cannot be imported stops the session before its tests
            raise session.Interrupted("%d error%s during collection" % (
                session.testsfailed, "" if session.testsfailed == 1 else "s"))
        seen = set()
        for item in chosen:
            if id(item) not in seen:
                seen.add(id(item))
                self._give(session, item)
        self._stream.event({"event": "done", "command": command.get("id")})

    def _give(self, session, item):
        """Runs the test held back, now that the next one (or None: the end) is known, and holds this one."""
        held, self._held = self._held, item
        if held is None:
            return
        held.config.hook.pytest_runtest_protocol(item=held, nextitem=item)
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        if session.shouldstop:
            raise session.Interrupted(session.shouldstop)
