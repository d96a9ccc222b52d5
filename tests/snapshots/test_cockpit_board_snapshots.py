"""Snapshots of the pipeline board and the charts on the fixed notes (today 2026-11-29),
at 80x24 and 120x40. The board's snapshots have seven stages (three more statuses put in
the sequence): at 80 columns they scroll sideways. The same pictures on both engines."""

from __future__ import annotations

import pytest

from crm_tui.domain.settings_badges import update_badge
from tests.ui.conftest import build_world
from tests.ui.pilot import SIZE, make_app, settle

SMALL = (80, 24)


def board_app(database, *, more_stages: bool):
    world = build_world(database)
    if more_stages:
        for name in ("On hold", "No answer", "Inactive"):
            update_badge(world.ana, "status", world.status_id(name), in_sequence=True)
    return make_app(database, world.ana)


async def open_board(pilot) -> None:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    await pilot.press("down")


async def open_charts(pilot) -> None:
    await settle(pilot)
    await pilot.press("f8")
    await settle(pilot)


@pytest.mark.postgres
@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
def test_the_pipeline_board(snap_compare, database, size) -> None:
    app = board_app(database, more_stages=True)
    assert snap_compare(app, terminal_size=size, run_before=open_board)


@pytest.mark.postgres
@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
def test_the_charts(snap_compare, database, size) -> None:
    app = board_app(database, more_stages=False)
    assert snap_compare(app, terminal_size=size, run_before=open_charts)
