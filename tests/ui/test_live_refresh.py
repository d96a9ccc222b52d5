"""Two app instances on one database (SQLite file, or PostgreSQL): live refresh, conflicts.

Each app has its own connection (``crm_tui.db.database.connect``), as two people in two
terminals would. What one saves shows in the other within 2 seconds without a key,
the cursor on the same note; two edits of one note end on the side-by-side screen.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import asynccontextmanager

import peewee
import pytest
from textual.pilot import Pilot

from crm_tui.db.database import connect, is_sqlite
from crm_tui.domain.notes import get_note
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.conflict import ConflictScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.widgets.note_list import NoteTable
from tests.conftest import POSTGRES_URL
from tests.ui.conftest import SIZE, CrmWorld, make_notes_app, settle, shown_lines, wait_for
from tests.ui.test_editor import tab_to

pytestmark = pytest.mark.postgres

REFRESH_LIMIT = 2.0
"""Seconds within which a change made elsewhere must show."""


@pytest.fixture
def other_db(crm_world: CrmWorld) -> Iterator[peewee.Database]:
    """A second connection to the same database, for the second app."""
    database = crm_world.database
    db = connect(database.database if is_sqlite(database) else POSTGRES_URL)
    yield db
    db.close()


@asynccontextmanager
async def two_apps(world: CrmWorld, other_db: peewee.Database):
    """ana's app and bob's app, both on the notes list."""
    ana_app = make_notes_app(world.database, world.ana)
    bob_app = make_notes_app(other_db, world.bob)
    async with ana_app.run_test(size=SIZE) as ana, bob_app.run_test(size=SIZE) as bob:
        for pilot in (ana, bob):
            table = pilot.app.screen.query_one(NoteTable)
            await wait_for(pilot, lambda table=table: table.loaded and table.count == 12)
        yield ana, bob


async def within_refresh_limit(pilot: Pilot, ready) -> float:
    """Let the app run (no key pressed) until ``ready()``; return how long it took."""
    started = time.monotonic()
    while not ready():
        assert time.monotonic() - started < REFRESH_LIMIT, "not refreshed within 2 s"
        await pilot.pause(0.05)
    return time.monotonic() - started


def count_reloads(app: CrmApp) -> list[int]:
    """Count the reloads of the app's notes list from now on."""
    table = app.screen.query_one(NoteTable)
    calls = [0]
    original = table.reload

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    table.reload = counted  # type: ignore[method-assign]
    return calls


async def test_a_note_saved_in_one_app_shows_in_the_other_with_the_cursor_kept(
    crm_world: CrmWorld, other_db: peewee.Database
) -> None:
    async with two_apps(crm_world, other_db) as (ana, bob):
        bob_table = bob.app.screen.query_one(NoteTable)
        await bob.press("down", "down", "down")
        kept = bob_table.highlighted_note_id
        ana_reloads, bob_reloads = count_reloads(ana.app), count_reloads(bob.app)

        await ana.press("n")
        await settle(ana)
        await ana.press(*"Newco Industries", "ctrl+s")
        await wait_for(ana, lambda: not isinstance(ana.app.screen, NoteEditorScreen))

        await within_refresh_limit(bob, lambda: bob_table.count == 13)
        await settle(bob)
        assert bob_table.highlighted_note_id == kept  # the same note, one row lower
        assert bob_table.cursor_row == 4
        assert any("Newco Industries" in line for line in shown_lines(bob.app))
        for _ in range(12):  # a few more looks for changes: nothing is read twice
            await ana.pause(0.1)
        assert (ana_reloads[0], bob_reloads[0]) == (1, 1)


async def test_two_edits_of_one_note_show_both_versions(
    crm_world: CrmWorld, other_db: peewee.Database
) -> None:
    note_id = crm_world.notes["globex"]
    async with two_apps(crm_world, other_db) as (ana, bob):
        for pilot in (ana, bob):  # by keys: each app opens its own editor
            table = pilot.app.screen.query_one(NoteTable)
            row = next(i for i in range(12) if table.row_at(i).id == note_id)
            await pilot.press(*["down"] * row, "e")
            await wait_for(pilot, lambda p=pilot: isinstance(p.app.screen, NoteEditorScreen))
        for pilot, words in ((ana, " (ana)"), (bob, " (bob)")):
            await tab_to(pilot, "row-body")
            await pilot.press("end", *words)
        await ana.press("ctrl+s")
        await wait_for(ana, lambda: not isinstance(ana.app.screen, NoteEditorScreen))
        await bob.press("ctrl+s")
        await wait_for(bob, lambda: isinstance(bob.app.screen, ConflictScreen))
        picks = bob.app.screen.picks
        assert picks["body"] == "mine"
        theirs = "Order follow-up after the budget freeze (ana)"
        assert get_note(note_id).body == theirs  # nothing overwritten
        mine = [str(value.render()) for value in bob.app.screen.query(".conflict-mine")]
        assert any(text.endswith("freeze (bob)") for text in mine)
        await bob.press("t")  # keep theirs
        await wait_for(bob, lambda: not isinstance(bob.app.screen, ConflictScreen))
        assert get_note(note_id).body == theirs
