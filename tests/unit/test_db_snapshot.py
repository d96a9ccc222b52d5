"""Helpers that read the whole database state, shared by the other unit tests.

``dump_tables`` and ``refused`` prove that a refusal changed nothing; ``found`` and
``assert_index_matches_notes`` read the full-text index. Other test modules import them
(``from test_db_snapshot import refused``); the tests below check the helpers themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import peewee
import pytest

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import Customer, Note
from crm_tui.domain.search import search_document
from crm_tui.domain.text import fold

Snapshot = dict[str, list[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    """A cell as a plain, comparable Python value."""
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def dump_tables(database: peewee.Database) -> Snapshot:
    """Every row of every table (search index tables included), as sorted plain tuples."""
    snapshot: Snapshot = {}
    for table in database.get_tables():
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')
        rows = [tuple(_plain(cell) for cell in row) for row in cursor.fetchall()]
        snapshot[table] = sorted(rows, key=repr)
    return snapshot


def refused(
    database: peewee.Database, error_type: type[Exception], call: Callable[[], object]
) -> Any:
    """Run ``call``, expect ``error_type``, check that no table changed; return the error."""
    before = dump_tables(database)
    with pytest.raises(error_type) as caught:
        call()
    assert dump_tables(database) == before
    return caught.value


def found(database: peewee.Database, word: str) -> list[int]:
    """The ids of the notes the full-text index finds for one word."""
    if is_sqlite(database):
        cursor = database.execute_sql(
            "SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rowid", (word,)
        )
    else:
        cursor = database.execute_sql(
            "SELECT note_id FROM note_search WHERE document @@ to_tsquery('simple', %s)"
            " ORDER BY note_id",
            (fold(word),),
        )
    return [row[0] for row in cursor.fetchall()]


def assert_index_matches_notes(database: peewee.Database) -> None:
    """The search index holds exactly the notes, with their current body and customer."""
    if is_sqlite(database):
        # With rank 1, FTS5 also compares the index with its content (the notes).
        database.execute_sql("INSERT INTO note_fts (note_fts, rank) VALUES ('integrity-check', 1)")
        # Every word the index holds is in the word list searches are spelt out from.
        database.execute_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.check_words"
            " USING fts5vocab(main, note_fts, 'row')"
        )
        missing = database.execute_sql(
            "SELECT term FROM temp.check_words EXCEPT SELECT term FROM search_term"
        ).fetchall()
        assert missing == []
        return
    expected = {
        note_id: database.execute_sql(
            "SELECT to_tsvector('simple', %s)::text", (search_document(body, customer),)
        ).fetchone()[0]
        for note_id, body, customer in Note.select(Note.id, Note.body, Customer.name)
        .join(Customer)
        .tuples()
    }
    indexed = dict(database.execute_sql("SELECT note_id, document::text FROM note_search"))
    assert indexed == expected


def test_dump_lists_every_table_of_the_schema(database: peewee.Database) -> None:
    snapshot = dump_tables(database)
    expected = {"user", "customer", "status", "action", "variable", "option", "note"}
    expected |= {"note_value", "change", "schema_migration"}
    expected |= {"note_fts", "note_fts_data", "note_fts_idx"} if is_sqlite(database) else set()
    expected |= set() if is_sqlite(database) else {"note_search"}
    assert expected <= set(snapshot)
    assert snapshot["schema_migration"][0][1] == "0001_initial"


def test_dump_sees_an_inserted_row(database: peewee.Database) -> None:
    before = dump_tables(database)
    Customer.create(name="Acme", name_key="acme", created_at=dt.datetime(2026, 1, 2, 3, 4, 5))
    after = dump_tables(database)
    assert after != before
    assert [row[1:3] for row in after["customer"]] == [("Acme", "acme")]


def test_dump_sees_a_changed_cell(database: peewee.Database) -> None:
    Customer.create(name="Acme", name_key="acme", created_at=dt.datetime(2026, 1, 2, 3, 4, 5))
    before = dump_tables(database)
    Customer.update(phone="555").execute()
    assert dump_tables(database) != before


def test_refused_notices_a_change(database: peewee.Database) -> None:
    def writes_then_fails() -> None:
        Customer.create(name="Acme", name_key="acme", created_at=dt.datetime(2026, 1, 1))
        raise ValueError("too late")

    with pytest.raises(AssertionError):
        refused(database, ValueError, writes_then_fails)


def test_the_index_check_notices_a_stale_entry(database: peewee.Database) -> None:
    from crm_tui.domain import users
    from crm_tui.domain.notes import NoteInput, create_note

    note_id = create_note(users.create_user(None, "Ana"), NoteInput("Acme", body="zebra"))
    assert found(database, "zebra") == [note_id]
    assert_index_matches_notes(database)
    Note.update(body="giraffe").where(Note.id == note_id).execute()  # behind the index's back
    with pytest.raises((AssertionError, peewee.DatabaseError)):
        assert_index_matches_notes(database)
