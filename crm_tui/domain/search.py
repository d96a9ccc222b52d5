"""Full-text index upkeep: SQLite FTS5 (external content) or a PostgreSQL tsvector.

Both index the words of the note body and the customer name, case- and accent-folded
(SQLite by FTS5's ``unicode61 remove_diacritics 2`` tokenizer, PostgreSQL from
``text.search_tokens``), so a search gives the same notes on both engines for ordinary
words; rare foldings (``ß`` → ``ss``, ligatures) may differ. The notes query reads these
indexes; this module writes them, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.domain.text import search_tokens

_FTS_INSERT = "INSERT INTO note_fts (rowid, body, customer) VALUES (?, ?, ?)"
_FTS_DELETE = "INSERT INTO note_fts (note_fts, rowid, body, customer) VALUES ('delete', ?, ?, ?)"
_PG_UPSERT = (
    "INSERT INTO note_search (note_id, document) VALUES (%s, to_tsvector('simple', %s)) "
    "ON CONFLICT (note_id) DO UPDATE SET document = EXCLUDED.document"
)


def search_document(body: str, customer: str) -> str:
    """The folded words a note is found by: its body and its customer's name."""
    return " ".join(search_tokens(f"{body} {customer}"))


def index_notes(database: peewee.Database, rows: Iterable[tuple[int, str, str]]) -> None:
    """Add ``(note_id, body, customer_name)`` rows to the index (new notes)."""
    if is_sqlite(database):
        database.cursor().executemany(_FTS_INSERT, list(rows))
    else:
        database.cursor().executemany(
            _PG_UPSERT, [(nid, search_document(body, name)) for nid, body, name in rows]
        )


def unindex_notes(database: peewee.Database, rows: Iterable[tuple[int, str, str]]) -> None:
    """Remove notes from the index, given the body and customer name they were indexed with."""
    if is_sqlite(database):
        database.cursor().executemany(_FTS_DELETE, list(rows))
    else:
        ids = [(nid,) for nid, _body, _name in rows]
        database.cursor().executemany("DELETE FROM note_search WHERE note_id = %s", ids)


def reindex_note(
    database: peewee.Database, note_id: int, old: tuple[str, str], new: tuple[str, str]
) -> None:
    """Replace one note's entry after its body or customer changed."""
    if old == new:
        return
    if is_sqlite(database):
        unindex_notes(database, [(note_id, *old)])
    index_notes(database, [(note_id, *new)])


def rebuild_sqlite_index(database: peewee.Database) -> None:
    """Rebuild the whole SQLite FTS index from the notes (after a bulk load)."""
    database.execute_sql("INSERT INTO note_fts (note_fts) VALUES ('rebuild')")


def bulk_index_sqlite(database: peewee.Database, note_ids: Iterable[int]) -> None:
    """Index many new notes with one ``INSERT … SELECT`` (bulk import, demo)."""
    database.execute_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_note_ids (id INTEGER PRIMARY KEY)")
    database.execute_sql("DELETE FROM bulk_note_ids")
    database.cursor().executemany(
        "INSERT INTO bulk_note_ids (id) VALUES (?)", [(nid,) for nid in note_ids]
    )
    database.execute_sql(
        "INSERT INTO note_fts (rowid, body, customer) SELECT c.id, c.body, c.customer "
        "FROM bulk_note_ids b JOIN note_search_content c ON c.id = b.id"
    )
    database.execute_sql("DELETE FROM bulk_note_ids")
