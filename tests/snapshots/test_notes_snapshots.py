"""Snapshots of the notes screen (fixed data, today fixed, 120x40).

Check a changed SVG in tests/snapshots/__snapshots__/ by eye before accepting it with
``pytest --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from crm_tui.db.database import connect
from crm_tui.domain.query import Condition, NoteQuery, SortKey, variable_column
from tests.ui.conftest import SIZE, build_world, make_notes_app, settle


def test_notes_screen(snap_compare, tmp_path: Path) -> None:
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_world(database)
    app = make_notes_app(database, world.ana)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "down")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    database.close()


def test_notes_screen_sorted_and_filtered(snap_compare, tmp_path: Path) -> None:
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_world(database)
    zone = variable_column(world.variable_id("Time zone"))
    query = NoteQuery(
        sort=(SortKey(zone), SortKey("customer", descending=True)),
        conditions=(Condition("status", "!=", world.status_id("Done")),),
    )
    app = make_notes_app(database, world.ana)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app.screen.note_query = query  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("c", "space", "down", "down", "down", "down", "space", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    database.close()
