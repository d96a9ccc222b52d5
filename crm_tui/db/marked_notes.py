"""The temporary table of notes worked on at once (bulk edit and its undo), and its SQL.

``crm_marked (id, grp, since)`` lives on the current connection: ``grp`` splits the notes
into groups that take one value each (an undo puts back each note's own old value),
``since`` is the history watermark a note was marked at (bulk edit's check that nobody
else changed it since). Every statement works on the whole table at once, so 100,000
notes cost a few statements, not 100,000.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, Sequence

import peewee

from crm_tui.db.database import SqlCursor, is_sqlite

CHUNK = 500
"""Rows per multi-row ``INSERT`` (8 columns: well under SQLite's parameter limit)."""

VALUE_COLUMNS = ("value_text", "value_key", "value_num", "value_cents", "value_date", "option_id")
"""The typed columns of a ``note_value`` row, in the order ``variable_values`` reads them."""


def sorted_ids(database: peewee.Database, select_sql: str, params: Sequence[object]) -> array[int]:
    """The ids ``select_sql`` gives (one column ``id``), ascending, as an ``array('q')``
    (8 bytes an id)."""
    cursor = database.execute_sql(f"SELECT id FROM ({select_sql}) AS found ORDER BY id", params)
    ids = array("q")
    while rows := cursor.fetchmany(20_000):
        ids.extend(row[0] for row in rows)
    return ids


class MarkedNotesTable:
    """The temporary table of the notes worked on, on ``database``'s current connection."""

    def __init__(self, database: peewee.Database) -> None:
        self.database = database
        self.sqlite = is_sqlite(database)
        key = "INTEGER" if self.sqlite else "BIGINT"
        self.run(
            f"CREATE TEMP TABLE IF NOT EXISTS crm_marked (id {key} PRIMARY KEY,"
            " grp INTEGER NOT NULL DEFAULT 0, since BIGINT NOT NULL DEFAULT 0)"
        )
        self.clear()

    def run(self, sql: str, params: Sequence[object] = ()) -> SqlCursor:
        """Run ``sql`` written with ``?`` placeholders on either engine."""
        if not self.sqlite:
            sql = sql.replace("?", "%s")
        return self.database.execute_sql(sql, params)

    def clear(self) -> None:
        """Empty the table."""
        self.run("DELETE FROM crm_marked")

    def add(self, rows: Iterable[tuple[int, int, int]]) -> int:
        """Add ``(note id, group, since)`` rows; returns how many."""
        return self.insert_rows("crm_marked (id, grp, since)", 3, rows)

    def add_select(self, select_sql: str, params: Sequence[object], since: int) -> None:
        """Add the note ids ``select_sql`` gives (one column), all in group 0."""
        sql = (
            "INSERT INTO crm_marked (id, grp, since)"
            f" SELECT DISTINCT q.id, 0, ? FROM ({select_sql}) q"
        )
        self.run(sql, [since, *params])

    def count(self) -> int:
        """How many notes are in the table."""
        return int(self.run("SELECT COUNT(*) FROM crm_marked").fetchone()[0])

    def drop_missing(self) -> int:
        """Remove notes deleted since they were marked; returns how many."""
        cursor = self.run(
            "DELETE FROM crm_marked"
            " WHERE NOT EXISTS (SELECT 1 FROM note n WHERE n.id = crm_marked.id)"
        )
        return max(0, cursor.rowcount or 0)

    def changed_by_others(self, user_id: int) -> list[int]:
        """Notes someone other than ``user_id`` changed after the note's ``since`` mark."""
        sql = (
            'SELECT DISTINCT m.id FROM crm_marked m JOIN "change" c ON c.entity = ?'
            " AND c.entity_id = m.id AND c.id > m.since"
            " WHERE c.user_id IS NULL OR c.user_id <> ?"
        )
        return [row[0] for row in self.run(sql, ["note", user_id]).fetchall()]

    def remove(self, ids: Sequence[int]) -> None:
        """Take these notes out of the table."""
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            marks = ", ".join("?" * len(chunk))
            self.run(f"DELETE FROM crm_marked WHERE id IN ({marks})", chunk)

    def column_values(self, column: str, batch: int = 5000) -> Iterator[tuple[int, object]]:
        """``(note id, raw value)`` of a ``note`` column for every note in the table."""
        cursor = self.run(f"SELECT m.id, n.{column} FROM crm_marked m JOIN note n ON n.id = m.id")
        while rows := cursor.fetchmany(batch):
            yield from rows

    def variable_values(self, variable_id: int, batch: int = 5000) -> Iterator[tuple[object, ...]]:
        """``(note id, *VALUE_COLUMNS)`` of one variable for every note in the table (all
        ``None`` where the note has no value)."""
        columns = ", ".join(f"v.{name}" for name in VALUE_COLUMNS)
        cursor = self.run(
            f"SELECT m.id, {columns} FROM crm_marked m JOIN note n ON n.id = m.id"
            f" LEFT JOIN note_value v ON v.note_id = m.id AND v.variable_id = {int(variable_id)}"
        )
        while rows := cursor.fetchmany(batch):
            yield from rows

    def set_column(
        self, column: str, value: object, at: dt.datetime, group: int | None = None
    ) -> None:
        """Set a ``note`` column on the notes of the table (or of one ``group`` of it),
        each note getting a new version, updated ``at`` (one ``UPDATE``)."""
        where, group_params = self._where(group)
        self.run(
            f"UPDATE note SET {column} = ?, {self._bump} WHERE id IN ({where})",
            [value, at, *group_params],
        )

    def set_variable(
        self,
        variable_id: int,
        columns: Sequence[object] | None,
        at: dt.datetime,
        group: int | None = None,
    ) -> None:
        """Give one variable the value ``columns`` (in ``VALUE_COLUMNS`` order; ``None``
        removes it) on the notes of the table (or of one ``group``), each note getting a
        new version, updated ``at``."""
        vid = int(variable_id)
        where, group_params = self._where(group)
        self.run(
            f"DELETE FROM note_value WHERE variable_id = {vid} AND note_id IN ({where})",
            group_params,
        )
        if columns is not None:
            self.run(
                "INSERT INTO note_value (note_id, variable_id, value_text, value_key, value_num,"
                f" value_cents, value_date, option_id) SELECT id, {vid}, ?, ?, ?, ?, ?, ?"
                f" FROM crm_marked{' WHERE grp = ?' if group is not None else ''}",
                [*columns, *group_params],
            )
        self.run(f"UPDATE note SET {self._bump} WHERE id IN ({where})", [at, *group_params])

    _bump = "version = version + 1, updated_at = ?"

    @staticmethod
    def _where(group: int | None) -> tuple[str, list[object]]:
        where = "SELECT id FROM crm_marked" + (" WHERE grp = ?" if group is not None else "")
        return where, ([group] if group is not None else [])

    def insert_rows(self, into: str, width: int, rows: Iterable[Sequence[object]]) -> int:
        """Insert ``rows`` of ``width`` values ``INTO`` a table: multi-row statements on
        SQLite, ``COPY`` on PostgreSQL (three times faster than ``INSERT`` there)."""
        if not self.sqlite:
            count = 0
            cursor = self.database.connection().cursor()
            with cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        one = "(" + ", ".join("?" * width) + ")"
        count = 0
        chunk: list[object] = []
        in_chunk = 0
        for row in rows:
            chunk.extend(row)
            in_chunk += 1
            if in_chunk == CHUNK:
                self.run(f"INSERT INTO {into} VALUES {', '.join([one] * in_chunk)}", chunk)
                count += in_chunk
                chunk, in_chunk = [], 0
        if in_chunk:
            self.run(f"INSERT INTO {into} VALUES {', '.join([one] * in_chunk)}", chunk)
            count += in_chunk
        return count

    def write_history(
        self,
        user_id: int | None,
        batch: int,
        at: dt.datetime,
        lines: Iterable[tuple[str, int, str, str | None, str | None]],
    ) -> int:
        """Write ``(entity, entity id, field, old, new)`` history lines in one batch."""
        rows = (
            (at, user_id, batch, entity, eid, field, old, new)
            for entity, eid, field, old, new in lines
        )
        return self.insert_rows(
            '"change" (at, user_id, batch, entity, entity_id, field, old, new)', 8, rows
        )
