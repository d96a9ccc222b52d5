"""The notes list on a light theme: badges keep their stored colours under every theme.

The theme is the one the user chose last time (stored per user), restored at start.
Fixed data and a frozen clock as in ``test_every_screen_snapshots.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee
import pytest
from textual.pilot import Pilot

from crm_tui import clock
from crm_tui.domain import preferences
from tests.ui.conftest import build_world
from tests.ui.pilot import make_app, settle

LIGHT = "textual-light"
NOW = dt.datetime(2026, 11, 29, 9, 30)  # the frozen clock of the other snapshots


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time the app stores is fixed."""
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)


async def two_down(pilot: Pilot) -> None:
    """The list read, the cursor two notes down (as the dark ``notes_list`` snapshot)."""
    await settle(pilot)
    await pilot.press("down", "down")
    await settle(pilot)


def test_notes_list_light_theme_120x40(snap_compare: Any, database: peewee.Database) -> None:
    """The notes list at 120x40 on the light theme ana chose last time."""
    world = build_world(database)
    preferences.set_theme(world.ana, LIGHT)
    app = make_app(database, world.ana)
    assert snap_compare(app, terminal_size=(120, 40), run_before=two_down)
    assert app.theme == LIGHT
