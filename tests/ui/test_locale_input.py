"""Issue 13: a note typed the French way in the real note form, read back in machine forms
(the domain, ``export notes``); a refused value stays in its field; amounts drawn with the
database's currency, chosen in the Currency… dialog."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from textual.widgets import Input

from crm_tui.db.models import Customer, Note
from crm_tui.domain.app_settings import currency_setting
from crm_tui.domain.exchange.export import export_notes
from crm_tui.domain.locale_values import date_forms, use_currency
from crm_tui.domain.notes import NoteInput, get_note, update_note
from crm_tui.domain.query import Condition, NoteQuery, SortKey, variable_column
from crm_tui.domain.settings import load_settings
from crm_tui.i18n import _, set_language
from crm_tui.ui.screens.bulk_dialog import BulkEditDialog
from crm_tui.ui.screens.currency_dialog import CurrencyDialog
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.screens.note_view import NoteViewScreen
from crm_tui.ui.screens.notes_filter import filter_columns
from crm_tui.ui.widgets.filter_bar import FilterChip
from tests.ui.conftest import CrmWorld
from tests.ui.editor_fixtures import World, build_world
from tests.ui.pilot import SIZE, TODAY, make_app, screen_text, settle, wait_for


@pytest.fixture
def world(database) -> World:
    """The fixed data set (built in English)."""
    return build_world(database)


@pytest.fixture
def french() -> Iterator[None]:
    """The app speaks French (France) for the test; English again afterwards."""
    set_language("fr", "FR")
    yield
    set_language("en", "US")
    use_currency(None)


@pytest.fixture
def english_again() -> Iterator[None]:
    """The currency in force goes back to the locale's after the test."""
    yield
    use_currency(None)


async def tab_to(pilot, row_id: str) -> None:
    """Press tab until the focus is in the form row ``row_id``."""
    for _step in range(20):
        focused = pilot.app.focused
        if focused is not None and any(a.id == row_id for a in focused.ancestors_with_self):
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {row_id}")


async def open_new_editor(pilot) -> NoteEditorScreen:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NoteEditorScreen)
    return screen


def values_of(note_id: int) -> dict[str, str]:
    settings = load_settings()
    note = get_note(note_id, settings)
    return {settings.variable(vid).name: value.text for vid, value in note.values.items()}


async def test_a_whole_note_typed_the_french_way_reads_back_in_machine_forms(
    database, world, french
) -> None:
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_editor(pilot)
        await pilot.press(*"Initech")
        await tab_to(pilot, "row-follow-up")
        await pilot.press(*"demain")
        await settle(pilot)
        assert "→ 30/11/2026" in screen_text(app)  # today is Sunday 29 November 2026
        await tab_to(pilot, "var-2")  # Close date
        await pilot.press(*"15/01/2027")
        await tab_to(pilot, "var-3")  # Deal value
        await pilot.press(*"1 234,50 €")
        await tab_to(pilot, "var-4")  # Employees
        await pilot.press(*"1 200,5")
        await tab_to(pilot, "var-5")  # Segment
        await pilot.press(*"Retail")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditorScreen), screen_text(app)
        assert "30/11/2026" in screen_text(app)  # the list's follow-up, in French

        note = Note.select().join(Customer).where(Customer.name == "Initech").get()
        assert get_note(note.id).follow_up == TODAY + dt.timedelta(days=1)
        assert values_of(note.id) == {
            "Close date": "2027-01-15",
            "Deal value": "1234.50",
            "Employees": "1200.5",
            "Segment": "Retail",
        }
        stream = io.StringIO()
        export_notes(stream, load_settings(), NoteQuery(), today=TODAY)
        exported = {row["customer"]: row for row in csv.DictReader(io.StringIO(stream.getvalue()))}
        initech = exported["Initech"]
        assert initech["follow_up"] == "2026-11-30"
        assert initech["Close date"] == "2027-01-15"
        assert initech["Deal value"] == "1234.50"
        assert initech["Employees"] == "1200.5"


async def test_a_refused_french_value_stays_typed_and_nothing_is_saved(
    database, world, french
) -> None:
    app = make_app(database, world.ana)
    before = Note.select().count()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new_editor(pilot)
        await pilot.press(*"Globex", "enter")
        await tab_to(pilot, "var-2")  # Close date
        await pilot.press(*"32/13/2027")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refusal = _("{value!r} is not a date: {forms}").format(
            value="32/13/2027", forms=date_forms()
        )
        assert "15/01/2027, 2027-01-15, aujourd'hui, demain, lundi, +3j…" in refusal
        assert refusal in screen_text(app)
        assert editor.query_one("#var-2 Input", Input).value == "32/13/2027"
        assert isinstance(app.screen, NoteEditorScreen)
        assert Note.select().count() == before


async def test_a_note_edited_in_french_shows_french_values_and_keeps_them(
    database, world, french
) -> None:
    note_id = world.notes["acme-old"]  # Deal value 1000.00
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteEditorScreen(note_id))
        await settle(pilot)
        editor = app.screen
        assert editor.query_one("#var-3 Input", Input).value == "1000,00"
        await tab_to(pilot, "var-4")  # Employees
        await pilot.press(*"12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not editor
        assert values_of(note_id)["Deal value"] == "1000.00"
        assert values_of(note_id)["Employees"] == "12"


async def test_an_admin_chooses_the_currency_and_amounts_follow(
    database, world, english_again
) -> None:
    deal = next(v.id for v in load_settings().variables if v.name == "Deal value")
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.note_query = NoteQuery(sort=(SortKey(variable_column(deal), True),))  # type: ignore[attr-defined]
        await settle(pilot)
        assert "$1,000.00" in screen_text(app)  # not set: en_US's dollars
        app.action_choose_currency()
        await settle(pilot)
        assert isinstance(app.screen, CurrencyDialog)
        await pilot.press(*"xyz", "enter")
        await settle(pilot)
        assert "'xyz' is not a currency code" in screen_text(app)
        assert currency_setting() is None
        await pilot.press("ctrl+u", *"eur", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CurrencyDialog)
        assert currency_setting() == "EUR"
        assert "€1,000.00" in screen_text(app)
        assert "$1,000.00" not in screen_text(app)


async def test_a_rep_cannot_open_the_currency_dialog(database, world, english_again) -> None:
    app = make_app(database, world.bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_choose_currency()
        await settle(pilot)
        assert not isinstance(app.screen, CurrencyDialog)


async def test_filter_values_typed_the_french_way(database, world, french) -> None:
    settings = load_settings()
    deal = variable_column(next(v.id for v in settings.variables if v.name == "Deal value"))
    close = variable_column(next(v.id for v in settings.variables if v.name == "Close date"))
    columns = [column for column, _label, _kind in filter_columns(settings)]
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", *["down"] * columns.index(deal), "enter", *">= 1 000,00 €", "enter")
        await settle(pilot)
        await pilot.press("f", *["down"] * columns.index(close), "enter", *"<15/02/2027", "enter")
        await settle(pilot)
        assert app.screen.note_query.conditions == (  # type: ignore[attr-defined]
            Condition(deal, ">=", 100000),
            Condition(close, "<", dt.date(2027, 2, 15)),
        )
        chips = " ".join(str(chip.render()) for chip in app.screen.query(FilterChip))
        assert "1\u202f000,00\u00a0€" in chips and "15/02/2027" in chips
        # A wrong value is refused in the dialog with the forms the user types.
        await pilot.press("f", *["down"] * columns.index(deal), "enter", *">=12.345", "enter")
        await settle(pilot)
        error = str(app.screen.query_one("#filter-error").render())
        assert "1\u202f234,50; 1234,50" in error


async def test_the_note_view_draws_values_and_their_history_in_french(
    database, world, french
) -> None:
    note_id = world.notes["acme-old"]  # Deal value 1000.00
    update_note(
        world.ana,
        note_id,
        NoteInput("Acme Corp", follow_up="2027-01-15", values={"Deal value": "2500.50"}),
        expected_version=1,
    )
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(NoteViewScreen(note_id))
        await settle(pilot)
        text = screen_text(app)
        assert "2\u202f500,50\u00a0€" in text  # the value
        assert "1\u202f000,00\u00a0€ → 2\u202f500,50\u00a0€" in text  # its history
        assert "15/01/2027" in text
        assert "1000.00" not in text and "2027-01-15" not in text


async def test_a_bulk_edit_takes_a_french_date(crm_world: CrmWorld, french) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    hooli, acme3 = crm_world.notes["hooli"], crm_world.notes["acme3"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkEditDialog))
        await pilot.press("down", "down", "down", "enter")  # Follow-up
        await settle(pilot)
        await pilot.press(*"15/01/2027", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, BulkEditDialog))
        assert get_note(hooli).follow_up == get_note(acme3).follow_up == dt.date(2027, 1, 15)
