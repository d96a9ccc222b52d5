"""Turning fetched tuples into ``NoteRow``s: typed columns, summary, values of a page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence

from crm_tui.domain.query.columns import NAMED, Column
from crm_tui.domain.values import format_currency, format_date, format_number
from crm_tui.records import NoteRow, NoteValueInfo, Settings, VariableInfo


def to_date(value: object) -> dt.date | None:
    """A date read from either engine (SQLite gives ``YYYY-MM-DD`` text)."""
    if value is None or type(value) is dt.date:
        return value  # type: ignore[return-value]
    if type(value) is str:
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value))


def to_datetime(value: object) -> dt.datetime | None:
    """A timestamp read from either engine (SQLite gives ISO text)."""
    if type(value) is str:
        return dt.datetime.fromisoformat(value)
    if value is None or isinstance(value, dt.datetime):
        return value  # type: ignore[return-value]
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def _to_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def key_reader(column: Column) -> Callable[[Sequence[object]], object]:
    """Reads the key of a span's column from the end of a fetched tuple.

    Customer/assignee keys are ``(name_key, id)``; values are typed like ``Pred`` values.
    """
    if column.kind == NAMED:
        return lambda row: (row[-2], row[-1])
    if column.type in ("date", "follow_up"):
        return lambda row: to_date(row[-1])
    if column.type == "created_at":
        return lambda row: to_datetime(row[-1])
    if column.type == "number":
        return lambda row: _to_float(row[-1])
    return lambda row: row[-1]


# From the first non-blank character to the end of its line (the breaks of str.splitlines).
_FIRST_LINE = re.compile(r"[^\s][^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*")


def summary(body: str) -> str:
    """The first non-empty line of a note's text, stripped."""
    found = _FIRST_LINE.search(body) if body else None
    return found.group().rstrip() if found else ""


def note_row(row: Sequence, values: dict[int, NoteValueInfo]) -> NoteRow:
    """A ``NoteRow`` from a tuple of ``sql.ROW_COLUMNS``."""
    note_id, created, customer_id, customer, action, status, assignee_id, assignee = row[:8]
    return NoteRow(
        note_id,
        to_datetime(created),
        customer_id,
        customer or "",
        action,
        status,
        assignee_id,
        assignee or "",
        to_date(row[8]),
        summary(row[9]),
        values,
    )


Runner = Callable[[str, Sequence[object]], list[Sequence[object]]]
_Format = Callable[[object], NoteValueInfo]
MEMO_SIZE = 20_000
# One row per stored value. A value has exactly one typed column set (text rows also keep
# their folded sort key, not shown), so SQLite, which mixes types in one column, reads it
# as one COALESCE; PostgreSQL reads the typed columns and the reader picks the variable's.
_SQLITE_VALUES_SQL = (
    "SELECT note_id, variable_id,"
    " COALESCE(option_id, value_cents, value_num, value_date, value_text)"
    " FROM note_value WHERE note_id IN ({marks})"
)
_TYPED_VALUES_SQL = (
    "SELECT note_id, variable_id, value_text, value_num, value_cents, value_date, option_id"
    " FROM note_value WHERE note_id IN ({marks})"
)
_TYPED_COLUMN = {"number": 3, "currency": 4, "date": 5, "dropdown": 6}  # text: 2


def _formatter(variable: VariableInfo) -> _Format:
    """Makes the ``NoteValueInfo`` of one stored value of ``variable`` (its text form)."""
    vid = variable.id
    options = {o.id: NoteValueInfo(vid, o.name, o.id) for o in variable.options}

    def dropdown(option: object) -> NoteValueInfo:
        return options.get(option) or NoteValueInfo(vid, "", option)  # type: ignore[arg-type]

    def currency(cents: object) -> NoteValueInfo:
        return NoteValueInfo(vid, format_currency(cents))  # type: ignore[arg-type]

    def number(value: object) -> NoteValueInfo:
        return NoteValueInfo(vid, format_number(_to_float(value)))

    def date(day: object) -> NoteValueInfo:
        return NoteValueInfo(vid, day if type(day) is str else format_date(to_date(day)))

    def text(value: object) -> NoteValueInfo:
        return NoteValueInfo(vid, value or "")  # type: ignore[arg-type]

    kinds = {"dropdown": dropdown, "currency": currency, "number": number, "date": date}
    return kinds.get(variable.type, text)


class ValueReader:
    """Reads the values of a page's notes in one query, as the settings snapshot shows them."""

    def __init__(self, settings: Settings, placeholder: str, sqlite: bool = False) -> None:
        self.placeholder = placeholder
        self.sqlite = sqlite
        self.formats = {variable.id: _formatter(variable) for variable in settings.variables}
        self.columns = {v.id: _TYPED_COLUMN.get(v.type, 2) for v in settings.variables}
        self.blank = {vid: NoteValueInfo(vid, "", None) for vid in self.formats}
        self.made: dict[tuple, NoteValueInfo] = {}  # values repeat: reuse their (frozen) infos

    @classmethod
    def shared(cls, settings: Settings, sqlite: bool) -> ValueReader:
        """The reader of this settings snapshot, kept across lists: its memo of made
        values then serves every list and page instead of starting empty each time."""
        key = (id(settings), sqlite)
        entry = _READERS.get(key)
        if entry is None or entry[0] is not settings:
            if len(_READERS) >= 4:
                _READERS.clear()
            entry = (settings, cls(settings, "?" if sqlite else "%s", sqlite=sqlite))
            _READERS[key] = entry
        return entry[1]

    def _rows(self, run: Runner, note_ids: list[int]) -> Iterable[tuple[int, int, object]]:
        marks = ", ".join([self.placeholder] * len(note_ids))
        if self.sqlite:
            return run(_SQLITE_VALUES_SQL.format(marks=marks), note_ids)  # type: ignore[return-value]
        columns = self.columns
        return (
            (row[0], row[1], row[columns.get(row[1], 2)])  # type: ignore[call-overload]
            for row in run(_TYPED_VALUES_SQL.format(marks=marks), note_ids)
        )

    def read(self, run: Runner, note_ids: list[int]) -> dict[int, dict[int, NoteValueInfo]]:
        """Every variable's value on each note (blank: empty text), by note id."""
        found = {note_id: dict(self.blank) for note_id in note_ids}
        if not note_ids or not self.formats:
            return found
        formats, made = self.formats, self.made
        for note_id, vid, stored in self._rows(run, note_ids):
            key = (vid, stored)
            value = made.get(key)
            if value is None:
                make = formats.get(vid)
                if make is None:
                    continue  # a variable created after the settings snapshot
                value = make(stored)
                if len(made) >= MEMO_SIZE:
                    made.clear()
                made[key] = value
            found[note_id][vid] = value
        return found


# Readers by settings snapshot (held, so that its id is not reused) and engine.
_READERS: dict[tuple[int, bool], tuple[Settings, ValueReader]] = {}
