"""Edit conflicts: a note saved by someone else while it was being edited.

The second save is refused and both versions are shown side by side; the user keeps
theirs, keeps mine, or picks per field, and only then is anything saved. The tests
that save also run on PostgreSQL (``postgres``).
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from crm_tui.domain.history import history_of
from crm_tui.domain.notes import NoteInput, get_note, update_note
from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.conflict import MINE, THEIRS, ConflictScreen, FieldVersions
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from tests.ui.editor_fixtures import build_world
from tests.ui.pilot import SIZE, make_app, screen_text, settle
from tests.ui.test_editor import tab_to


def test_the_default_pick_keeps_whoever_changed_a_field() -> None:
    only_theirs = FieldVersions("status", "Status", "Client", "On hold", "Client")
    only_mine = FieldVersions("status", "Status", "Client", "Client", "Done")
    both = FieldVersions("body", "Text", "a", "b", "c")
    same = FieldVersions("customer", "Customer", "Globex", "Globex", "Globex")
    assert (only_theirs.default, only_mine.default, both.default) == (THEIRS, MINE, MINE)
    assert both.both_changed and not only_theirs.both_changed
    assert not same.differs


async def _conflict(pilot, note_id: int, bob) -> NoteEditorScreen:
    """Open the note, let bob save it meanwhile, type in the text and press ctrl+s."""
    app = pilot.app
    await settle(pilot)
    await app.push_screen(NoteEditorScreen(note_id))
    await settle(pilot)
    editor = app.screen
    update_note(bob, note_id, NoteInput("Globex", status="On hold", body="bob was here"))
    await tab_to(pilot, "row-body")
    await pilot.press("end", *" and more")
    await pilot.press("ctrl+s")
    await settle(pilot)
    return editor


@pytest.mark.postgres
async def test_both_versions_side_by_side_then_merged_field_by_field(database) -> None:
    world = build_world(database)
    note_id = world.notes["globex"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _conflict(pilot, note_id, world.bob)
        assert isinstance(app.screen, ConflictScreen)
        text = screen_text(app)
        assert "bob saved this note while you were editing it" in text
        assert "bob was here" in text and "Sent the price list. and more" in text
        assert "On hold" in text and "Client" in text
        assert get_note(note_id).body == "bob was here"  # nothing saved yet

        await pilot.press("escape")  # back to the form: nothing saved, nothing lost
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one("#body", TextArea).text.endswith("and more")
        assert get_note(note_id).version == 2

        await pilot.press("ctrl+s")  # both versions again; bob's status, my text
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.picks["status"] == THEIRS and app.screen.picks["body"] == MINE
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not editor and not isinstance(app.screen, ConflictScreen)
    note = get_note(note_id)
    assert load_settings().status(note.status_id).name == "On hold"
    assert note.body == "Sent the price list. and more"
    assert note.version == 3


@pytest.mark.postgres
async def test_keep_theirs_saves_nothing_and_keep_mine_is_a_choice(database) -> None:
    world = build_world(database)
    note_id = world.notes["globex"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await _conflict(pilot, note_id, world.bob)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, (ConflictScreen, NoteEditorScreen))
        note = get_note(note_id)
        assert (note.body, note.version) == ("bob was here", 2)
        assert {c.user for c in history_of("note", note_id)} == {"ana", "bob"}  # ana: created

        await _conflict(pilot, note_id, world.ana)  # now ana changes it from elsewhere
        await pilot.press("down", "left", "m")  # picks do not matter: m keeps all of mine
        await settle(pilot)
    note = get_note(note_id)
    assert note.body == "bob was here and more"
    assert load_settings().status(note.status_id).name == "On hold"


@pytest.mark.postgres
async def test_a_note_deleted_meanwhile_keeps_the_form(database) -> None:
    from crm_tui.domain.notes import delete_note

    world = build_world(database)
    note_id = world.notes["globex"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteEditorScreen(note_id))
        await settle(pilot)
        editor = app.screen
        delete_note(world.bob, note_id)
        await tab_to(pilot, "row-body")
        await pilot.press("end", *" and more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        assert "does not exist" in screen_text(app)
        assert editor.query_one("#body", TextArea).text.endswith("and more")
