"""``NotePager.position``: where a note is in a list (the list follows a saved note)."""

from __future__ import annotations

import pytest

from crm_tui.domain.query import Condition, NotePager, NoteQuery, SortKey, sort_columns
from tests.ui.conftest import build_world
from tests.ui.pilot import TODAY


@pytest.fixture
def world(database):
    """The notes screen's twelve fixed notes."""
    return build_world(database)


def queries(world) -> list[NoteQuery]:
    """Plain, sorted on one and two keys, filtered, searched, and both."""
    last_column = sort_columns(world.settings)[-1][0]
    return [
        NoteQuery(),
        NoteQuery(sort=(SortKey("customer", False),)),
        NoteQuery(sort=(SortKey("status", True), SortKey("customer", False))),
        NoteQuery(sort=(SortKey(last_column, False),)),
        NoteQuery(conditions=(Condition("status", "=", world.status_id("Prospect")),)),
        NoteQuery(search="acme"),
        NoteQuery(
            sort=(SortKey("follow_up", True),),
            conditions=(Condition("status", "=", world.status_id("Done")),),
        ),
    ]


def test_position_is_the_row_in_the_list_or_none_when_left_out(world) -> None:
    for query in queries(world):
        note_list = NotePager(query, world.settings, TODAY)
        ids = [row.id for row in note_list.iter_rows()]
        for label, note_id in world.notes.items():
            expected = ids.index(note_id) if note_id in ids else None
            found = note_list.position(note_id, batch=3)  # several batches
            assert found == expected, (query, label)


def test_position_of_a_note_that_does_not_exist(world) -> None:
    assert NotePager(NoteQuery(), world.settings, TODAY).position(12345) is None
