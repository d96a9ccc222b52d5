"""The public shapes of a notes query: sort keys, conditions, cursors and pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm_tui.records import NoteRow

BUILTIN_COLUMNS = ("customer", "action", "status", "assignee", "follow_up", "created_at")
"""Built-in columns, by their CSV names (also their column ids)."""

COLUMN_ALIASES = {
    "customer": "customer",
    "action": "action",
    "status": "status",
    "assignee": "assignee",
    "followup": "follow_up",
    "createdat": "created_at",
    "created": "created_at",
}
"""Spellings of the built-in columns accepted in conditions, sort keys and CSV headers, by
the name folded without spaces, ``_`` and ``-`` (``Follow-up`` → ``followup``)."""

OPERATORS = ("=", "!=", "<", "<=", ">", ">=")
RANGE_OPERATORS = ("<", "<=", ">", ">=")
OVERDUE = "overdue"
"""The pseudo-column of conditions on late follow-ups (value ``True``/``False``)."""
CALLABLE = "callable"
"""The pseudo-column of conditions on customers inside business hours now (value
``True``/``False``; a customer with no known zone is not callable)."""
LOCAL_TIME = "local_time"
"""The sort column of customers' local time: the furthest-along first (descending: the
least), customers with no known zone last, ties newest first."""

VARIABLE_PREFIX = "var:"


def variable_column(variable_id: int) -> str:
    """The column id of a variable."""
    return f"{VARIABLE_PREFIX}{variable_id}"


@dataclass(frozen=True, slots=True)
class SortKey:
    """One key of a sort: a column id (built-in name or ``var:ID``) and a direction."""

    column: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Condition:
    """A filter ``column op value``; ``value`` is already typed (``None`` means blank).

    Status, action, assignee, customer and dropdown values are ids; dates are
    ``datetime.date`` (``created_at`` also takes a ``datetime``); currency is integer
    cents; numbers are floats; text is compared folded. Columns ``overdue`` and
    ``callable`` take ``True``/``False``.
    """

    column: str
    op: str
    value: object


@dataclass(frozen=True, slots=True)
class NoteQuery:
    """What the notes list shows: sort keys, conditions (ANDed) and search words."""

    sort: tuple[SortKey, ...] = ()
    conditions: tuple[Condition, ...] = ()
    search: str = ""

    @property
    def follows_the_clock(self) -> bool:
        """Whether its rows change as time passes, no note written: a ``callable``
        condition (business hours open and close) or a ``local_time`` sort."""
        return any(c.column == CALLABLE for c in self.conditions) or any(
            key.column == LOCAL_TIME for key in self.sort
        )


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in a ``NotePager``: the sort keys of one row and its note id.

    ``keys`` holds one entry per effective sort key of the list that made it (an id,
    a typed value, ``(name_key, id)`` for customers and assignees, or ``None`` for a
    blank). Paging "after" a cursor resumes just after its row, even if the row has
    since been deleted or changed.
    """

    keys: tuple[object, ...]
    note_id: int

    def inclusive(self) -> Cursor:
        """A cursor that resumes *at* this row rather than after it."""
        return Cursor(self.keys, self.note_id + 1)


@dataclass(slots=True)
class Page:
    """Consecutive rows of a ``NotePager`` in order, with one resumable cursor per row."""

    rows: list[NoteRow] = field(default_factory=list)
    cursors: list[Cursor] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)
