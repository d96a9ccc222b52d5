"""Snapshots of the pipeline board and the charts (fixed data, today 2026-11-29), at
80x24 and 120x40."""

from __future__ import annotations

import pytest

from tests.ui.conftest import build_world
from tests.ui.pilot import SIZE, make_app, settle
from tests.ui.test_charts import week_counts
from tests.ui.test_pipeline_board import world_pipeline

SMALL = (80, 24)


def board_app(database, monkeypatch, *, stages: int = 4):
    world = build_world(database)
    fake = world_pipeline(world)
    extra = [s for s in world.settings.statuses if not s.in_sequence]
    fake.stages = [*fake.stages, *extra[: stages - len(fake.stages)]]
    fake.weeks = week_counts(world)
    fake.install(monkeypatch)
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


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
def test_the_pipeline_board(snap_compare, database, monkeypatch, size) -> None:
    app = board_app(database, monkeypatch, stages=7)
    assert snap_compare(app, terminal_size=size, run_before=open_board)


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
def test_the_charts(snap_compare, database, monkeypatch, size) -> None:
    app = board_app(database, monkeypatch)
    assert snap_compare(app, terminal_size=size, run_before=open_charts)
