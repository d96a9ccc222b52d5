"""The add/edit form of a badge: validation errors, contrast fix, keyboard colour picker."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.settings_forms import BadgeFormScreen
from crm_tui.ui.widgets.color_picker import PALETTE, ColorPickerScreen, PaletteGrid
from crm_tui.ui.widgets.confirm import ConfirmScreen
from tests.ui.pilot import settle
from tests.ui.settings_fixtures import open_settings, text_of, type_text


async def open_new_status_form(pilot: Pilot) -> BadgeFormScreen:
    """Open Settings and the "new status" form, with a valid name and abbreviation."""
    await open_settings(pilot)
    await pilot.press("a")
    form = pilot.app.screen
    assert isinstance(form, BadgeFormScreen)
    await type_text(pilot, form.query_one("#field-name", Input), "Qualified")
    await type_text(pilot, form.query_one("#field-abbreviation", Input), "QUAL")
    return form


async def save_and_expect_error(
    pilot: Pilot, form: BadgeFormScreen, field: str, message: str
) -> None:
    """Save; the form stays open, the field shows ``message``, nothing is saved."""
    before = load_settings().statuses
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is form
    error = text_of(form, f"#error-{field}")
    assert message in error
    assert form.query_one(f"#error-{field}").display
    assert form.focused is form.query_one(f"#field-{field}")
    assert load_settings().statuses == before


async def test_bad_colour_is_refused_naming_the_field(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await open_new_status_form(pilot)
    await type_text(pilot, form.query_one("#field-background", Input), "#12345G")
    assert "not a colour" in text_of(form, "#swatch-background")
    await save_and_expect_error(
        pilot, form, "background", "background colour: '#12345G' is not a colour"
    )
    # The form keeps what was typed; fixing the field lets it save.
    assert form.query_one("#field-name", Input).value == "Qualified"
    await type_text(pilot, form.query_one("#field-background", Input), "#1565c0")
    assert not form.query_one("#error-background").display
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert load_settings().statuses[-1].background_color == "#1565C0"


async def test_empty_name_is_refused(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await open_new_status_form(pilot)
    await type_text(pilot, form.query_one("#field-name", Input), "   ")
    await save_and_expect_error(pilot, form, "name", "name: a name is required")


async def test_duplicate_name_is_refused(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await open_new_status_form(pilot)
    await type_text(pilot, form.query_one("#field-name", Input), "prospect")
    await save_and_expect_error(pilot, form, "name", "a status named 'prospect' exists already")


async def test_abbreviation_longer_than_twelve_is_refused(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await open_new_status_form(pilot)
    await type_text(pilot, form.query_one("#field-abbreviation", Input), "QUALIFIED123X")
    await save_and_expect_error(
        pilot, form, "abbreviation", "is 13 characters long; at most 12 are allowed"
    )


async def test_low_contrast_warning_and_one_key_fix(admin_app: Pilot) -> None:
    pilot = admin_app
    form = await open_new_status_form(pilot)
    await type_text(pilot, form.query_one("#field-font", Input), "#FFFFFF")
    await type_text(pilot, form.query_one("#field-background", Input), "#FFEB3B")
    contrast = text_of(form, "#form-preview .preview-contrast")
    assert "contrast 1.2:1" in contrast and "hard to read" in contrast
    assert "Press F6 for a black font" in contrast
    await pilot.press("f6")
    assert form.query_one("#field-font", Input).value == "#000000"
    contrast = text_of(form, "#form-preview .preview-contrast")
    assert "readable" in contrast and "hard to read" not in contrast
    await pilot.press("ctrl+s")
    await settle(pilot)
    saved = load_settings().statuses[-1]
    assert (saved.font_color, saved.background_color) == ("#000000", "#FFEB3B")


async def test_colour_picker_driven_by_keys(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    form = await open_new_status_form(pilot)
    await type_text(pilot, form.query_one("#field-background", Input), "#1e88e5")
    await pilot.press("f5")
    picker = app.screen
    assert isinstance(picker, ColorPickerScreen)
    grid = picker.query_one(PaletteGrid)
    blue = [name for name, _colors in PALETTE].index("Blue")
    assert (grid.row, grid.column) == (blue, 6)  # Blue 600 is #1E88E5
    await pilot.press("down", "right")  # Light blue 700
    assert picker.color == "#0288D1"
    assert "#0288D1" in text_of(picker, "#picker-value")
    await pilot.press("L", "L")  # 4% lighter
    lighter = picker.color
    assert lighter != "#0288D1"
    await pilot.press("enter")
    assert app.screen is form
    assert form.query_one("#field-background", Input).value == lighter
    # Escape leaves the field as it was.
    await pilot.press("f5")
    await pilot.press("left", "left", "escape")
    assert form.query_one("#field-background", Input).value == lighter
    # The font field's picker opens on the font colour.
    form.query_one("#field-font", Input).focus()
    await pilot.press("f5")
    assert app.screen.query_one(PaletteGrid).color in ("#FFFFFF", "#000000", "#FAFAFA")
    await pilot.press("escape")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert load_settings().statuses[-1].background_color == lighter


async def test_escape_asks_before_dropping_what_was_typed(admin_app: Pilot) -> None:
    pilot = admin_app
    app = pilot.app
    form = await open_new_status_form(pilot)
    await pilot.press("escape")
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("n")
    assert app.screen is form
    await pilot.press("escape")
    await pilot.press("y")
    await settle(pilot)
    assert "Qualified" not in [s.name for s in load_settings().statuses]
