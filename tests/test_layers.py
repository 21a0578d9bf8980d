"""The house: cli/ over views/ and exchange/ over the ledger over store/ over domain/, each
importing only the layers below it (the import-linter contracts in pyproject.toml), and no
module using another's private names."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import track

PACKAGE = Path(track.__file__).resolve().parent
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
LAYERS = ("cli", "views", "exchange", "ledger", "store", "domain")


def lint_imports(source: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the package `track` found in `source`, with the project's contracts."""
    env = dict(os.environ, PYTHONPATH=str(source))
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)


def test_the_contracts_hold(tmp_path: Path) -> None:
    done = lint_imports(PACKAGE.parent, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 3 kept, 0 broken." in done.stdout


@pytest.mark.parametrize("module, upward", [
    ("domain/model.py", "import track.store.disk"),
    ("store/cache.py", "from track.ledger import Ledger"),
    ("ledger/reading.py", "from track.views import formats"),
    ("views/formats.py", "from track.cli import run"),
    ("domain/dates.py", "import typer"),
])
def test_an_upward_import_breaks_them(module: str, upward: str, tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "track", ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / "track" / module
    path.write_text(path.read_text() + f"\n\ndef _upward() -> None:\n    {upward}  # noqa\n")
    done = lint_imports(copy, tmp_path)
    assert done.returncode == 1, done.stdout
    assert "BROKEN" in done.stdout
    assert f"track.{module[:-3].replace('/', '.')} ->" in done.stdout


def test_every_module_lives_in_a_layer() -> None:
    top = sorted(p.name for p in PACKAGE.iterdir() if not p.name.startswith((".", "__pycache__")))
    assert top == sorted(["__init__.py", "__main__.py", *LAYERS])


def _private_uses(path: Path) -> list[str]:
    """`from track.x import _name` and `module._name` where `module` is another of track's modules."""
    tree = ast.parse(path.read_text())
    modules: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("track"):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if (PACKAGE.parent / (target.replace(".", "/") + ".py")).exists() or (PACKAGE.parent / target.replace(".", "/")).is_dir():
                    modules[alias.asname or alias.name] = target
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.name}:{node.lineno}: from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{path.name}:{node.lineno}: {modules[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    found = [use for path in sorted(PACKAGE.rglob("*.py")) for use in _private_uses(path)]
    assert found == []


def test_the_private_name_check_can_fail(tmp_path: Path) -> None:
    path = tmp_path / "example.py"
    path.write_text("from track.store import disk\nfrom track.views.formats import _sgr\n\ndisk._reason(None)\n")
    assert _private_uses(path) == ["example.py:2: from track.views.formats import _sgr",
                                   "example.py:4: track.store.disk._reason"]
