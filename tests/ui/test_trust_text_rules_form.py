"""The note form shows the domain's text-rule refusals under their field (issue 10, case 9).

Nothing is saved and what was typed is kept, so the user can correct it.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from crm_tui.db.models import Customer, Note
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.widgets.pickers import CustomerInput
from crm_tui.ui.widgets.value_inputs import FieldRow
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, make_app, screen_text, settle

ESC, BEL = "\x1b", "\x07"


@pytest.fixture
def world(database) -> World:
    """The fixed data set."""
    return build_world(database)


async def _open_new_editor(pilot) -> NoteEditorScreen:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditorScreen)
    return pilot.app.screen


async def test_a_control_character_in_the_text_is_refused_under_the_text(database, world) -> None:
    app = make_app(database, world.ana)
    before = Note.select().count()
    body = f"Title {ESC}]0;TITLE{BEL} pasted"
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_new_editor(pilot)
        await pilot.press(*"Globex", "enter")
        editor.query_one("#body", TextArea).insert(body)  # as a paste would
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "contains the control character ␛ (U+001B) at character 7" in text
        assert "Not saved" in text
        assert editor.query_one("#row-body", FieldRow).has_class("-invalid")
        assert editor.query_one("#body", TextArea).text == body
        assert isinstance(app.screen, NoteEditorScreen)
        assert Note.select().count() == before


async def test_a_too_long_customer_name_is_refused_under_the_customer(database, world) -> None:
    app = make_app(database, world.ana)
    before = (Note.select().count(), Customer.select().count())
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_new_editor(pilot)
        editor.query_one(CustomerInput).value = "C" * 201
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is 201 characters long; at most 200 are allowed" in screen_text(app)
        assert editor.query_one("#row-customer", FieldRow).has_class("-invalid")
        assert editor.query_one(CustomerInput).value == "C" * 201
        assert (Note.select().count(), Customer.select().count()) == before
