"""Issue 11, case 8: the filter bar shows every sort, filter and search (wrapping, never
cutting one), and the `f` dialog lists the active filters, each removable."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain.query import Condition, NotePager, NoteQuery, SortKey, variable_column
from crm_tui.domain.settings import load_settings
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.screens.notes_filter import ActiveFilters, FilterDialog
from crm_tui.ui.widgets.filter_bar import FilterBar, FilterChip
from tests.ui.conftest import CrmWorld, shown_ids
from tests.ui.pilot import TODAY, make_app, screen_text, settle


def expected_ids(world: CrmWorld, query: NoteQuery) -> list[int]:
    """The domain's answer for ``query``."""
    return [row.id for row in NotePager(query, load_settings(), TODAY).page(None, 100).rows]


def _busy_query(world: CrmWorld) -> NoteQuery:
    zone = variable_column(world.variable_id("Time zone"))
    close = variable_column(world.variable_id("Estimated close date"))
    deal = variable_column(world.variable_id("Deal value"))
    return NoteQuery(
        sort=(SortKey(zone), SortKey(close, descending=True)),
        conditions=(
            Condition("status", "!=", world.status_id("Done")),
            Condition(deal, ">=", 10_000),
            Condition(close, "<", dt.date(2027, 6, 30)),
        ),
        search="order",
    )


def _notes(app: CrmApp) -> NotesScreen:
    screen = app.screen
    assert isinstance(screen, NotesScreen)
    return screen


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_the_bar_wraps_every_chip_whole(crm_world: CrmWorld, size: tuple[int, int]) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        _notes(app).note_query = _busy_query(crm_world)
        await settle(pilot)
        chips = list(app.screen.query(FilterChip))
        assert [chip.kind for chip in chips] == ["sort", *["condition"] * 3, "search"]
        bar = app.screen.query_one(FilterBar)
        text = screen_text(app)
        for chip in chips:
            label = str(chip.render())
            assert label.endswith(" ✕")
            assert chip.region.right <= bar.region.right  # inside the bar: nothing cut
            if chip.region.height == 1:
                assert label in text, (label, text)  # drawn whole
            else:  # wider than a line: its words wrap inside the chip
                assert all(word in text for word in label.split()), (label, text)
        assert "Sort: Time zone ▲, Estimated close" in text
        assert "Status ≠  Done" in text and "Deal value ≥ $100.00" in text
        assert "Search: order" in text
        assert len({chip.region.y for chip in chips}) >= 2  # wrapped onto a second line
        assert bar.region.height >= 2
        # The list still starts below the bar, with its header.
        assert shown_ids(app) == expected_ids(crm_world, _busy_query(crm_world))


async def test_removing_the_search_chip_clears_the_search(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _notes(app).note_query = NoteQuery(search="order")
        await settle(pilot)
        chip = app.screen.query_one(FilterChip)
        assert chip.kind == "search"
        chip.focus()
        await pilot.press("delete")
        await settle(pilot)
        assert _notes(app).note_query == NoteQuery()
        assert not list(app.screen.query(FilterChip))
        assert len(shown_ids(app)) == 12


async def test_the_filter_dialog_lists_and_removes_active_filters(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    query = _busy_query(crm_world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _notes(app).note_query = query
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterDialog)
        text = screen_text(app)
        assert "Active filters" in text
        for line in ("Status ≠  Done", "Deal value ≥ $100.00", "Estimated close date < 2027-06-30"):
            assert line.replace("  ", " ") in text.replace("  ", " "), text
        # Reach the list of active filters, go to the second one and delete it.
        await pilot.press("shift+tab")
        assert isinstance(app.screen.focused, ActiveFilters)
        await pilot.press("down", "delete")
        await settle(pilot)
        remaining = (query.conditions[0], query.conditions[2])
        notes = next(s for s in app.screen_stack if isinstance(s, NotesScreen))
        assert notes.note_query.conditions == remaining
        assert "Deal value ≥" not in screen_text(app)
        assert app.screen.query_one(ActiveFilters).option_count == 2
        # Escape closes the dialog; the list behind shows the query without that filter.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert app.screen.note_query.conditions == remaining
        assert shown_ids(app) == expected_ids(crm_world, app.screen.note_query)
        kinds = [chip.kind for chip in app.screen.query(FilterChip)]
        assert kinds == ["sort", "condition", "condition", "search"]


async def test_removing_the_last_active_filter_goes_back_to_the_columns(
    crm_world: CrmWorld,
) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        done = Condition("status", "!=", crm_world.status_id("Done"))
        _notes(app).note_query = NoteQuery(conditions=(done,))
        await settle(pilot)
        await pilot.press("f", "shift+tab", "delete")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        assert not dialog.query_one(ActiveFilters).display
        assert dialog.focused is not None and dialog.focused.id == "filter-columns"
        await pilot.press("escape")
        await settle(pilot)
        assert _notes(app).note_query == NoteQuery()
        assert len(shown_ids(app)) == 12
