"""Coverage across bktec's processes: pytest-cov, or `coverage run` as the test command.

bktec gives every test process a coverage data file of its own (COVERAGE_FILE; a forked worker takes its own over
from its fork client) and, once every process has ended, combines them all and writes the reports the user asked for,
once (coverage_combine.py, which bktec runs with this Python). So in each process this module:

- says what measures it, and for pytest-cov which reports and --cov-fail-under were asked for (a "coverage" event);
- leaves those reports and the fail-under verdict to that end, where they describe the whole run: each process's
  would describe only its share (the last one to write would win);
- in the fork server, saves what start-up covered before forking, and in each forked worker starts measuring anew,
  into the worker's own file. `coverage run` cannot be moved to another file after its start, so a server measured
  by it refuses to serve.

It touches pytest-cov's plugin ("_cov": its options, its controller) and coverage's Coverage.current(), never importing
either: the plugin stays standard library only. PYTEST_DONT_REWRITE.
"""
import os
import sys

import pytest

PYTEST_COV = "_cov"


def _pytest_cov(config):
    """pytest-cov's plugin, when it measures this process."""
    plugin = config.pluginmanager.get_plugin(PYTEST_COV)
    if plugin is None or getattr(plugin, "_disabled", False) or getattr(plugin, "cov_controller", None) is None:
        return None
    return plugin


def _coverage_run():
    """The Coverage object that measures this process, if coverage is imported and one has started."""
    coverage = sys.modules.get("coverage")
    current = getattr(getattr(coverage, "Coverage", None), "current", None)
    return current() if current is not None else None


def _reports(options):
    """The reports pytest-cov was asked for: {type: destination or modifier or None}."""
    asked = options.cov_report
    if isinstance(asked, dict):
        return {kind: value for kind, value in asked.items() if kind}
    return {kind: None for kind in asked or ()}


class CoverageHandoff:
    """Says what measures this process, and leaves pytest-cov's reports to bktec's end of the run."""

    def __init__(self, config, stream):
        self._config = config
        self._stream = stream

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session):
        event = self._describe()
        if event is not None and not self._stream.broken:
            self._stream.event(event)

    def _describe(self):
        plugin = _pytest_cov(self._config)
        if plugin is not None:
            options = plugin.options
            event = {"event": "coverage", "measured_by": "pytest-cov", "executable": sys.executable,
                     "directory": getattr(plugin.cov_controller, "topdir", None) or os.getcwd(),
                     "config_file": options.cov_config, "source": options.cov_source, "branch": options.cov_branch,
                     "reports": _reports(options), "fail_under": options.cov_fail_under,
                     "precision": options.cov_precision, "append": bool(options.cov_append),
                     "no_cov_on_fail": bool(options.no_cov_on_fail)}
            options.cov_report = {}
            options.cov_fail_under = None
            return event
        cov = _coverage_run()
        if cov is None:
            return None
        return {"event": "coverage", "measured_by": "coverage", "executable": sys.executable,
                "directory": os.getcwd(), "config_file": cov.config.config_file or True}


def fork_refusal(config):
    """Why the fork server cannot fork this process's coverage, or None when it can."""
    cov = _coverage_run()
    plugin = _pytest_cov(config)
    if cov is not None and (plugin is None or plugin.cov_controller.cov is not cov):
        return "coverage run measures pytest, and a forked worker would write the server's data file"
    return None


def save_start_up(config):
    """In the fork server, before it forks: what start-up covered, saved to the server's own data file."""
    plugin = _pytest_cov(config)
    if plugin is None:
        return
    cov = plugin.cov_controller.cov
    cov.stop()
    cov.save()
    close = getattr(cov.get_data(), "close", None)
    if close is not None:
        close()  # a forked worker must not share the server's connection to its data


def measure_anew(config):
    """In a forked worker: pytest-cov starts again, measuring into this worker's own file (COVERAGE_FILE)."""
    plugin = _pytest_cov(config)
    if plugin is not None:
        plugin.cov_controller.start()
