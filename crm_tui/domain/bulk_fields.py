"""Set-based writes of one note field on many notes (bulk edit and its undo).

The notes worked on sit in a temporary table of the current connection
(``db.marked_notes``): every statement works on the whole table at once, so 100,000 notes
cost a few statements, not 100,000. Only the fields a bulk edit sets live here: status,
action, assignee, follow-up and variable values (never the text or the customer, so the
search index is untouched).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from crm_tui.db.marked_notes import MarkedNotesTable
from crm_tui.db.models import User, database_proxy
from crm_tui.db.notes_query.decode import to_date
from crm_tui.db.rows import tuple_rows
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.history import history_text
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
        self._users: dict[int, str] = dict(tuple_rows(User.select(User.id, User.name)))
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
            shown = value.display(self.settings) if isinstance(value, TypedValue) else value
            return history_text(shown)
        if spec.name in ("status", "action"):
            badge = None
            if isinstance(value, int):
                found = self.settings.status if spec.name == "status" else self.settings.action
                badge = found(value)
            return badge.name if badge else None
        if spec.name == "assignee":
            return self._users.get(value) if isinstance(value, int) else None
        return history_text(value)


class MarkedNotes(MarkedNotesTable):
    """The notes worked on (``db.marked_notes``), read and written field by field."""

    def __init__(self) -> None:
        super().__init__(database_proxy.obj)

    def current(self, spec: FieldSpec, batch: int = 5000) -> Iterator[tuple[int, object]]:
        """``(note id, typed value)`` of every note in the table, for ``spec``'s field."""
        if spec.column is not None:
            for note_id, raw in self.column_values(spec.column, batch):
                yield note_id, to_date(raw) if spec.name == "follow_up" else raw
            return
        variable_id = _variable_id(spec)
        for row in self.variable_values(variable_id, batch):
            yield _as_int(row[0]), _typed_value(variable_id, row[1:])

    def set_value(
        self, spec: FieldSpec, value: object, at: dt.datetime, group: int | None = None
    ) -> None:
        """Give the field ``value`` on the notes of the table (or of one ``group`` of it),
        each note getting a new version, updated ``at``."""
        if spec.column is not None:
            self.set_column(spec.column, value, at, group)
            return
        columns = None
        if isinstance(value, TypedValue):
            columns = (
                value.text,
                value.key,
                value.number,
                value.cents,
                value.date,
                value.option_id,
            )
        self.set_variable(_variable_id(spec), columns, at, group)


def _variable_id(spec: FieldSpec) -> int:
    if spec.variable is None:
        raise ValueError(f"{spec.name} is not a variable")
    return int(spec.variable.id)


def _typed_value(variable_id: int, cells: Sequence[object]) -> TypedValue | None:
    """The typed value of ``note_value`` cells (``VALUE_COLUMNS`` order), ``None`` if none."""
    text, key, number, cents, day, option = cells
    if text is None and number is None and cents is None and day is None and option is None:
        return None
    return TypedValue(
        variable_id,
        None if text is None else str(text),
        None if key is None else str(key),
        None if number is None else _as_float(number),
        None if cents is None else _as_int(cents),
        to_date(day),
        None if option is None else _as_int(option),
    )


def _as_float(value: object) -> float:
    """A number read back from either engine (PostgreSQL may give a ``Decimal``)."""
    return float(value) if isinstance(value, int | float | Decimal) else float(str(value))


def _as_int(value: object) -> int:
    """An integer read back from either engine."""
    return value if isinstance(value, int) else int(str(value))


def write_history(
    marked: MarkedNotes,
    user_id: int | None,
    batch: int,
    at: dt.datetime,
    lines: Iterable[tuple[str, int, str, str | None, str | None]],
) -> int:
    """Write ``(entity, entity id, field, old, new)`` history lines in one batch."""
    return marked.write_history(user_id, batch, at, lines)
