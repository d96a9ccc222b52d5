"""Settings screen, Variables tab: variables, types, and the dropdown options editor."""

from __future__ import annotations

import peewee
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet

from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.settings_forms import BadgeFormScreen, VariableFormScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.settings_list import SettingsList
from tests.ui.pilot import SIZE, make_app, settle
from tests.ui.settings_fixtures import (
    admin_user,
    highlight,
    open_settings,
    row_names,
    seed_settings,
    status_line,
    text_of,
    type_text,
)


def variable(name: str):
    """The variable called ``name``, from the database."""
    return next(v for v in load_settings().variables if v.name == name)


async def choose_type(pilot: Pilot, form: VariableFormScreen, type_: str) -> None:
    """Pick a type in the radio set with the keyboard."""
    radio = form.query_one(RadioSet)
    radio.focus()
    for _ in range(6):
        if form.chosen_type() == type_:
            return
        await pilot.press("right", "enter")
    raise AssertionError(f"type {type_} not reached")


async def test_variables_listed_with_type_and_options(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert row_names(screen, "variable") == ["Time zone", "Estimated close date"]
    rows = [str(o.prompt) for o in screen.query_one("#list-variable", SettingsList).options]
    assert "dropdown" in rows[0] and "4 options" in rows[0] and "date" in rows[1]
    assert row_names(screen, "option") == ["PST", "MST", "CST", "EST"]
    assert "Options of 'Time zone'" in text_of(screen, "#options-title")
    await pilot.press("down")
    await settle(pilot)
    assert not screen.query_one("#list-option").display
    assert "only dropdowns have options" in text_of(screen, "#options-hint")


async def test_add_text_variable_then_rename_it(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("3", "a")
    form = app.screen
    assert isinstance(form, VariableFormScreen)
    assert not form.query_one("#first-option").display
    await type_text(pilot, form.query_one("#variable-name", Input), "Segment")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert variable("Segment").type == "text"
    assert row_names(screen, "variable")[-1] == "Segment"
    await pilot.press("e")
    form = app.screen
    await type_text(pilot, form.query_one("#variable-name", Input), "Market segment")
    await choose_type(pilot, form, "number")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert variable("Market segment").type == "number"


async def test_variable_validation_errors(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    await open_settings(pilot)
    await pilot.press("3", "a")
    form = app.screen
    await type_text(pilot, form.query_one("#variable-name", Input), "time ZONE")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is form
    assert "a variable named 'time ZONE' exists already" in text_of(form, "#variable-error-name")
    await type_text(pilot, form.query_one("#variable-name", Input), "Status")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert "built-in column" in text_of(form, "#variable-error-name")
    assert len(load_settings().variables) == 2


async def test_add_dropdown_with_its_first_option(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("3", "a")
    form = app.screen
    await type_text(pilot, form.query_one("#variable-name", Input), "Priority")
    await choose_type(pilot, form, "dropdown")
    assert form.query_one("#first-option").display
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is form  # the option has no name yet
    assert "name: a name is required" in text_of(form, "#first-option #error-name")
    await type_text(pilot, form.query_one("#first-option #field-name", Input), "High")
    await type_text(pilot, form.query_one("#first-option #field-abbreviation", Input), "H")
    await pilot.press("ctrl+s")
    await settle(pilot)
    priority = variable("Priority")
    assert priority.type == "dropdown"
    assert [o.name for o in priority.options] == ["High"]
    assert row_names(screen, "option") == ["High"]


async def test_dropdown_options_editor(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("3", "tab")
    options = screen.query_one("#list-option", SettingsList)
    assert screen.focused is options
    # Add an option.
    await pilot.press("a")
    form = app.screen
    assert isinstance(form, BadgeFormScreen)
    await type_text(pilot, form.query_one("#field-name", Input), "HST")
    await type_text(pilot, form.query_one("#field-abbreviation", Input), "H")
    await pilot.press("ctrl+s")
    await settle(pilot)
    names = [o.name for o in variable("Time zone").options]
    assert names == ["PST", "MST", "CST", "EST", "HST"]
    assert options.current.name == "HST"
    # Reorder: HST first.
    for _ in range(4):
        await pilot.press("K")
    await settle(pilot)
    assert variable("Time zone").options[0].name == "HST"
    assert row_names(screen, "option")[0] == "HST"
    # Edit its colour; put it in the sequence (a new item starts out of it).
    await pilot.press("e")
    await type_text(pilot, app.screen.query_one("#field-background", Input), "#FFCC80")
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("space")
    await settle(pilot)
    hst = variable("Time zone").options[0]
    assert (hst.background_color, hst.in_sequence) == ("#FFCC80", True)
    # Archive, restore, delete.
    await pilot.press("x")
    await settle(pilot)
    assert variable("Time zone").options[0].archived
    assert row_names(screen, "option")[-2:] == ["|", "HST"]
    await pilot.press("x")
    await settle(pilot)
    assert not variable("Time zone").options[0].archived
    await highlight(pilot, screen, "option", "HST")
    await pilot.press("delete")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await settle(pilot)
    assert [o.name for o in variable("Time zone").options] == ["PST", "MST", "CST", "EST"]


async def test_last_option_cannot_be_deleted(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await pilot.press("3", "tab")
    for name in ("PST", "MST", "CST"):
        await highlight(pilot, screen, "option", name)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    await pilot.press("delete")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)
    assert "a dropdown needs at least one option" in status_line(screen)
    assert [o.name for o in variable("Time zone").options] == ["EST"]


async def test_type_of_used_variable_cannot_change(database: peewee.Database) -> None:
    admin = admin_user()
    seed_settings(admin)
    create_note(
        admin,
        NoteInput(
            customer="Acme", status="Prospect", values={"Estimated close date": "2027-01-15"}
        ),
    )
    app = make_app(database, admin)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("3")
        await highlight(pilot, screen, "variable", "Estimated close date")
        await settle(pilot)
        assert "1 note has a value for it" in text_of(screen, "#usage-variable")
        await pilot.press("enter")
        form = app.screen
        await choose_type(pilot, form, "number")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "its type cannot change" in text_of(form, "#variable-error-type")
        assert variable("Estimated close date").type == "date"
        await pilot.press("escape", "y")
        # Used: delete is refused with the reason, and archiving is offered.
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "has a value on 1 note" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert variable("Estimated close date").archived


async def test_reorder_and_archive_variables(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    await pilot.press("3")
    await highlight(pilot, screen, "variable", "Estimated close date")
    await pilot.press("ctrl+up")
    await settle(pilot)
    assert [v.name for v in load_settings().variables] == ["Estimated close date", "Time zone"]
    await pilot.press("x")
    await settle(pilot)
    assert row_names(screen, "variable") == ["Time zone", "|", "Estimated close date"]


async def test_change_type_to_and_from_dropdown(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("3", "enter")
    form = app.screen
    assert isinstance(form, VariableFormScreen)
    await choose_type(pilot, form, "text")
    await pilot.press("ctrl+s")
    assert isinstance(app.screen, ConfirmScreen)
    assert "its 4 options will be deleted" in app.screen.question
    await pilot.press("y")
    await settle(pilot)
    assert variable("Time zone").type == "text"
    assert variable("Time zone").options == ()
    # Back to a dropdown: the form asks for the first option.
    await pilot.press("enter")
    form = app.screen
    await choose_type(pilot, form, "dropdown")
    assert form.query_one("#first-option").display
    await type_text(pilot, form.query_one("#first-option #field-name", Input), "UTC")
    await type_text(pilot, form.query_one("#first-option #field-abbreviation", Input), "U")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert [o.name for o in variable("Time zone").options] == ["UTC"]
    assert row_names(screen, "option") == ["UTC"]
