"""What this process was started with and pytest is about to replace, taken when the plugin is imported.

pytest imports the plugin (PYTEST_PLUGINS) before its capture replaces the standard streams, so this is the moment to
keep them: worker mode reads its commands from the standard input the process was started with, and a fork server's
workers find every copy pytest makes of the server's standard streams by their identities (device and inode).
PYTEST_DONT_REWRITE.
"""
import os

from . import protocol


def identity(fd):
    """The (device, inode) of what fd refers to, or None when it is not open."""
    try:
        status = os.fstat(fd)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _worker_mode():
    return os.environ.get(protocol.WORKER_VARIABLE) == "1" and bool(os.environ.get(protocol.STREAM_VARIABLE))


# Worker mode: a copy of the standard input the commands come on (pytest's capture replaces fd 0).
COMMANDS_FD = os.dup(0) if _worker_mode() else None

# A fork server: its standard streams as it was started, before pytest's capturing copied them.
STANDARD_STREAMS = tuple(identity(fd) for fd in range(protocol.STANDARD_STREAM_COUNT)) \
    if COMMANDS_FD is not None and os.environ.get(protocol.FORK_SERVER_VARIABLE) else None
