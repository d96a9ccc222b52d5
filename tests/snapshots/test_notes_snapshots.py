"""Snapshots of the notes screen (fixed data, today fixed, 120x40).

Check a changed SVG in tests/snapshots/__snapshots__/ by eye before accepting it with
``pytest --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from crm_tui.db.database import connect
from crm_tui.domain.query import Condition, NoteQuery, SortKey, variable_column
from tests.ui.conftest import build_world
from tests.ui.pilot import SIZE, make_app, settle


def test_notes_screen(snap_compare, tmp_path: Path) -> None:
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_world(database)
    app = make_app(database, world.ana)

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
    app = make_app(database, world.ana)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app.screen.note_query = query  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("c", "space", "down", "down", "down", "down", "space", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    database.close()


NARROW = (80, 24)


def test_notes_screen_80x24(snap_compare, tmp_path: Path) -> None:
    """Issue 11: at 80x24 Customer, Action, Status, Follow-up and the text fit."""
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_world(database)
    app = make_app(database, world.ana)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "down")

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
    database.close()


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120x40", "80x24"])
def test_notes_sorted_by_close_date(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """Issue 11: the sorted date is whole, right after Customer."""
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_world(database)
    close = variable_column(world.variable_id("Estimated close date"))
    app = make_app(database, world.ana)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app.screen.note_query = NoteQuery(sort=(SortKey(close),))  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
    database.close()


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120x40", "80x24"])
def test_notes_filter_bar_wraps(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """Issue 11: every sort, filter and search in the bar, on more lines when needed."""
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_world(database)
    zone = variable_column(world.variable_id("Time zone"))
    deal = variable_column(world.variable_id("Deal value"))
    query = NoteQuery(
        sort=(SortKey(zone), SortKey(deal, descending=True)),
        conditions=(
            Condition("status", "!=", world.status_id("Done")),
            Condition(deal, ">=", 10_000),
        ),
        search="order",
    )
    app = make_app(database, world.ana)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app.screen.note_query = query  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
    database.close()
