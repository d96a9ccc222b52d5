"""The customers screen: list, search, add and edit; a customer's notes and current status."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input

from crm_tui.db.models import Customer
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.ui.screens.customer_notes import CustomerNotesScreen
from crm_tui.ui.screens.customers import CustomerFormScreen, CustomersScreen, check_contact
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.widgets.customer_list import CustomerList
from crm_tui.ui.widgets.pickers import BadgePicker, CustomerInput
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, make_app, screen_text, settle


@pytest.fixture
def world(database) -> World:
    """The fixed data set."""
    return build_world(database)


async def open_customers(pilot) -> CustomersScreen:
    """F3: the customers screen."""
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CustomersScreen)
    return pilot.app.screen


def listed(app) -> list[str]:
    """Names of the customers the list holds, in order."""
    customers = app.screen.query_one(CustomerList)
    return [customers.row_at(i).name for i in range(customers.count or 0)]


def test_contact_checks_name_the_field() -> None:
    from crm_tui.domain.errors import ValidationError

    check_contact("a@b.example", "+1 (555) 010-0")
    with pytest.raises(ValidationError) as refused:
        check_contact("nope", "")
    assert refused.value.field == "e-mail"
    with pytest.raises(ValidationError) as refused:
        check_contact("", "call me")
    assert refused.value.field == "phone"


async def test_list_shows_customers_by_name_with_counts_and_status(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        assert listed(app) == ["Acme Corp", "Émile Dubois", "Globex"]
        text = screen_text(app)
        assert "3 customers" in text
        lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
        assert "Awaiting approval" in lines["Acme"]  # status of its latest note
        assert " 2 " in lines["Acme"]
        assert "Client" in lines["Globex"]
        assert "buy@acme.example" in lines["Acme"]


async def test_search_as_you_type(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await pilot.press("slash", *"emi")
        await settle(pilot)
        assert listed(app) == ["Émile Dubois"]
        assert "1 customer matches 'emi'" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", *"0199")
        await settle(pilot)
        assert listed(app) == ["Globex"]  # digits also search the phone
        await pilot.press("ctrl+u", *"zzz")
        await settle(pilot)
        assert "No customer matches 'zzz'" in screen_text(app)
        await pilot.press("escape", "escape")  # leave the search line, then clear it
        await settle(pilot)
        assert listed(app) == ["Acme Corp", "Émile Dubois", "Globex"]


async def test_add_a_customer_with_validation(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        await pilot.press(*"acme corp", "tab", *"sales", "enter")
        await settle(pilot)
        assert "'sales' is not an e-mail address" in screen_text(app)
        await pilot.press("ctrl+u", *"sales@initech.example", "enter")
        await settle(pilot)
        assert "a customer named 'acme corp' exists already" in screen_text(app)
        form = app.screen
        assert form.query_one("#customer-form-email", Input).value == "sales@initech.example"
        await pilot.press("ctrl+u", *"Initech", "tab", "tab", *"+1 555 0142", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        saved = Customer.get(Customer.name == "Initech")
        assert (saved.email, saved.phone) == ("sales@initech.example", "+1 555 0142")
        customers = app.screen.query_one(CustomerList)
        assert customers.highlighted.name == "Initech"


async def test_edit_a_customer(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await pilot.press("end", "e")  # Globex, the last one
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.query_one("#customer-form-name", Input).value == "Globex"
        await pilot.press("ctrl+u", *"Globex Corporation", "tab", "tab", "ctrl+u")
        await pilot.press(*"+1 555 0200", "ctrl+s")
        await settle(pilot)
        saved = Customer.get_by_id(world.customers["Globex"])
        assert (saved.name, saved.phone) == ("Globex Corporation", "+1 555 0200")
        assert "Globex Corporation" in listed(app)


async def test_escape_on_a_changed_customer_form_asks_first(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await pilot.press("a", *"Hooli", "escape")
        await settle(pilot)
        assert "Leave without saving this customer?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.get_or_none(Customer.name == "Hooli") is None


async def test_a_customer_notes_and_current_status(database, world) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await pilot.press("enter")  # Acme Corp
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerNotesScreen)
        text = screen_text(app)
        assert "buy@acme.example" in text
        assert "Current status:  Awaiting approval" in text
        assert "2 notes" in text
        assert "Send sample" in text and "Call" in text
        assert "Sent the price list" not in text  # a Globex note
        await pilot.press("enter")  # its newest note
        await settle(pilot)
        assert isinstance(app.screen, NoteViewScreen)
        assert app.screen.note_id == world.notes["acme-new"]
        await pilot.press("escape")
        await settle(pilot)
        # A new note for this customer, with its latest values copied.
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.query_one(CustomerInput).value == "Acme Corp"
        assert editor.query_one("#var-5 Input", Input).value == "Wholesale"
        assert app.focused is editor.query_one("#action", BadgePicker)
        await pilot.press("tab", *"client", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert "Current status:  Client" in text
        assert "3 notes" in text


async def test_current_status_is_the_latest_note_with_a_status(database, world) -> None:
    create_note(
        world.ana,
        NoteInput("Globex", status="On hold", body="paused"),
        created_at=dt.datetime(2026, 11, 25, 9, 0),
    )
    create_note(
        world.ana,
        NoteInput("Globex", body="a note without status"),
        created_at=dt.datetime(2026, 11, 26, 9, 0),
    )
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        line = next(li for li in screen_text(app).splitlines() if "Globex" in li)
        assert "On hold" in line
        assert " 3 " in line


async def test_a_long_list_is_paged_in_blocks(database, world) -> None:
    from crm_tui.domain.customer_queries import BLOCK
    from crm_tui.domain.customers import get_or_create_customers

    get_or_create_customers(f"Zulu {n:04d}" for n in range(3 * BLOCK))
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        customers = app.screen.query_one(CustomerList)
        assert customers.count == 3 + 3 * BLOCK
        await pilot.press("end")
        await settle(pilot)
        assert customers.highlighted.name == f"Zulu {3 * BLOCK - 1:04d}"
        assert f"Zulu {3 * BLOCK - 1:04d}" in screen_text(app)
        await pilot.press("home", "pagedown")
        await settle(pilot)
        assert customers.cursor_row == customers.size.height - 1  # a screenful below the header
        assert customers.highlighted is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerNotesScreen)
        assert app.screen.customer_id == customers.highlighted.id
