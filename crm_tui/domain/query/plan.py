"""The segment walk: the list order as a lazy sequence of index-ordered SQL segments.

The order of a query is its sort keys (the *levels*), then newest note first. It is cut
into segments, each one a single index walk:

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

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crm_tui.domain.query.columns import GROUP, Column, column_for
from crm_tui.domain.query.preds import Pred, compile_conditions
from crm_tui.domain.text import search_tokens
from crm_tui.note_query import Cursor, NoteQuery
from crm_tui.records import Settings


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


def compile_plan(query: NoteQuery, settings: Settings, today: dt.date) -> Plan:
    """Check ``query`` against ``settings`` and cut it into levels and predicates.

    A sort key whose column an ``=`` condition pins to one value orders nothing and is
    dropped, as is a repeated one.
    """
    preds = tuple(compile_conditions(query.conditions, settings, today))
    pinned = {p.column.id for p in preds if p.pins}
    levels: list[Level] = []
    seen: set[str] = set()
    for key in query.sort:
        column = column_for(key.column, settings)
        if column.id in seen or column.id in pinned:
            continue
        seen.add(column.id)
        levels.append(Level(len(levels), column, key.descending))
    tokens = tuple(dict.fromkeys(search_tokens(query.search or "")))
    return Plan(tuple(levels), preds, tokens)


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
