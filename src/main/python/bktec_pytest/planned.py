"""Planned collection (--bktec-planned=FILE): the planned files and node ids collected from their directory, once.

bktec hands pytest the directory that holds a process's tests and, in FILE, the planned paths and node ids (one per
line, relative to the invocation directory). pytest handed many files one by one collects their directory again for
each (quadratic); handed their directory it collects each once. This keeps that walk to what was planned before
anything is imported: a planned file and the directories above it are never ignored (as explicit file arguments are
not), everything else is; a planned file that python_files would not match is still collected, as an explicit
argument is; and where node ids were planned, the other tests of their file are deselected, matching as pytest
matches a node id argument (the id itself, its parameters, or the tests of a class). Without the plugin pytest stops
on the unknown option, and bktec hands it the file list instead. PYTEST_DONT_REWRITE.
"""
import fnmatch
import os

import pytest

from .protocol import PLANNED_OPTION


def selects(nodeid, selector):
    """Whether a node id argument's "::…" part picks this test: itself, its parameters, or a class's tests."""
    if not selector:
        return True
    rest = nodeid[nodeid.index("::"):] if "::" in nodeid else ""
    return rest == selector or rest.startswith(selector + "::") or rest.startswith(selector + "[")


class Planned:
    """Collects only the planned files and node ids from the directories on the command line."""

    def __init__(self, config, listing):
        self.read(config, listing)

    def read(self, config, listing):
        base = str(config.invocation_params.dir)
        self._files = set()
        self._ids = {}
        self._directories = set()
        try:
            with open(listing, encoding="utf-8") as f:
                entries = [line.rstrip("\n") for line in f]
        except OSError as error:
            raise pytest.UsageError("%s: cannot read %s: %s" % (PLANNED_OPTION, listing, error))
        for entry in entries:
            if not entry:
                continue
            path, separator, rest = entry.partition("::")
            full = os.path.normpath(os.path.join(base, path))
            if separator:
                self._ids.setdefault(full, []).append("::" + rest)
            else:
                self._files.add(full)
            parent = os.path.dirname(full)
            while parent not in self._directories:
                self._directories.add(parent)
                if os.path.dirname(parent) == parent:
                    break
                parent = os.path.dirname(parent)

    def _planned(self, path):
        return path in self._files or path in self._ids

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(self, collection_path, config):
        path = os.path.normpath(str(collection_path))
        if self._planned(path) or path in self._directories:
            return False  # as an explicit argument: collected whatever norecursedirs or --ignore say
        if os.path.basename(path) == "__init__.py" and os.path.dirname(path) in self._directories:
            return None  # a package's own module: pytest decides, as it would
        return True

    def pytest_collect_file(self, file_path, parent):
        path = os.path.normpath(str(file_path))
        if not self._planned(path) or not path.endswith(".py") or parent.session.isinitpath(file_path):
            return None
        name = os.path.basename(path)
        patterns = parent.config.getini("python_files")
        if any(fnmatch.fnmatch(path if os.sep in pattern else name, pattern) for pattern in patterns):
            return None  # pytest's own collector takes it
        return parent.ihook.pytest_pycollect_makemodule(module_path=file_path, parent=parent)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        if not self._ids:
            return
        kept = []
        deselected = []
        for item in items:
            path = os.path.normpath(str(item.path))
            if path in self._files or self._selected(item.nodeid, self._ids.get(path, ())):
                kept.append(item)
            else:
                deselected.append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept

    @staticmethod
    def _selected(nodeid, selectors):
        return any(selects(nodeid, selector) for selector in selectors)
