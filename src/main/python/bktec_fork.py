"""Starts one bktec worker as a fork of bktec's fork server, or runs the worker's command itself.

bktec starts each pytest worker as `python -S bktec_fork.py COMMAND...` with BKTEC_FORK_FROM naming the socket of a
fork server (a pytest that has already started up, in bktec_pytest.py) and BKTEC_FORK_SUBSTITUTIONS listing, as JSON
pairs, the server's paths and this worker's (its planned list, its result file). This process hands the server its
standard streams and BKTEC_ variables; the server forks a worker that takes them over. Then this process stands in
for the worker: it forwards SIGTERM, SIGINT and SIGHUP to the worker's process group, and ends as the worker ended
(the same exit code, or killed by the same signal), so bktec sees what it would have seen of the command itself.
When the server cannot be reached or refuses, the command runs here instead (exec), as if there were no server.

Standard library only; Python 3.8+.
"""
import array
import json
import os
import signal
import socket
import sys

SERVER_VARIABLE = "BKTEC_FORK_FROM"
SUBSTITUTIONS_VARIABLE = "BKTEC_FORK_SUBSTITUTIONS"
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def request_worker(path, substitutions):
    """The connection to the server and the worker's pid, or None when there is no worker to be had."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        connection.connect(path)
        environment = {name: value for name, value in os.environ.items() if name.startswith("BKTEC_")}
        payload = json.dumps({"environment": environment, "substitutions": substitutions}).encode("utf-8")
        connection.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
        reply = connection.recv(65536)
        pid = json.loads(reply.decode("utf-8")).get("pid") if reply else None
    except (OSError, ValueError, AttributeError):
        pid = None
    if not isinstance(pid, int) or pid <= 0:
        connection.close()
        return None
    return connection, pid


def run_itself(command):
    try:
        os.execvp(command[0], command)
    except OSError as error:
        sys.stderr.write("bktec_fork: %s: %s\n" % (command[0], error.strerror))
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


def main(argv):
    command = argv[1:]
    if not command:
        sys.stderr.write("usage: bktec_fork.py COMMAND [ARGUMENT...]\n")
        return 2
    path = os.environ.pop(SERVER_VARIABLE, "")
    try:
        substitutions = json.loads(os.environ.pop(SUBSTITUTIONS_VARIABLE, "[]"))
    except ValueError:
        substitutions = None
    worker = request_worker(path, substitutions) if path and isinstance(substitutions, list) else None
    if worker is None:
        run_itself(command)
    connection, pid = worker

    def forward(signum, frame):
        try:
            os.killpg(pid, signum)
        except OSError:
            pass

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)
    try:
        reply = connection.recv(65536)
        status = json.loads(reply.decode("utf-8")).get("status") if reply else None
    except (OSError, ValueError, AttributeError):
        status = None
    if not isinstance(status, int):  # the server has gone, and its worker with it
        forward(signal.SIGKILL, None)
        end_like(signal.SIGKILL)
    if os.WIFSIGNALED(status):
        end_like(os.WTERMSIG(status))
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
