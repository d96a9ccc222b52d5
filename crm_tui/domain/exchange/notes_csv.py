"""Import notes from CSV: check every line first, then write them all in one transaction.

Columns: ``customer, action, status, assignee, follow_up, created_at, body`` and one per
variable, named as the variable, in any order; only ``customer`` is required. Statuses,
actions, options and users are named by name or abbreviation, as in the note editor.
Values are checked by the same rules as the editor (``note_input.Resolver`` and
``values.parse_*``); each distinct text of a column is checked once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import peewee

from crm_tui import clock
from crm_tui.db import customer_state
from crm_tui.db.bulk_load import (
    NOTE_COLUMNS,
    bulk_writing,
    create_indexes,
    customer_names_by_id,
    drop_indexes,
    insert_rows,
    insert_values,
    sqlite_value,
    unchecked_references,
)
from crm_tui.db.models import Note, database_proxy
from crm_tui.domain import history
from crm_tui.domain.cockpit import pipeline
from crm_tui.domain.customers import clean_customer_name, ensure_customers
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.columns import Column, match_notes_header
from crm_tui.domain.exchange.files import (
    csv_problem,
    csv_records,
    display_name,
    formula_unescaped,
)
from crm_tui.domain.ids import allocate_note_ids
from crm_tui.domain.note_input import Resolver, TypedValue
from crm_tui.domain.notes import index_new_notes, lock_note_writes
from crm_tui.domain.progress import NullProgress, Progress
from crm_tui.domain.text import check_multiline
from crm_tui.domain.values import FIRST_TIME, LAST_TIME, parse_date, parse_timestamp
from crm_tui.i18n import _
from crm_tui.records import UserInfo, VariableInfo

# Loads adding at least this many notes, and more than the table holds, rebuild indexes.
BULK_LOAD_MINIMUM = 50_000
_PROGRESS_STEP = 5_000
_EPOCH = dt.datetime(1970, 1, 1)
_SECOND = dt.timedelta(seconds=1)
_PLAIN_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")
_FIRST_DAY, _LAST_DAY = FIRST_TIME.date().isoformat(), LAST_TIME.date().isoformat()
_MISSING = object()

# One checked value: (variable id, variable type, its typed note_value columns).
ValueCells = tuple[int, str, tuple[Any, ...]]


class ParsedNote(NamedTuple):
    """One checked CSV line; dates and timestamps already in the engine's form."""

    line: int
    customer: str
    action_id: int | None
    status_id: int | None
    assignee_id: int | None
    follow_up: Any
    created_at: Any
    second: int
    body: str
    values: tuple[ValueCells, ...]


@dataclass(frozen=True, slots=True)
class NotesImported:
    """What an import wrote."""

    notes: int
    new_customers: int


def _same(value: Any) -> Any:
    return value


def _value_cells(
    typed: TypedValue | None, variable: VariableInfo, adapt: Callable[[Any], Any]
) -> ValueCells | None:
    if typed is None:
        return None
    match variable.type:
        case "text":
            cells: tuple[Any, ...] = (typed.text, typed.key)
        case "number":
            cells = (typed.number,)
        case "currency":
            cells = (typed.cents,)
        case "date":
            cells = (adapt(typed.date),)
        case _:
            cells = (typed.option_id,)
    return (variable.id, variable.type, cells)


def _checked_body(label: str, raw: str) -> str:
    """A note's text as stored (CRLF and lone CR as LF), refused by the text rules."""
    return check_multiline(raw, label)


class _LineReader:
    """Turns the fields of one CSV line into a ``ParsedNote``."""

    def __init__(
        self, columns: list[Column], resolver: Resolver, now: dt.datetime, dates_as_text: bool
    ) -> None:
        self.width = len(columns)
        self.dates_as_text = dates_as_text
        adapt = sqlite_value if dates_as_text else _same
        # The local zone's offset from UTC by hour (``YYYY-MM-DDTHH``): zones change it on
        # the hour, and converting each line's time would cost a quarter of the import.
        self.offsets: dict[str, dt.timedelta] = {}
        self.now = self._stamp(now.replace(microsecond=0), now.isoformat(" ", "seconds"))
        converters: dict[str, tuple[Callable[[str], Any], bool]] = {
            "customer": (clean_customer_name, True),
            "action": (resolver.action, True),
            "status": (resolver.status, True),
            "assignee": (lambda raw: resolver.user(raw, _("assignee")), True),
            "follow_up": (lambda raw: adapt(parse_date(raw, _("follow-up"))), True),
            "created_at": (self._timestamp, False),
            "body": (partial(_checked_body, _("body")), False),
        }
        # (builtin name, index, header, convert, cache of checked texts or None).
        self.builtins: list[tuple[str, int, str, Callable[[str], Any], dict[str, Any] | None]] = []
        for column in columns:
            if column.builtin:
                convert, cached = converters[column.builtin]
                cache: dict[str, Any] | None = {} if cached else None
                self.builtins.append((column.builtin, column.index, column.header, convert, cache))
        self.variables: list[tuple[int, str, Callable[[str], Any], dict[str, Any]]] = [
            (c.index, c.header, self._variable_converter(resolver, c.variable, adapt), {})
            for c in columns
            if c.variable is not None
        ]

    @staticmethod
    def _variable_converter(
        resolver: Resolver, variable: VariableInfo, adapt: Callable[[Any], Any]
    ) -> Callable[[str], Any]:
        return lambda raw: _value_cells(resolver.value(variable, raw), variable, adapt)

    def _stamp(self, stamp: dt.datetime, text: str) -> tuple[Any, int]:
        return (text if self.dates_as_text else stamp, (stamp - _EPOCH) // _SECOND)

    def _timestamp(self, raw: str) -> tuple[Any, int]:
        text = raw.strip()
        if not text:
            return self.now
        # The common case, checked without the general parser (the range by its text).
        if _PLAIN_STAMP.fullmatch(text) and _FIRST_DAY <= text[:10] <= _LAST_DAY:
            try:
                local = dt.datetime.fromisoformat(text)  # the importer's local time
                offset = self.offsets.get(text[:13])
                if offset is None:
                    offset = self.offsets[text[:13]] = local - clock.to_utc(local)
                if not offset:  # a machine on UTC: the text is already as stored
                    return self._stamp(local, f"{text[:10]} {text[11:]}")
                stamp = local - offset
                return self._stamp(stamp, stamp.isoformat(" "))
            except (ValueError, OverflowError):
                pass
        parsed = parse_timestamp(text, _("created_at"))
        assert parsed is not None
        return self._stamp(parsed, parsed.isoformat(" "))

    def read(self, path: str | Path, line: int, fields: list[str]) -> ParsedNote:
        """Check one line; raise an ``ExchangeError`` naming the line and column."""
        if len(fields) != self.width:
            raise csv_problem(
                path,
                line,
                None,
                _("{count} fields, but the header names {width} columns").format(
                    count=len(fields), width=self.width
                ),
            )
        found: dict[str, Any] = {}
        cells: list[ValueCells] = []
        header = ""
        try:
            for name, index, header, convert, cache in self.builtins:  # noqa: B007
                raw = fields[index]
                if raw[:1] == "'":
                    raw = formula_unescaped(raw)
                value = _MISSING if cache is None else cache.get(raw, _MISSING)
                if value is _MISSING:
                    value = convert(raw)
                    if cache is not None:
                        cache[raw] = value
                found[name] = value
            for index, header, convert, cache in self.variables:  # noqa: B007
                raw = fields[index]
                if raw[:1] == "'":
                    raw = formula_unescaped(raw)
                value = cache.get(raw, _MISSING)
                if value is _MISSING:
                    value = cache[raw] = convert(raw)
                if value is not None:
                    cells.append(value)
        except ValidationError as error:
            raise csv_problem(path, line, header, error.problem) from None
        created_at, second = found.get("created_at", self.now)
        return ParsedNote(
            line,
            found["customer"],
            found.get("action"),
            found.get("status"),
            found.get("assignee"),
            found.get("follow_up"),
            created_at,
            second,
            found.get("body", ""),
            tuple(cells),
        )


def read_notes_csv(
    path: str | Path,
    resolver: Resolver,
    *,
    now: dt.datetime,
    dates_as_text: bool,
    progress: Progress | None = None,
) -> list[ParsedNote]:
    """Check a whole notes CSV against the settings and users; writes nothing.

    A blank ``created_at`` becomes ``now``. Dates come back as SQLite's text when ``dates_as_text``.
    """
    progress = progress or NullProgress()
    records = csv_records(path)
    first = next(records, None)
    if first is None:
        raise ExchangeError(
            _("{file} is empty: its first line must name the columns").format(
                file=display_name(path)
            )
        )
    header = [formula_unescaped(name) for name in first[1]]
    columns = match_notes_header(path, header, resolver.settings)
    reader = _LineReader(columns, resolver, now, dates_as_text)
    progress.start(_("Checking {file}").format(file=display_name(path)), None)
    notes: list[ParsedNote] = []
    for line, fields in records:
        notes.append(reader.read(path, line, fields))
        if len(notes) % _PROGRESS_STEP == 0:
            progress.advance(_PROGRESS_STEP)
    return notes


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_notes(
    notes: list[ParsedNote],
    author_id: int,
    now: dt.datetime,
    progress: Progress | None = None,
) -> NotesImported:
    """Save checked notes, their values and their search entries in the caller's transaction.

    Creates the customers that do not exist yet. Notes created in the same second keep
    the file's order in the newest-first list.
    """
    progress = progress or NullProgress()
    database = database_proxy.obj
    if not notes:
        return NotesImported(notes=0, new_customers=0)
    progress.start(_("Saving notes"), len(notes))
    lock_note_writes()  # concurrent imports would allocate the same note ids
    was_empty = not Note.select().exists()  # one index step; a count reads every note
    customer_ids, created = ensure_customers(database, (note.customer for note in notes), now)
    ids = allocate_note_ids(database, [note.second for note in notes])
    note_rows = []
    values: dict[int, tuple[str, list[tuple[Any, ...]]]] = {}
    for position in sorted(range(len(notes)), key=ids.__getitem__):
        note = notes[position]
        note_id = ids[position]
        note_rows.append(
            (note_id, customer_ids[note.customer], note.action_id, note.status_id,
             note.assignee_id, author_id, note.body, note.follow_up, note.created_at,
             note.created_at, 1)
        )  # fmt: skip
        for variable_id, variable_type, cells in note.values:
            values.setdefault(variable_id, (variable_type, []))[1].append((note_id, *cells))
    bulk = len(notes) >= BULK_LOAD_MINIMUM and (
        was_empty or len(notes) > Note.select().count()  # counted only for big loads
    )
    dropped = drop_indexes(database, ("note", "note_value")) if bulk else []
    for chunk in _chunks(note_rows, 20_000):
        insert_rows(database, "note", NOTE_COLUMNS, chunk)
        progress.advance(len(chunk))
    for variable_id, (variable_type, rows) in values.items():
        insert_values(database, variable_type, variable_id, rows)
    progress.start(_("Indexing"), None)
    create_indexes(database, dropped)
    _index(database, note_rows, was_empty)
    if bulk:
        customer_state.rebuild_all(database, pipeline.default_variables())
    else:
        customer_state.refresh_customers(
            database, customer_ids.values(), [row[0] for row in note_rows]
        )
    return NotesImported(notes=len(notes), new_customers=created)


def _index(database: peewee.Database, note_rows: list[tuple[Any, ...]], rebuild: bool) -> None:
    ids = [row[0] for row in note_rows]
    if bulk_writing(database).index_reads_notes:
        index_new_notes(database, ids, rebuild=rebuild)
        return
    names = customer_names_by_id(database, sorted({row[1] for row in note_rows}))
    documents = [(row[0], row[6], names[row[1]]) for row in note_rows]
    index_new_notes(database, ids, documents=documents)


def import_notes_csv(
    actor: UserInfo,
    path: str | Path,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> NotesImported:
    """Check a notes CSV, then save all its notes by ``actor`` in one transaction."""
    now = now or history.now()
    database = database_proxy.obj
    with unchecked_references(database), database_proxy.atomic():
        notes = read_notes_csv(
            path,
            Resolver.load(),
            now=now,
            dates_as_text=bulk_writing(database).dates_as_text,
            progress=progress,
        )
        try:
            return write_notes(notes, actor.id, now, progress)
        except ValidationError as error:  # a rule checked while saving: name the file
            raise ExchangeError(
                _("{file}: {field}: {problem}").format(
                    file=display_name(path), field=error.field, problem=error.problem
                )
            ) from None
