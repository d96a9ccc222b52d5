"""Where start-up goes: the phases of opening the notes list, next to a minimal Textual app.

    python benchmarks/startup_phases.py DB [--repeat 5] [--user NAME]

Each run is a fresh process (headless, 120×40). For the app it times, from the first line
of the measuring script: the storage imported, the app and the notes screen imported, the
database opened and the user read, the app built, and the first frame showing rows; for
the minimal app (a ``Static``), its imports and its first frame. Prints the median of each
phase. Figures only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APP_PHASES = ("storage imported", "app imported", "opened", "app built", "first rows")
MINIMAL_PHASES = ("imported", "first frame")

APP_CHILD = """
import sys, time
t0 = time.perf_counter()
def mark(name): print(f"{name}={(time.perf_counter() - t0) * 1000:.3f}", flush=True)
from crm_tui.db.database import connect
mark("storage imported")
from crm_tui.ui.app import CrmApp, share_gil_with_database_threads
from crm_tui.ui.widgets.note_list import NoteTable
import crm_tui.ui.screens.notes
mark("app imported")
share_gil_with_database_threads()
database = connect(sys.argv[1])
from crm_tui.domain.users import list_users
users = list_users()
wanted = sys.argv[2] if len(sys.argv) > 2 else None
user = next(u for u in users if (u.name == wanted if wanted else u.role == "admin"))
mark("opened")
app = CrmApp(database, user)
mark("app built")
original = app._display
def display(screen, renderable):
    original(screen, renderable)
    tables = list(app.screen.query(NoteTable)) if app.screen else []
    if tables and tables[0].row_count and not getattr(app, "_measured", False):
        app._measured = True
        mark("first rows")
        app.call_later(app.exit)
app._display = display
app.run(headless=True, size=(120, 40))
"""

MINIMAL_CHILD = """
import time
t0 = time.perf_counter()
def mark(name): print(f"{name}={(time.perf_counter() - t0) * 1000:.3f}", flush=True)
from textual.app import App
from textual.widgets import Static
mark("imported")
class Minimal(App):
    def compose(self):
        yield Static("hello")
app = Minimal()
original = app._display
def display(screen, renderable):
    original(screen, renderable)
    if renderable is not None and not getattr(app, "_measured", False):
        app._measured = True
        mark("first frame")
        app.call_later(app.exit)
app._display = display
app.run(headless=True, size=(120, 40))
"""


def run(child: str, args: list[str]) -> dict[str, float]:
    """One fresh process: milliseconds at each phase it marks."""
    output = subprocess.run(
        [sys.executable, "-c", child, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    marks = (line.split("=", 1) for line in output.splitlines() if "=" in line)
    return {name: float(value) for name, value in marks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", help="user to open the app as (default: the first admin)")
    args = parser.parse_args()
    extra = [args.user] if args.user else []
    app_runs: list[dict[str, float]] = []
    minimal_runs: list[dict[str, float]] = []
    for _ in range(args.repeat):  # alternate, so both see the same moments of the machine
        app_runs.append(run(APP_CHILD, [args.database, *extra]))
        minimal_runs.append(run(MINIMAL_CHILD, []))
    print(f"medians of {args.repeat} runs, ms from the script's first line")
    for name in APP_PHASES:
        print(f"app      {name:<18} {statistics.median(r[name] for r in app_runs):8.1f}")
    for name in MINIMAL_PHASES:
        print(f"minimal  {name:<18} {statistics.median(r[name] for r in minimal_runs):8.1f}")
    built_to_rows = statistics.median(r["first rows"] - r["app built"] for r in app_runs)
    import_to_frame = statistics.median(r["first frame"] - r["imported"] for r in minimal_runs)
    print(f"app      {'built -> first rows':<18} {built_to_rows:8.1f}")
    print(f"minimal  {'imported -> frame':<18} {import_to_frame:8.1f}")


if __name__ == "__main__":
    main()
