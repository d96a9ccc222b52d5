"""The note view: fields, values and history; edit and delete from it."""

from __future__ import annotations

import pytest

from crm_tui.db.models import Note
from crm_tui.domain.notes import NoteInput, update_note
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, make_app, screen_text, settle


@pytest.fixture
def world(database) -> World:
    """The fixed data set."""
    return build_world(database)


async def open_view(pilot, note_id: int) -> NoteViewScreen:
    """Show one note."""
    await settle(pilot)
    await pilot.app.push_screen(NoteViewScreen(note_id))
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteViewScreen)
    return pilot.app.screen


async def test_enter_on_the_notes_list_opens_the_view(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the newest note: Globex
        await settle(pilot)
        assert isinstance(app.screen, NoteViewScreen)
        assert app.screen.note_id == world.notes["globex"]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NoteViewScreen)


async def test_view_shows_fields_values_and_history(database, world) -> None:
    note_id = world.notes["acme-new"]
    update_note(
        world.ana,
        note_id,
        NoteInput(
            "Acme Corp",
            action="Send sample",
            status="Client",
            assignee="bob",
            follow_up="2026-12-02",
            body="Samples sent, waiting for their approval.",
            values={"Time zone": "PST", "Deal value": "2600", "Employees": "120"},
        ),
    )
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_view(pilot, note_id)
        text = screen_text(app)
        for expected in (
            "Acme Corp",
            "Send sample",
            "Client",
            "2026-12-02",
            "PST",
            "$2,600.00",  # in the user's locale, with the currency
            "120",
            "Samples sent, waiting for their approval.",
        ):
            assert expected in text
        fields, history = text.split("History", 1)
        assert "Wholesale" not in fields  # cleared by the edit
        assert "ana" in history
        assert "Awaiting approval → Client" in history
        assert "$2,500.50 → $2,600.00" in history
        assert "Wholesale → —" in history


async def test_edit_from_the_view_then_the_view_shows_the_change(database, world) -> None:
    note_id = world.notes["globex"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot, note_id)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("tab", *"done", "ctrl+s")  # focus starts on the action
        await settle(pilot)
        assert app.screen is view
        assert "Client → Done" in screen_text(app)


async def test_delete_from_the_view_asks_first(database, world) -> None:
    note_id = world.notes["acme-old"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot, note_id)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete this note on Acme Corp?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is view
        assert Note.get_or_none(Note.id == note_id) is not None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert Note.get_or_none(Note.id == note_id) is None
        assert not isinstance(app.screen, (NoteViewScreen, ConfirmScreen))


async def test_the_view_of_a_deleted_note_says_so(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_view(pilot, 12345)
        assert "does not exist" in screen_text(app)
