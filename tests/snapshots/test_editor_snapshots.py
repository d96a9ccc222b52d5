"""Snapshots of the note editor (fixed data, today 2026-11-29, 120x40)."""

from __future__ import annotations

from crm_tui.ui.screens.note_editor import NoteEditorScreen
from tests.ui.editor_fixtures import build_world
from tests.ui.pilot import SIZE, make_app, settle


def test_editor_shows_why_values_are_refused(snap_compare, database) -> None:
    world = build_world(database)
    app = make_app(database, world.ana)

    async def fill_in_bad_values(pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(NoteEditorScreen(customer="Acme Corp"))
        await settle(pilot)
        editor = pilot.app.screen
        for field in editor.query("Input, TextArea"):
            field.cursor_blink = False  # a blinking cursor would make the picture vary
        await pilot.press(*"call", "tab", *"awa", "tab", "tab", *"+3d")
        editor.query_one("#var-2").focus_field()  # Close date
        await pilot.press("ctrl+u", *"2026-02-30")
        editor.query_one("#var-3").focus_field()  # Deal value
        await pilot.press("ctrl+u", *"12.345", "ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=fill_in_bad_values)
