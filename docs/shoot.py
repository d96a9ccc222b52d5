"""The README's pictures: the app on the demo data, as SVG screenshots in ``docs/``.

    python docs/shoot.py [--out DIR]

Builds the demo (``crm-tui demo``'s ``build_demo``, seed 1) in a temporary SQLite file,
then opens the real app headless with Pilot, at ``SIZE``, and saves one SVG per screen
(``App.save_screenshot``): the notes list, a note's form, Settings' three tabs, the
pipeline board and the charts as the demo's admin, My day as one of its reps.

Everything that could vary is fixed, so a second run writes the same bytes
(``tests/unit/test_docs_pictures.py`` checks it against the committed files): the data
(seed, today), the clock the app reads (``crm_tui.clock.utc_now``), the zone (UTC), the
language and its formats (``en_US``), the keys (no keymap file), Textual's settings from
the environment, the animations (off) and the cursors (not blinking).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import peewee
    from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parent.parent

SIZE = (120, 40)
"""Columns and lines: the snapshot tests' larger size. Every column of the notes list and
every pane of Settings shows, and the text still reads when the README fits the picture
to a page's width (at 160 columns it would not)."""
SEED = 1
NOTES = 2000  # ``crm-tui demo``'s default: about 200 customers, a year of notes
TODAY = dt.date(2026, 11, 30)  # a Monday
NOW = dt.datetime(2026, 11, 30, 15, 0)  # UTC: 10:00 in Toronto, 07:00 in Los Angeles
ADMIN = "Alex Martin"
"""The demo's admin: the database's first user (whoever runs ``crm-tui demo``), no password."""
REP = "Camille Roy"
"""The rep whose day is shown: one of the demo's team."""
ROUNDS = 200
"""Rounds of the app's message loop a screen gets to show its data."""

Scene = Callable[["Pilot[None]", Path], Awaitable[None]]


def fix_the_world(folder: Path) -> None:
    """The zone, language, keys, clock and animations every picture is taken with.

    Called before Textual is imported: its settings come from the environment then.
    """
    for name in list(os.environ):
        if name.startswith(("TEXTUAL_", "CRM_TUI_")) or name in ("NO_COLOR", "FORCE_COLOR"):
            del os.environ[name]
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ["CRM_TUI_KEYMAP"] = str(folder / "no-keymap.toml")  # the app's own keys

    import textual.constants

    textual.constants.TEXTUAL_ANIMATIONS = "none"  # type: ignore[misc]

    from crm_tui import clock
    from crm_tui.i18n import pin_language

    pin_language("en_US")
    clock.utc_now = lambda: NOW


# --- waiting for the app, never for the clock (as tests/ui/pilot.py does) ---


async def workers_done(pilot: Pilot[None]) -> None:
    """Wait for the app's workers (one cancelled by a newer one counts as done)."""
    from textual.worker import WorkerCancelled

    for _ in range(10):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def settle(pilot: Pilot[None]) -> None:
    """Let the workers finish and their answers be drawn."""
    for _ in range(4):
        await workers_done(pilot)
        await pilot.pause()


async def wait_for(pilot: Pilot[None], ready: Callable[[], bool]) -> None:
    """Run the app until ``ready()``, in rounds of its message loop."""
    for _ in range(ROUNDS):
        if ready():
            await settle(pilot)
            return
        await pilot.pause()
        await workers_done(pilot)
    raise RuntimeError("the app never got ready")


async def shoot(pilot: Pilot[None], out: Path, name: str) -> None:
    """Save the screen as ``out/name.svg``, its cursors drawn steadily (not blinking)."""
    from textual.widgets import Input, TextArea

    await settle(pilot)
    for field in pilot.app.screen.query("Input, TextArea"):
        if isinstance(field, Input | TextArea):
            field.cursor_blink = False
    await pilot.pause()
    pilot.app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(out / f"{name}.svg")


# --- the data and the scenes ---


def build_data(target: Path) -> peewee.Database:
    """The demo in a new SQLite file, built by its admin; returns the open database."""
    from crm_tui.db.database import connect
    from crm_tui.domain.demo import build_demo
    from crm_tui.domain.settings import ensure_starter_settings
    from crm_tui.domain.users import actor_for

    database = connect(str(target))
    ensure_starter_settings()  # as ``crm-tui demo`` signs in
    build_demo(actor_for(ADMIN), notes=NOTES, seed=SEED, today=TODAY)
    return database


def rows_to_a_full_note(rows: int = 30) -> int:
    """How far down the list (newest note first) the first note is that has a value for
    every variable, a follow-up and an assignee: the one the form's picture edits."""
    from peewee import fn

    from crm_tui.db.models import Note, NoteValue, Variable

    variables = Variable.select().count()
    newest = Note.select(Note.id, Note.follow_up, Note.assignee).order_by(Note.id.desc())
    for row, note in enumerate(newest.limit(rows)):
        filled = NoteValue.select(fn.COUNT(NoteValue.variable)).where(NoteValue.note == note.id)
        if note.follow_up and note.assignee_id and filled.scalar() == variables:
            return row
    return 0


async def admin_scenes(pilot: Pilot[None], out: Path) -> None:
    """The notes list, a note's form, Settings' three tabs, the board and the charts."""
    from crm_tui.ui.screens.charts import ChartsScreen
    from crm_tui.ui.screens.note_editor import NoteEditorScreen
    from crm_tui.ui.screens.notes import NotesScreen
    from crm_tui.ui.screens.pipeline_board import PipelineBoardScreen
    from crm_tui.ui.screens.settings import SettingsScreen

    app = pilot.app
    await shoot(pilot, out, "notes-list")
    await pilot.press(*["down"] * rows_to_a_full_note(), "e")
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
    await shoot(pilot, out, "note-form")
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await shoot(pilot, out, "settings-statuses")
    await pilot.press("2")
    await shoot(pilot, out, "settings-actions")
    await pilot.press("3", "tab")  # the variables, then the first one's options
    await shoot(pilot, out, "settings-variables")
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(app.screen, PipelineBoardScreen))
    await shoot(pilot, out, "pipeline-board")
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, ChartsScreen))
    await shoot(pilot, out, "charts")


async def rep_scenes(pilot: Pilot[None], out: Path) -> None:
    """A rep's day: their follow-ups due, with the customers' local hours."""
    from crm_tui.ui.screens.my_day import MyDayScreen

    app = pilot.app
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(app.screen, MyDayScreen))
    await wait_for(pilot, lambda: getattr(app.screen, "day", None) is not None)
    await shoot(pilot, out, "my-day")


async def run_app(database: peewee.Database, user_name: str, scene: Scene, out: Path) -> None:
    """Open the app as ``user_name`` (today fixed, no timers of its own) and play ``scene``."""
    from crm_tui.domain.users import find_user
    from crm_tui.ui.app import CrmApp
    from crm_tui.ui.timing import Timing

    user = find_user(user_name)
    if user is None:
        raise RuntimeError(f"the demo has no user {user_name!r}")
    timing = Timing(watch_interval=None, retry_timer=False, clock_interval=None)
    app = CrmApp(database, user, today=TODAY, watch=False, timing=timing)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scene(pilot, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs", help="the folder of the SVGs (default: docs/)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if str(ROOT) not in sys.path:  # ``python docs/shoot.py`` from a checkout
        sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        fix_the_world(folder)
        from crm_tui.ui.app import share_gil_with_database_threads

        share_gil_with_database_threads()  # as the app's own start does
        database = build_data(folder / "demo.sqlite3")
        try:
            asyncio.run(run_app(database, ADMIN, admin_scenes, args.out))
            asyncio.run(run_app(database, REP, rep_scenes, args.out))
        finally:
            database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
