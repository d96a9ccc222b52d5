"""The notes screen driven by keys: order, sort, filter, search, columns, views, delete."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from crm_tui.db.models import Note
from crm_tui.domain import views
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.query import (
    Condition,
    NotePager,
    NoteQuery,
    SortKey,
    sort_columns,
    variable_column,
)
from crm_tui.domain.settings import (
    create_variable,
    delete_variable,
    load_settings,
    update_badge,
)
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.screens.notes_filter import filter_columns
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.filter_bar import FilterChip
from crm_tui.ui.widgets.note_list import NoteTable
from crm_tui.ui.widgets.query_dialogs import ColumnsDialog, SortDialog
from tests.ui.conftest import CrmWorld, header_text, shown_ids, shown_lines
from tests.ui.pilot import SIZE, TODAY, make_app, settle, wait_for


def expected_ids(world: CrmWorld, query: NoteQuery, limit: int = 100) -> list[int]:
    """The domain's answer for ``query``."""
    return [row.id for row in NotePager(query, load_settings(), TODAY).page(None, limit).rows]


def notes_screen(app) -> NotesScreen:
    screen = app.screen
    assert isinstance(screen, NotesScreen)
    return screen


async def test_list_shows_the_notes_in_the_domains_order(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown_ids(app) == expected_ids(crm_world, NoteQuery())
        header = header_text(app)
        # At 120 columns the text takes the room Assignee and the variables would need.
        for label in ("Created", "Customer", "Action", "Status", "Follow-up", "Text"):
            assert label in header
        lines = shown_lines(app)
        assert len(lines) == 12
        assert lines[0].startswith(" 2026-11-01 20:00 Hooli")
        assert "Send sample" in lines[0] and "Prospect" in lines[0]
        assert "Sample of the blue widget" in lines[0]
        assert "12 notes" in str(app.screen.query_one("#notes-count").render())
        table = app.screen.query_one(NoteTable)
        assert app.focused is table
        assert table.highlighted_note_id == crm_world.notes["hooli"]


async def test_cursor_keys_move_the_highlight(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(NoteTable)
        await pilot.press("down", "down")
        assert table.highlighted_note_id == crm_world.notes["zeta"]
        await pilot.press("end")
        await settle(pilot)
        assert table.highlighted_note_id == crm_world.notes["acme1"]
        await pilot.press("up")
        assert table.highlighted_note_id == crm_world.notes["acme2"]
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row == 11


async def test_sort_by_a_dropdown_then_a_date_descending(crm_world: CrmWorld) -> None:
    zone = variable_column(crm_world.variable_id("Time zone"))
    close = variable_column(crm_world.variable_id("Estimated close date"))
    columns = [column for column, _label in sort_columns(crm_world.settings)]
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SortDialog)
        await pilot.press(*["down"] * columns.index(zone), "space")
        steps = columns.index(close) - columns.index(zone)
        await pilot.press(
            *["down"] * steps, "minus", "enter"
        )  # was "d": letters now type-to-select
        await settle(pilot)
        query = NoteQuery(sort=(SortKey(zone), SortKey(close, descending=True)))
        assert notes_screen(app).note_query == query
        assert shown_ids(app) == expected_ids(crm_world, query)
        header = header_text(app)
        assert "Time zone ▲1" in header
        assert "Estimated… ▼2" in header  # the sorted columns come right after Customer
        # EST (the first option in the configured order) first, then CST, MST, PST, then
        # no time zone; within each, the latest close date first, blanks last; ties newest
        # first.
        order = "hooli acme2 eric umbrella dubois emilie zeta globex acme1 emile acme3 initech"
        assert shown_ids(app) == [crm_world.notes[label] for label in order.split()]
        chips = [str(chip.render()) for chip in app.screen.query(FilterChip)]
        assert chips == ["Sort: Time zone ▲, Estimated close date ▼ ✕"]


async def test_filter_on_a_status(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", "enter")  # Status
        await pilot.press("enter")  # its first choice: Prospect
        await settle(pilot)
        prospect = crm_world.status_id("Prospect")
        query = NoteQuery(conditions=(Condition("status", "=", prospect),))
        assert notes_screen(app).note_query == query
        notes = crm_world.notes
        assert shown_ids(app) == [notes["hooli"], notes["initech"], notes["acme1"]]
        assert shown_ids(app) == expected_ids(crm_world, query)
        assert all("Prospect" in line for line in shown_lines(app))
        chip = app.screen.query_one(FilterChip)
        assert str(chip.render()).startswith("Status =  Prospect")
        assert "3 notes" in str(app.screen.query_one("#notes-count").render())
        # The chip is removable from the keyboard.
        chip.focus()
        await pilot.press("delete")
        await settle(pilot)
        assert notes_screen(app).note_query == NoteQuery()
        assert len(shown_ids(app)) == 12


async def test_filter_not_a_status_and_a_typed_range(crm_world: CrmWorld) -> None:
    deal = variable_column(crm_world.variable_id("Deal value"))
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        columns = [column for column, _label, _kind in filter_columns(crm_world.settings)]
        await pilot.press("f", *["down"] * columns.index(deal), "enter")
        await pilot.press(*">=1000", "enter")
        await settle(pilot)
        query = NoteQuery(conditions=(Condition(deal, ">=", 100000),))
        assert notes_screen(app).note_query == query
        notes = crm_world.notes
        assert set(shown_ids(app)) == {notes["acme1"], notes["eric"], notes["umbrella"]}
        assert "Deal value ≥ $1,000.00" in str(app.screen.query_one(FilterChip).render())
        # A bad value is refused in the dialog, naming the problem.
        await pilot.press("f", *["down"] * columns.index(deal), "enter", *">=abc", "enter")
        assert "not an amount" in str(app.screen.query_one("#filter-error").render())
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert notes_screen(app).note_query == query


async def test_overdue_filter(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", "down", "down", "down", "down", "enter")
        await settle(pilot)
        notes = crm_world.notes
        overdue = {notes[k] for k in ("acme1", "emile", "initech", "hooli")}
        assert set(shown_ids(app)) == overdue


async def test_search_a_word_then_escape_clears_it(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#notes-search", Input)
        assert app.focused is search
        await pilot.press(*"sample", "enter")
        await settle(pilot)
        notes = crm_world.notes
        assert shown_ids(app) == [notes["hooli"], notes["dubois"]]
        assert shown_ids(app) == expected_ids(crm_world, NoteQuery(search="sample"))
        assert isinstance(app.focused, NoteTable)
        await pilot.press("escape")
        await settle(pilot)
        assert search.value == ""
        assert notes_screen(app).note_query == NoteQuery()
        assert len(shown_ids(app)) == 12


async def test_search_runs_while_typing(crm_world: CrmWorld, monkeypatch) -> None:
    monkeypatch.setattr("crm_tui.ui.screens.notes.SEARCH_DELAY", 0.001)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zola")
        assert app.focused is app.screen.query_one("#notes-search")  # no enter pressed
        await wait_for(pilot, lambda: notes_screen(app).note_query.search == "zola")
        assert shown_ids(app) == [crm_world.notes["emile"]]
        await pilot.press("escape")
        await settle(pilot)
        assert len(shown_ids(app)) == 12


async def test_hidden_column_stays_hidden_after_a_restart(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Created" in header_text(app)
        await pilot.press("c")
        assert isinstance(app.screen, ColumnsDialog)
        await pilot.press("space", "enter")  # the first column: Created
        await settle(pilot)
        assert "Created" not in header_text(app)
        assert shown_lines(app)[0].startswith(" Hooli")
    assert views.hidden_columns(crm_world.ana) == {"created_at"}
    again = make_app(crm_world.database, crm_world.ana)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Created" not in header_text(again)
        assert "Customer" in header_text(again)
    other = make_app(crm_world.database, crm_world.bob)
    async with other.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Created" in header_text(other)  # per user


async def test_save_a_view_and_open_it_from_the_palette(crm_world: CrmWorld) -> None:
    prospect = crm_world.status_id("Prospect")
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = notes_screen(app)
        query = NoteQuery(
            sort=(SortKey("customer"),),
            conditions=(Condition("status", "=", prospect),),
            search="",
        )
        screen.note_query = query
        await settle(pilot)
        await pilot.press("v", *"Hot prospects", "enter")
        await settle(pilot)
        saved = views.list_views(crm_world.ana)
        assert [view.name for view in saved] == ["Hot prospects"]
        assert saved[0].query == query
        await pilot.press("x")
        screen.note_query = NoteQuery()
        await settle(pilot)
        assert len(shown_ids(app)) == 12
        await pilot.press("ctrl+p")
        await pilot.press(*"View: Hot")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.note_query == query
        notes = crm_world.notes
        assert shown_ids(app) == [notes["acme1"], notes["hooli"], notes["initech"]]


async def test_palette_lists_every_action_and_each_view(crm_world: CrmWorld) -> None:
    views.save_view(crm_world.ana, "Mine", NoteQuery(search="order"))
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in notes_screen(app).palette_commands()]
        for title in ("New note", "Open note", "Edit note", "Delete note", "Sort notes"):
            assert title in titles
        for title in ("Filter notes", "Search notes", "Columns", "Save view", "Saved views"):
            assert title in titles
        assert "View: Mine" in titles


async def test_delete_a_note_after_confirming(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        doomed = crm_world.notes["acme3"]
        await pilot.press("down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # "No" keeps it
        await settle(pilot)
        assert Note.get_or_none(Note.id == doomed) is not None
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert Note.get_or_none(Note.id == doomed) is None
        assert doomed not in shown_ids(app)
        assert len(shown_ids(app)) == 11
        table = app.screen.query_one(NoteTable)
        assert table.cursor_row == 1
        assert table.highlighted_note_id == crm_world.notes["zeta"]


async def test_refresh_keeps_the_cursor_on_the_same_note(crm_world: CrmWorld) -> None:
    from crm_tui.ui.messages import NotesChanged

    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(NoteTable)
        await pilot.press("down", "down", "down")
        chosen = table.highlighted_note_id
        create_note(
            crm_world.ana,
            NoteInput(customer="Newco", body="Brand new"),
            created_at=dt.datetime(2026, 11, 29, 12, 0),
        )
        app.screen.post_message(NotesChanged())
        await settle(pilot)
        assert len(shown_ids(app)) == 13
        assert table.highlighted_note_id == chosen
        assert table.cursor_row == 4


async def test_settings_changes_redraw_the_list(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")  # hide Created, Customer, Action, Assignee: room for a new one
        await pilot.press("space", "down", "space", "down", "space", "down", "down", "space")
        await pilot.press("enter")
        await settle(pilot)
        region = create_variable(crm_world.ana, name="Region", type="text")
        app.settings_changed()
        await settle(pilot)
        assert "Region" in header_text(app)
        screen = notes_screen(app)
        screen.note_query = NoteQuery(sort=(SortKey(variable_column(region.id)),))
        await settle(pilot)
        assert "Region ▲" in header_text(app)
        # The variable goes: its column and its sort key go with it.
        delete_variable(crm_world.ana, region.id)
        prospect = crm_world.status_id("Prospect")
        update_badge(crm_world.ana, "status", prospect, name="Lead")
        app.settings_changed()
        await settle(pilot)
        assert "Region" not in header_text(app)
        assert screen.note_query == NoteQuery()
        assert "Lead" in shown_lines(app)[0]
        assert len(shown_ids(app)) == 12


async def test_click_selects_and_double_click_opens(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(NoteTable)
        await pilot.click(NoteTable, offset=(10, 3))
        assert table.cursor_row == 2
        await pilot.click(NoteTable, offset=(10, 0))  # the header: sort by Created
        await settle(pilot)
        assert notes_screen(app).note_query.sort == (SortKey("created_at"),)
        await pilot.double_click(NoteTable, offset=(10, 2))
        await settle(pilot)
        assert not isinstance(app.screen, NotesScreen)


async def test_first_run_says_what_to_do(database) -> None:
    from crm_tui.domain.users import create_user

    ana = create_user(None, "ana")
    bob = create_user(ana, "bob", role="rep")
    app = make_app(database, ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#notes-empty").render())
        assert "No notes yet" in text
        assert "n" in text and "write the first note" in text
        assert "f4" in text  # as the footer writes the key (was "F4")
        assert "crm-tui demo" in text
    app = make_app(database, bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#notes-empty").render())
        assert "f4" not in text
