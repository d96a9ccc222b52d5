"""The note editor, driven by keys in the real app: create, validate, leave, edit, conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, TextArea

from crm_tui.db.models import Customer, Note, NoteValue
from crm_tui.domain.notes import NoteInput, get_note, update_note
from crm_tui.domain.settings import load_settings
from crm_tui.ui.screens.conflict import ConflictScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.pickers import BadgePicker, CustomerInput, PickerItem, match_item
from crm_tui.ui.widgets.value_inputs import FieldRow
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, TODAY, make_app, screen_text, settle


@pytest.fixture
def world(database) -> World:
    """The fixed data set."""
    return build_world(database)


async def tab_to(pilot, row_id: str) -> None:
    """Press tab until the focus is in the form row ``row_id``."""
    for _ in range(20):
        focused = pilot.app.focused
        if focused is not None and any(a.id == row_id for a in focused.ancestors_with_self):
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {row_id}")


async def open_new_editor(pilot) -> NoteEditorScreen:
    """From the notes screen, ``n`` opens a new note."""
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NoteEditorScreen)
    return screen


def values_of(note_id: int) -> dict[str, str]:
    """The text of each value of a note, by variable name."""
    settings = load_settings()
    note = get_note(note_id, settings)
    return {settings.variable(vid).name: value.text for vid, value in note.values.items()}


def test_match_item_prefers_abbreviation_then_name_start() -> None:
    items = [
        PickerItem(1, "Prospect", "PRO"),
        PickerItem(2, "Client", "CLT"),
        PickerItem(3, "No answer", "NA"),
        PickerItem(4, "Inactive", "INA"),
    ]
    assert match_item(items, "c").id == 2
    assert match_item(items, "na").id == 3
    assert match_item(items, "in").id == 4
    assert match_item(items, "ans").id == 3  # start of a word
    assert match_item(items, "zz") is None


async def test_new_note_with_a_value_of_each_type_entirely_by_keys(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_editor(pilot)
        await pilot.press(*"Initech")
        await settle(pilot)
        assert "New customer 'Initech'" in screen_text(app)
        await pilot.press("tab", *"call", "tab", *"pro", "tab", *"bob", "tab", *"+3d")
        await settle(pilot)
        assert "→ 2026-12-02" in screen_text(app)
        await pilot.press("tab", "e")  # Time zone: EST by its abbreviation
        await pilot.press("tab", *"2027-02-01", "tab", *"1234.5", "tab", *"42")
        await pilot.press("tab", *"Retail", "tab", *"Met at the fair", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditorScreen)
        note = Note.select().join(Customer).where(Customer.name == "Initech").get()
        detail = get_note(note.id)
        settings = load_settings()
        assert settings.action(detail.action_id).name == "Call"
        assert settings.status(detail.status_id).name == "Prospect"
        assert detail.assignee == "bob"
        assert detail.author == "ana"
        assert detail.follow_up == TODAY + dt.timedelta(days=3)
        assert detail.body == "Met at the fair"
        assert values_of(note.id) == {
            "Time zone": "EST",
            "Close date": "2027-02-01",
            "Deal value": "1234.50",
            "Employees": "42",
            "Segment": "Retail",
        }
        row = NoteValue.get((NoteValue.note == note.id) & (NoteValue.value_cents.is_null(False)))
        assert row.value_cents == 123450


async def test_new_note_defaults_to_me_as_assignee(database, world) -> None:
    app = make_app(database, world.bob)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new_editor(pilot)
        assert editor.query_one("#assignee", BadgePicker).text == "bob"
        await pilot.press(*"Globex", "enter", "ctrl+s")
        await settle(pilot)
        newest = Note.select().order_by(Note.id.desc()).get()
        assert newest.assignee_id == world.bob.id
        assert newest.author_id == world.bob.id


async def test_bad_values_are_explained_kept_and_not_saved_until_fixed(database, world) -> None:
    app = make_app(database, world.ana)
    before = Note.select().count()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new_editor(pilot)
        await pilot.press(*"Globex", "enter")
        await tab_to(pilot, "var-2")  # Close date
        await pilot.press(*"2026-02-30")
        await tab_to(pilot, "var-3")  # Deal value
        await pilot.press(*"12.345")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "'2026-02-30' is not a real date" in text
        assert "'12.345' has more than 2 decimals" in text
        assert "Not saved" in text
        assert editor.query_one("#var-2 Input", Input).value == "2026-02-30"
        assert editor.query_one("#var-3 Input", Input).value == "12.345"
        assert editor.query_one(CustomerInput).value == "Globex"
        assert Note.select().count() == before
        assert isinstance(app.screen, NoteEditorScreen)
        # The focus went to the first bad field: fix it, then the other one.
        assert app.focused is editor.query_one("#var-2 Input")
        await pilot.press("end", "backspace", "backspace", "2", "8")
        await tab_to(pilot, "var-3")
        await pilot.press("end", "backspace")
        await settle(pilot)
        assert "is not a real date" not in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Note.select().count() == before + 1
        newest = Note.select().order_by(Note.id.desc()).get()
        assert values_of(newest.id) == {"Close date": "2026-02-28", "Deal value": "12.34"}


async def test_domain_refusal_is_shown_under_its_field(database, world) -> None:
    app = make_app(database, world.ana)
    before = Note.select().count()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new_editor(pilot)
        await tab_to(pilot, "row-body")
        await pilot.press(*"no customer", "ctrl+s")
        await settle(pilot)
        assert "a customer name is required" in screen_text(app)
        assert editor.query_one("#row-customer", FieldRow).has_class("-invalid")
        assert editor.query_one("#body", TextArea).text == "no customer"
        assert Note.select().count() == before
        await tab_to(pilot, "row-customer")
        await pilot.press(*"Globex", "ctrl+s")
        await settle(pilot)
        assert Note.select().count() == before + 1


async def test_editing_a_deleted_note_says_so(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteEditorScreen(12345))
        await settle(pilot)
        assert "note #12345 does not exist" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditorScreen)


async def test_escape_asks_first_when_something_changed(database, world) -> None:
    app = make_app(database, world.ana)
    before = Note.select().count()
    async with app.run_test(size=SIZE) as pilot:
        await open_new_editor(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await settle(pilot)
        assert not isinstance(app.screen, (NoteEditorScreen, ConfirmScreen))
        editor = await open_new_editor(pilot)
        await pilot.press(*"Acme")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Leave without saving" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one(CustomerInput).value == "Acme"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (NoteEditorScreen, ConfirmScreen))
        assert Note.select().count() == before


async def test_new_note_copies_the_customer_latest_values(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new_editor(pilot)
        await pilot.press(*"acm")
        await settle(pilot)
        assert "Acme Corp" in screen_text(app)  # suggested
        await pilot.press("down", "enter")
        await settle(pilot)
        assert editor.query_one(CustomerInput).value == "Acme Corp"
        assert editor.query_one("#var-2 Input", Input).value == "2027-01-15"
        assert editor.query_one("#var-3 Input", Input).value == "2500.50"
        assert editor.query_one("#var-1 BadgePicker", BadgePicker).text == "PST"
        # Another customer: the copied values go, the typed ones stay.
        await tab_to(pilot, "var-4")
        await pilot.press("ctrl+u", *"7")
        await tab_to(pilot, "row-customer")
        await pilot.press("ctrl+u", *"Globex", "enter")
        await settle(pilot)
        assert editor.query_one("#var-2 Input", Input).value == ""
        assert editor.query_one("#var-4 Input", Input).value == "7"
        await pilot.press("ctrl+u", *"Acme Corp", "enter", "ctrl+s")
        await settle(pilot)
        newest = Note.select().order_by(Note.id.desc()).get()
        assert values_of(newest.id) == {
            "Time zone": "PST",
            "Close date": "2027-01-15",
            "Deal value": "2500.50",
            "Employees": "7",
            "Segment": "Wholesale",
        }


async def test_edit_a_note(database, world) -> None:
    note_id = world.notes["acme-new"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteEditorScreen(note_id))
        await settle(pilot)
        editor = app.screen
        assert editor.query_one(CustomerInput).value == "Acme Corp"
        assert editor.query_one("#status", BadgePicker).text == "Awaiting approval"
        assert editor.query_one("#body", TextArea).text.startswith("Samples sent")
        await tab_to(pilot, "row-status")
        await pilot.press(*"clt")
        await tab_to(pilot, "var-3")
        await pilot.press("ctrl+u", *"3000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not editor
        detail = get_note(note_id)
        assert load_settings().status(detail.status_id).name == "Client"
        assert detail.version == 2
        assert values_of(note_id)["Deal value"] == "3000.00"
        assert values_of(note_id)["Time zone"] == "PST"


async def test_a_note_changed_meanwhile_is_not_overwritten(database, world) -> None:
    note_id = world.notes["globex"]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteEditorScreen(note_id))
        await settle(pilot)
        editor = app.screen
        update_note(world.bob, note_id, NoteInput("Globex", body="bob was here"))
        await tab_to(pilot, "row-body")
        await pilot.press("end", *" and more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)  # both versions shown (test_conflict.py)
        assert editor.query_one("#body", TextArea).text.endswith("and more")
        assert get_note(note_id).body == "bob was here"


def test_every_binding_has_an_id_and_a_label() -> None:
    from crm_tui.ui.screens.customer_notes import CustomerNotesScreen
    from crm_tui.ui.screens.customers import CustomerFormScreen, CustomersScreen
    from crm_tui.ui.screens.note_view import NoteViewScreen
    from crm_tui.ui.widgets.customer_list import CustomerList

    owners = (
        NoteEditorScreen,
        NoteViewScreen,
        CustomersScreen,
        CustomerFormScreen,
        CustomerNotesScreen,
        CustomerList,
        BadgePicker,
        CustomerInput,
    )
    for owner in owners:
        for binding in owner.BINDINGS:
            assert binding.id and binding.description, (owner.__name__, binding.key)


async def test_the_editor_actions_are_in_the_palette(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new_editor(pilot)
        titles = [command.title for command in app.get_system_commands(editor)]
        assert "Save note" in titles and "Leave editor" in titles
