"""The README's pictures are what ``docs/shoot.py`` draws today, and the README shows them.

The script runs into a temporary folder (a process of its own, as ``python docs/shoot.py``
runs) and every SVG must equal the committed one byte for byte: a screen that changed
without its pictures being redrawn fails here, and so does a script that stopped being
deterministic. After a change to a screen: ``python docs/shoot.py``, look at the pictures,
commit them. Marked ``slow`` (~7 s, one core): it runs once, in the SQLite pass (the
script builds its own SQLite demo whatever the run is for).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SCRIPT = DOCS / "shoot.py"
PICTURES = (
    "notes-list",
    "note-form",
    "settings-statuses",
    "settings-actions",
    "settings-variables",
    "my-day",
    "pipeline-board",
    "charts",
)
REDRAW = "redraw them with: python docs/shoot.py (look at them, then commit them)"


@pytest.mark.slow
def test_the_script_draws_the_committed_pictures(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    drawn = sorted(path.name for path in tmp_path.glob("*.svg"))
    assert drawn == sorted(f"{name}.svg" for name in PICTURES)
    committed = sorted(path.name for path in DOCS.glob("*.svg"))
    assert committed == drawn, f"docs/ holds other pictures than the script draws: {REDRAW}"
    stale = [name for name in drawn if (tmp_path / name).read_bytes() != (DOCS / name).read_bytes()]
    assert not stale, f"not what the app draws now: {', '.join(stale)}; {REDRAW}"


def test_the_readme_shows_every_picture_the_notes_list_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\((docs/[^)\s]+\.svg)\)", readme)
    assert shown, "the README shows no picture"
    assert shown[0] == "docs/notes-list.svg"
    assert sorted(shown) == sorted(f"docs/{name}.svg" for name in PICTURES)
    top = readme.split("\n## ", 1)[0]  # the title and what comes before the first section
    assert "docs/notes-list.svg" in top
    assert all((ROOT / path).is_file() for path in shown)
