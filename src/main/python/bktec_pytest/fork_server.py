"""The fork server (BKTEC_FORK_SERVER=SOCKET, in worker mode): pytest starts up once for all of an attempt's workers,
and each worker is forked from it when its fork client asks (protocol.py, 3).

The fork comes at the start of the session, before anything is collected: the server has loaded the plugins and
conftest files and run pytest_configure, which is the start-up every worker would repeat; what comes after
(collection, the session's fixtures, its end) is each worker's own. Instead of starting its session the server
listens; a forked child leaves the serving loop and becomes its requester's worker (forked_worker.py). The server
reaps each worker and reports its wait status to its requester, kills a worker whose requester is gone, and ends
(killing any worker left) at a stop or the end of its standard input. PYTEST_DONT_REWRITE.
"""
import array
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

from . import coverage_parts
from . import forked_worker
from . import identity
from . import inherited
from . import protocol


class ForkServer:
    """The plugin's part in the server: at the first session start, it serves forks instead of starting a session."""

    def __init__(self, config, stream, path):
        self._config = config
        self._stream = stream
        self._path = path

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        self._refuse_if_threads_run()
        self._refuse_if_start_up_is_not_shareable()
        listener = self._listen()
        start_up = forked_worker.StartUpOutput.take(self._config)
        coverage_parts.save_start_up(self._config)
        # Start-up's objects move out of the collector's reach: a collection in a worker would otherwise write to
        # every one of them and so copy most of the server's memory into each worker (Python's advice for fork).
        gc.collect()
        gc.freeze()
        serving = _Serving(self._stream, listener)
        self._stream.event({"event": "fork_server_ready", "executable": sys.executable})
        request = serving.serve()  # returns in a forked worker only
        serving.leave()
        forked_worker.become(self._config, self._stream, request, start_up)

    def _refuse(self, reason):
        self._stream.event({"event": "fork_server_unavailable", "reason": reason})
        self._stream.close()
        os._exit(0)

    def _refuse_if_threads_run(self):
        import threading

        if threading.active_count() > 1:  # a lock another thread holds at the fork would never be released
            self._refuse("pytest has %d threads running after start-up" % threading.active_count())

    def _refuse_if_start_up_is_not_shareable(self):
        read = identity.start_up_read()
        if read:  # what start-up made of one worker's identity would stand for every worker's
            self._refuse("start-up read the worker's identity: %s" % ", ".join(read))
        coverage = coverage_parts.fork_refusal(self._config)
        if coverage is not None:
            self._refuse(coverage)

    def _listen(self):
        try:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            if os.path.exists(self._path):
                os.unlink(self._path)
            listener.bind(self._path)
            listener.listen(64)
            return listener
        except (OSError, ValueError) as error:
            self._refuse(protocol.one_line(error))


class _Serving:
    """The serving loop: requests on the listener, commands on standard input, children's ends (SIGCHLD)."""

    def __init__(self, stream, listener):
        import ctypes  # noqa: F401 (each worker needs it to die with the server: imported once, here)

        self._stream = stream
        self._listener = listener
        self._commands = protocol.CommandReader(inherited.COMMANDS_FD)
        self._children = {}  # pid -> the connection of the requester it answers to
        self._gone = set()  # pids whose requester has gone: killed, waiting to be reaped
        self._stopping = False
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self._previous = {signum: signal.getsignal(signum) for signum in protocol.FORWARDED_SIGNALS + (signal.SIGCHLD,)}
        signal.set_wakeup_fd(self._wake_write)
        for signum in self._previous:
            signal.signal(signum, self._note_signal)

    def _note_signal(self, signum, frame):
        if signum != signal.SIGCHLD:
            self._stopping = True  # a cancel: the requesters forward it to their workers; end once they are gone

    def serve(self):
        """Serves until told to stop (then exits); returns (connection, fds, details) in a forked worker."""
        while True:
            if self._stopping and not self._children:
                self._exit()
            live = [c for p, c in self._children.items() if p not in self._gone]
            readable, _, _ = select.select([self._listener, self._wake_read, inherited.COMMANDS_FD] + live, [], [])
            if self._wake_read in readable:
                os.read(self._wake_read, 4096)
                self._reap()
            if inherited.COMMANDS_FD in readable:
                commands = self._commands.read()
                if commands is None or any(protocol.is_stop(command) for command in commands):
                    self._exit()
            self._kill_abandoned(readable)
            if self._listener in readable:
                forked = self._fork()
                if forked is not None:
                    return forked

    def leave(self):
        """In a forked worker: the server's signal handlers, sockets and other requesters are not its own."""
        signal.set_wakeup_fd(-1)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)
        self._listener.close()
        for other in self._children.values():
            other.close()
        self._children.clear()

    def _kill_abandoned(self, readable):
        """A requester's connection that reads as closed has gone (killed): so does its worker."""
        for connection in readable:
            # a worker reaped just now has had its connection closed: only live ones are asked
            pid = next((p for p, c in self._children.items() if c is connection), None)
            if pid is None or pid in self._gone:
                continue
            try:
                gone = not connection.recv(1)
            except OSError:
                gone = True
            if gone:
                self._gone.add(pid)
                kill_group(pid)

    def _fork(self):
        connection, _ = self._listener.accept()
        fds = []
        try:
            if not _same_user(connection):
                connection.close()
                return None
            details = _receive_request(connection, fds)
            sys.stdout.flush()
            sys.stderr.flush()
            self._stream.flush()
            with warnings.catch_warnings():
                # Python 3.12+ warns about native threads (a BLAS pool's), which are fork-safe; under -W error the
                # warning would be raised here, in the server, after the worker exists
                warnings.simplefilter("ignore")
                pid = os.fork()
        except (OSError, ValueError) as error:
            protocol.refuse(connection, protocol.one_line(error))
            for fd in fds:
                os.close(fd)
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
            kill_group(pid)  # what the worker's tests left running, as bktec does for a process it started
            if connection is not None:
                try:
                    connection.send(protocol.reply(status=status))
                except OSError:
                    pass
                connection.close()

    def _exit(self):
        for pid in self._children:
            kill_group(pid)
        self._stream.close()
        os._exit(0)


def _same_user(connection):
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1] == os.getuid()


def _receive_request(connection, fds):
    """The request's details; its descriptors are added to fds (so that they are closed should it be refused)."""
    connection.settimeout(10)
    data, ancillary, _, _ = connection.recvmsg(protocol.REQUEST_LIMIT,
                                               socket.CMSG_SPACE(protocol.STANDARD_STREAM_COUNT * 4))
    connection.settimeout(None)
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.extend(array.array("i", payload[: len(payload) - len(payload) % 4]))
    details = json.loads(data.decode("utf-8"))
    if len(fds) != protocol.STANDARD_STREAM_COUNT:
        raise ValueError("expected %d standard streams, got %d" % (protocol.STANDARD_STREAM_COUNT, len(fds)))
    return details


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
