"""Issue 12: a keymap file remaps keys by binding id; the footer, the palette and ``?`` show
the key in force; a broken file is said in one line and the app works with its own keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from crm_tui.domain import users
from crm_tui.ui.app import CrmApp
from crm_tui.ui.keymap import KEYMAP_ENV, known_binding_ids, parse_keymap
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.screens.sign_in import SignInScreen
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, TODAY, settle, wait_for


@pytest.fixture
def keymap_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The keymap file the app reads (``CRM_TUI_KEYMAP``); empty until a test writes it."""
    path = tmp_path / "keymap.toml"
    monkeypatch.setenv(KEYMAP_ENV, str(path))
    return path


def footer_keys(app: CrmApp) -> dict[str, str]:
    """The footer's keys as drawn: description -> key display."""
    return {key.description: key.key_display for key in app.screen.query(FooterKey)}


def notifications(app: CrmApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def keys_panel_text(app: CrmApp) -> str:
    """The text of the keys panel (``?``) as drawn."""
    panel = app.screen.query_one("KeyPanel")
    table = panel.query_one("BindingsTable")
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_remapped_new_note_key(crm_world: CrmWorld, keymap_file: Path) -> None:
    keymap_file.write_text('"notes.new" = "ctrl+n"\n', encoding="utf-8")
    app = CrmApp(crm_world.database, crm_world.ana, today=TODAY, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert notifications(app) == []
        assert footer_keys(app)["New"] == "^n"  # how Textual's footer writes ctrl+n
        helps = {str(c.title): str(c.help) for c in app.get_system_commands(app.screen)}
        assert helps["New note"] == "Write a new note (ctrl+n)"
        assert helps["Edit note"] == "Edit the highlighted note (e)"  # the others unchanged

        await pilot.press("question_mark")
        await settle(pilot)
        shown = keys_panel_text(app)
        assert "^n" in shown and "New" in shown
        await pilot.press("question_mark")
        await settle(pilot)

        await pilot.press("n")  # the old key does nothing now
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))


@pytest.mark.parametrize(
    "text",
    [
        '"notes.new" = "ctrl+n',  # not TOML
        '"notes.nothing" = "ctrl+n"\n',  # no such key
        '"notes.new" = "ctrl+"\n',  # not a key
        '"notes.new" = 3\n',  # not a key either
    ],
)
async def test_a_broken_keymap_is_said_once_and_ignored(
    crm_world: CrmWorld, keymap_file: Path, text: str
) -> None:
    keymap_file.write_text(text, encoding="utf-8")
    app = CrmApp(crm_world.database, crm_world.ana, today=TODAY, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = notifications(app)
        assert len(said) == 1 and "\n" not in said[0], said
        assert str(keymap_file) in said[0]
        assert footer_keys(app)["New"] == "n"
        await pilot.press("n")  # the app's own keys work
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))


async def test_a_keymap_opens_nothing_before_sign_in(
    crm_world: CrmWorld, keymap_file: Path
) -> None:
    users.set_password(crm_world.ana, crm_world.ana.id, users.hash_password("admin-pw"))
    keymap_file.write_text('"app.notes" = "x"\n"app.keys" = "k"\n', encoding="utf-8")
    app = CrmApp(crm_world.database, users.get_user(crm_world.ana.id), today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.set_focus(None)
        for key in ("x", "k", "f2"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, SignInScreen)
            assert not app.screen.query("HelpPanel")
        assert [str(c.title) for c in app.get_system_commands(app.screen)] == ["Quit"]
        app.screen.query_one(Input).value = "admin-pw"
        app.screen.set_focus(app.screen.query_one(Input))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await pilot.press("x")  # signed in: the remapped key opens the notes (already there)
        await pilot.press("k")
        await settle(pilot)
        assert app.screen.query("HelpPanel")


def test_every_binding_has_an_id_and_the_parser_checks_them() -> None:
    ids = known_binding_ids()
    assert {"notes.new", "app.keys", "list.open", "customers.add"} <= ids
    assert parse_keymap('"app.keys" = "?"', ids).keys == {"app.keys": "question_mark"}
    assert parse_keymap('"notes.new" = "ctrl+n,f9"', ids).keys == {"notes.new": "ctrl+n,f9"}
    assert parse_keymap('"notes.new" = "hyperx+n"', ids).problem is not None
