"""Search: the words a note is found by, and keeping the full-text index in step.

A note is found by the folded words (``text.search_tokens``) of its body and its
customer's name. The index itself, SQLite FTS5 or a PostgreSQL tsvector, is the
storage's (``crm_tui.db.search_index``); these calls write it inside the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee

from crm_tui.db import search_index
from crm_tui.db.folding import search_document
from crm_tui.db.search_index import bulk_index_sqlite, rebuild_sqlite_index, unindex_notes

__all__ = [
    "bulk_index_sqlite",
    "index_notes",
    "rebuild_sqlite_index",
    "reindex_note",
    "search_document",
    "unindex_notes",
]


def index_notes(database: peewee.Database, rows: Iterable[tuple[int, str, str]]) -> None:
    """Add ``(note_id, body, customer_name)`` rows to the index (new notes)."""
    search_index.index_notes(database, rows, search_document)


def reindex_note(
    database: peewee.Database, note_id: int, old: tuple[str, str], new: tuple[str, str]
) -> None:
    """Replace one note's entry after its body or customer changed (``(body, customer)``)."""
    search_index.reindex_note(database, note_id, old, new, search_document)
