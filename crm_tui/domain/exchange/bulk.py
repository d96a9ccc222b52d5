"""Fast writes of many notes in the caller's transaction (imports and the demo).

Rows are written with multi-row ``INSERT … VALUES`` statements on SQLite and ``COPY`` on
PostgreSQL, each value in the column of its type only; full-text search is filled with
one statement afterwards. Values must already be checked: nothing here validates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.domain import search
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.ids import SEQUENCE_BITS, SEQUENCE_SPAN
from crm_tui.domain.text import fold
from crm_tui.i18n import _

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


def allocate_note_ids(database: peewee.Database, seconds: Sequence[int]) -> list[int]:
    """Time-ordered ids for notes created at these seconds (since 1970, as UTC).

    Among notes of the same second, the earlier in ``seconds`` gets the higher id, so a
    newest-first list shows them in the order given. Ids already used are skipped.
    """
    if not seconds:
        return []
    low, high = min(seconds), max(seconds)
    param = database.param
    cursor = database.execute_sql(
        f"SELECT id >> {SEQUENCE_BITS}, MAX(id) FROM note"
        f" WHERE id BETWEEN {param} AND {param} GROUP BY 1",
        (low << SEQUENCE_BITS, ((high + 1) << SEQUENCE_BITS) - 1),
    )
    following = {second: highest + 1 for second, highest in cursor.fetchall()}
    ids = [0] * len(seconds)
    for position in range(len(seconds) - 1, -1, -1):
        second = seconds[position]
        first = second << SEQUENCE_BITS
        note_id = following.get(second, first)
        if note_id - first >= SEQUENCE_SPAN:
            raise ValidationError(
                _("created_at"),
                _("more than {count} notes created in the same second").format(count=SEQUENCE_SPAN),
            )
        following[second] = note_id + 1
        ids[position] = note_id
    return ids


def ensure_customers(
    database: peewee.Database, names: Iterable[str], created_at: dt.datetime
) -> tuple[dict[str, int], int]:
    """The customer id of each name (matched ignoring case and accents), creating missing ones.

    ``names`` must be clean (``customers.clean_customer_name``). Returns the ids by name
    and how many customers were created.
    """
    folded = {name: fold(name) for name in dict.fromkeys(names)}
    spelling: dict[str, str] = {}
    for name, key in folded.items():
        spelling.setdefault(key, name)
    found = _customer_ids(database, list(spelling))
    missing = sorted(key for key in spelling if key not in found)  # one order: no deadlock
    created = 0
    if missing:
        stamp = sqlite_value(created_at) if is_sqlite(database) else created_at
        created = _insert_customers(
            database, [(spelling[key], key, "", "", stamp) for key in missing]
        )
        found.update(_customer_ids(database, missing))
    return {name: found[key] for name, key in folded.items()}, created


def _insert_customers(database: peewee.Database, rows: list[tuple[object, ...]]) -> int:
    """Insert customers, skipping names another writer has just added; returns the count.

    ``INSERT … ON CONFLICT DO NOTHING`` on the unique folded name: a concurrent writer's
    uncommitted row makes this wait for its commit, then skip it, never fail.
    """
    columns = "name, name_key, email, phone, created_at"
    created = 0
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        marks = ", ".join(["(" + ", ".join([database.param] * 5) + ")"] * len(chunk))
        cursor = database.execute_sql(
            f"INSERT INTO customer ({columns}) VALUES {marks} ON CONFLICT (name_key) DO NOTHING",
            [value for row in chunk for value in row],
        )
        created += max(cursor.rowcount, 0)
    return created


def _customer_ids(database: peewee.Database, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join([database.param] * len(chunk))
        cursor = database.execute_sql(
            f"SELECT name_key, id FROM customer WHERE name_key IN ({marks})", chunk
        )
        found.update(cursor.fetchall())
    return found


def sqlite_value(value: object) -> object:
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


def index_new_notes(
    database: peewee.Database,
    note_ids: Sequence[int],
    rebuild: bool = False,
    documents: Iterable[tuple[int, str, str]] | None = None,
) -> None:
    """Add new notes to full-text search.

    SQLite reads bodies and customer names from the database (``rebuild`` re-reads every
    note, faster when the table was empty). PostgreSQL needs ``documents``: rows of
    ``(note_id, body, customer_name)`` with the customer's stored name.
    """
    if is_sqlite(database):
        if rebuild:
            search.rebuild_sqlite_index(database)
        elif note_ids:
            search.bulk_index_sqlite(database, note_ids)
        return
    if documents is None:
        return
    database.execute_sql("CREATE TEMP TABLE bulk_search (note_id BIGINT, document TEXT)")
    _copy_postgres(
        database,
        "bulk_search",
        ("note_id", "document"),
        ((nid, search.search_document(body, name)) for nid, body, name in documents),
    )
    database.execute_sql(
        "INSERT INTO note_search (note_id, document) "
        "SELECT note_id, to_tsvector('simple', document) FROM bulk_search "
        "ON CONFLICT (note_id) DO UPDATE SET document = EXCLUDED.document"
    )
    database.execute_sql("DROP TABLE bulk_search")


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
