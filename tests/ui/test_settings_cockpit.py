"""Settings for the cockpit, by keys: a status's "done", an action's default follow-up, an
option's time zone (completed as typed; an unknown zone refused under its field, the form
kept), the business hours; and a zone typed in a burst saves what typed slowly saves."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input

from crm_tui.domain.settings import load_settings
from crm_tui.records import BusinessHours
from crm_tui.ui.screens.settings import SettingsScreen
from crm_tui.ui.screens.settings_forms import BadgeFormScreen, BusinessHoursFormScreen
from crm_tui.ui.screens.settings_history import SettingsHistoryScreen
from crm_tui.ui.widgets.badge_form import ZoneSuggester
from tests.ui.pilot import SIZE, make_app, screen_text, settle, until_quiet
from tests.ui.settings_fixtures import (
    admin_user,
    highlight,
    open_settings,
    seed_settings,
    status_line,
    text_of,
    type_text,
)
from tests.ui.test_type_ahead import MODES, key_event, type_ahead


def zone_of(name: str) -> str | None:
    """The time zone of the "Time zone" option ``name``."""
    zone = next(v for v in load_settings().variables if v.name == "Time zone")
    return next(o.time_zone for o in zone.options if o.name == name)


async def edit_option(pilot: Pilot, name: str) -> BadgeFormScreen:
    """Open the edit form of an option of "Time zone"."""
    screen = await open_settings(pilot)
    await pilot.press("3")
    await highlight(pilot, screen, "option", name)
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BadgeFormScreen)
    return form


async def test_a_status_is_marked_done_with_its_box(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Active")
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BadgeFormScreen)
    assert "a note in it needs no follow-up" in screen_text(pilot.app)
    assert not form.query("#field-zone") and not form.query("#field-follow-up")
    form.query_one("#field-done", Checkbox).focus()
    await pilot.press("space", "ctrl+s")
    await settle(pilot)
    assert [s.name for s in load_settings().statuses if s.done] == ["Active", "Done"]
    assert pilot.app.screen is screen
    assert text_of(screen, "#cockpit-status") == ("Done: a note in this status needs no follow-up.")


async def test_an_action_gets_a_default_follow_up(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await pilot.press("2")
    await highlight(pilot, screen, "action", "E-mail")
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BadgeFormScreen)
    field = form.query_one("#field-follow-up", Input)
    await type_text(pilot, field, "-2")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is form
    assert text_of(form, "#error-follow-up") == (
        "default follow-up: '-2' is not a number of days (a whole number from 0 to 3650)"
    )
    assert field.value == "-2"  # kept as typed
    await type_text(pilot, field, "4")
    assert not form.query_one("#error-follow-up").display
    await pilot.press("ctrl+s")
    await settle(pilot)
    e_mail = next(a for a in load_settings().actions if a.name == "E-mail")
    assert e_mail.follow_up_days == 4
    assert text_of(screen, "#cockpit-action") == "Default follow-up: 4 days after the note."


async def test_a_zone_is_completed_as_typed_and_saved(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await edit_option(pilot, "EST")
    assert not form.query("#field-done")
    field = form.query_one("#field-zone", Input)
    await type_text(pilot, field, "america/tor")
    await settle(pilot)
    assert "america/toronto" in screen_text(pilot.app)  # the completion shows
    await pilot.press("right")
    assert field.value == "America/Toronto"
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert zone_of("EST") == "America/Toronto"
    settings_screen = pilot.app.screen
    assert isinstance(settings_screen, SettingsScreen)
    assert text_of(settings_screen, "#cockpit-option") == "Time zone: America/Toronto."


async def test_an_unknown_zone_is_refused_under_its_field_and_kept(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await edit_option(pilot, "PST")
    field = form.query_one("#field-zone", Input)
    await type_text(pilot, field, "Mars/Base")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is form

    assert text_of(form, "#error-zone") == "time zone: unknown time zone 'Mars/Base'"
    assert "Not saved: time zone: unknown time zone 'Mars/Base'" in text_of(form, "#form-error")
    assert field.value == "Mars/Base"
    assert field.has_class("-invalid")
    assert zone_of("PST") is None
    await type_text(pilot, field, "America/Vancouver")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert zone_of("PST") == "America/Vancouver"


async def test_business_hours_are_changed_from_settings(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await pilot.press("b")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BusinessHoursFormScreen)
    assert form.query_one("#day-fri", Checkbox).value
    assert not form.query_one("#day-sat", Checkbox).value
    form.query_one("#day-fri", Checkbox).focus()
    await pilot.press("space")
    await type_text(pilot, form.query_one("#hours-start", Input), "8:30")
    await type_text(pilot, form.query_one("#hours-end", Input), "08:00")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is form
    assert text_of(form, "#hours-error-end") == (
        "end: the end (08:00) must come after the start (08:30)"
    )
    assert load_settings().business_hours == BusinessHours()
    assert form.query_one("#hours-start", Input).value == "8:30"  # kept as typed
    await type_text(pilot, form.query_one("#hours-end", Input), "16:00")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is screen
    wanted = BusinessHours(("mon", "tue", "wed", "thu"), dt.time(8, 30), dt.time(16))
    assert load_settings().business_hours == wanted
    assert status_line(screen) == "Business hours: Mon Tue Wed Thu, 08:30–16:00."
    await pilot.press("h")
    await settle(pilot)
    history = pilot.app.screen
    assert isinstance(history, SettingsHistoryScreen)
    newest = [str(cell) for cell in history.query_one(DataTable).get_row_at(0)]
    assert newest[1:] == [
        "ana",
        "business hours",
        "Mon Tue Wed Thu Fri, 09:00–17:00 → Mon Tue Wed Thu, 08:30–16:00",
    ]


async def test_no_day_is_refused(admin_app: Pilot) -> None:
    pilot = admin_app
    await open_settings(pilot)
    await pilot.press("b")
    await settle(pilot)
    form = pilot.app.screen
    for day in ("mon", "tue", "wed", "thu", "fri"):
        form.query_one(f"#day-{day}", Checkbox).value = False
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert text_of(form, "#hours-error-days") == "days: pick at least one day"
    await pilot.press("f8")
    assert form.focused is form.query_one("#day-mon")


async def test_business_hours_are_in_the_palette_of_settings(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    titles = [command.title for command in screen.palette_commands()]
    assert "Business hours" in titles


# --- keys typed ahead ----------------------------------------------------------------------

ZONE_KEYS = ["f4", "3", "tab", "end", "enter", *["tab"] * 7, *"america/tor", "right", "ctrl+s"]
"""Settings, the Variables tab, its options, the last one (EST), its form, the zone field,
a zone typed and completed with →, saved."""


@pytest.mark.parametrize("mode", MODES)
async def test_a_zone_typed_ahead_is_completed_as_typed_slowly(database, mode) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_ahead(pilot, ZONE_KEYS, mode)
        assert zone_of("EST") == "America/Toronto"
        assert isinstance(app.screen, SettingsScreen)


async def test_keys_typed_ahead_wait_for_a_slow_completion(database, monkeypatch) -> None:
    """→ typed before the completion arrives still accepts it."""
    answer = asyncio.Event()
    complete = ZoneSuggester.get_suggestion

    async def slow_completion(self: ZoneSuggester, value: str) -> str | None:
        await answer.wait()  # the test lets it answer
        return await complete(self, value)

    monkeypatch.setattr(ZoneSuggester, "get_suggestion", slow_completion)
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ZONE_KEYS:
            app.post_message(key_event(key))
        for _ in range(40):
            await pilot.pause()
        form = app.screen
        assert isinstance(form, BadgeFormScreen)
        assert form.query_one("#field-zone", Input).value == "a"  # the rest waits its turn
        assert app.keys_waiting
        answer.set()
        await until_quiet(pilot)
        assert zone_of("EST") == "America/Toronto"
