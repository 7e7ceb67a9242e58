"""A worker forked from the fork server becomes its requester's worker (protocol.py, 3; fork_server.py forks it).

Before going on into pytest's session start as any worker does, the child takes over its requester's place: its own
process group and death with the server, the requester's standard streams wherever pytest keeps a copy of the
server's (capture, faulthandler, the commands), its BKTEC_ variables (its own results stream), its identity and coverage data file, its own planned list
and result file in place of the server's, capture files of its own. Then it answers with its pid; should any of that
fail, it answers with why, and the requester runs the command itself. PYTEST_DONT_REWRITE.
"""
import os
import signal
import sys

from . import coverage_parts
from . import identity
from . import inherited
from . import protocol


class StartUpOutput:
    """What conftest files printed while loading: each worker's first test gets it, as pytest's first test would."""

    def __init__(self, capture, output):
        self._capture = capture
        self._output = output

    @classmethod
    def take(cls, config):
        """In the server, before it forks: the start-up output pytest's global capture holds, if it captures."""
        capture = config.pluginmanager.getplugin("capturemanager")
        if capture is None or getattr(capture, "_global_capturing", None) is None:
            return cls(None, None)
        return cls(capture, capture.read_global_capture())

    def hand_on(self):
        """In a worker: capture files of its own (the server's are shared with every fork), holding the output."""
        if self._capture is None:
            return
        self._capture.stop_global_capturing()
        self._capture.start_global_capturing()
        sys.stdout.write(self._output[0])
        sys.stderr.write(self._output[1])
        self._capture.suspend_global_capture()


def become(config, stream, request, start_up):
    """Turns the forked child into its requester's worker and answers the requester; ends the child if it cannot."""
    connection, fds, details = request
    try:
        _take_over(config, stream, fds, details)
        start_up.hand_on()
        connection.send(protocol.reply(pid=os.getpid()))
        connection.close()
    except Exception as error:  # the requester runs the worker's command itself instead
        protocol.refuse(connection, "%s: %s" % (type(error).__name__, error))
        os._exit(0)


def _take_over(config, stream, fds, details):
    os.setpgid(0, 0)
    _die_with_parent()
    _take_standard_streams(fds)
    identity.stop_watching()
    os.environ.pop(protocol.FORK_SERVER_VARIABLE, None)
    environment = details.get("environment") or {}
    os.environ.update({str(k): str(v) for k, v in environment.items()})
    coverage_parts.measure_anew(config)  # into this worker's own data file, handed over just now
    _substitute(config, [(str(old), str(new)) for old, new in details.get("substitutions") or []])
    planned = config.pluginmanager.get_plugin("bktec-planned")
    if planned is not None:
        planned.read(config, config.getoption("bktec_planned"))
    stream.reopen(os.environ[protocol.STREAM_VARIABLE])


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
        if inherited.STANDARD_STREAMS[index] is not None:
            mapping.setdefault(inherited.STANDARD_STREAMS[index], fds[index])
    targets = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd in fds:
            continue
        source = mapping.get(inherited.identity(fd))
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

    for holder in _option_holders(config):
        _replace_attributes(holder, replaced)
    words = sys.argv
    for old, new in substitutions:
        words = [word.replace(old, new) for word in words]
    sys.argv[:] = words


def _option_holders(config):
    """pytest's options, and every plugin object (junitxml's among them) that may keep a path of its own."""
    holders = [config.option, getattr(config, "known_args_namespace", None)]
    holders.extend(plugin for plugin in config.pluginmanager.get_plugins() if not isinstance(plugin, type(os)))
    return holders


def _replace_attributes(holder, replaced):
    try:
        attributes = vars(holder)
    except TypeError:
        return
    for name, value in list(attributes.items()):
        new = replaced(value)
        if new is not value and new != value:
            try:
                setattr(holder, name, new)
            except (AttributeError, TypeError):
                pass
