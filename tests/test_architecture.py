"""The architecture as rules that can fail (docs/architecture.md): the import layers
(import-linter contracts in pyproject.toml), no private names imported across modules,
and no module too long to read."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.settings import PROJECT_ROOT

PACKAGES = ("kb", "loaders", "ui")
MAX_LINES = 400


def _modules(*packages: str):
    for package in packages:
        yield from sorted((PROJECT_ROOT / package).rglob("*.py"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--no-cache", str(root / "pyproject.toml")], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=300)


def test_import_layers_are_kept():
    proc = _lint_imports(PROJECT_ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "broken" in proc.stdout and " 0 broken" in proc.stdout


def test_a_wrong_way_import_breaks_the_layers(tmp_path):
    """The same check on a copy of the tree in which the model imports the store."""
    for package in PACKAGES:
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    entities = tmp_path / "kb" / "model" / "entities.py"
    entities.write_text(entities.read_text() + "\nimport kb.store.writer  # noqa: E402,F401\n")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "kb.model.entities -> kb.store.writer" in proc.stdout


def _private_imports(path: Path) -> list[str]:
    """`from project.module import _name`, and `alias._name` where alias is a project module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found, aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in (*PACKAGES, "bench"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: from {node.module} "
                                 f"import {alias.name}")
                aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in (*PACKAGES, "bench"):
                    aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in aliases):
            found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_imports_a_private_name_from_another():
    found = [hit for path in _modules(*PACKAGES, "bench") for hit in _private_imports(path)]
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_the_private_import_check_can_fail(tmp_path):
    sample = PROJECT_ROOT / "kb" / "_sample_for_test.py"
    try:
        sample.write_text("from kb.store.writer import _statement\nfrom kb import render\nrender._x\n")
        hits = _private_imports(sample)
    finally:
        sample.unlink()
    assert len(hits) == 2, hits


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_too_long_to_read(package):
    long = {str(p.relative_to(PROJECT_ROOT)): n for p in _modules(package)
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by concept): {long}"
