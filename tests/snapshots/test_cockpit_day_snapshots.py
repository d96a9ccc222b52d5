"""Snapshots of the cockpit's Local column and My day (issue 14), at 80x24 and 120x40.

Fixed data (``tests/ui/day_fixtures.py``: zones on the time-zone options, Monday
30 November 2026) and a frozen clock (16:30 UTC: Toronto callable, Los Angeles opening
within the hour, Kolkata closed). Check a changed SVG in tests/snapshots/__snapshots__/ by
eye before accepting it with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from crm_tui import clock
from crm_tui.db.database import connect
from crm_tui.ui.screens.my_day import MyDayScreen
from tests.ui.day_fixtures import NOW, build_day_world, day_app
from tests.ui.pilot import settle, wait_for

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock the lights read is fixed at ``NOW``."""
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)


async def _my_day(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MyDayScreen))
    screen = pilot.app.screen
    assert isinstance(screen, MyDayScreen)
    await wait_for(pilot, lambda: screen.day is not None)
    await pilot.press("down", "down")  # over the "Today" header, on the first callable


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_my_day(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_day_world(database)
    assert snap_compare(day_app(world), terminal_size=size, run_before=_my_day)
    database.close()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_notes_with_local_column(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_day_world(database)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)

    assert snap_compare(day_app(world), terminal_size=size, run_before=run_before)
    database.close()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_customers_with_local_column(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    database = connect(str(tmp_path / "snap.sqlite3"))
    world = build_day_world(database)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(day_app(world), terminal_size=size, run_before=run_before)
    database.close()
