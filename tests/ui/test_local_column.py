"""The Local column (issue 14): a customer's local time and call-now light, wherever a note
or a customer is listed, moving on the minute without a key.

The data is ``tests/ui/day_fixtures.py`` (Monday 30 November 2026, 16:30 UTC): Toronto
11:30 callable ●, Los Angeles 08:30 opening within the hour ◑, Kolkata 22:00 closed ○.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from rich.style import Style
from textual.pilot import Pilot

from crm_tui.note_query import CALLABLE, Condition, NoteQuery
from crm_tui.records import Badge, BusinessHours, NoteRow, Settings, VariableInfo
from crm_tui.ui.app import CrmApp
from crm_tui.ui.widgets import call_light
from crm_tui.ui.widgets.call_light import LocalClock
from crm_tui.ui.widgets.customer_list import CustomerList
from crm_tui.ui.widgets.note_list import NoteTable
from crm_tui.ui.widgets.note_list.columns import PaintStyles, RowPainter, TableLayout
from tests.ui.conftest import CrmWorld, header_text, shown_lines
from tests.ui.day_fixtures import (
    DAY,
    DRIVEN_CLOCK,
    NOW,
    FrozenClock,
    build_day_world,
    day_app,
    frozen_clock,
)
from tests.ui.pilot import SIZE, make_app, screen_text, settle, wait_for

__all__ = ["frozen_clock"]  # the fixture, used by name

ZONED = Settings(
    variables=(
        VariableInfo(
            1,
            "Time zone",
            "dropdown",
            0,
            options=(
                Badge(11, "option", "EST", "E", "#000000", "#FFFFFF", time_zone="America/Toronto"),
            ),
        ),
    )
)


def note(customer: str, zone: str | None) -> NoteRow:
    """A note row about ``customer``, whose zone is ``zone``."""
    return NoteRow(1, NOW, 1, customer, None, None, None, "", None, "text", zone=zone)


def painter(width: int = 100) -> RowPainter:
    plain = Style()
    styles = PaintStyles(
        plain, plain, plain, plain, plain, plain, call_light.LightStyles(plain, plain, plain)
    )
    layout = TableLayout.build(ZONED, ["created_at", "assignee", "var:1"], width)
    return RowPainter(layout, ZONED, NOW.date(), styles)


def test_the_light_says_it_by_symbol(frozen_clock: FrozenClock) -> None:
    rows = painter()
    assert "Local" in rows.header(()).text
    assert "● 11:30" in rows.row(note("Northwind", "America/Toronto")).text
    assert "◑ 08:30" in rows.row(note("Pacific Lumber", "America/Los_Angeles")).text
    assert "○ 22:00" in rows.row(note("Kolkata Tea", "Asia/Kolkata")).text
    frozen_clock.now = dt.datetime(2026, 11, 30, 21, 30)
    rows = painter()
    assert "◐ 16:30" in rows.row(note("Northwind", "America/Toronto")).text
    blank = rows.row(note("Nowhere Inc", None)).text
    assert not any(symbol in blank for symbol in "●◐◑○")


def test_local_is_right_after_the_customer_even_at_80(frozen_clock: FrozenClock) -> None:
    layout = TableLayout.build(ZONED, [], 78)
    assert [c.id for c in layout.columns][:2] == ["customer", "local_time"]
    hidden = TableLayout.build(ZONED, ["local_time"], 120)
    assert "local_time" not in [c.id for c in hidden.columns]
    no_zones = TableLayout.build(Settings(), [], 120)
    assert "local_time" not in [c.id for c in no_zones.columns]


def test_each_zone_is_worked_out_once_a_minute(
    frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = call_light.call_light

    def counted(zone: str, hours: BusinessHours, now: dt.datetime) -> call_light.CallLight:
        calls.append(zone)
        return real(zone, hours, now)

    monkeypatch.setattr(call_light, "call_light", counted)
    local = LocalClock(BusinessHours())
    for _ in range(1000):  # a screenful of rows, many times over
        local.cell("America/Toronto")
        local.cell("Asia/Kolkata")
    assert calls == ["America/Toronto", "Asia/Kolkata"]
    frozen_clock.now = NOW.replace(second=59)
    assert not local.moved()
    frozen_clock.now = NOW + dt.timedelta(minutes=1)
    assert local.moved()
    assert local.cell("America/Toronto").time == "11:31"  # type: ignore[union-attr]
    assert len(calls) == 3
    assert local.cell("Mars/Base") is None  # stored data is data: no zone, no light


@pytest.fixture
def day_world(database: peewee.Database) -> CrmWorld:
    """The fixed notes world with zones and the day's follow-ups."""
    return build_day_world(database)


def line_of(lines: list[str], text: str) -> str:
    """The first line holding ``text``."""
    return next(line for line in lines if text in line)


pytestmark = pytest.mark.postgres


async def test_the_notes_list_shows_local_time_and_moves_on_the_minute(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Local" in header_text(app)
        lines = shown_lines(app)
        assert "● 11:30" in line_of(lines, "Northwind")
        assert "○ 22:00" in line_of(lines, "Kolkata Tea")
        table = app.screen.query_one(NoteTable)
        assert not table.tick_clock()  # the same minute
        frozen_clock.now = dt.datetime(2026, 11, 30, 21, 30)
        assert table.tick_clock()  # no key pressed
        await pilot.pause()
        assert "◐ 16:30" in line_of(shown_lines(app), "Northwind")


async def test_local_can_be_hidden_like_other_columns(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("down", "down", "space", "enter")  # Created, Customer, Local
        await settle(pilot)
        assert "Local" not in header_text(app)
        assert "Customer" in header_text(app)
    again = day_app(day_world)  # remembered for this user
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Local" not in header_text(again)


async def test_no_zones_no_local_column(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Local" not in header_text(app)


async def customers_lines(pilot: Pilot) -> list[str]:
    """The customers list's lines (header first)."""
    await pilot.press("f3")
    await wait_for(pilot, lambda: bool(pilot.app.screen.query(CustomerList)))
    customers = pilot.app.screen.query_one(CustomerList)
    await wait_for(pilot, lambda: customers.loaded)
    height = customers.scrollable_content_region.height
    return [customers.render_line(y).text.rstrip() for y in range(height)]


async def test_the_customers_list_and_a_customers_notes_show_local_time(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = await customers_lines(pilot)
        assert "Local" in lines[0]
        assert "● 11:30" in line_of(lines, "Northwind")
        assert "◑ 08:30" in line_of(lines, "Pacific Lumber")
        customers = app.screen.query_one(CustomerList)
        frozen_clock.now = dt.datetime(2026, 11, 30, 21, 30)
        assert customers.tick_clock()
        await pilot.pause()
        height = customers.scrollable_content_region.height
        lines = [customers.render_line(y).text for y in range(height)]
        assert "◐ 16:30" in line_of(lines, "Northwind")
        await pilot.press("slash", *"northwind", "enter")
        await wait_for(pilot, lambda: customers.count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#customer-notes")))
        await settle(pilot)
        assert "Local" in header_text(app)
        assert "◐ 16:30" in shown_lines(app)[0]


async def test_the_filter_dialog_keeps_the_callable_customers(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    """f, then "Callable now": only customers inside business hours stay (Toronto and
    Chicago at 16:30 UTC on a Monday), and the chip says so."""
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "down", "enter")  # Callable now
        await settle(pilot)
        lines = shown_lines(app)
        text = "\n".join(lines)
        assert "Northwind" in text and "Chicago Steel" in text
        assert "Kolkata Tea" not in text and "Pacific Lumber" not in text
        assert "Callable now" in screen_text(app)


async def test_a_list_of_callable_customers_follows_the_clock(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    """Filtered on "Callable now", the list drops a customer when its hours close, with
    no key pressed."""
    query = NoteQuery(conditions=(Condition(CALLABLE, "=", True),))
    app = CrmApp(day_world.database, day_world.ana, query=query, today=DAY, timing=DRIVEN_CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = shown_lines(app)
        assert line_of(lines, "Northwind")  # 11:30 in Toronto: open
        assert not [line for line in lines if "Kolkata Tea" in line]  # 22:00: closed
        table = app.screen.query_one(NoteTable)
        frozen_clock.now = dt.datetime(2026, 11, 30, 23, 30)  # 18:30 in Toronto: closed
        assert table.tick_clock()
        await settle(pilot)
        assert not [line for line in shown_lines(app) if "Northwind" in line]
