"""Hostile stored text is drawn as data: never markup, never raw terminal control.

An existing database holds what the rules now refuse (it was written before them, or by
hand): a customer whose name recolours the terminal, note texts that are markup or that
set the window title and clear the screen, a markup text value, a status, an action, an
option and a variable named with markup, a user named with markup and ESC, and history
lines quoting all of it. Every screen and dialog that shows it opens without a crash,
shows the text literally (``[bold]x[/bold]`` as such, ESC as ``␛``), and no ESC from the
data reaches the rendered screen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui.db.models import Action, Change, Customer, Note, NoteValue, Option, Status, User
from crm_tui.db.models import Variable as VariableRow
from crm_tui.domain import views
from crm_tui.domain.settings import create_variable
from crm_tui.domain.text import fold
from crm_tui.domain.users import get_user
from crm_tui.ui.screens.customer_notes import CustomerNotesScreen
from crm_tui.ui.screens.customers import CustomersScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.screens.settings import SettingsScreen
from crm_tui.ui.screens.settings_history import SettingsHistoryScreen
from crm_tui.ui.screens.users import UsersScreen
from crm_tui.ui.screens.users_history import UsersHistoryScreen
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.customer_list import CustomerList
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import make_app, settle, wait_for

EVIL_CUSTOMER = "Evil\x1b[31mRED\x1b[0m Co"
EVIL_CUSTOMER_SHOWN = "Evil␛[31mRED␛[0m Co"
MARKUP_BODY = "seg [/i]"
CONTROL_BODY = "\x1b]0;TITLE\x07 \x1b[2J"
CONTROL_BODY_SHOWN = "␛]0;TITLE␇ ␛[2J"
MARKUP_VALUE = "[bold]x[/bold]"
VARIABLE = "Var [/i]"
STATUS = "Stat [/i]\x1b[2J"
STATUS_SHOWN = "Stat [/i]␛[2J"
ACTION = "Act [/b]"
OPTION = "Opt [/i]"
USER = "[b]ana\x1b[0m"
USER_SHOWN = "[b]ana␛[0m"
SIZE = (160, 50)


def make_hostile(world: CrmWorld) -> dict[str, int]:
    """Write the hostile data straight into the tables, as an old database holds it."""
    notes = world.notes
    renamed = Customer.update(name=EVIL_CUSTOMER, name_key=fold(EVIL_CUSTOMER))
    renamed.where(Customer.name == "Acme Corp").execute()
    Note.update(body=MARKUP_BODY).where(Note.id == notes["acme1"]).execute()
    Note.update(body=CONTROL_BODY).where(Note.id == notes["acme2"]).execute()
    variable = create_variable(world.ana, name="Remark", type="text")
    VariableRow.update(name=VARIABLE).where(VariableRow.id == variable.id).execute()
    NoteValue.insert(
        note=notes["acme1"], variable=variable.id, value_text=MARKUP_VALUE, value_key="x"
    ).execute()
    Status.update(name=STATUS).where(Status.name == "Prospect").execute()
    Action.update(name=ACTION).where(Action.name == "Call").execute()
    Option.update(name=OPTION).where(Option.name == "PST").execute()
    User.update(name=USER).where(User.id == world.bob.id).execute()
    at = dt.datetime(2026, 11, 28, 12, 0)
    hostile_changes = [
        ("note", notes["acme1"], "body", CONTROL_BODY, MARKUP_BODY),
        ("note", notes["acme1"], VARIABLE, None, MARKUP_VALUE),
        ("status", world.status_id("Client"), "name", None, STATUS),
        ("variable", variable.id, "name", "Remark", VARIABLE),
        ("user", world.bob.id, "name", "bob", USER),
    ]
    for number, (entity, entity_id, field, old, new) in enumerate(hostile_changes):
        Change.insert(
            at=at,
            user=world.bob.id,
            batch=900_000 + number,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=old,
            new=new,
        ).execute()
    return {"variable": variable.id}


@pytest.fixture
def hostile(crm_world: CrmWorld) -> CrmWorld:
    """The fixed world, then made hostile."""
    make_hostile(crm_world)
    return crm_world


def drawn(app: App) -> str:
    """Every line of every screen on the stack, as the terminal would receive its text."""
    lines: list[str] = []
    for screen in app.screen_stack:
        strips = screen._compositor.render_strips()
        lines.extend("".join(segment.text for segment in strip) for strip in strips)
    return "\n".join(lines)


def assert_safe(app: App, *expected: str) -> str:
    """No raw ESC (nor BEL) on screen, and each of ``expected`` drawn literally."""
    screen = drawn(app)
    assert "\x1b" not in screen
    assert "\x07" not in screen
    for text in expected:
        assert text in screen, f"{text!r} is not on the screen"
    return screen


async def open_notes(pilot: Pilot) -> None:
    """The notes list, loaded."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NotesScreen))
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#notes-table").loaded)


@pytest.mark.postgres  # the same stored text read back from either engine
async def test_notes_list_view_and_editor_draw_hostile_text_literally(hostile) -> None:
    # Optional columns show only while the text keeps room: make room for the variables.
    views.set_hidden_columns(hostile.ana, {"created_at", "assignee"})
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        # The variable column is drawn by name, the customer and badges literally.
        assert_safe(app, EVIL_CUSTOMER_SHOWN, "Var [/i]", "Act [/b]", STATUS_SHOWN, "Opt [/i]")
        await pilot.app.push_screen(NoteViewScreen(hostile.notes["acme1"]))
        await wait_for(pilot, lambda: app.screen.note is not None)
        assert_safe(app, MARKUP_BODY, MARKUP_VALUE, VARIABLE, EVIL_CUSTOMER_SHOWN, USER_SHOWN)
        await pilot.press("escape")
        await pilot.app.push_screen(NoteViewScreen(hostile.notes["acme2"]))
        await wait_for(pilot, lambda: app.screen.note is not None)
        assert_safe(app, CONTROL_BODY_SHOWN)
        await pilot.press("e")  # the editor, on the note with controls in its text
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await wait_for(pilot, lambda: app.screen.version is not None)
        editor = app.screen
        assert editor.query_one("#body", TextArea).text == CONTROL_BODY  # kept exactly
        assert editor.query_one("#customer-name", Input).value == EVIL_CUSTOMER
        assert_safe(app, "␛]0;TITLE␇", "Evil␛[31mRED")


async def test_note_form_takes_markup_in_the_customer_field(hostile) -> None:
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await pilot.press(*"Evil [/bold]")
        await settle(pilot)
        await pilot.press("tab")  # leaving the field accepts the name and shows the hint
        await settle(pilot)
        await pilot.press(*"ev")  # suggestions of existing customers, drawn literally
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        form = app.screen
        assert form.query_one("#customer-name", Input).value.startswith("Evil [/bold]")
        assert_safe(app, "Evil [/bold]")


async def test_customers_list_search_and_card(hostile) -> None:
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomersScreen))
        await wait_for(pilot, lambda: app.screen.query_one(CustomerList).loaded)
        assert_safe(app, EVIL_CUSTOMER_SHOWN, STATUS_SHOWN)
        await pilot.press("slash", *"[/x]")
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.query_one(CustomerList).search == "[/x]")
        assert app.screen.query_one("#customers-search", Input).value == "[/x]"
        assert_safe(app, "[/x]")
        await pilot.press(*(["backspace"] * 4), *"evil")
        await wait_for(pilot, lambda: app.screen.query_one(CustomerList).search == "evil")
        customer_list = app.screen.query_one(CustomerList)
        customer_list.focus()
        customer_list.move_cursor(0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerNotesScreen))
        await wait_for(pilot, lambda: app.screen.summary is not None)
        await wait_for(pilot, lambda: app.screen.query_one("#customer-notes").loaded)
        assert_safe(app, EVIL_CUSTOMER_SHOWN, MARKUP_BODY, CONTROL_BODY_SHOWN)
        await pilot.press("e")  # the customer form holds the name exactly, draws it visibly
        await settle(pilot)
        assert app.screen.query_one("#customer-form-name", Input).value == EVIL_CUSTOMER
        assert_safe(app, EVIL_CUSTOMER_SHOWN)


async def test_filter_sort_columns_and_views_dialogs(hostile) -> None:
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("f")  # the filter dialog lists the variable "Var [/i]"
        await settle(pilot)
        assert_safe(app, VARIABLE)
        columns = app.screen.query_one("#filter-columns")
        index = next(
            i
            for i in range(columns.option_count)
            if columns.get_option_at_index(i).id == f"var:{_variable_id(hostile)}"
        )
        columns.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert_safe(app, "Var [/i] is…")
        await pilot.press(*"[/x]", "enter")  # a typed value: kept literally as a condition
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert_safe(app, "Var [/i] = [/x]")
        await pilot.press("f")
        await settle(pilot)
        status = next(
            i
            for i in range(app.screen.query_one("#filter-columns").option_count)
            if app.screen.query_one("#filter-columns").get_option_at_index(i).id == "status"
        )
        app.screen.query_one("#filter-columns").highlighted = status
        await pilot.press("enter")
        await settle(pilot)
        assert_safe(app, STATUS_SHOWN)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("s")  # sort dialog
        await settle(pilot)
        assert_safe(app, VARIABLE)
        await pilot.press("escape", "c")  # columns dialog
        await settle(pilot)
        assert_safe(app, VARIABLE)
        await pilot.press("escape", "v")  # save view: the summary quotes the condition
        await settle(pilot)
        assert_safe(app, "Var [/i] = [/x]")
        await pilot.press(*"[b]mine", "enter")
        await settle(pilot)
        await pilot.press("o")  # saved views list the name literally
        await settle(pilot)
        assert_safe(app, "[b]mine")
        await pilot.press("d")  # "Delete your view '[b]mine'?"
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert_safe(app, "[b]mine")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+p")  # the palette: "View: [b]mine"
        await settle(pilot)
        await pilot.press(*"View")
        await settle(pilot)
        assert_safe(app, "View: [b]mine")


def _variable_id(world: CrmWorld) -> int:
    return VariableRow.get(VariableRow.name == VARIABLE).id


async def test_bulk_dialog_and_delete_question(hostile) -> None:
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("space", "b")  # mark one note, open the bulk dialog
        await settle(pilot)
        assert_safe(app, VARIABLE)
        fields = app.screen.query_one("#bulk-fields")
        fields.highlighted = next(
            i for i in range(fields.option_count) if fields.get_option_at_index(i).id == "status"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert_safe(app, STATUS_SHOWN)
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one("#notes-table")
        index = next(
            i
            for i in range(table.count or 0)
            if table.row_at(i) and table.row_at(i).id == hostile.notes["acme2"]
        )
        table.move_cursor(index)
        await pilot.press("d")  # the question quotes the customer and the text
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert_safe(app, EVIL_CUSTOMER_SHOWN, "␛]0;TITLE")


async def test_settings_tabs_forms_and_history(hostile) -> None:
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert_safe(app, STATUS_SHOWN)
        await pilot.press("e")  # the highlighted status's form: title and preview
        await settle(pilot)
        assert_safe(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert_safe(app, ACTION)
        await pilot.press("3")
        await settle(pilot)
        variables = app.screen.query_one("#list-variable")
        variables.highlighted = next(
            i
            for i in range(variables.option_count)
            if variables.get_option_at_index(i).id == str(_variable_id(hostile))
        )
        await settle(pilot)
        assert_safe(app, VARIABLE)
        zone = next(v for v in hostile.settings.variables if v.name == "Time zone")
        variables.highlighted = next(
            i
            for i in range(variables.option_count)
            if variables.get_option_at_index(i).id == str(zone.id)
        )
        await settle(pilot)
        assert_safe(app, OPTION)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsHistoryScreen))
        await settle(pilot)
        assert_safe(app, USER_SHOWN, "Stat [/i]", VARIABLE)  # quoted with !r: \\x1b


async def test_users_screen_history_and_header(hostile) -> None:
    app = make_app(hostile.database, hostile.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
        await settle(pilot)
        assert_safe(app, USER_SHOWN)
        await pilot.press("down", "e")  # bob's form: the title quotes the name
        await settle(pilot)
        assert app.screen.query_one("#user-name", Input).value == USER
        assert_safe(app, USER_SHOWN)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersHistoryScreen))
        await settle(pilot)
        assert_safe(app, USER_SHOWN)


async def test_signed_in_as_the_hostile_user(hostile) -> None:
    user = get_user(hostile.bob.id)  # named "[b]ana␛[0m" now
    app = make_app(hostile.database, user)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        assert_safe(app, USER_SHOWN)  # the header names the user
        app.notify(f"Hello {USER} {MARKUP_BODY}", title=USER)  # notifications are literal
        await settle(pilot)
        (notification,) = list(app._notifications)
        assert notification.markup is False  # the toast draws it as plain content
        assert notification.message == f"Hello {USER_SHOWN} {MARKUP_BODY}"
        assert notification.title == USER_SHOWN


async def test_markup_typed_or_named_without_controls_never_crashes(crm_world) -> None:
    """Markup alone (no control character, so still accepted by the rules): ``[/x]`` typed
    in the customers search, a variable named ``Var [/i]`` in the filter dialog."""
    create_variable(crm_world.ana, name=VARIABLE, type="text")
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert_safe(app, VARIABLE)
        await pilot.press("escape", "f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomersScreen))
        await pilot.press("slash", *"[/x]")
        await wait_for(pilot, lambda: app.screen.query_one(CustomerList).search == "[/x]")
        assert app.screen.query_one("#customers-search", Input).value == "[/x]"
        assert_safe(app, "No customer matches '[/x]'.", "0 customers match '[/x]'")
