"""Export notes as CSV or JSON, sorted, filtered and searched as the notes list is.

The CSV has the import's columns (built-ins, then every variable in configured order,
archived ones included), so an export imports back into the same settings unchanged.
It is spreadsheet-safe and exact: a free-text cell that a spreadsheet would run as a
formula gets one more leading ``'`` (``files.spreadsheet_safe``), which the import
removes, and every cell holding a comma, quote, CR or LF is quoted.
JSON is a list of objects with the same keys: blanks are ``null``, numbers are JSON
numbers, currency stays an exact decimal string (``"1234.50"``), dates are ISO text.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any, TextIO

from crm_tui.db.models import Note
from crm_tui.db.rows import tuple_rows
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.columns import CSV_COLUMNS, export_header
from crm_tui.domain.exchange.files import spreadsheet_safe
from crm_tui.domain.query import NotePager, NoteQuery, parse_condition, parse_sort
from crm_tui.domain.values import format_date, format_timestamp
from crm_tui.i18n import _
from crm_tui.records import NoteRow, Settings

FORMATS = ("csv", "json")
BATCH = 1000
_FORMULA_FIRST = frozenset("=+-@\t\r'")  # first characters ``spreadsheet_safe`` may act on


def build_query(
    settings: Settings,
    *,
    sort: str | None = None,
    where: Sequence[str] = (),
    search: str = "",
    today: dt.date,
) -> NoteQuery:
    """The query of ``--sort``, ``--where`` (ANDed) and ``--search``, checked."""
    try:
        keys = parse_sort(sort, settings) if sort else ()
    except ValidationError as error:
        raise ExchangeError(_("--sort {text!r}: {error}").format(text=sort, error=error)) from None
    conditions = []
    for expr in where:
        try:
            conditions.append(parse_condition(expr, settings, today))
        except ValidationError as error:
            raise ExchangeError(
                _("--where {text!r}: {error}").format(text=expr, error=error)
            ) from None
    return NoteQuery(sort=keys, conditions=tuple(conditions), search=(search or "").strip())


def _bodies(note_ids: list[int]) -> dict[int, str]:
    query = Note.select(Note.id, Note.body).where(Note.id.in_(note_ids))
    return dict(tuple_rows(query))


def _batches(rows: Iterator[NoteRow], size: int) -> Iterator[list[NoteRow]]:
    while batch := list(islice(rows, size)):
        yield batch


class _Cells:
    """Turns a ``NoteRow`` and its body into the exported cells, ``None`` for blanks."""

    def __init__(self, settings: Settings) -> None:
        self.actions = {badge.id: badge.name for badge in settings.actions}
        self.statuses = {badge.id: badge.name for badge in settings.statuses}
        self.variables = settings.variables

    def cells(self, row: NoteRow, body: str) -> list[str | None]:
        cells: list[str | None] = [
            row.customer,
            self.actions.get(row.action_id) if row.action_id is not None else None,
            self.statuses.get(row.status_id) if row.status_id is not None else None,
            row.assignee or None,
            format_date(row.follow_up) or None,
            format_timestamp(row.created_at),
            body,
        ]
        for variable in self.variables:
            value = row.values.get(variable.id)
            cells.append(value.text if value is not None and value.text != "" else None)
        return cells


def _rows(
    settings: Settings, query: NoteQuery, today: dt.date, limit: int | None
) -> Iterator[list[str | None]]:
    batch = BATCH if limit is None else max(1, min(BATCH, limit))
    rows: Iterator[NoteRow] = NotePager(query, settings, today).iter_rows(batch=batch)
    if limit is not None:
        rows = islice(rows, limit)
    cells = _Cells(settings)
    for chunk in _batches(rows, batch):
        bodies = _bodies([row.id for row in chunk])
        for row in chunk:
            yield cells.cells(row, bodies.get(row.id, ""))


class _LastLine:
    """A stream that keeps the one line ``csv.writer`` just wrote."""

    __slots__ = ("line",)

    def __init__(self) -> None:
        self.line = ""

    def write(self, line: str) -> int:
        self.line = line
        return len(line)


def _text_columns(settings: Settings) -> list[int]:
    """Positions of free-text cells (names, body, text and dropdown values).

    Dates, timestamps, numbers and amounts are written by the app in forms a spreadsheet
    reads as values, so they are never escaped (``-5`` stays a number).
    """
    free = [0, 1, 2, 3, 6]  # customer, action, status, assignee, body
    start = len(CSV_COLUMNS)
    free += [
        start + index
        for index, variable in enumerate(settings.variables)
        if variable.type in ("text", "dropdown")
    ]
    return free


def _write_csv(
    stream: TextIO, header: list[str], rows: Iterable[list[str | None]], text_columns: list[int]
) -> int:
    """Write RFC 4180 CSV, lines ending in LF, spreadsheet-safe and exact.

    ``csv.writer`` quotes a cell holding a character of its line terminator; with
    ``"\r\n"`` a lone CR is quoted too (with ``"\n"`` it is not, and the file would not
    read back), and each line's ``"\r\n"`` is then written as ``"\n"``.
    """
    last = _LastLine()
    writer = csv.writer(last, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(name) for name in header])
    stream.write(last.line[:-2] + "\n")
    count = 0
    for cells in rows:
        out = ["" if cell is None else cell for cell in cells]
        for index in text_columns:
            cell = out[index]
            if cell and cell[0] in _FORMULA_FIRST:
                out[index] = spreadsheet_safe(cell)
        writer.writerow(out)
        stream.write(last.line[:-2] + "\n")
        count += 1
    return count


def _json_value(variable_type: str, text: str | None) -> Any:
    if text is None or variable_type != "number":
        return text
    number = float(text)
    return int(number) if number.is_integer() else number


def _write_json(
    stream: TextIO, header: list[str], types: list[str], rows: Iterable[list[str | None]]
) -> int:
    count = 0
    stream.write("[")
    for cells in rows:
        item = {
            key: _json_value(kind, cell)
            for key, kind, cell in zip(header, types, cells, strict=True)
        }
        stream.write(",\n  " if count else "\n  ")
        stream.write(json.dumps(item, ensure_ascii=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def export_notes(
    stream: TextIO,
    settings: Settings,
    query: NoteQuery,
    *,
    format: str = "csv",
    limit: int | None = None,
    today: dt.date | None = None,
) -> int:
    """Write the notes ``query`` selects, in its order, to ``stream``; returns how many."""
    if format not in FORMATS:
        raise ExchangeError(
            _("{format!r} is not an export format; use csv or json").format(format=format)
        )
    today = today or dt.date.today()
    header = export_header(settings)
    rows = _rows(settings, query, today, limit)
    # Run the query and read the first notes before writing the first byte: a refusal
    # (of the database, of a value) then leaves the output empty.
    first = next(rows, None)
    if first is not None:
        rows = chain([first], rows)
    if format == "csv":
        return _write_csv(stream, header, rows, _text_columns(settings))
    types = ["text"] * len(CSV_COLUMNS) + [variable.type for variable in settings.variables]
    return _write_json(stream, header, types, rows)
