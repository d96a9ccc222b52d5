"""My day (issue 14): the signed-in user's open follow-ups, by section, callable now first.

The data is ``tests/ui/day_fixtures.py``: Monday 30 November 2026, 16:30 UTC; ana has two
overdue follow-ups, three today (one more in a done status, left out), one on Wednesday.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from textual.pilot import Pilot

from crm_tui.db.models import Note
from crm_tui.domain.locale_values import shown_date
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.users import create_user
from crm_tui.records import NoteRow
from crm_tui.ui.screens.my_day import MyDayScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.widgets.note_list.day_list import (
    DayList,
    Section,
    SectionLine,
    day_lines,
    more_text,
    section_title,
)
from tests.ui.conftest import CrmWorld
from tests.ui.day_fixtures import DAY, FrozenClock, build_day_world, day_app, frozen_clock
from tests.ui.pilot import SIZE, screen_text, settle, wait_for
from tests.ui.test_palette_words import close_palette, palette_finds, titles

__all__ = ["frozen_clock"]  # the fixture, used by name

pytestmark = pytest.mark.postgres


@pytest.fixture
def day_world(database: peewee.Database) -> CrmWorld:
    """The fixed notes world with zones and the day's follow-ups."""
    return build_day_world(database)


async def open_my_day(pilot: Pilot) -> MyDayScreen:
    """F6, and the day read."""
    await settle(pilot)
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MyDayScreen))
    screen = pilot.app.screen
    assert isinstance(screen, MyDayScreen)
    await wait_for(pilot, lambda: screen.day is not None)
    return screen


def list_lines(screen: MyDayScreen) -> list[str]:
    """The list's lines as drawn (header first), blank ones dropped."""
    day_list = screen.query_one(DayList)
    height = day_list.scrollable_content_region.height
    lines = [day_list.render_line(y).text.rstrip() for y in range(height)]
    return [line for line in lines if line.strip()]


def line_of(lines: list[str], text: str) -> str:
    """The first line holding ``text``."""
    return next(line for line in lines if text in line)


def index_of(lines: list[str], text: str) -> int:
    """Where the first line holding ``text`` is."""
    return next(i for i, line in enumerate(lines) if text in line)


async def test_sections_counts_and_callable_first(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        lines = list_lines(screen)
        assert "Local" in lines[0] and "Customer" in lines[0]
        tuesday = shown_date(DAY + dt.timedelta(days=1))
        wednesday = shown_date(DAY + dt.timedelta(days=2))
        headers = [line.strip() for line in lines if "(" in line and ")" in line[-1:]]
        assert headers[:4] == [
            "Overdue (2)",
            "Today (3)",
            f"Tuesday {tuesday} (0)",
            f"Wednesday {wednesday} (1)",
        ]
        assert len(headers) == 2 + 7  # overdue, today and each of the next 7 days
        today = lines[index_of(lines, "Today (3)") + 1 : index_of(lines, "Tuesday")]
        # callable now first (Toronto 11:30), then follow-up order, newest first
        names = ("Northwind", "Pacific Lumber", "Kolkata Tea")
        assert [next(n for n in names if n in line) for line in today] == list(names)
        assert "● 11:30" in line_of(lines, "Northwind")
        assert "◑ 08:30" in line_of(lines, "Pacific Lumber")  # opens within the hour
        assert "○ 22:00" in line_of(lines, "Kolkata Tea")  # half-hour zone, closed
        assert "Closed Deal" not in "\n".join(lines)  # a done status needs no follow-up
        assert "Chicago Steel" in "\n".join(lines[index_of(lines, "Wednesday") :])
        assert "Bob's Diner" not in "\n".join(lines)  # bob's
        text = screen_text(app)
        assert "● callable now" in text and "○ closed" in text  # the legend, no colour needed


async def test_lights_move_on_the_minute_without_a_key(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        day_list = screen.query_one(DayList)
        frozen_clock.now = frozen_clock.now.replace(second=40)
        assert not day_list.tick_clock()  # the same minute: nothing to paint
        frozen_clock.now = dt.datetime(2026, 11, 30, 21, 30)
        assert day_list.tick_clock()
        await pilot.pause()
        lines = list_lines(screen)
        assert "◐ 16:30" in line_of(lines, "Northwind")  # closes within the hour
        assert "● 13:30" in line_of(lines, "Pacific Lumber")


async def test_customers_callable_now_come_first_as_the_hours_move(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    """With no key pressed: at 18:30 in Toronto Northwind is closed, and Pacific Lumber
    (15:30 in Vancouver) goes before it."""
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        names = ("Northwind", "Pacific Lumber", "Kolkata Tea")

        def today() -> list[str]:
            lines = list_lines(screen)
            shown = lines[index_of(lines, "Today (3)") + 1 : index_of(lines, "Tuesday")]
            return [next(n for n in names if n in line) for line in shown]

        assert today()[0] == "Northwind"
        frozen_clock.now = dt.datetime(2026, 11, 30, 23, 30)
        assert screen.query_one(DayList).tick_clock()
        await settle(pilot)
        assert today()[0] == "Pacific Lumber"
        assert "○ 18:30" in line_of(list_lines(screen), "Northwind")


async def test_enter_reads_the_note(day_world: CrmWorld, frozen_clock: FrozenClock) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        first = screen.query_one(DayList).highlighted_note
        assert first is not None and first.customer == "Acme Corp"  # the first overdue
        await pilot.press("down", "down")  # over the "Today" header
        northwind = screen.query_one(DayList).highlighted_note
        assert northwind is not None and northwind.customer == "Northwind"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteViewScreen))
        await settle(pilot)
        assert "Call about the pilot" in screen_text(app)


async def test_log_outcome_then_undo(day_world: CrmWorld, frozen_clock: FrozenClock) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        await pilot.press("down", "down")
        handled = screen.query_one(DayList).highlighted_note
        assert handled is not None and handled.customer == "Northwind"
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await settle(pilot)
        text = screen_text(app)
        assert "Log outcome" in text
        assert "Northwind" in text and "Call" in text and "Prospect" in text
        assert "2026-12-02" in text  # today + the Call action's 2 days
        await pilot.press(*"Reached them, pilot agreed")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MyDayScreen))
        await wait_for(pilot, lambda: "pilot agreed" in "\n".join(list_lines(screen)))
        new = Note.select().where(Note.body == "Reached them, pilot agreed").get()
        assert new.follow_up == dt.date(2026, 12, 2)
        assert Note.get_by_id(handled.id).follow_up is None  # handled
        lines = list_lines(screen)
        assert "Today (2)" in "\n".join(lines)
        assert "Northwind" in "\n".join(lines[index_of(lines, "Wednesday") :])

        await pilot.press("u")  # one undo step: both notes as they were
        await wait_for(pilot, lambda: "Today (3)" in "\n".join(list_lines(screen)))
        assert Note.get_by_id(handled.id).follow_up == DAY
        assert not Note.select().where(Note.body == "Reached them, pilot agreed").exists()


async def test_days_ahead_key(day_world: CrmWorld, frozen_clock: FrozenClock) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        assert "the next 7 days" in screen_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: "the next 14 days" in screen_text(app))
        assert screen.day is not None and len(screen.day.sections) == 2 + 14
        await pilot.press("d", "d")  # 30, then back to 1
        await wait_for(pilot, lambda: "today and tomorrow" in screen_text(app))
        assert screen.day is not None and len(screen.day.sections) == 3


async def test_an_admin_looks_at_someone_elses_day(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: "Whose day?" in screen_text(app))
        await pilot.press("down")  # ana, then bob (by name)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Open follow-ups of bob" in screen_text(app))
        await wait_for(pilot, lambda: "Bob's Diner" in "\n".join(list_lines(screen)))
        assert "Northwind" not in "\n".join(list_lines(screen))


async def test_a_rep_sees_only_their_own_day(
    day_world: CrmWorld, frozen_clock: FrozenClock
) -> None:
    app = day_app(day_world, day_world.bob)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        assert "Bob's Diner" in "\n".join(list_lines(screen))
        assert "Whose day" not in screen_text(app)  # not in a rep's footer
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, MyDayScreen)
        assert "Open follow-ups of" not in screen_text(app)


async def test_an_empty_day_says_so(day_world: CrmWorld, frozen_clock: FrozenClock) -> None:
    cy = create_user(day_world.ana, "cy", role="rep")
    app = day_app(day_world, cy)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_day(pilot)
        text = screen_text(app)
        assert "Nothing to follow up today or in the next 7 days: the day is clear." in text
        assert "Today (0)" in text


async def test_the_day_follows_changes(day_world: CrmWorld, frozen_clock: FrozenClock) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_day(pilot)
        create_note(  # as if someone else wrote it
            day_world.bob,
            NoteInput(customer="Globex", action="Call", assignee="ana", follow_up="2026-11-30"),
            today=DAY,
        )
        app.notes_changed()
        await wait_for(pilot, lambda: "Today (4)" in "\n".join(list_lines(screen)))


async def test_my_day_is_in_the_palette(day_world: CrmWorld, frozen_clock: FrozenClock) -> None:
    app = day_app(day_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "My day" in titles(await palette_finds(pilot, "my day"))
        await close_palette(pilot)


def test_a_long_section_says_how_many_more() -> None:
    made = dt.datetime(2026, 11, 30, 8, 0)
    rows = tuple(
        NoteRow(n, made, n, f"Customer {n}", None, None, None, "", DAY, "") for n in range(1, 4)
    )
    lines = day_lines([Section("overdue", None, ()), Section("today", DAY, rows, total=240)])
    assert [section_title(line.section) for line in lines if isinstance(line, SectionLine)][:2] == [
        "Overdue (0)",
        "Today (240)",
    ]
    assert isinstance(lines[-1], SectionLine) and lines[-1].more
    assert more_text(lines[-1].section) == "… and 237 more"
