"""Two app instances on one database (SQLite file, or PostgreSQL): live refresh, conflicts.

Each app has its own connection (``crm_tui.db.database.connect``), as two people in two
terminals would. What one saves shows in the other within 2 seconds without a key,
the cursor on the same note; two edits of one note end on the side-by-side screen.

No clock is waited for: the apps run without their watch timer (``DRIVEN``) and the test
calls what the timer would (``look_for_changes``); 2 seconds are as many looks as the
app's interval fits in them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager

import peewee
import pytest
from textual.pilot import Pilot

from crm_tui.db.database import connect, is_sqlite
from crm_tui.domain.notes import get_note
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.conflict import ConflictScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.timing import WATCH_INTERVAL
from crm_tui.ui.widgets.note_list import NoteTable
from tests.conftest import POSTGRES_URL
from tests.ui.conftest import CrmWorld, shown_lines
from tests.ui.pilot import DRIVEN, SIZE, make_app, settle, wait_for
from tests.ui.test_editor import tab_to

pytestmark = pytest.mark.postgres

REFRESH_LIMIT = 2.0
"""Seconds within which a change made elsewhere must show."""
LOOKS_WITHIN_LIMIT = int(REFRESH_LIMIT / WATCH_INTERVAL)
"""How many times the app looks for changes within ``REFRESH_LIMIT``."""


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
    ana_app = make_app(world.database, world.ana, timing=DRIVEN)
    bob_app = make_app(other_db, world.bob, timing=DRIVEN)
    async with ana_app.run_test(size=SIZE) as ana, bob_app.run_test(size=SIZE) as bob:
        for pilot in (ana, bob):
            table = pilot.app.screen.query_one(NoteTable)
            await wait_for(pilot, lambda table=table: table.loaded and table.count == 12)
        yield ana, bob


async def looks_until(pilot: Pilot, ready: Callable[[], bool]) -> int:
    """Look for changes as the app's timer would (no key pressed) until ``ready()``.

    Returns how many looks it took; more than fit in ``REFRESH_LIMIT`` fails.
    """
    app = pilot.app
    assert isinstance(app, CrmApp)
    for look in range(1, LOOKS_WITHIN_LIMIT + 1):
        app.look_for_changes()
        await settle(pilot)
        if ready():
            return look
    raise AssertionError(f"not refreshed within {REFRESH_LIMIT} s")


def test_the_app_looks_for_changes_often_enough() -> None:
    assert LOOKS_WITHIN_LIMIT >= 2  # a look just missed, the next one within the limit


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

        await looks_until(bob, lambda: bob_table.count == 13)
        assert bob_table.highlighted_note_id == kept  # the same note, one row lower
        assert bob_table.cursor_row == 4
        assert any("Newco Industries" in line for line in shown_lines(bob.app))
        for _ in range(LOOKS_WITHIN_LIMIT):  # a few more looks: nothing is read twice
            for pilot in (ana, bob):
                pilot.app.look_for_changes()
                await settle(pilot)
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
