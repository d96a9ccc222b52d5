"""Saved views and preferences (crm_tui.domain.views), and the table's block cache."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from crm_tui.domain import views
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.query import Condition, Cursor, NoteQuery, Page, SortKey
from crm_tui.records import NoteRow
from crm_tui.ui.screens.notes_labels import fits_settings
from crm_tui.ui.widgets.note_list.blocks import NoteBlocks
from crm_tui.ui.widgets.note_list.columns import SUMMARY, TEXT_MIN, TableLayout, fit
from crm_tui.ui.widgets.note_list.row_source import RowSource
from tests.ui.conftest import CrmWorld

QUERY = NoteQuery(
    sort=(SortKey("var:1"), SortKey("created_at", descending=True)),
    conditions=(
        Condition("status", "=", 3),
        Condition("var:2", ">=", dt.date(2026, 12, 1)),
        Condition("created_at", "<", dt.datetime(2026, 11, 2, 9, 30)),
        Condition("var:3", ">=", 100000),
        Condition("overdue", "=", True),
        Condition("assignee", "=", None),
        Condition("var:9", "=", 2.5),
    ),
    search="spring order",
)


def test_a_query_survives_its_stored_form() -> None:
    assert views.query_from_json(views.query_to_json(QUERY)) == QUERY
    assert views.query_from_json(views.query_to_json(NoteQuery())) == NoteQuery()


def test_save_list_load_and_delete_views(crm_world: CrmWorld) -> None:
    ana, bob = crm_world.ana, crm_world.bob
    views.save_view(ana, "  Hot   prospects ", QUERY)
    views.save_view(ana, "Autumn", NoteQuery(search="autumn"))
    views.save_view(bob, "Hot prospects", NoteQuery())
    assert [v.name for v in views.list_views(ana)] == ["Autumn", "Hot prospects"]
    assert views.get_view(ana, "hot PROSPECTS").query == QUERY
    assert views.get_view(bob, "Hot prospects").query == NoteQuery()
    with pytest.raises(ValidationError):
        views.save_view(ana, "hot prospects", NoteQuery())
    views.save_view(ana, "hot prospects", NoteQuery(search="x"), replace=True)
    assert views.get_view(ana, "Hot prospects").query == NoteQuery(search="x")
    assert views.view_exists(ana, "HOT prospects")
    views.delete_view(ana, "Hot prospects")
    assert [v.name for v in views.list_views(ana)] == ["Autumn"]
    with pytest.raises(NotFound):
        views.delete_view(ana, "Hot prospects")
    with pytest.raises(NotFound):
        views.get_view(ana, "nothing")
    with pytest.raises(ValidationError):
        views.save_view(ana, "   ", NoteQuery())


def test_preferences_are_per_user(crm_world: CrmWorld) -> None:
    ana, bob = crm_world.ana, crm_world.bob
    assert views.hidden_columns(ana) == frozenset()
    views.set_hidden_columns(ana, {"created_at", "var:1"})
    views.set_hidden_columns(ana, {"created_at"})
    assert views.hidden_columns(ana) == {"created_at"}
    assert views.hidden_columns(bob) == frozenset()
    views.set_preference(bob, "x", {"a": [1, 2]})
    assert views.get_preference(bob, "x") == {"a": [1, 2]}
    assert views.get_preference(ana, "x", "none") == "none"


def test_views_drop_what_the_settings_no_longer_have(crm_world: CrmWorld) -> None:
    fitted = fits_settings(QUERY, crm_world.settings)
    assert all(c.column != "var:9" for c in fitted.conditions)
    assert len(fitted.conditions) == len(QUERY.conditions) - 1
    assert fitted.sort == QUERY.sort


def _rows(start: int, count: int) -> tuple[list[NoteRow], list[Cursor]]:
    rows = [
        NoteRow(
            id=1000 - n,
            created_at=dt.datetime(2026, 1, 1),
            customer_id=1,
            customer="c",
            action_id=None,
            status_id=None,
            assignee_id=None,
            assignee="",
            follow_up=None,
            summary="",
        )
        for n in range(start, start + count)
    ]
    return rows, [Cursor((), row.id) for row in rows]


def test_block_cache_plans_and_evicts() -> None:
    cache = NoteBlocks(size=10, max_blocks=2)
    assert cache.plan(0, None, None).how == "first"  # type: ignore[union-attr]
    assert cache.plan(5, None, None) is None  # nothing to start from yet
    cache.put(0, *_rows(0, 10))
    after = cache.plan(1, None, None)
    assert after is not None and after.how == "after" and after.cursor == Cursor((), 991)
    last = cache.plan(4, 45, None)
    assert last is not None and (last.how, last.limit) == ("last", 5)
    cache.put(4, *_rows(40, 5))
    before = cache.plan(3, 45, None)
    assert before is not None and before.how == "before" and before.cursor == Cursor((), 960)
    checkpoints = [Cursor((), 1000 - 10 * k) for k in range(5)]
    jump = cache.plan(2, 45, checkpoints)
    assert jump is not None and jump.how == "after" and jump.cursor == Cursor((), 981)
    assert cache.row(42).id == 958  # type: ignore[union-attr]
    assert cache.find(958) == 42
    cache.put(2, *_rows(20, 10))
    assert not cache.has(0)  # least recently used, dropped
    assert cache.live_rows == 15
    assert cache.fetched_rows == 25


def test_layout_stretches_the_text_and_fits_cells(crm_world: CrmWorld) -> None:
    layout = TableLayout.build(crm_world.settings, {"created_at"}, 200)
    assert layout.width == 200
    ids = [column.id for column in layout.columns]
    assert ids[:5] == ["customer", "action", "status", "follow_up", SUMMARY]
    # At 44 cells the badges take their abbreviations and Follow-up gives way to the text.
    narrow = TableLayout.build(crm_world.settings, (), 44)
    assert narrow.width == 44
    assert [column.id for column in narrow.columns] == ["customer", "action", "status", SUMMARY]
    assert narrow.columns[-1].width >= TEXT_MIN
    assert fit("Émile Zola Books", 8) == "Émile Z…"
    assert fit("12.50", 8, right=True) == "   12.50"


def test_row_source_swaps_lists_and_drops_stale_results() -> None:
    source = RowSource(NoteBlocks(size=10, max_blocks=3))
    note_list = SimpleNamespace(query=NoteQuery())  # only its query is read here
    first, plans = source.begin(note_list)  # type: ignore[arg-type]
    assert [(plan.block, plan.how) for plan in plans] == [(0, "chain")]
    assert source.state is None and source.incoming is first
    assert source.promote(first, [(0, Page(*_rows(0, 10)))]) == 0
    assert source.total == 10  # not counted yet: the rows known so far
    plans, needs_checkpoints = source.missing([12])
    assert [(plan.block, plan.how) for plan in plans] == [(1, "after")]
    assert not needs_checkpoints
    plans, needs_checkpoints = source.missing([55])  # a far jump
    assert plans == [] and needs_checkpoints
    assert source.missing([55]) == ([], False)  # asked once
    # A refresh finds the cursor's note again, one row lower (a newer note came first).
    second, _plans = source.begin(note_list, keep_note_id=995, keep_index=5)  # type: ignore[arg-type]
    assert source.state is first  # still shown meanwhile
    assert source.state_for(first.generation) is None  # but its late results are dropped
    assert source.promote(second, [(0, Page(*_rows(-1, 10)))]) == 6
    assert source.state_for(second.generation) is second
    assert source.state_for(first.generation) is None


def test_row_source_keeps_loading_the_shown_list_when_a_new_one_fails() -> None:
    source = RowSource(NoteBlocks(size=10, max_blocks=3))
    note_list = SimpleNamespace(query=NoteQuery())  # only its query is read here
    first, _plans = source.begin(note_list)  # type: ignore[arg-type]
    source.promote(first, [(0, Page(*_rows(0, 10)))])
    second, _plans = source.begin(note_list)  # type: ignore[arg-type]
    assert source.failed(second.generation, [0])
    assert source.state is first and source.incoming is None
    plans, _checkpoints = source.missing([12])
    assert [(plan.block, plan.how) for plan in plans] == [(1, "after")]
    assert source.state_for(first.generation) is first  # its rows are taken again
    assert source.state_for(second.generation) is None  # the failed list's are not
    third, _plans = source.begin(note_list)  # type: ignore[arg-type]
    assert third.generation not in (first.generation, second.generation)
