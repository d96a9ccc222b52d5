"""Turning fetched tuples into ``NoteRow``s: typed columns, summary, values of a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from crm_tui.domain.query.columns import NAMED, Column
from crm_tui.domain.records import NoteRow, NoteValueInfo, Settings
from crm_tui.domain.values import format_currency, format_number


def to_date(value: object) -> dt.date | None:
    """A date read from either engine (SQLite gives ``YYYY-MM-DD`` text)."""
    if value is None or type(value) is dt.date:
        return value  # type: ignore[return-value]
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value))


def to_datetime(value: object) -> dt.datetime | None:
    """A timestamp read from either engine (SQLite gives ISO text)."""
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


def summary(body: str) -> str:
    """The first non-empty line of a note's text."""
    for line in (body or "").splitlines():
        stripped = line.strip()
        if stripped:
            return stripped
    return ""


def note_row(row: Sequence[object], values: dict[int, NoteValueInfo]) -> NoteRow:
    """A ``NoteRow`` from a tuple of ``sql.ROW_COLUMNS``."""
    return NoteRow(
        id=row[0],  # type: ignore[arg-type]
        created_at=to_datetime(row[1]),  # type: ignore[arg-type]
        customer_id=row[2],  # type: ignore[arg-type]
        customer=row[3] or "",  # type: ignore[arg-type]
        action_id=row[4],  # type: ignore[arg-type]
        status_id=row[5],  # type: ignore[arg-type]
        assignee_id=row[6],  # type: ignore[arg-type]
        assignee=row[7] or "",  # type: ignore[arg-type]
        follow_up=to_date(row[8]),
        summary=summary(row[9]),  # type: ignore[arg-type]
        values=values,
    )


def _value_text(kind: str, text, number, cents, day, option_id, settings: Settings) -> str:
    match kind:
        case "dropdown":
            option = settings.option(option_id)
            return option.name if option else ""
        case "currency":
            return format_currency(cents)
        case "number":
            return format_number(_to_float(number))
        case "date":
            found = to_date(day)
            return found.isoformat() if found else ""
        case _:
            return text or ""


Runner = Callable[[str, Sequence[object]], list[Sequence[object]]]


def page_values(
    run: Runner, note_ids: list[int], settings: Settings, placeholder: str
) -> dict[int, dict[int, NoteValueInfo]]:
    """The values of every variable on these notes, in one query (blank: empty text)."""
    kinds = {variable.id: variable.type for variable in settings.variables}
    blank = {vid: NoteValueInfo(vid, "", None) for vid in kinds}
    found: dict[int, dict[int, NoteValueInfo]] = {note_id: dict(blank) for note_id in note_ids}
    if not note_ids or not kinds:
        return found
    marks = ", ".join([placeholder] * len(note_ids))
    rows = run(
        "SELECT note_id, variable_id, value_text, value_num, value_cents, value_date, option_id"
        f" FROM note_value WHERE note_id IN ({marks})",
        note_ids,
    )
    for note_id, vid, text, number, cents, day, option_id in rows:
        kind = kinds.get(vid)
        if kind is None:
            continue
        shown = _value_text(kind, text, number, cents, day, option_id, settings)
        found[note_id][vid] = NoteValueInfo(vid, shown, option_id)
    return found
