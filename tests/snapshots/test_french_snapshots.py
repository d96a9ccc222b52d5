"""Issue 13: the notes list, the note form and Settings in French at 80x24 (fixed data,
frozen clock). French is longer than English: nothing may be cut (footer keys whole,
column headers readable, form labels and buttons whole).

The pictures use the product's French catalogue. Check a changed SVG in
tests/snapshots/__snapshots__/ by eye before accepting it with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

import peewee
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui import clock, i18n
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from tests.ui.conftest import CrmWorld, build_world
from tests.ui.pilot import make_app, settle

NARROW = (80, 24)
NOW = dt.datetime(2026, 11, 29, 9, 30)  # the frozen clock (UTC, shown in UTC)

Step = str | Callable[[Pilot, CrmWorld], Awaitable[None]]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Each test switches to French once its data is built; English again afterwards."""
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time the app stores is fixed (tests/conftest.py shows times in UTC)."""
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)


def _typed(text: str) -> Callable[[Pilot, CrmWorld], Awaitable[None]]:
    async def type_it(pilot: Pilot, _world: CrmWorld) -> None:
        await pilot.press(*text)

    return type_it


async def _new_note_with_values(pilot: Pilot, world: CrmWorld) -> None:
    """A new note, typed the French way: text and variables, then (the form scrolled back
    to its top) action, status and follow-up."""
    await pilot.app.push_screen(NoteEditorScreen(customer="Acme Corp"))
    await settle(pilot)
    editor = pilot.app.screen
    editor.query_one("#body", TextArea).focus()
    await pilot.press(*"Rappeler lundi")
    editor.query_one("#var-2").focus_field()  # Estimated close date
    await pilot.press("ctrl+u", *"15/01/2027")
    editor.query_one("#var-3").focus_field()  # Deal value
    await pilot.press("ctrl+u", *"1 234,50")
    editor.query_one("#customer").focus()
    await pilot.press("tab", *"call", "tab", *"awa", "tab", "tab", *"demain")


# scene name -> steps, from the notes list as ana (an admin)
SCENES: dict[str, Sequence[Step]] = {
    "notes_list": ("down", "down"),
    "note_editor_new_with_values": (_new_note_with_values,),
    "settings_status_tab": ("f4",),
    "settings_action_tab": ("f4", "2"),
    "settings_variables_tab": ("f4", "3", "tab"),
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


def _make_test(name: str, steps: Sequence[Step]) -> Any:
    def test(snap_compare: Any, database: peewee.Database) -> None:
        world = build_world(database)  # the fixed data, as the other snapshots have it
        i18n.set_language("fr", "FR")
        app = make_app(database, world.ana)
        assert snap_compare(app, terminal_size=NARROW, run_before=_scene(steps, world))

    test.__name__ = f"test_fr_{name}_80x24"
    test.__doc__ = f"The {name.replace('_', ' ')} in French at 80x24."
    return test


for _name, _steps in SCENES.items():
    _test = _make_test(_name, _steps)
    globals()[_test.__name__] = _test


def test_fr_first_run_80x24(snap_compare: Any, database: peewee.Database) -> None:
    """A brand-new database opened in French: the seed's starter set, and the first-run help
    (its box wraps inside 80 columns instead of running off the screen)."""
    from crm_tui.domain.settings import ensure_starter_settings
    from crm_tui.domain.users import actor_for

    i18n.set_language("fr", "FR")
    ensure_starter_settings()
    marie = actor_for("marie")
    app = make_app(database, marie)
    assert snap_compare(app, terminal_size=NARROW, run_before=_scene((), None))  # type: ignore[arg-type]
