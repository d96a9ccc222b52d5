"""Keys typed ahead (issue 11, case 1): a burst saves what the same keys typed slowly save.

Every scenario runs three ways on a fresh database: ``burst`` posts every key (and paste)
to the app at once, as a paste, a text expander or tmux ``send-keys`` delivers them;
``press`` is ``pilot.press(*keys)`` in one call with no pause; ``paced`` presses the
keys one by one with a pause after each. The three must leave the same rows.
"""

from __future__ import annotations

import datetime as dt
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from textual import events
from textual.app import _character_to_key, _get_unicode_name_from_key  # type: ignore[attr-defined]
from textual.keys import REPLACED_KEYS
from textual.pilot import Pilot

from crm_tui.db.models import Customer, Note, User
from crm_tui.domain.notes import get_note
from crm_tui.domain.query import Condition, SortKey, sort_columns
from crm_tui.domain.settings import load_settings
from crm_tui.domain.users import create_user
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.widgets import pickers
from crm_tui.ui.widgets.note_list.columns import all_columns
from crm_tui.ui.widgets.pickers import CustomerInput
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, make_app, settle, until_quiet

MODES = ("burst", "press", "paced")


@dataclass(frozen=True)
class Pasted:
    """A paste among the keys (a fresh ``events.Paste`` is sent each time)."""

    text: str


Step = str | Pasted


@pytest.fixture
def world(database) -> World:
    """The editor's fixed data set."""
    return build_world(database)


def key_event(key: str) -> events.Key:
    """The key event Textual's driver makes for ``key`` (as ``Pilot.press`` does)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def type_ahead(pilot: Pilot, steps: Sequence[Step], mode: str) -> None:
    """Send ``steps`` (keys, or ``Pasted``) the ``mode`` way, then let the app finish."""
    app = pilot.app
    if mode == "burst":
        for step in steps:
            app.post_message(
                events.Paste(step.text) if isinstance(step, Pasted) else key_event(step)
            )
    elif mode == "press":
        chunk: list[str] = []
        for step in steps:
            if isinstance(step, Pasted):
                await pilot.press(*chunk)
                chunk = []
                app.post_message(events.Paste(step.text))
            else:
                chunk.append(step)
        await pilot.press(*chunk)
    else:
        for step in steps:
            if isinstance(step, Pasted):
                app.post_message(events.Paste(step.text))
            else:
                await pilot.press(step)
            await settle(pilot)
    await until_quiet(pilot)


def note_facts(note_id: int) -> tuple[object, ...]:
    """What a saved note holds, by names."""
    settings = load_settings()
    note = get_note(note_id, settings)
    action = settings.action(note.action_id)
    status = settings.status(note.status_id)
    values = {settings.variable(vid).name: v.text for vid, v in note.values.items()}
    return (
        note.customer,
        action.name if action else None,
        status.name if status else None,
        note.assignee,
        note.follow_up,
        note.body,
        values,
    )


def newest_notes(count: int) -> list[tuple[object, ...]]:
    """The facts of the ``count`` newest notes, oldest first."""
    ids = [n.id for n in Note.select(Note.id).order_by(Note.id.desc()).limit(count)]
    return [note_facts(note_id) for note_id in reversed(ids)]


async def ready(pilot: Pilot) -> None:
    """The app is on its first screen with the list read."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, NotesScreen)


FIRST_NOTE: list[Step] = [
    "n",
    *"Émile Dubois",
    "tab",
    *"cal",
    "tab",
    *"cli",
    "tab",
    "tab",
    *"2026-12-24",
    "tab",
    "e",
    "tab",
    *"2027-01-15",
    "tab",
    *"1234.5",
    "tab",
    *"42",
    "tab",
    *"Bio",
    "tab",
    *"Rafale de touches",
    "ctrl+s",
]
SECOND_NOTE: list[Step] = [
    "n",
    Pasted("Globex"),  # a one-line paste into the customer field
    "tab",
    *"fax",
    "tab",
    *"don",
    *["tab"] * 8,  # assignee, follow-up, the five variables, the text
    Pasted("Line one\nLine two\n\tindented"),
    "ctrl+s",
]


@pytest.mark.parametrize("mode", MODES)
async def test_two_whole_notes_typed_ahead_are_saved_whole(database, world, mode) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await type_ahead(pilot, [*FIRST_NOTE, *SECOND_NOTE], mode)
        assert not isinstance(app.screen, NoteEditorScreen)
        assert newest_notes(2) == [
            (
                "Émile Dubois",
                "Call",
                "Client",
                "ana",
                dt.date(2026, 12, 24),
                "Rafale de touches",
                {
                    "Time zone": "EST",
                    "Close date": "2027-01-15",
                    "Deal value": "1234.50",
                    "Employees": "42",
                    "Segment": "Bio",
                },
            ),
            ("Globex", "Fax", "Done", "ana", None, "Line one\nLine two\n\tindented", {}),
        ]


@pytest.mark.parametrize("mode", MODES)
async def test_a_suggestion_chosen_by_keys_typed_ahead(database, world, mode) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        steps = ["n", *"emi", "down", "enter", "tab", *"cal", *["tab"] * 9, *"Choisi", "ctrl+s"]
        await type_ahead(pilot, steps, mode)
        assert newest_notes(1)[0][:3] == ("Émile Dubois", "Call", None)
        assert Customer.select().where(Customer.name == "emi").count() == 0


async def test_keys_typed_ahead_wait_for_slow_suggestions(database, world, monkeypatch) -> None:
    """↓ and enter typed before the suggestions arrive still choose a suggestion."""
    answer = threading.Event()
    lookup = pickers.suggest_customers

    def slow_lookup(text: str, limit: int) -> list:
        answer.wait(30)  # the test lets it answer; the timeout only guards a broken test
        return lookup(text, limit)

    monkeypatch.setattr(pickers, "suggest_customers", slow_lookup)
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        steps = ["n", *"emi", "down", "enter", "tab", *"cal", *["tab"] * 9, *"Choisi", "ctrl+s"]
        for step in steps:
            app.post_message(key_event(step))
        for _ in range(20):
            await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.query_one(CustomerInput).value == "e"  # the rest waits its turn
        assert app.keys_waiting
        answer.set()
        await until_quiet(pilot)
        assert newest_notes(1)[0][:3] == ("Émile Dubois", "Call", None)


@pytest.mark.parametrize("mode", MODES)
async def test_an_edit_typed_ahead_goes_on_after_the_text(database, world, mode) -> None:
    app = make_app(database, world.ana)
    globex = world.notes["globex"]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.screen.table.highlighted_note_id == globex  # type: ignore[attr-defined]
        steps = ["e", *"sh", "tab", *"on h", *["tab"] * 8, *" Updated.", "ctrl+s"]
        await type_ahead(pilot, steps, mode)
        assert not isinstance(app.screen, NoteEditorScreen)
        facts = note_facts(globex)
        assert facts[1:3] == ("Ship", "On hold")
        assert facts[5] == "Sent the price list. Updated."


@pytest.mark.parametrize("mode", MODES)
async def test_a_customer_typed_ahead(database, world, mode) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        steps = ["f3", "a", *"Zeta Farms", "tab", *"zeta@farms.example", "tab"]
        await type_ahead(pilot, [*steps, *"+1 555 0111", "ctrl+s"], mode)
        zeta = Customer.get(Customer.name == "Zeta Farms")
        assert (zeta.email, zeta.phone) == ("zeta@farms.example", "+1 555 0111")


@pytest.mark.parametrize("mode", MODES)
async def test_a_user_typed_ahead(database, world, mode) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        steps = ["f5", "a", *"carol", "tab", "tab", *"long secret 1", "tab", *"long secret 1"]
        await type_ahead(pilot, [*steps, "ctrl+s"], mode)
        carol = User.get(User.name == "carol")
        assert carol.password_hash


@pytest.mark.parametrize("mode", MODES)
async def test_a_status_and_an_action_typed_ahead(database, world, mode) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        status = ["f4", "1", "a", *"Negotiation", "tab", *"NEG", "ctrl+s"]
        action = ["2", "a", *"Visit", "tab", *"VIS", "ctrl+s"]
        await type_ahead(pilot, [*status, *action], mode)
        settings = load_settings()
        assert [(s.name, s.abbreviation) for s in settings.statuses][-1] == ("Negotiation", "NEG")
        assert [(a.name, a.abbreviation) for a in settings.actions][-1] == ("Visit", "VIS")


@pytest.mark.parametrize("mode", MODES)
async def test_sort_filter_columns_and_search_typed_ahead(database, world, mode) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        settings = app.session.settings
        steps = [
            *["s", "down", "down", "space", "space", "enter"],  # third column, descending
            *["f", "enter", "down", "enter"],  # status: the second one
            *["c", "space", "enter"],  # hide the first column
            *["slash", *"acme", "enter"],
        ]
        await type_ahead(pilot, steps, mode)
        third = sort_columns(settings)[2][0]
        assert screen.note_query.sort == (SortKey(third, True),)
        assert screen.note_query.conditions == (Condition("status", "=", settings.statuses[1].id),)
        assert screen.note_query.search == "acme"
        assert all_columns(settings)[0].id in screen.table.hidden_columns


@pytest.mark.parametrize("mode", MODES)
async def test_a_password_typed_ahead_signs_in_and_the_next_keys_follow(database, mode) -> None:
    admin = create_user(None, "ana", password="correct horse")
    app = make_app(database, admin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.session.signed_in
        steps = [*"wrong", "enter", *"correct horse", "enter", "n", *"Acme Corp"]
        await type_ahead(pilot, steps, mode)
        assert app.session.signed_in
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.query_one("#customer-name").value == "Acme Corp"  # type: ignore[attr-defined]
