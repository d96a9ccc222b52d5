"""The pipeline board by Pilot: stages, cards, sums, moves, filters and live refresh."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain import preferences
from crm_tui.ui.screens.pipeline_board import PipelineBoardScreen
from crm_tui.ui.widgets.pipeline_cards import StageCards
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, TODAY, make_app, screen_text, settle
from tests.ui.pipeline_fake import FakeCustomer, FakePipeline


def world_pipeline(world: CrmWorld) -> FakePipeline:
    """The world's in-sequence statuses and a few customers (ids are customers')."""
    stages = [s for s in world.settings.statuses if s.in_sequence]
    prospect, active, client, awaiting = (s.id for s in stages)
    on_hold = world.status_id("On hold")
    customers = [
        FakeCustomer(1, "Acme Corp", prospect, 150000, dt.date(2026, 12, 15), world.ana.id, "ana"),
        FakeCustomer(2, "Hooli", prospect, 77700, dt.date(2027, 1, 10), world.bob.id, "bob"),
        FakeCustomer(3, "Initech", prospect, None, None, world.bob.id, "bob"),
        FakeCustomer(4, "Emilie Bakery", active, 9900, dt.date(2026, 12, 20), None, ""),
        FakeCustomer(5, "Zeta Farms", client, 12345, None, world.ana.id, "ana"),
        FakeCustomer(6, "Dubois SARL", awaiting, 42050, None, world.bob.id, "bob"),
        FakeCustomer(7, "Globex", on_hold, None, dt.date(2027, 3, 1), world.ana.id, "ana"),
    ]
    return FakePipeline(stages, customers)


async def open_board(pilot) -> PipelineBoardScreen:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PipelineBoardScreen)
    return screen


async def test_the_board_shows_stages_counts_sums_and_cards(crm_world, monkeypatch) -> None:
    world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        text = screen_text(app)
        for words in ("Prospect", "Active", "Client", "Awaiting approval"):
            assert words in text
        assert "3 customers" in text
        assert "$2,277.00" in text  # 1,500.00 + 777.00, exact
        assert "Acme Corp" in text and "$1,500.00" in text and "2026-12-15" in text
        assert "1 customer in a status outside the sequence" in text
        assert "Amount: Deal value" in text
        assert "Close date: Estimated close date" in text
        print(text)
