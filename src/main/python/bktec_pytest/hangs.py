"""What bktec needs to name a test that hangs: the stack of every thread, taken without the test's cooperation, and
each test's own timeout.

bktec keeps the clock (protocol.py, 5): it knows from the stream which test runs and since when, and when a test
runs past its timeout (or the job is cancelled) it sends this process the signal named in the "stacks" event.
faulthandler, armed here on that signal, then writes the traceback of every thread to BKTEC_STACKS_FILE, from C,
whatever the test is doing (sleeping, blocked in a read, spinning, waiting for a child or on a lock); never to the
test's own output. A handler the suite had for that signal is still called after (chained).

A test marked @pytest.mark.timeout(seconds) has that timeout instead of bktec's (0: none) when pytest-timeout is not
installed; when it is, its marked tests are left to it. PYTEST_DONT_REWRITE.
"""
import faulthandler
import os
import signal

import pytest

from . import protocol

# Far from the signals suites use, and from glibc's own (SIGRTMIN, SIGRTMIN+1).
_STACK_SIGNAL = getattr(signal, "SIGRTMIN", signal.SIGUSR2) + 6


class StackDumps:
    """Arms faulthandler on the stack signal, in each process that runs tests: at its session start, so that a worker
    forked from the fork server arms its own, on its own file (BKTEC_STACKS_FILE as it took it over)."""

    def __init__(self, stream):
        self._stream = stream
        self._file = None  # kept open: faulthandler writes to its descriptor

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session):
        try:
            # chained only to a handler of the suite's own: the default action of this signal ends the process
            chain = signal.getsignal(_STACK_SIGNAL) not in (signal.SIG_DFL, signal.SIG_IGN)
            self._file = open(stacks_path(), "ab", buffering=0)
            faulthandler.register(_STACK_SIGNAL, file=self._file, all_threads=True, chain=chain)
        except (OSError, ValueError, RuntimeError):
            return  # bktec gets no "stacks" event: a hung test is named without its stack
        if not self._stream.broken:
            self._stream.event({"event": "stacks", "signal": int(_STACK_SIGNAL)})

    def pytest_unconfigure(self, config):
        if self._file is not None:
            faulthandler.unregister(_STACK_SIGNAL)
            self._file.close()


def _pytest_timeout(config):
    """Whether pytest-timeout is loaded: by its entry point ("timeout") or by name (-p pytest_timeout)."""
    return config.pluginmanager.hasplugin("timeout") or config.pluginmanager.hasplugin("pytest_timeout")


def register_marker(config):
    """The timeout marker is bktec's to read when pytest-timeout (which registers it) is not installed."""
    if not _pytest_timeout(config):
        config.addinivalue_line("markers", "timeout(seconds): fail the test when it runs longer than this (bktec)")


def timeouts(config, items):
    """Node id -> seconds, for the tests whose timeout is their own: marked, and bktec's to apply (0: none, which is
    also what a test left to pytest-timeout gets)."""
    left_to_pytest_timeout = _pytest_timeout(config)
    found = {}
    closest = {}  # node -> its closest timeout marker: the items of a module or class share their parents' answer
    for item in items:
        marker = _closest_timeout(item, closest)
        if marker is None:
            continue
        seconds = marker.args[0] if marker.args else marker.kwargs.get("timeout", 0)
        try:
            seconds = float(seconds or 0)
        except (TypeError, ValueError):
            continue
        found[item.nodeid] = 0 if left_to_pytest_timeout else max(seconds, 0)
    return found


def _closest_timeout(node, closest):
    """What node.get_closest_marker("timeout") returns (the node's own markers, then its parents', nearest first),
    each parent looked at once for all its items rather than once per item."""
    for marker in node.own_markers:
        if marker.name == "timeout":
            return marker
    parent = node.parent
    if parent is None:
        return None
    if parent not in closest:
        closest[parent] = _closest_timeout(parent, closest)
    return closest[parent]


def stacks_path():
    return os.environ.get(protocol.STACKS_VARIABLE)
