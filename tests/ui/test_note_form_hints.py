"""The note form says how to choose a badge, and editing goes on after the text (issue 11, 9)."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.widgets.pickers import BadgePicker
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, make_app, screen_text, settle

HINT = "←/→ or type the name"


@pytest.fixture
def world(database) -> World:
    """The editor's fixed data set."""
    return build_world(database)


async def test_a_focused_picker_says_how_to_choose(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert HINT not in screen_text(app)  # the customer has the focus
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is editor.query_one("#action", BadgePicker)
        assert screen_text(app).count(HINT) == 1
        await pilot.press("c")  # typing shows what was typed instead
        await settle(pilot)
        assert HINT not in screen_text(app)
        assert "⌨ c" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert screen_text(app).count(HINT) == 1  # now under Status
        await pilot.press("shift+tab", "shift+tab")
        await settle(pilot)
        assert HINT not in screen_text(app)


async def test_editing_puts_the_cursor_after_the_text(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteEditorScreen(world.notes["acme-new"]))
        await settle(pilot)
        body = app.screen.query_one("#body", TextArea)
        assert body.text == "Samples sent, waiting for their approval."
        assert body.cursor_location == body.document.end
        body.focus()
        await settle(pilot)
        await pilot.press(*" Approved.")
        await settle(pilot)
        assert body.text == "Samples sent, waiting for their approval. Approved."
