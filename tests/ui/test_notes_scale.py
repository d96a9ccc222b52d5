"""The notes list on 40,000 notes holds a few hundred rows, wherever it is scrolled.

(The 1,000,000-note figures come from ``benchmarks/notes_screen.py``; this pins the
behaviour at a size CI builds in seconds: a list that materialised everything would
hold 40,000 rows, not 800.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.db.database import connect
from crm_tui.domain.query import NotePager, NoteQuery
from crm_tui.domain.settings import load_settings
from crm_tui.ui.widgets.note_list import NoteTable
from tests.conftest import POSTGRES_URL
from tests.ui.conftest import build_many, build_world
from tests.ui.pilot import SIZE, TODAY, make_app, settle

COUNT = 40_000
HELD_MAX = 800  # four blocks of 200 rows


@pytest.mark.slow
@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite file; runs in the SQLite pass")
async def test_a_large_list_never_materialises_more_than_a_few_hundred_rows(
    tmp_path: Path,
) -> None:
    database = connect(str(tmp_path / "large.sqlite3"))
    world = build_world(database)
    build_many(world.settings, world.bob, COUNT)
    total = COUNT + len(world.notes)
    domain = NotePager(NoteQuery(), load_settings(), TODAY)
    app = make_app(database, world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(NoteTable)
        assert table.count == total
        assert f"{total:,} notes" in str(app.screen.query_one("#notes-count").render())
        assert table.rows_fetched <= 200
        fetched = table.rows_fetched

        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == total - 1
        assert table.highlighted_note_id == domain.last_page(1).rows[0].id
        visible = [row.id for row in table.visible_rows() if row]
        assert visible == [row.id for row in domain.last_page(len(visible)).rows]
        assert table.rows_fetched - fetched <= 400
        fetched = table.rows_fetched

        await pilot.press("home", "pagedown", "pagedown", "pagedown", "down")
        await settle(pilot)
        first = domain.page(None, 200).rows
        assert table.highlighted_note_id == first[table.cursor_row].id
        assert table.rows_fetched - fetched <= 200

        # A far jump (as by the scrollbar): the rows come from the checkpoints.
        fetched = table.rows_fetched
        table.scroll_to(y=20_000, animate=False)
        await settle(pilot)
        checkpoint = domain.checkpoints(every=200)[100]
        expected = [row.id for row in domain.page_at(checkpoint, 60).rows]
        visible = [row.id for row in table.visible_rows()]  # type: ignore[union-attr]
        assert visible == expected[: len(visible)]
        assert table.rows_fetched - fetched <= 400

        assert table.rows_held <= HELD_MAX
        assert table.rows_fetched < 1200
    database.close()
