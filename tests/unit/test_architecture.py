"""The domain and the database layer never depend on the UI (or on Textual)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import crm_tui

PACKAGE_ROOT = Path(crm_tui.__file__).parent
LAYERS = ("domain", "db")
FORBIDDEN = ("textual", "crm_tui.ui")


def _modules() -> list[Path]:
    paths = sorted(p for layer in LAYERS for p in (PACKAGE_ROOT / layer).rglob("*.py"))
    assert paths, "no modules found"
    return paths


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str:
    module = _module_name(path)
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def imported_names(source: str, package: str) -> set[str]:
    """Every module name ``source`` imports, relative imports resolved within ``package``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


@pytest.mark.parametrize(
    ("source", "package", "bad"),
    [
        ("import textual", "crm_tui.domain", True),
        ("import textual.app as app", "crm_tui.domain", True),
        ("from textual.widgets import DataTable", "crm_tui.domain", True),
        ("from crm_tui import ui", "crm_tui.domain", True),
        ("from crm_tui.ui.screens import notes", "crm_tui.db", True),
        ("from ..ui import widgets", "crm_tui.domain", True),
        ("from ... import ui", "crm_tui.domain.query", True),
        ("def f():\n    import textual\n", "crm_tui.domain", True),
        ("import textualize_helpers", "crm_tui.domain", False),
        ("from crm_tui.domain import notes", "crm_tui.domain", False),
        ("from . import notes", "crm_tui.domain", False),
        ("from .. import records", "crm_tui.domain.query", False),
    ],
)
def test_the_import_finder_sees_every_form(source: str, package: str, bad: bool) -> None:
    assert any(_forbidden(name) for name in imported_names(source, package)) is bad


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_ROOT)))
def test_domain_and_db_modules_do_not_import_the_ui(path: Path) -> None:
    names = imported_names(path.read_text(encoding="utf-8"), _package_of(path))
    assert sorted(n for n in names if _forbidden(n)) == []


def test_importing_the_domain_does_not_load_textual() -> None:
    modules = [_module_name(path) for path in _modules()]
    migrations = [m for m in modules if ".migrations." in m]
    script = (
        "import importlib, sys\n"
        f"for name in {sorted(set(modules) - set(migrations))!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')"
        " or m == 'crm_tui.ui' or m.startswith('crm_tui.ui.'))\n"
        "print(len([m for m in sys.modules if m.startswith('crm_tui.')]), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.strip().split(" ", 1)
    assert int(count) >= len(modules) - len(migrations)
    assert loaded == "[]"
