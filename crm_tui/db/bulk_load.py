"""Fast writes of many rows in the caller's transaction (note imports and the demo).

Rows are written with multi-row ``INSERT … VALUES`` statements on SQLite and ``COPY`` on
PostgreSQL, each value in the column of its type only; full-text search is filled with
one statement afterwards. Values must already be checked: nothing here validates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

import peewee

from crm_tui.db.database import is_sqlite

NOTE_COLUMNS = (
    "id",
    "customer_id",
    "action_id",
    "status_id",
    "assignee_id",
    "author_id",
    "body",
    "follow_up",
    "created_at",
    "updated_at",
    "version",
)
# The ``note_value`` columns written for each variable type, after note_id and variable_id.
VALUE_COLUMNS = {
    "text": ("value_text", "value_key"),
    "number": ("value_num",),
    "currency": ("value_cents",),
    "date": ("value_date",),
    "dropdown": ("option_id",),
}
_SQLITE_MAX_PARAMETERS = 32000
_SQLITE_ROWS_PER_STATEMENT = 250


@dataclass(frozen=True, slots=True)
class BulkWriting:
    """How the storage takes rows written in bulk (imports, the demo)."""

    dates_as_text: bool
    """Dates and timestamps go in as the ISO text SQLite stores (``sqlite_value``); else as
    ``date``/``datetime`` objects."""
    index_reads_notes: bool
    """The full-text index fills itself from the saved notes (SQLite FTS5 over the note
    table, read by ``search.bulk_index_sqlite``); else each note's document is handed in
    (PostgreSQL: ``index_documents``)."""
    insert_batch: int
    """Rows per multi-row ``INSERT`` built by peewee (SQLite's parameter limit is lower)."""


def bulk_writing(database: peewee.Database) -> BulkWriting:
    """How ``database`` takes bulk rows."""
    if is_sqlite(database):
        return BulkWriting(dates_as_text=True, index_reads_notes=True, insert_batch=500)
    return BulkWriting(dates_as_text=False, index_reads_notes=False, insert_batch=1000)


def highest_ids_by_second(
    database: peewee.Database, low: int, high: int, sequence_bits: int
) -> dict[int, int]:
    """The highest note id of each creation second from ``low`` to ``high`` that has notes.

    A note id is its second shifted left by ``sequence_bits``, plus a sequence number.
    """
    param = database.param
    cursor = database.execute_sql(
        f"SELECT id >> {int(sequence_bits)}, MAX(id) FROM note"
        f" WHERE id BETWEEN {param} AND {param} GROUP BY 1",
        (low << sequence_bits, ((high + 1) << sequence_bits) - 1),
    )
    return {second: highest for second, highest in cursor.fetchall()}


def insert_customers(
    database: peewee.Database, rows: Sequence[tuple[str, str, str, str, dt.datetime]]
) -> int:
    """Insert ``(name, name_key, email, phone, created_at)`` customers, skipping names another
    writer has just added; returns how many were inserted.

    ``INSERT … ON CONFLICT DO NOTHING`` on the unique folded name: a concurrent writer's
    uncommitted row makes this wait for its commit, then skip it, never fail.
    """
    text = is_sqlite(database)
    columns = "name, name_key, email, phone, created_at"
    created = 0
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        marks = ", ".join(["(" + ", ".join([database.param] * 5) + ")"] * len(chunk))
        values: list[object] = []
        for name, key, email, phone, created_at in chunk:
            values += [name, key, email, phone, sqlite_value(created_at) if text else created_at]
        cursor = database.execute_sql(
            f"INSERT INTO customer ({columns}) VALUES {marks} ON CONFLICT (name_key) DO NOTHING",
            values,
        )
        created += max(cursor.rowcount, 0)
    return created


def customer_ids_by_key(database: peewee.Database, keys: Sequence[str]) -> dict[str, int]:
    """The id of each customer whose folded name is in ``keys`` (those that exist)."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        marks = ", ".join([database.param] * len(chunk))
        cursor = database.execute_sql(
            f"SELECT name_key, id FROM customer WHERE name_key IN ({marks})", chunk
        )
        found.update(cursor.fetchall())
    return found


def customer_names_by_id(database: peewee.Database, ids: Sequence[int]) -> dict[int, str]:
    """The stored name of each customer of ``ids``."""
    names: dict[int, str] = {}
    for start in range(0, len(ids), 1000):
        chunk = list(ids[start : start + 1000])
        marks = ", ".join([database.param] * len(chunk))
        cursor = database.execute_sql(f"SELECT id, name FROM customer WHERE id IN ({marks})", chunk)
        names.update(cursor.fetchall())
    return names


def sqlite_value(value: Any) -> Any:
    """A date or timestamp as SQLite stores it (the text Peewee writes and reads)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def insert_rows(
    database: peewee.Database,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    same: dict[str, int] | None = None,
) -> int:
    """Insert ``rows`` (values in ``columns`` order) into ``table``; returns the count.

    ``same`` gives integer columns that hold one value on every row. On SQLite, dates
    and timestamps must already be text (``sqlite_value``).
    """
    same = same or {}
    if is_sqlite(database):
        return _insert_sqlite(database, table, columns, rows, same)
    if same:
        extra = tuple(same.values())
        rows = (tuple(row) + extra for row in rows)
    return _copy_postgres(database, table, (*columns, *same), rows)


def _insert_sqlite(
    database: peewee.Database,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    same: dict[str, int],
) -> int:
    width = len(columns)
    per_statement = max(1, min(_SQLITE_ROWS_PER_STATEMENT, _SQLITE_MAX_PARAMETERS // width))
    one = "(" + ",".join(["?"] * width + [str(int(value)) for value in same.values()]) + ")"
    head = f"INSERT INTO {table} ({', '.join([*columns, *same])}) VALUES "
    full = head + ",".join([one] * per_statement)
    cursor = database.cursor()
    iterator = iter(rows)
    count = 0
    while True:
        chunk = list(islice(iterator, per_statement * 40))
        if not chunk:
            return count
        count += len(chunk)
        whole = len(chunk) - len(chunk) % per_statement
        if whole:
            cursor.executemany(
                full,
                (
                    tuple(chain.from_iterable(chunk[start : start + per_statement]))
                    for start in range(0, whole, per_statement)
                ),
            )
        if whole < len(chunk):
            rest = chunk[whole:]
            cursor.execute(head + ",".join([one] * len(rest)), tuple(chain.from_iterable(rest)))


def _copy_postgres(
    database: peewee.Database,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> int:
    count = 0
    cursor = database.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def insert_values(
    database: peewee.Database,
    variable_type: str,
    variable_id: int,
    rows: Iterable[Sequence[object]],
) -> int:
    """Insert one variable's values: rows of ``(note_id, *typed columns)``.

    The typed columns are those of ``VALUE_COLUMNS[variable_type]``.
    """
    columns = ("note_id", *VALUE_COLUMNS[variable_type])
    return insert_rows(database, "note_value", columns, rows, {"variable_id": variable_id})


def index_documents(database: peewee.Database, documents: Iterable[tuple[int, str]]) -> None:
    """Add ``(note_id, document)`` rows to PostgreSQL's full-text index (``COPY`` into a
    temporary table, then one upsert); ``document`` is the note's folded words."""
    database.execute_sql("CREATE TEMP TABLE bulk_search (note_id BIGINT, document TEXT)")
    _copy_postgres(database, "bulk_search", ("note_id", "document"), documents)
    database.execute_sql(
        "INSERT INTO note_search (note_id, document) "
        "SELECT note_id, to_tsvector('simple', document) FROM bulk_search "
        "ON CONFLICT (note_id) DO UPDATE SET document = EXCLUDED.document"
    )
    database.execute_sql("DROP TABLE bulk_search")


def analyze(database: peewee.Database) -> None:
    """Refresh the planner's statistics after a large load (SQLite: a sampled ``ANALYZE``)."""
    if is_sqlite(database):
        database.execute_sql("PRAGMA analysis_limit=1000")
    database.execute_sql("ANALYZE")


def _secondary_indexes(database: peewee.Database, tables: Sequence[str]) -> list[tuple[str, str]]:
    marks = ", ".join([database.param] * len(tables))
    if is_sqlite(database):
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name"
        )
    else:
        query = (
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            f"current_schema() AND i.tablename IN ({marks}) AND NOT EXISTS (SELECT 1 FROM "
            "pg_constraint c WHERE c.conname = i.indexname) ORDER BY i.indexname"
        )
    return [(name, sql) for name, sql in database.execute_sql(query, tuple(tables)).fetchall()]


@contextmanager
def large_cache(database: peewee.Database, kib: int = 1_000_000) -> Iterator[None]:
    """On SQLite, a page cache of ``kib`` KiB for the block (1 GB holds a million notes).

    A load that fits in the cache is written once, at commit, rather than spilled.
    """
    if not is_sqlite(database):
        yield
        return
    previous = int(database.execute_sql("PRAGMA cache_size").fetchone()[0])
    database.execute_sql(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {previous}")


@contextmanager
def unchecked_references(database: peewee.Database) -> Iterator[None]:
    """On SQLite, skip foreign-key checks for a transaction opened in the block.

    For bulk writes whose references were all read in that same write transaction (the
    write lock keeps them valid): each check is an index lookup per row. SQLite only
    switches this outside a transaction; inside one, this does nothing.
    """
    if not is_sqlite(database) or database.in_transaction():
        yield
        return
    database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        database.execute_sql("PRAGMA foreign_keys = ON")


def drop_indexes(database: peewee.Database, tables: Sequence[str]) -> list[tuple[str, str]]:
    """Drop the secondary indexes of ``tables``; returns their ``(name, definition)``.

    Inside a transaction, so that a failure before ``create_indexes`` brings them back.
    """
    indexes = _secondary_indexes(database, tables)
    for name, _sql in indexes:
        database.execute_sql(f'DROP INDEX "{name}"')
    return indexes


def create_indexes(database: peewee.Database, indexes: Sequence[tuple[str, str]]) -> None:
    """Create again indexes that ``drop_indexes`` dropped."""
    for _name, sql in indexes:
        database.execute_sql(sql)
