"""Issue 11, case 3: the notes list's columns fit the sort and the terminal.

The columns sorted or filtered by come right after Customer with their values whole,
then Action, Status, Follow-up, then the first line of the note's text; at 120×40 and
at 80×24, recomputed when the terminal is resized.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.pilot import Pilot

from crm_tui.db.models import database_proxy
from crm_tui.domain.locale_values import shown_value
from crm_tui.domain.notes import NoteInput, PreparedNote, create_note, insert_prepared
from crm_tui.domain.query import Condition, NoteQuery, SortKey, variable_column
from crm_tui.records import NoteRow
from crm_tui.ui.app import CrmApp
from crm_tui.ui.widgets.note_list import NoteTable
from crm_tui.ui.widgets.note_list.columns import SUMMARY, TEXT_MIN, TableLayout
from tests.ui.conftest import CrmWorld, header_text
from tests.ui.pilot import make_app, settle

SIZES = [(120, 40), (80, 24)]
SORTED = ["Estimated close date", "Deal value", "Time zone"]


def _lines(app: CrmApp) -> list[tuple[NoteRow, str]]:
    """The loaded rows on screen with the line drawn for each."""
    table = app.screen.query_one(NoteTable)
    drawn = []
    for y, row in enumerate(table.visible_rows(), start=1):
        if row is not None:
            drawn.append((row, table.render_line(y).text))
    return drawn


def _value(app: CrmApp, row: NoteRow, variable_id: int) -> list[str]:
    """The ways a value may be drawn whole: its text in the user's locale (``$1,500.00``),
    or a badge's abbreviation."""
    value = row.values.get(variable_id)
    if value is None or not value.text:
        return []
    if value.option_id is None:
        variable = app.session.settings.variable(variable_id)  # type: ignore[attr-defined]
        return [shown_value(variable.type, value.text)]
    option = app.session.settings.option(value.option_id)  # type: ignore[attr-defined]
    return [value.text, option.abbreviation]


def _after_customer(header: str) -> str:
    """The header cell right after Customer's."""
    words = header.split()
    return words[words.index("Customer") + 1]


async def _show(pilot: Pilot, query: NoteQuery) -> None:
    await settle(pilot)
    pilot.app.screen.note_query = query  # type: ignore[attr-defined]
    await settle(pilot)


def _assert_whole_after_customer(app: CrmApp, name: str, variable_id: int) -> None:
    header = header_text(app)
    assert name.startswith(_after_customer(header).rstrip("…")), header
    lines = _lines(app)
    assert len(lines) >= 10
    for row, line in lines:
        forms = _value(app, row, variable_id)
        if forms:
            assert any(form in line for form in forms), (forms, line)
            shown = next(form for form in forms if form in line)
            # right after the customer: before the action, status and text
            assert line.index(shown) < line.index(row.summary[:6], len(row.customer)), line
        assert row.summary[:10] in line, (row.summary, line)  # the text's first line


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize("name", SORTED)
async def test_the_sorted_column_is_whole_right_after_customer(
    crm_world: CrmWorld, size: tuple[int, int], name: str
) -> None:
    variable_id = crm_world.variable_id(name)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=size) as pilot:
        for descending in (False, True):
            query = NoteQuery(sort=(SortKey(variable_column(variable_id), descending),))
            await _show(pilot, query)
            _assert_whole_after_customer(app, name, variable_id)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_a_filtered_column_comes_after_customer_too(
    crm_world: CrmWorld, size: tuple[int, int]
) -> None:
    deal = crm_world.variable_id("Deal value")
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=size) as pilot:
        await _show(pilot, NoteQuery(conditions=(Condition(variable_column(deal), ">=", 0),)))
        header = header_text(app)
        assert _after_customer(header).startswith("Deal"), header
        for row, line in _lines(app):
            assert shown_value("currency", row.values[deal].text) in line


async def test_an_amount_column_is_as_wide_as_its_widest_value(crm_world: CrmWorld) -> None:
    deal = crm_world.variable_id("Deal value")
    create_note(
        crm_world.ana,
        NoteInput(customer="Bigco", body="The big one", values={"Deal value": "98765432101.25"}),
        created_at=dt.datetime(2026, 11, 2, 9, 0),
    )
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(80, 24)) as pilot:
        await _show(pilot, NoteQuery(sort=(SortKey(variable_column(deal), True),)))
        rows = _lines(app)
        assert rows[0][0].customer == "Bigco"
        assert "$98,765,432,101.25" in rows[0][1]
        _assert_whole_after_customer(app, "Deal value", deal)


async def test_the_text_shows_at_both_sizes_and_follows_a_resize(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        wide = header_text(app)
        assert wide.split()[:2] == ["Created", "Customer"]  # Created fits at 120
        for label in ("Action", "Status", "Follow-up", "Text"):
            assert label in wide
        row, line = _lines(app)[0]
        assert "Send sample" in line and row.summary[:20] in line

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrow = header_text(app)
        assert len(narrow.rstrip()) <= 80
        assert narrow.split()[0] == "Customer"  # Created gives way to the text
        for label in ("Action", "Status", "Follow-up", "Text"):
            assert label in narrow
        for row, line in _lines(app):
            assert row.summary[:12] in line
        assert "SMPL" in _lines(app)[0][1]  # a long action falls back to its abbreviation

        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert header_text(app) == wide


async def test_the_text_column_draws_control_characters_visibly(crm_world: CrmWorld) -> None:
    # Stored by an older version or another client: the list still draws it as data.
    note = PreparedNote(
        customer="Bigco",
        action_id=None,
        status_id=None,
        assignee_id=None,
        follow_up=None,
        body="\x1b[31mred alert\x07\nsecond line",
        values={},
    )
    with database_proxy.atomic():
        insert_prepared([(note, dt.datetime(2026, 11, 2, 9, 0))], crm_world.ana.id)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = _lines(app)[0][1]
        assert "\x1b" not in line and "\x07" not in line
        assert "␛[31mred alert" in line
        assert "second line" not in line


def test_key_columns_are_never_cut_even_when_nothing_else_fits(crm_world: CrmWorld) -> None:
    close = variable_column(crm_world.variable_id("Estimated close date"))
    deal = variable_column(crm_world.variable_id("Deal value"))
    seen = {deal: len("$98,765,432,101.25")}
    layout = TableLayout.build(crm_world.settings, (), 40, [close, deal], [], seen)
    widths = {column.id: column.width for column in layout.columns}
    assert [column.id for column in layout.columns][:3] == ["customer", close, deal]
    assert widths[close] >= 10 and widths[deal] >= len("$98,765,432,101.25")
    assert widths[SUMMARY] >= TEXT_MIN
    assert "follow_up" not in widths  # the middle columns gave way first
    assert layout.width > 40  # the table scrolls sideways rather than cut a key


def test_a_sorted_column_shows_even_when_hidden_a_filtered_one_does_not(
    crm_world: CrmWorld,
) -> None:
    close = variable_column(crm_world.variable_id("Estimated close date"))
    deal = variable_column(crm_world.variable_id("Deal value"))
    hidden = {close, deal}
    sorted_layout = TableLayout.build(crm_world.settings, hidden, 120, [close])
    assert close in [column.id for column in sorted_layout.columns]
    filtered_layout = TableLayout.build(crm_world.settings, hidden, 120, [], [deal])
    assert deal not in [column.id for column in filtered_layout.columns]
