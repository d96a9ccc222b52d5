"""A plain-Python statement of the SPEC's order, filter and search rules, over dicts.

The query engine must list exactly what this module lists. It shares nothing with the
engine but ``fold``/``search_tokens`` (the definition of "case- and accent-insensitive"
and of a word).

A note is a dict with ``id``, ``customer`` (name), ``customer_id``, ``status_id``,
``action_id``, ``assignee_id``, ``assignee`` (name or ``None``), ``follow_up`` (date or
``None``), ``created_at`` (datetime), ``body`` and ``values`` (variable id → typed value:
text as typed, float, cents, date, option id; absent when blank). ``World`` holds the
configured orders and the variable types.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crm_tui.domain.text import fold, search_tokens

BLANK = object()
_COMPARE = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass
class World:
    """The configured orders: status, action and option ids in list order; variable types."""

    statuses: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    options: dict[int, list[int]] = field(default_factory=dict)
    types: dict[int, str] = field(default_factory=dict)


def _variable(column: str) -> int | None:
    return int(column[4:]) if column.startswith("var:") else None


def sort_value(note: dict, column: str, world: World) -> object:
    """What a note is ordered by in ``column``; ``BLANK`` when it has no value."""
    variable = _variable(column)
    if variable is not None:
        value = note["values"].get(variable)
        if value is None:
            return BLANK
        kind = world.types[variable]
        if kind == "text":
            return fold(value)
        if kind == "dropdown":
            return world.options[variable].index(value)
        return value
    match column:
        case "customer":
            return fold(note["customer"])
        case "assignee":
            return BLANK if note["assignee"] is None else fold(note["assignee"])
        case "status" | "action":
            item = note[f"{column}_id"]
            orders = world.statuses if column == "status" else world.actions
            return BLANK if item is None else orders.index(item)
        case _:
            value = note[column]
            return BLANK if value is None else value


def _compare_notes(a: dict, b: dict, sort: Sequence[tuple[str, bool]], world: World) -> int:
    for column, descending in sort:
        x, y = sort_value(a, column, world), sort_value(b, column, world)
        if x is BLANK or y is BLANK:
            if x is BLANK and y is BLANK:
                continue
            return 1 if x is BLANK else -1  # blanks last, whatever the direction
        if x == y:
            continue
        before = x < y  # type: ignore[operator]
        return (1 if before else -1) if descending else (-1 if before else 1)
    return -1 if a["id"] > b["id"] else (1 if a["id"] < b["id"] else 0)  # newest first


def filter_value(note: dict, column: str, world: World) -> object:
    """What a condition on ``column`` compares (ids for names and badges; ``None`` blank)."""
    variable = _variable(column)
    if variable is not None:
        value = note["values"].get(variable)
        if value is not None and world.types[variable] == "text":
            return fold(value)
        return value
    if column in ("customer", "assignee", "status", "action"):
        return note[f"{column}_id"]
    return note[column]


def matches(note: dict, condition: tuple[str, str, object], world: World, today: dt.date) -> bool:
    """Whether ``note`` passes ``(column, op, value)`` (``value`` typed, ``None`` = blank)."""
    column, op, wanted = condition
    if column == "overdue":
        late = note["follow_up"] is not None and note["follow_up"] < today
        return late == wanted if op == "=" else late != wanted
    value = filter_value(note, column, world)
    if isinstance(wanted, str):
        wanted = fold(wanted)
    if column == "created_at" and not isinstance(wanted, dt.datetime) and wanted is not None:
        value = value.date()  # a day compares with the day the note was written
    if op in ("=", "!="):
        equal = value is None if wanted is None else value == wanted
        return equal if op == "=" else not equal
    return value is not None and _COMPARE[op](value, wanted)


def found_by(note: dict, search: str) -> bool:
    """Whether every searched word starts some word of the note's text or customer name."""
    words = search_tokens(f"{note['body']} {note['customer']}")
    return all(any(word.startswith(token) for word in words) for token in search_tokens(search))


def listed(
    notes: Iterable[dict],
    world: World,
    sort: Sequence[tuple[str, bool]] = (),
    conditions: Sequence[tuple[str, str, object]] = (),
    search: str = "",
    today: dt.date | None = None,
) -> list[dict]:
    """The notes a query lists, in order."""
    today = today or dt.date.today()
    kept = [
        note
        for note in notes
        if all(matches(note, condition, world, today) for condition in conditions)
        and found_by(note, search)
    ]
    key = functools.cmp_to_key(lambda a, b: _compare_notes(a, b, sort, world))
    return sorted(kept, key=key)
