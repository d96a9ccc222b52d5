"""Set-based writes of one note field on many notes (bulk edit and its undo).

The notes worked on sit in a temporary table, ``crm_marked (id, grp, since)``, of the
current connection: ``grp`` splits them into groups that take one value each (an undo
puts back each note's own old value), ``since`` is the history watermark a note was
marked at (bulk edit's check that nobody else changed it since). Every statement
works on the whole table at once, so 100,000 notes cost a few statements, not 100,000.
Only the fields a bulk edit sets live here: status, action, assignee, follow-up and
variable values (never the text or the customer, so the search index is untouched).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.db.models import User, database_proxy
from crm_tui.db.notes_query.decode import to_date
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.history import _as_text
from crm_tui.domain.note_input import Resolver, TypedValue
from crm_tui.domain.values import parse_date
from crm_tui.i18n import _
from crm_tui.note_query import VARIABLE_PREFIX
from crm_tui.records import Settings, VariableInfo

NOTE_COLUMNS = {
    "status": "status_id",
    "action": "action_id",
    "assignee": "assignee_id",
    "follow_up": "follow_up",
}
"""Built-in fields a bulk edit sets, by their history names, and their ``note`` columns."""

CHUNK = 500
"""Rows per multi-row ``INSERT`` (8 columns: well under SQLite's parameter limit)."""


def _label(name: str) -> str:
    return {
        "status": _("status"),
        "action": _("action"),
        "assignee": _("assignee"),
        "follow_up": _("follow-up"),
    }.get(name, name)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of notes: its history name, its label and, for a variable, the variable."""

    name: str
    label: str
    variable: VariableInfo | None = None

    @property
    def column(self) -> str | None:
        """The ``note`` column of a built-in field (``None`` for a variable)."""
        return NOTE_COLUMNS.get(self.name) if self.variable is None else None


def field_spec(key: str, settings: Settings) -> FieldSpec:
    """The field named by ``key``: ``status``, ``action``, ``assignee``, ``follow_up`` or
    ``var:ID``; raises ``ValidationError`` for anything else."""
    if key in NOTE_COLUMNS:
        return FieldSpec(key, _label(key))
    if key.startswith(VARIABLE_PREFIX) and key[len(VARIABLE_PREFIX) :].isdigit():
        variable = settings.variable(int(key[len(VARIABLE_PREFIX) :]))
        if variable is not None:
            return FieldSpec(variable.name, variable.name, variable)
    raise ValidationError(_("field"), _("{key!r} cannot be set on many notes").format(key=key))


def field_by_history_name(name: str, settings: Settings) -> FieldSpec | None:
    """The field a history line names (a variable by its current name), if set-based."""
    if name in NOTE_COLUMNS:
        return FieldSpec(name, _label(name))
    variable = next((v for v in settings.variables if v.name == name), None)
    return FieldSpec(variable.name, variable.name, variable) if variable else None


class FieldValues:
    """Reads typed values of fields from text, and writes them as the history shows them."""

    def __init__(self, resolver: Resolver, today: dt.date | None = None) -> None:
        self.resolver = resolver
        self.settings = resolver.settings
        self.today = today
        self._users = dict(User.select(User.id, User.name).tuples())
        self._texts: dict[tuple[str, object], str | None] = {}

    def parse(self, spec: FieldSpec, text: str | None) -> object:
        """The typed value of ``text`` (a name, an abbreviation, a date…); blank gives ``None``."""
        raw = text or ""
        if spec.variable is not None:
            return self.resolver.value(spec.variable, raw, today=self.today)
        if spec.name == "status":
            return self.resolver.status(raw)
        if spec.name == "action":
            return self.resolver.action(raw)
        if spec.name == "assignee":
            return self.resolver.user(raw, spec.label)
        return parse_date(raw, spec.label, today=self.today)

    def cached_text(self, spec: FieldSpec, value: object) -> str | None:
        """``text``, remembered by value (many notes share a few values)."""
        key = (spec.name, value)
        try:
            return self._texts[key]
        except KeyError:
            text = self._texts[key] = self.text(spec, value)
            return text

    def text(self, spec: FieldSpec, value: object) -> str | None:
        """The value as a history line writes it (``None`` for blank)."""
        if value is None:
            return None
        if spec.variable is not None:
            return _as_text(value.display(self.settings))  # type: ignore[attr-defined]
        if spec.name == "status":
            badge = self.settings.status(value)  # type: ignore[arg-type]
            return badge.name if badge else None
        if spec.name == "action":
            badge = self.settings.action(value)  # type: ignore[arg-type]
            return badge.name if badge else None
        if spec.name == "assignee":
            return self._users.get(value)  # type: ignore[call-overload]
        return _as_text(value)


class MarkedNotes:
    """The temporary table of the notes worked on, on the current connection."""

    def __init__(self) -> None:
        self.database: peewee.Database = database_proxy.obj
        self.sqlite = is_sqlite(self.database)
        key = "INTEGER" if self.sqlite else "BIGINT"
        self.run(
            f"CREATE TEMP TABLE IF NOT EXISTS crm_marked (id {key} PRIMARY KEY,"
            " grp INTEGER NOT NULL DEFAULT 0, since BIGINT NOT NULL DEFAULT 0)"
        )
        self.clear()

    def run(self, sql: str, params: Sequence[object] = ()) -> peewee.Cursor:
        """Run ``sql`` written with ``?`` placeholders on either engine."""
        if not self.sqlite:
            sql = sql.replace("?", "%s")
        return self.database.execute_sql(sql, params)

    def clear(self) -> None:
        """Empty the table."""
        self.run("DELETE FROM crm_marked")

    def add(self, rows: Iterable[tuple[int, int, int]]) -> int:
        """Add ``(note id, group, since)`` rows; returns how many."""
        return insert_rows(self, "crm_marked (id, grp, since)", 3, rows)

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

    def current(self, spec: FieldSpec, batch: int = 5000) -> Iterator[tuple[int, object]]:
        """``(note id, typed value)`` of every note in the table, for ``spec``'s field."""
        if spec.column is not None:
            sql = f"SELECT m.id, n.{spec.column} FROM crm_marked m JOIN note n ON n.id = m.id"
        else:
            vid = int(spec.variable.id)  # type: ignore[union-attr]
            sql = (
                "SELECT m.id, v.value_text, v.value_key, v.value_num, v.value_cents,"
                " v.value_date, v.option_id FROM crm_marked m JOIN note n ON n.id = m.id"
                f" LEFT JOIN note_value v ON v.note_id = m.id AND v.variable_id = {vid}"
            )
        cursor = self.run(sql)
        while rows := cursor.fetchmany(batch):
            for row in rows:
                yield row[0], _typed(spec, row)

    def set_value(
        self, spec: FieldSpec, value: object, at: dt.datetime, group: int | None = None
    ) -> None:
        """Give the field ``value`` on the notes of the table (or of one ``group`` of it),
        each note getting a new version, updated ``at`` (one ``UPDATE`` of ``note``)."""
        where = "SELECT id FROM crm_marked" + (" WHERE grp = ?" if group is not None else "")
        group_params = [group] if group is not None else []
        bump = "version = version + 1, updated_at = ?"
        if spec.column is not None:
            self.run(
                f"UPDATE note SET {spec.column} = ?, {bump} WHERE id IN ({where})",
                [value, at, *group_params],
            )
            return
        vid = int(spec.variable.id)  # type: ignore[union-attr]
        self.run(
            f"DELETE FROM note_value WHERE variable_id = {vid} AND note_id IN ({where})",
            group_params,
        )
        if value is not None:
            typed: TypedValue = value  # type: ignore[assignment]
            columns = (
                typed.text,
                typed.key,
                typed.number,
                typed.cents,
                typed.date,
                typed.option_id,
            )
            self.run(
                "INSERT INTO note_value (note_id, variable_id, value_text, value_key, value_num,"
                f" value_cents, value_date, option_id) SELECT id, {vid}, ?, ?, ?, ?, ?, ?"
                f" FROM crm_marked{' WHERE grp = ?' if group is not None else ''}",
                [*columns, *group_params],
            )
        self.run(f"UPDATE note SET {bump} WHERE id IN ({where})", [at, *group_params])


def _typed(spec: FieldSpec, row: Sequence[object]) -> object:
    if spec.column is not None:
        return to_date(row[1]) if spec.name == "follow_up" else row[1]
    text, key, number, cents, day, option = row[1:7]
    if text is None and number is None and cents is None and day is None and option is None:
        return None
    vid = int(spec.variable.id)  # type: ignore[union-attr]
    number = None if number is None else float(number)  # type: ignore[arg-type]
    return TypedValue(vid, text, key, number, cents, to_date(day), option)  # type: ignore[arg-type]


def insert_rows(
    marked: MarkedNotes, into: str, width: int, rows: Iterable[Sequence[object]]
) -> int:
    """Insert ``rows`` of ``width`` values ``INTO`` a table: multi-row statements on
    SQLite, ``COPY`` on PostgreSQL (three times faster than ``INSERT`` there)."""
    if not marked.sqlite:
        count = 0
        cursor = marked.database.connection().cursor()
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
            marked.run(f"INSERT INTO {into} VALUES {', '.join([one] * in_chunk)}", chunk)
            count += in_chunk
            chunk, in_chunk = [], 0
    if in_chunk:
        marked.run(f"INSERT INTO {into} VALUES {', '.join([one] * in_chunk)}", chunk)
        count += in_chunk
    return count


def write_history(
    marked: MarkedNotes,
    user_id: int | None,
    batch: int,
    at: dt.datetime,
    lines: Iterable[tuple[str, int, str, str | None, str | None]],
) -> int:
    """Write ``(entity, entity id, field, old, new)`` history lines in one batch."""
    rows = (
        (at, user_id, batch, entity, eid, field, old, new) for entity, eid, field, old, new in lines
    )
    return insert_rows(
        marked, '"change" (at, user_id, batch, entity, entity_id, field, old, new)', 8, rows
    )
