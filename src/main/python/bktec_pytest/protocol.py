"""What bktec and its pytest plugin say to each other, written down once: the other modules point here.

Standard library only, Python 3.8+, and no pytest: the fork client (fork_client.py) imports this module too, in a
Python started with -S. PYTEST_DONT_REWRITE: nothing here asserts.

1. The results stream. When BKTEC_RESULTS_STREAM_FILE names a file, the plugin appends one JSON object per line to it
   (ASCII only: other text is escaped):

  {"event": "session_start", "pytest": ..., "python": ..., "pid": ..., "rootdir": ..., "invocation_dir": ...,
   "plugins": [...]}
  {"event": "collection_error", "nodeid": ..., "reason": ...}
  {"event": "collection_skip", "nodeid": ..., "reason": ...}
  {"event": "collected", "nodeids": [...], "timeouts": {nodeid: seconds}}   ("timeouts" only for tests with their
                                                                          own: 5)
  {"event": "collecting", "nodeid": ...}         (worker mode: a module is being collected, 2)
  {"event": "stacks", "signal": ...}             (after session_start: the signal that makes the process write the
                                                  stack of every thread to BKTEC_STACKS_FILE, 5)
  {"event": "start", "nodeid": ...}
  {"event": "report", "nodeid": ..., "when": "setup"|"call"|"teardown", "outcome": ..., "duration": ...,
   "reason": ..., "xfail": ..., "xpass": true}
  {"event": "passed", "nodeid": ..., "duration": ...}   (a test whose setup, call and teardown all passed: the three
                                                          reports in one line, as most tests are)
  {"event": "session_end", "exitstatus": ..., "stopped": ...}   ("stopped" only when the session stopped early)
  {"event": "plugin_error", "message": ...}
  {"event": "worker_ready"}                                          (worker mode, 2)
  {"event": "done", "command": ...}                                  (worker mode)
  {"event": "fork_server_ready", "executable": ...}                  (fork server, 3)
  {"event": "fork_server_unavailable", "reason": ...}                (fork server)
  {"event": "coverage", "measured_by": "pytest-cov"|"coverage", "executable": ..., "directory": ...,
   "config_file": ..., and for pytest-cov "source", "branch", "reports": {type: destination}, "fail_under",
   "precision", "append", "no_cov_on_fail"}     (after session_start, when coverage measures the process: 4)

   Lines reach the file whole (one write() call for a batch of whole lines), and a test's "start" line reaches it
   before the test's setup begins, so when the process dies the last "start" without a teardown report names the test
   that was running. A test's reports are held back until the next test starts, or the last test has run, so a test
   costs one write() call instead of four. Nothing a crash could be blamed on is held back: a report waits only while
   the next test is being set up to start. A reason is one line of at most 500 characters.

   A session that stops before running everything it collected says why in session_end's "stopped": pytest's own
   words for -x and --maxfail ("stopping after 1 failures") or a plugin's session.shouldstop, "pytest.exit: <reason>",
   or "interrupted (KeyboardInterrupt)". The test that was running then has a start and no teardown report.

   Node ids are pytest's own, relative to the rootdir named in session_start. Under pytest-xdist only the controller
   writes (it hears every worker's reports), so each event is written once. A fault inside the plugin is reported once
   as plugin_error, and then the plugin falls silent.

2. Worker commands (BKTEC_WORKER=1, with the stream on). pytest walks its arguments as usual but imports no test
   module; then the plugin reads commands from the standard input the process was started with, one JSON object per
   line, and answers each with a "done" event once it is ready for the next:

  {"id": 3, "files": ["tests/test_a.py"], "ids": ["tests/test_b.py::test_x"]}   run these, in collection order
  {"stop": true}                                                               end the session normally

   A module is collected when a command first names it, and its tests are announced with a "collected" event then
   (so in worker mode "collected" comes once per module, each adding to what came before). The last test of a command
   waits for the next command (or the stop, which ends the session): pytest's teardown of module and class fixtures
   depends on what runs next. The end of input counts as a stop.

3. The fork request (BKTEC_FORK_SERVER=SOCKET, in worker mode). The fork server is a pytest that has started up and,
   instead of starting its session, listens on SOCKET (SOCK_SEQPACKET: one message a send) and announces itself on
   its stream (fork_server_ready, or fork_server_unavailable and its exit). Its own standard input carries worker
   commands; a stop, or the end of input, ends it and any worker left. A worker's fork client is started with
   BKTEC_FORK_FROM=SOCKET and BKTEC_FORK_SUBSTITUTIONS (JSON pairs: a path of the server's command line, and the
   worker's path that stands for it). It connects and sends one message:

  {"environment": {"BKTEC_...": ..., "PYTEST_XDIST_...": ..., "COVERAGE_FILE": ...},
   "substitutions": [[server path, worker path], ...]}
      with its standard input, output and error as SCM_RIGHTS

   and the server forks a worker that takes them over. The replies, one message each:

  {"pid": 1234}          the worker is forked and in place; later, when it has ended:
  {"status": 9}          its wait status (as os.waitpid gives it)
  {"refused": "why"}     no worker: the client runs the command itself

   A client whose connection closes has lost its worker; a connection that closes from the client's side tells the
   server to kill that worker. The client forwards FORWARDED_SIGNALS to its worker's process group and ends as the
   worker ended.

4. Coverage. bktec names each test process's own coverage data file in COVERAGE_FILE; the plugin reports what
   measures the process (the "coverage" event) and leaves pytest-cov's reports and --cov-fail-under to bktec, which
   combines every process's file at the end of the run with coverage_combine.py (REQUEST and RESULT are specified
   there).

5. Hangs. bktec keeps every test's clock: from its "start" to the next test's, its last report or the session's end
   (in worker mode, a "collecting" module's too, until its "collected"). A test past its timeout (bktec's
   BUILDKITE_TEST_ENGINE_TEST_TIMEOUT, or its own from "timeouts"), or running when the job is cancelled, is named
   with the stacks the process writes to BKTEC_STACKS_FILE when sent the "stacks" signal; then bktec kills it.
"""
import json
import os
import signal

STREAM_VARIABLE = "BKTEC_RESULTS_STREAM_FILE"
STACKS_VARIABLE = "BKTEC_STACKS_FILE"
WORKER_VARIABLE = "BKTEC_WORKER"
FORK_SERVER_VARIABLE = "BKTEC_FORK_SERVER"
FORK_FROM_VARIABLE = "BKTEC_FORK_FROM"
SUBSTITUTIONS_VARIABLE = "BKTEC_FORK_SUBSTITUTIONS"
# The client's variables that a forked worker takes: bktec's own (its results stream among them), its identity as
# pytest-xdist gives it, and its own coverage data file.
HANDED_OVER_PREFIXES = ("BKTEC_", "PYTEST_XDIST_", "COVERAGE_FILE")
PLANNED_OPTION = "--bktec-planned"

# A cancel the fork client passes on to its worker, and the fork server waits out.
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# stdin, stdout and stderr, in that order
STANDARD_STREAM_COUNT = 3
REQUEST_LIMIT = 1 << 20
REPLY_LIMIT = 65536
REASON_LIMIT = 500

encode = json.JSONEncoder(separators=(",", ":")).encode  # ASCII only: non-ASCII text is escaped


def one_line(text, last=False):
    """The first (or last) non-blank line of text, cut to REASON_LIMIT characters."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1] if last else lines[0]
    return line if len(line) <= REASON_LIMIT else line[: REASON_LIMIT - 3] + "..."


def is_stop(command):
    return bool(command.get("stop"))


class CommandReader:
    """Worker commands (2) from a file descriptor: the whole lines of each read, parsed."""

    def __init__(self, fd):
        self._fd = fd
        self._pending = b""

    def read(self):
        """The commands that one read() brings (blocking), or None at the end of input."""
        try:
            chunk = os.read(self._fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            return None
        self._pending += chunk
        commands = []
        while b"\n" in self._pending:
            line, self._pending = self._pending.split(b"\n", 1)
            if line.strip():
                commands.append(json.loads(line.decode("utf-8")))
        return commands


def request(environment, substitutions):
    """A fork request (3), without the descriptors that go with it."""
    return json.dumps({"environment": environment, "substitutions": substitutions}).encode("utf-8")


def reply(**fields):
    """One of the server's replies (3): pid=, status= or refused=."""
    return encode(fields).encode("ascii")


def read_message(data, field):
    """A field of a request or reply, or None when the message is empty, not JSON, or has no such field."""
    if not data:
        return None
    try:
        return json.loads(data.decode("utf-8")).get(field)
    except (ValueError, AttributeError):
        return None



def refuse(connection, reason):
    """Tells a requester it gets no worker (so it runs its command itself), and closes its connection."""
    try:
        connection.send(reply(refused=reason))
    except OSError:
        pass
    connection.close()
