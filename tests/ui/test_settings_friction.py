"""Issue 11 case 5: Settings without friction.

The sequence checkbox draws its real state; a new item's abbreviation is prefilled from its
name; a refused save leaves the focus where the user was and says which key goes to the
field; new and starter colours pass 4.5:1; the variable type choice fits and says how to
pick.
"""

from __future__ import annotations

import peewee
import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioSet

from crm_tui.domain.colors import READABLE_CONTRAST, contrast_ratio
from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.settings_forms import BadgeFormScreen, VariableFormScreen
from crm_tui.ui.widgets.badge_form import BadgeDraft, new_draft
from tests.ui.pilot import SIZE, make_app, screen_text, settle
from tests.ui.settings_fixtures import (
    admin_user,
    highlight,
    open_settings,
    seed_settings,
    text_of,
    type_text,
)

SMALL = (80, 24)


async def new_status_form(pilot: Pilot) -> BadgeFormScreen:
    """Settings, then "a": the new status form."""
    await open_settings(pilot)
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BadgeFormScreen)
    return form


def box_of(form: BadgeFormScreen) -> str:
    """The sequence checkbox as drawn: its box and label."""
    return form.query_one("#field-sequence", Checkbox).render_line(0).text.strip()


# --- the sequence checkbox -----------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_sequence_checkbox_draws_its_real_state(
    database: peewee.Database, size: tuple[int, int]
) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=size) as pilot:
        form = await new_status_form(pilot)
        checkbox = form.query_one("#field-sequence", Checkbox)
        assert not checkbox.value
        assert box_of(form).startswith("▐ ▌")  # off: an empty box, not an X
        checkbox.focus()
        await pilot.press("space")
        assert checkbox.value
        assert box_of(form).startswith("▐X▌")
        await pilot.press("space")
        assert box_of(form).startswith("▐ ▌")


async def test_editing_an_item_in_sequence_shows_it_ticked(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Prospect")  # in the sequence
    await pilot.press("enter")
    await settle(pilot)
    assert box_of(app.screen).startswith("▐X▌")  # type: ignore[arg-type]
    await pilot.press("escape")
    await settle(pilot)
    await highlight(pilot, screen, "status", "On hold")  # not in it
    await pilot.press("enter")
    await settle(pilot)
    assert box_of(app.screen).startswith("▐ ▌")  # type: ignore[arg-type]


# --- the abbreviation, prefilled -------------------------------------------------------------


async def test_new_status_abbreviation_comes_from_its_name(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await new_status_form(pilot)
    abbreviation = form.query_one("#field-abbreviation", Input)
    await pilot.press(*"Hold")  # the name field has the focus
    assert abbreviation.value == "HOLD2"  # "On hold" has HOLD already
    await pilot.press("ctrl+u", *"Qualified lead")
    assert abbreviation.value == "QL"
    await pilot.press("ctrl+s")
    await settle(pilot)
    saved = load_settings().statuses[-1]
    assert (saved.name, saved.abbreviation) == ("Qualified lead", "QL")


async def test_a_typed_abbreviation_is_kept(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    form = await new_status_form(pilot)
    await pilot.press(*"Qualified")
    await pilot.press("tab", "ctrl+u", *"QF")
    await type_text(pilot, form.query_one("#field-name", Input), "Qualified lead")
    assert form.query_one("#field-abbreviation", Input).value == "QF"
    # Still required: emptied, it is refused.
    await type_text(pilot, form.query_one("#field-abbreviation", Input), "")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is form
    assert "an abbreviation is required" in text_of(form, "#error-abbreviation")


async def test_editing_an_item_keeps_its_abbreviation(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await highlight(pilot, screen, "status", "Prospect")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("end", *" lead")
    assert app.screen.query_one("#field-abbreviation", Input).value == "PRO"


async def test_new_option_abbreviation_comes_from_its_name(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    await pilot.press("3")
    await highlight(pilot, screen, "variable", "Time zone")
    await highlight(pilot, screen, "option", "PST")
    await pilot.press("a")
    await settle(pilot)
    await pilot.press(*"Pacific")  # P is PST's
    assert app.screen.query_one("#field-abbreviation", Input).value == "PACI"
    await pilot.press("ctrl+u", *"Pa")
    assert app.screen.query_one("#field-abbreviation", Input).value == "PA"
    await pilot.press("ctrl+u", *"P")
    assert app.screen.query_one("#field-abbreviation", Input).value == "P2"
    await pilot.press("ctrl+s")
    await settle(pilot)
    zone = next(v for v in load_settings().variables if v.name == "Time zone")
    assert [(o.name, o.abbreviation) for o in zone.options][-1] == ("P", "P2")


async def test_first_option_of_a_new_dropdown_is_prefilled(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    await open_settings(pilot)
    await pilot.press("3", "a")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, VariableFormScreen)
    await pilot.press(*"Priority", "tab")
    await pilot.press("right", "right", "right", "right", "space")  # dropdown
    assert form.chosen_type() == "dropdown"
    await type_text(pilot, form.query_one("#first-option #field-name", Input), "High")
    assert form.query_one("#first-option #field-abbreviation", Input).value == "HIGH"
    await pilot.press("ctrl+s")
    await settle(pilot)
    priority = next(v for v in load_settings().variables if v.name == "Priority")
    assert [(o.name, o.abbreviation) for o in priority.options] == [("High", "HIGH")]


# --- a refused save keeps the focus ------------------------------------------------------------


async def test_refused_save_keeps_focus_and_names_the_key(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    form = await new_status_form(pilot)
    await pilot.press(*"Qualified", "tab", "ctrl+u")  # abbreviation emptied
    await pilot.press("tab", "ctrl+u", *"#00")  # font colour: the user is here
    font = form.query_one("#field-font", Input)
    abbreviation = form.query_one("#field-abbreviation", Input)
    before = load_settings().statuses
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is form and load_settings().statuses == before
    assert form.focused is font  # not moved to the refused field
    assert abbreviation.has_class("-invalid")
    assert "an abbreviation is required" in text_of(form, "#error-abbreviation")
    message = text_of(form, "#form-error")
    assert "abbreviation" in message and "F8" in message
    # The next keys land where the user was.
    await pilot.press(*"0")
    assert font.value == "#000" and abbreviation.value == ""
    # F8 goes to the refused field; fixing it clears the mark.
    await pilot.press("f8")
    assert form.focused is abbreviation
    await pilot.press(*"QF")
    assert not abbreviation.has_class("-invalid")
    await pilot.press("ctrl+s")
    await settle(pilot)
    saved = load_settings().statuses[-1]
    assert (saved.abbreviation, saved.font_color) == ("QF", "#000000")


async def test_refused_variable_keeps_focus(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    await open_settings(pilot)
    await pilot.press("3", "a")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, VariableFormScreen)
    await pilot.press(*"Time zone", "tab")  # a variable has that name already
    radio = form.query_one(RadioSet)
    assert form.focused is radio
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is form
    assert form.focused is radio
    assert "exists already" in text_of(form, "#variable-error-name")
    assert "F8" in text_of(form, "#form-error")
    await pilot.press("right", "space")  # still picks a type
    assert form.chosen_type() == "currency"
    await pilot.press("f8")
    name = form.query_one("#variable-name", Input)
    assert form.focused is name and name.has_class("-invalid")


# --- readable colours ------------------------------------------------------------------------


def test_new_badge_colours_are_readable() -> None:
    default = BadgeDraft()
    assert contrast_ratio(default.font_color, default.background_color) >= READABLE_CONTRAST
    fresh = new_draft()
    assert contrast_ratio(fresh.font_color, fresh.background_color) >= READABLE_CONTRAST


async def test_starter_statuses_read_well_in_settings(admin_app: Pilot) -> None:
    pilot = admin_app
    screen = await open_settings(pilot)
    for name in ("Prospect", "Client"):
        await highlight(pilot, screen, "status", name)
        contrast = text_of(screen, "#preview-status .preview-contrast")
        assert "readable" in contrast and "hard to read" not in contrast, name


async def test_new_option_default_colours_read_well(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    await open_settings(pilot)
    await pilot.press("3", "a")
    await settle(pilot)
    form = app.screen
    await pilot.press(*"Priority", "tab", "right", "right", "right", "right", "space")
    contrast = text_of(form, "#first-option .preview-contrast")
    assert "readable" in contrast and "hard to read" not in contrast


# --- the variable type choice -----------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_variable_type_choice_fits_and_says_how_to_pick(
    database: peewee.Database, size: tuple[int, int]
) -> None:
    admin = admin_user()
    seed_settings(admin)
    app = make_app(database, admin)
    async with app.run_test(size=size) as pilot:
        await open_settings(pilot)
        await pilot.press("3", "a")
        await settle(pilot)
        text = screen_text(app)
        for word in ("text", "currency", "date", "number", "dropdown"):
            assert f" {word} " in text, word
        assert "curren…" not in text and "dropdo…" not in text
        assert "space or enter picks" in text
        assert "Save (ctrl+s)" in text and "Cancel (esc)" in text
        # Nothing beyond the right edge: the dialog lies within the screen.
        dialog = app.screen.query_one("#form-dialog")
        assert dialog.region.right <= size[0] and dialog.region.bottom <= size[1]


async def test_sequence_checkbox_still_reports_changes(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await new_status_form(pilot)
    await pilot.press(*"Qualified")
    checkbox = form.query_one("#field-sequence", Checkbox)
    checkbox.focus()
    await pilot.press("space")
    assert checkbox.has_class("-on") and box_of(form).startswith("▐X▌")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert load_settings().statuses[-1].in_sequence


@pytest.mark.parametrize(
    ("tab", "form_title"), [("variable", "New variable"), ("action", "New action")]
)
async def test_a_tab_key_then_add_typed_at_once(
    admin_app: Pilot, tab: str, form_title: str
) -> None:
    pilot = admin_app
    app = pilot.app
    screen = await open_settings(pilot)
    # One burst (as tmux send-keys "3a"): "a" comes before the new tab's list has the
    # focus, which Textual moves on its next turn.
    screen.action_tab(tab)
    screen.action_add()
    await settle(pilot)
    assert form_title in screen_text(app)
