"""The plugin as a package: what every module of it must be (bktec_pytest/), checked on the source of each."""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugin_testing import PACKAGE_DIR

MODULES = sorted(PACKAGE_DIR.glob("*.py"))
# Imported by the fork client, a Python started with -S: standard library only, not even pytest.
CLIENT_SIDE = {"fork_client.py", "protocol.py"}
# Beyond the standard library: the fork client, run as a script, imports the protocol as a top-level module beside
# it; the coverage combiner, run as a script where coverage measured the tests, imports the user's coverage.
SCRIPT_IMPORTS = {"fork_client.py": {"protocol"}, "coverage_combine.py": {"coverage"}}
MODULE_LINES = 400
FUNCTION_LINES = 40


def _imports(tree):
    """The top-level names of the absolute imports in a module (relative ones stay inside the package)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_has_its_modules():
    assert {m.name for m in MODULES} >= {"__init__.py", "protocol.py", "reporting.py", "planned.py", "worker.py",
                                         "fork_server.py", "fork_client.py"}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_each_module_uses_only_the_standard_library_and_pytest(module):
    stdlib = set(sys.stdlib_module_names)
    allowed = stdlib if module.name in CLIENT_SIDE else stdlib | {"pytest"}
    allowed = allowed | SCRIPT_IMPORTS.get(module.name, set())
    imports = _imports(ast.parse(module.read_text()))
    assert imports <= allowed, imports - allowed


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_each_module_is_python_3_8_syntax_and_small_enough_to_read_in_one_sitting(module):
    source = module.read_text()
    tree = ast.parse(source, feature_version=(3, 8))
    assert len(source.splitlines()) <= MODULE_LINES
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > FUNCTION_LINES]
    assert long == []
    assert "PYTEST_DONT_REWRITE" in (ast.get_docstring(tree) or "")  # pytest would rewrite it on every import


def test_the_package_compiles_under_python_3_8():
    """CI has Python 3.11; the plugin must still run on 3.8 (checked when a 3.8 interpreter is at hand)."""
    candidates = [shutil.which("python3.8")] + sorted(
        str(p) for p in Path(os.path.expanduser("~/.pyenv/versions")).glob("3.8*/bin/python3.8"))

    def runs(python):
        return python and subprocess.run([python, "--version"], capture_output=True).returncode == 0

    python38 = next((c for c in candidates if runs(c)), None)
    if python38 is None:
        pytest.skip("no Python 3.8 interpreter here")
    check = subprocess.run([python38, "-c", "import ast, sys\nfor p in sys.argv[1:]: ast.parse(open(p).read())"]
                           + [str(m) for m in MODULES], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_fork_client_starts_without_site_packages_or_the_package():
    """bktec runs it as `python -S fork_client.py`: it must find the protocol beside it and nothing else."""
    result = subprocess.run([sys.executable, "-S", str(PACKAGE_DIR / "fork_client.py")], capture_output=True,
                            text=True, env={"PATH": os.environ.get("PATH", "")})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("usage: fork_client.py")
