"""The layers hold: import-linter's contracts (pyproject.toml) are kept.

cli -> ui -> domain -> db; the UI never imports storage, peewee or playhouse; widgets never
import screens; the domain and storage never import Textual; the shared root modules import
no layer. ``lint-imports`` checks the same in CI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import crm_tui

PACKAGE_ROOT = Path(crm_tui.__file__).parent
PROJECT_ROOT = PACKAGE_ROOT.parent


def test_the_import_contracts_are_kept() -> None:
    script = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_domain_does_not_load_textual() -> None:
    """Every domain and storage module imported together: no Textual, no UI in memory."""
    modules = sorted(
        ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for layer in ("domain", "db")
        for path in (PACKAGE_ROOT / layer).rglob("*.py")
        if "migrations" not in path.parts
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')"
        " or m == 'crm_tui.ui' or m.startswith('crm_tui.ui.'))\n"
        "print(len([m for m in sys.modules if m.startswith('crm_tui.')]), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.strip().split(" ", 1)
    assert int(count) >= len(modules)
    assert loaded == "[]"
