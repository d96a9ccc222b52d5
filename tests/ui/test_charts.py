"""The charts screen by Pilot: amounts by close month by stage, notes per week by action."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain.cockpit.pipeline import WeekCount
from crm_tui.ui.screens.charts import ChartsScreen
from crm_tui.ui.widgets.pipeline_charts import chosen_months, nice_ticks
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, TODAY, make_app, screen_text, settle
from tests.ui.pipeline_fake import FakePipeline
from tests.ui.test_pipeline_board import world_pipeline


def week_counts(world: CrmWorld) -> tuple[WeekCount, ...]:
    """Calls and e-mails over the last weeks (TODAY is a Sunday: its Monday is Nov 23)."""
    call = next(a.id for a in world.settings.actions if a.name == "Call")
    mail = next(a.id for a in world.settings.actions if a.name == "E-mail")
    monday = dt.date(2026, 11, 23)
    return (
        WeekCount(monday, call, 14),
        WeekCount(monday, mail, 6),
        WeekCount(monday - dt.timedelta(weeks=1), call, 8),
        WeekCount(monday - dt.timedelta(weeks=11), None, 3),
        WeekCount(monday - dt.timedelta(weeks=12), call, 99),  # 13 weeks ago: not shown
    )


def charts_pipeline(world: CrmWorld) -> FakePipeline:
    fake = world_pipeline(world)
    fake.weeks = week_counts(world)
    return fake


async def open_charts(pilot) -> ChartsScreen:
    await settle(pilot)
    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChartsScreen)
    return screen


async def test_the_charts_show_amounts_by_month_and_notes_by_week(crm_world, monkeypatch) -> None:
    charts_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_charts(pilot)
        text = screen_text(app)
        assert "Pipeline Deal value (USD) by Estimated close date month, stacked by stage" in text
        assert "Dec 2026" in text and "Jan 2027" in text
        assert "Prospect" in text and "Active" in text  # the legend: stages with amounts
        assert "Notes per week by action, last 12 weeks" in text
        assert "Nov 23" in text and "Sep 7" in text  # the last 12 Mondays
        assert "Call" in text and "E-mail" in text and "No action" in text
        assert "Close month" in text and "Week of" in text


async def test_the_charts_follow_notes_and_language(crm_world, monkeypatch) -> None:
    from crm_tui.i18n import set_language

    fake = charts_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_charts(pilot)
        assert "Mar 2027" not in screen_text(app)
        fake.customers[-1].cents = 500000  # Globex, On hold: not in the sequence
        fake.customers[0].close = dt.date(2027, 3, 2)  # Acme closes in March now
        app.notes_changed()
        await settle(pilot)
        assert "Mar 2027" in screen_text(app)
        set_language("fr")
        await settle(pilot)
        text = screen_text(app)
        assert "mars 2027" in text
        assert "Notes par semaine" in text or "Notes per week" in text  # translated later


def test_months_shown_and_ticks() -> None:
    months = [dt.date(2026, m, 1) for m in (1, 12)] + [dt.date(2028, 1, 1)]
    shown = chosen_months(months, TODAY)
    assert len(shown) == 12 and shown[0] == dt.date(2026, 8, 1)  # from three months back
    assert chosen_months([dt.date(2027, 2, 1), dt.date(2026, 12, 1)], TODAY) == [
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]
    assert nice_ticks(2277) == [0, 1000, 2000, 3000]
    assert nice_ticks(20) == [0, 5, 10, 15, 20]
    assert nice_ticks(0) == [0, 1]


async def test_charts_at_80x24(crm_world, monkeypatch) -> None:
    charts_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_charts(pilot)
        text = screen_text(app)
        assert "Notes per week by action" in text


@pytest.mark.postgres
async def test_the_real_charts(crm_world) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_charts(pilot)
        text = screen_text(app)
        assert "Dec 2026" in text and "Jan 2027" in text  # Emilie Bakery, Hooli
        assert "Active" in text and "Prospect" in text
        assert "Oct 26" in text  # the twelve notes' week
        assert "Call" in text and "Ship" in text
