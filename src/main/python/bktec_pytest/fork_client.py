"""The fork client: starts one bktec worker as a fork of the fork server, or runs the worker's command itself.

bktec starts each pytest worker as `python -S .../bktec_pytest/fork_client.py COMMAND...` with BKTEC_FORK_FROM naming
the fork server's socket and BKTEC_FORK_SUBSTITUTIONS the server's paths and this worker's. It sends the server its
standard streams and the variables a worker takes over (protocol.py, 3); the server forks a worker that takes them over. Then this
process stands in for the worker: it forwards SIGTERM, SIGINT and SIGHUP to the worker's process group, and ends as
the worker ended (the same exit code, or killed by the same signal), so bktec sees what it would have seen of the
command itself. When the server cannot be reached or refuses, the command runs here instead (exec), as if there were
no server.

Run as a script, not imported through the package: the package would import pytest, and this must start in
milliseconds. Standard library only; Python 3.8+. PYTEST_DONT_REWRITE.
"""
import array
import json
import os
import signal
import socket
import sys

if __package__:
    from . import protocol
else:  # run as a script: its own directory, the package's, is first on sys.path
    import protocol


def request_worker(path, substitutions):
    """The connection to the server and the worker's pid, or None when there is no worker to be had."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        connection.connect(path)
        environment = {name: value for name, value in os.environ.items()
                       if name.startswith(protocol.HANDED_OVER_PREFIXES)}
        standard_streams = array.array("i", range(protocol.STANDARD_STREAM_COUNT))
        connection.sendmsg([protocol.request(environment, substitutions)],
                           [(socket.SOL_SOCKET, socket.SCM_RIGHTS, standard_streams)])
        pid = protocol.read_message(connection.recv(protocol.REPLY_LIMIT), "pid")
    except OSError:
        pid = None
    if not isinstance(pid, int) or pid <= 0:
        connection.close()
        return None
    return connection, pid


def run_itself(command):
    try:
        os.execvp(command[0], command)
    except OSError as error:
        sys.stderr.write("bktec fork client: %s: %s\n" % (command[0], error.strerror))
        os._exit(127 if isinstance(error, FileNotFoundError) else 126)


def end_like(signum):
    """Ends this process by the signal that ended the worker (without a core file of its own)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if signum != signal.SIGKILL:
        signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)


def substitutions_asked():
    """The server's paths and this worker's, or None when the variable is not a JSON list."""
    try:
        substitutions = json.loads(os.environ.pop(protocol.SUBSTITUTIONS_VARIABLE, "[]"))
    except ValueError:
        return None
    return substitutions if isinstance(substitutions, list) else None


def stand_in(connection, pid):
    """Forwards cancels to the worker until the server reports its end; returns the worker's exit code."""
    def forward(signum, frame):
        try:
            os.killpg(pid, signum)
        except OSError:
            pass

    for signum in protocol.FORWARDED_SIGNALS:
        signal.signal(signum, forward)
    try:
        status = protocol.read_message(connection.recv(protocol.REPLY_LIMIT), "status")
    except OSError:
        status = None
    if not isinstance(status, int):  # the server has gone, and its worker with it
        forward(signal.SIGKILL, None)
        end_like(signal.SIGKILL)
    if os.WIFSIGNALED(status):
        end_like(os.WTERMSIG(status))
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


def main(argv):
    command = argv[1:]
    if not command:
        sys.stderr.write("usage: fork_client.py COMMAND [ARGUMENT...]\n")
        return 2
    path = os.environ.pop(protocol.FORK_FROM_VARIABLE, "")
    substitutions = substitutions_asked()
    worker = request_worker(path, substitutions) if path and substitutions is not None else None
    if worker is None:
        run_itself(command)
    return stand_in(*worker)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
