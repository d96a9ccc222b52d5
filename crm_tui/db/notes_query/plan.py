"""A notes query compiled for storage: its columns, predicates, levels, and the segment walk.

The domain compiles a ``NoteQuery`` against a settings snapshot into a ``Plan`` (plain
data: which columns, how each is stored, which predicates, which search words); the
storage pages through it. The order of a query is its sort keys (the *levels*), then
newest note first. It is cut into segments, each one a single index walk:

* a group level (status, action, dropdown) is a run of its groups in configured order,
  then its blanks; each group fixes the column to one id;
* a value or named level that is the last level is one *span* (every non-blank value in
  order, ties newest first: one walk of the value index or of the customer/user names
  joined to the notes) followed by its blanks;
* a value or named level followed by other levels runs over its distinct values (one
  small query each, only when reached), fixing the column to each in turn, then blanks;
* once every level is fixed, what is left is newest first: an *id* segment.

A cursor (the keys of a row) says in which segment to resume; walking backward visits
the same segments in reverse order, each walked in reverse.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from crm_tui.note_query import Cursor

GROUP = "group"
"""Status, action and dropdown columns: ordered by their groups' configured positions."""
NAMED = "named"
"""Customer and assignee: ordered by the folded name (``name_key``) they point to."""
VALUE = "value"
"""Follow-up, created and text/number/currency/date variables: ordered by the value."""

ZONE = "zone"
"""The type of the customers' local time column: its key is the zone option of the note's
customer (``customer_state.zone_option_id``), its groups the options with a zone."""

ORDERED_TYPES = ("date", "number", "currency", "follow_up", "created_at")
"""Types on which range conditions (``<``, ``<=``, ``>``, ``>=``) make sense."""


@dataclass(frozen=True, slots=True)
class Column:
    """How one sortable/filterable column is stored.

    ``note_column`` is set for columns of ``note``; ``variable_id`` and ``value_column``
    for variables (one ``note_value`` row per note and variable, none when blank).
    ``table`` is the customer/user table a ``NAMED`` column points to (``customer`` or
    ``user``).
    """

    id: str
    label: str
    kind: str
    type: str
    nullable: bool = True
    note_column: str | None = None
    variable_id: int | None = None
    value_column: str | None = None
    table: str | None = None
    groups: tuple[int, ...] = ()

    @property
    def ordered(self) -> bool:
        """Whether range conditions apply to this column."""
        return self.type in ORDERED_TYPES


DAY = "day"
"""Operator ``lo <= value < hi`` with ``value = (lo, hi)`` (a created day)."""

IN = "in"
"""Operator ``value in (…)``, ``value`` a frozenset of ids (the open zone options)."""

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    IN: lambda key, ids: key in ids,
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
"""The Python test of each operator (keys and values are of the column's stored type)."""


def day_range(value: object) -> tuple[Any, Any]:
    """The two bounds held by a ``DAY`` predicate's value."""
    if not isinstance(value, tuple):
        raise TypeError(f"a day range is a pair of times, not {value!r}")
    low, high = value
    return low, high


def named_id(key: object) -> object:
    """The id of a ``NAMED`` column's key ``(name_key, id)``."""
    if not isinstance(key, tuple):
        raise TypeError(f"a customer/assignee key is (name_key, id), not {key!r}")
    return key[1]


def named_key(key: object) -> object:
    """The folded name of a ``NAMED`` column's key ``(name_key, id)``."""
    if not isinstance(key, tuple):
        raise TypeError(f"a customer/assignee key is (name_key, id), not {key!r}")
    return key[0]


@dataclass(frozen=True, slots=True)
class Pred:
    """``column op value`` (``value`` ``None``: the column is blank), maybe negated.

    Negation keeps blanks (``!=`` is the complement of ``=``), and a positive comparison
    never holds for a blank. ``holds`` tests a key in Python, so that the walk can drop
    whole segments whose fixed key cannot match (e.g. the group of status *Done* under
    ``status!=Done``).
    """

    column: Column
    op: str
    value: object
    negate: bool = False

    @property
    def pins(self) -> bool:
        """Whether every matching note has the same value in this column."""
        return self.op == "=" and not self.negate

    def holds(self, key: object) -> bool:
        """Whether a note whose key in this column is ``key`` matches."""
        if self.column.kind == NAMED and key is not None:
            key = named_id(key)
        if self.value is None:
            positive = key is None
        elif key is None:
            positive = False
        elif self.op == DAY:
            low, high = day_range(self.value)
            positive = low <= key < high
        else:
            positive = COMPARE[self.op](key, self.value)
        return positive != self.negate


@dataclass(frozen=True, slots=True)
class Level:
    """One effective sort key: its position among the levels, column and direction."""

    index: int
    column: Column
    descending: bool

    def groups(self) -> list[int | None]:
        """Group ids in list order, then blank (group levels only)."""
        ordered: list[int | None] = list(self.column.groups)
        if self.descending:
            ordered.reverse()
        if self.column.nullable:
            ordered.append(None)
        return ordered


Fix = tuple[Level, object]
"""A level fixed to one key (``None``: blank)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One index walk: levels fixed by ``fixes``; then ``span``'s values, or newest first.

    ``bound`` is exclusive: a key of ``span`` (span segments) or a note id (id segments);
    ``None`` walks from the start. ``forward`` is list order, else reverse list order.
    """

    fixes: tuple[Fix, ...]
    span: Level | None
    bound: object
    forward: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """A query compiled against a settings snapshot: levels, predicates, search words."""

    levels: tuple[Level, ...]
    preds: tuple[Pred, ...]
    tokens: tuple[str, ...]

    def fix_ok(self, level: Level, key: object) -> bool:
        """Whether notes with ``key`` in ``level``'s column can match the conditions."""
        return all(p.holds(key) for p in self.preds if p.column.id == level.column.id)

    def span_ok(self, level: Level) -> bool:
        """Whether notes with a value in ``level``'s column can match the conditions."""
        return not any(
            p.column.id == level.column.id and p.value is None and not p.negate for p in self.preds
        )


NextKey = Callable[[Level, tuple[Fix, ...], object, bool], object]
"""``(level, fixes, after, forward)`` → the next distinct non-blank key, or ``None``."""


def segments(
    plan: Plan, cursor: Cursor | None, forward: bool, next_key: NextKey
) -> Iterator[Segment]:
    """The segments after ``cursor`` (forward) or before it (backward), lazily, in walk order.

    ``cursor`` ``None`` starts from the beginning (forward) or the end (backward).
    """
    yield from _walk(plan, 0, (), cursor, forward, next_key)


def _walk(
    plan: Plan,
    depth: int,
    fixes: tuple[Fix, ...],
    cursor: Cursor | None,
    forward: bool,
    next_key: NextKey,
) -> Iterator[Segment]:
    if depth == len(plan.levels):
        yield Segment(fixes, None, cursor.note_id if cursor else None, forward)
        return
    level = plan.levels[depth]
    current = cursor.keys[depth] if cursor is not None else None

    def part(key: object, resume: bool) -> Iterator[Segment]:
        if plan.fix_ok(level, key):
            inner = cursor if resume else None
            yield from _walk(plan, depth + 1, (*fixes, (level, key)), inner, forward, next_key)

    if level.column.kind == GROUP:
        keys = level.groups()
        if not forward:
            keys.reverse()
        start = keys.index(current) if cursor is not None and current in keys else 0
        resume = cursor is not None and current in keys
        for offset, key in enumerate(keys[start:]):
            yield from part(key, resume and offset == 0)
        return

    blanks = level.column.nullable

    def values(after: object) -> Iterator[Segment]:
        if not plan.span_ok(level):
            return
        if depth == len(plan.levels) - 1:
            yield Segment(fixes, level, after, forward)
            return
        key = after
        while (found := next_key(level, fixes, key, forward)) is not None:
            if found == key:  # a walk that does not advance would never end
                raise RuntimeError(f"distinct values of {level.column.id} do not advance")
            key = found
            yield from part(key, False)

    if forward:
        if cursor is not None and current is None:
            if blanks:
                yield from part(None, True)
            return
        if cursor is not None:
            yield from part(current, True)
        yield from values(current)
        if blanks:
            yield from part(None, False)
    else:
        if cursor is None or current is None:
            if blanks:
                yield from part(None, cursor is not None)
            yield from values(None)
        else:
            yield from part(current, True)
            yield from values(current)
