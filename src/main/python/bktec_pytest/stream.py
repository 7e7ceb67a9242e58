"""The results stream's writer: an append-only file of JSON lines (protocol.py, 1). PYTEST_DONT_REWRITE."""
import os

from . import protocol


class StreamWriter:
    """Lines wait in memory until flush(), which writes them with one call, so that they reach the file whole."""

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
        self.add(protocol.encode(event) + "\n")
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
