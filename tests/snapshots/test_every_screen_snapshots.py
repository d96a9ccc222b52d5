"""Every screen and dialog at 80x24 and at 120x40, on fixed data with a frozen clock.

Each scene is a list of steps from the notes list (keys, or a function of the pilot); each
is taken at both sizes as ``test_<scene>_80x24`` and ``test_<scene>_120x40``. At 80x24 a
screen shows all its fields and buttons (a form may scroll inside), nothing beyond the
right edge, and its footer puts its main keys first.

Check a changed SVG in tests/snapshots/__snapshots__/ by eye before accepting it with
``pytest --snapshot-update``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import peewee
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui import clock
from crm_tui.domain.notes import NoteInput, update_note
from crm_tui.domain.users import create_user
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from tests.ui.conftest import CrmWorld, build_world
from tests.ui.pilot import make_app, settle

SIZES = ((80, 24), (120, 40))
NOW = dt.datetime(2026, 11, 29, 9, 30)  # the frozen clock (UTC, shown in UTC)

Step = str | Callable[[Pilot, CrmWorld], Awaitable[None]]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time the app stores is fixed (tests/conftest.py shows times in UTC); so is the
    working folder, which the settings export dialog offers as the file's place."""
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)
    monkeypatch.chdir("/tmp")


@pytest.fixture(autouse=True)
def search_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search runs as soon as it is typed (the picture is of its result, whatever
    the time the keys took; the list waits 0.25 s for the next key otherwise)."""
    monkeypatch.setattr("crm_tui.ui.screens.notes.SEARCH_DELAY", 0.001)


def _typed(text: str) -> Callable[[Pilot, CrmWorld], Awaitable[None]]:
    async def type_it(pilot: Pilot, _world: CrmWorld) -> None:
        await pilot.press(*text)

    return type_it


async def _conflict(pilot: Pilot, world: CrmWorld) -> None:
    """Edit the Globex note while bob saves it, then save: both versions side by side."""
    note_id = world.notes["globex"]
    await pilot.app.push_screen(NoteEditorScreen(note_id))
    await settle(pilot)
    update_note(world.bob, note_id, NoteInput("Globex", status="Done", body="bob was here"))
    body = pilot.app.screen.query_one("#body", TextArea)
    body.focus()
    await pilot.press("end", *" and more", "ctrl+s")


async def _edit_globex(pilot: Pilot, world: CrmWorld) -> None:
    await pilot.app.push_screen(NoteEditorScreen(world.notes["globex"]))


# scene name -> steps, from the notes list as ana (an admin)
SCENES: dict[str, Sequence[Step]] = {
    "notes_list": ("down", "down"),
    "note_view": ("down", "enter"),
    "note_editor_new": ("n",),
    "note_editor_edit": (_edit_globex,),
    "confirm_delete": ("d",),
    "sort_dialog": ("s", "down", "space"),
    "filter_dialog": ("f",),
    "filter_values": ("f", "enter"),
    "columns_dialog": ("c",),
    "search": ("slash", _typed("acme")),
    "save_view_dialog": ("v",),
    "views_dialog": ("o",),
    "bulk_dialog": ("space", "down", "space", "b"),
    "conflict_screen": (_conflict,),
    "customers": ("f3",),
    "customer_form": ("f3", "a"),
    "customer_notes": ("f3", "enter"),
    "settings_status_tab": ("f4",),
    "settings_action_tab": ("f4", "2"),
    "settings_variables_tab": ("f4", "3", "tab"),
    "status_form": ("f4", "a", _typed("Qualified lead")),
    "status_form_edit": ("f4", "enter"),
    "action_form": ("f4", "2", "a"),
    "variable_form": ("f4", "3", "a"),
    "variable_form_dropdown": ("f4", "3", "a", "tab", "right", "right", "right", "right", "space"),
    "option_form": ("f4", "3", "tab", "a"),
    "colour_picker": ("f4", "a", "f5"),
    "settings_history": ("f4", "h"),
    "settings_export": ("f4", "E"),
    "users": ("f5",),
    "user_form": ("f5", "a"),
    "password_form": ("f5", "p"),
    "users_history": ("f5", "h"),
    "help": ("question_mark",),
}


def _no_blink(app: CrmApp) -> None:
    """A blinking cursor would make the picture vary."""
    for field in app.screen.query("Input, TextArea"):
        if isinstance(field, Input | TextArea):
            field.cursor_blink = False


def _scene(steps: Sequence[Step], world: CrmWorld) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for step in steps:
            if isinstance(step, str):
                await pilot.press(step)
            else:
                await step(pilot, world)
            await settle(pilot)
        _no_blink(pilot.app)  # type: ignore[arg-type]
        await pilot.pause()

    return run_before


def _make_test(name: str, steps: Sequence[Step], size: tuple[int, int]) -> Any:
    def test(snap_compare: Any, database: peewee.Database) -> None:
        world = build_world(database)
        app = make_app(database, world.ana)
        assert snap_compare(app, terminal_size=size, run_before=_scene(steps, world))

    test.__name__ = f"test_{name}_{size[0]}x{size[1]}"
    test.__doc__ = f"The {name.replace('_', ' ')} at {size[0]}x{size[1]}."
    return test


for _name, _steps in SCENES.items():
    for _size in SIZES:
        _test = _make_test(_name, _steps, _size)
        globals()[_test.__name__] = _test


def _make_sign_in_test(size: tuple[int, int]) -> Any:
    def test(snap_compare: Any, database: peewee.Database) -> None:
        world = build_world(database)
        carol = create_user(world.ana, "carol", password="s3cret pass")
        app = make_app(database, carol)
        assert snap_compare(app, terminal_size=size, run_before=_scene((), world))

    test.__name__ = f"test_sign_in_{size[0]}x{size[1]}"
    test.__doc__ = f"The sign-in screen (a user with a password) at {size[0]}x{size[1]}."
    return test


for _size in SIZES:
    _test = _make_sign_in_test(_size)
    globals()[_test.__name__] = _test
