"""Reading what the engines return: typed keys, ``NoteRow``s and the stored values of a page.

SQLite gives dates and timestamps as ISO text, PostgreSQL as ``date``/``datetime``;
both come out here as the Python types the rest of the app uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from crm_tui.db.notes_query.plan import NAMED, Column
from crm_tui.records import NoteRow, NoteValueInfo, Settings

Row = tuple[Any, ...]
"""A fetched row. The DB-API gives untyped values; the readers below type each column."""

Runner = Callable[[str, Sequence[object]], list[Row]]
"""Runs one statement with its parameters and returns every row."""

StoredValue = tuple[int, int, Any]
"""``(note id, variable id, value)``, the value as the engine returns it (text, number,
cents, option id, or a date: ISO text on SQLite)."""

ValueFormatter = Callable[[list[int], Iterable[StoredValue]], dict[int, dict[int, NoteValueInfo]]]
"""Turns the stored values of some notes into each note's values by variable, as shown."""


def to_date(value: object) -> dt.date | None:
    """A date read from either engine (SQLite gives ``YYYY-MM-DD`` text)."""
    if value is None or type(value) is dt.date:
        return value
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
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def to_timestamp(value: object) -> dt.datetime:
    """A timestamp of a ``NOT NULL`` column read from either engine."""
    if type(value) is str:
        return dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def to_float(value: float | str | None) -> float | None:
    """A number read from either engine."""
    return None if value is None else float(value)


def key_reader(column: Column) -> Callable[[Row], object]:
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
        return lambda row: to_float(row[-1])
    return lambda row: row[-1]


# From the first non-blank character to the end of its line (the breaks of str.splitlines).
_FIRST_LINE = re.compile(r"[^\s][^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*")


def summary(body: str) -> str:
    """The first non-empty line of a note's text, stripped."""
    found = _FIRST_LINE.search(body) if body else None
    return found.group().rstrip() if found else ""


def zones_by_option(settings: Settings) -> dict[int, str]:
    """The IANA zone of each option of the settings' time-zone variable that has one."""
    variable = settings.time_zone_variable()
    if variable is None:
        return {}
    return {option.id: option.time_zone for option in variable.options if option.time_zone}


def note_row(row: Row, values: dict[int, NoteValueInfo], zones: dict[int, str]) -> NoteRow:
    """A ``NoteRow`` from a tuple of ``statements.ROW_COLUMNS``; ``zones``: the zone of
    each time-zone option (``zones_by_option``)."""
    note_id, created, customer_id, customer, action, status, assignee_id, assignee = row[:8]
    return NoteRow(
        note_id,
        to_timestamp(created),
        customer_id,
        customer or "",
        action,
        status,
        assignee_id,
        assignee or "",
        to_date(row[8]),
        summary(row[9]),
        values,
        zones.get(row[10]) if row[10] is not None else None,
    )


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


class StoredValues:
    """Reads the stored values of a page's notes in one statement."""

    def __init__(self, settings: Settings, sqlite: bool) -> None:
        self.sqlite = sqlite
        self.placeholder = "?" if sqlite else "%s"
        self.columns = {v.id: _TYPED_COLUMN.get(v.type, 2) for v in settings.variables}

    def read(self, run: Runner, note_ids: list[int]) -> Iterable[StoredValue]:
        """``(note id, variable id, value)`` of every value stored on these notes."""
        marks = ", ".join([self.placeholder] * len(note_ids))
        if self.sqlite:
            return run(_SQLITE_VALUES_SQL.format(marks=marks), note_ids)
        columns = self.columns
        return (
            (row[0], row[1], row[columns.get(row[1], 2)])
            for row in run(_TYPED_VALUES_SQL.format(marks=marks), note_ids)
        )
