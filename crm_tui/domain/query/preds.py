"""Conditions compiled to predicates the engine can both run in SQL and test in Python.

A ``Pred`` is ``column op value``, optionally negated. Negation keeps blanks (``!=``
is the complement of ``=``), and a positive comparison never holds for a blank. The
Python test (``Pred.holds``) lets the engine drop whole segments whose fixed key
cannot match (e.g. the group of status *Done* under ``status!=Done``).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crm_tui import clock
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.query.columns import NAMED, Column, column_for
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.note_query import OPERATORS, OVERDUE, RANGE_OPERATORS, Condition
from crm_tui.records import Settings

DAY = "day"
"""Internal operator: ``lo <= value < hi`` with ``value = (lo, hi)`` (a created day)."""

COMPARE: dict[str, Callable[[object, object], bool]] = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Pred:
    """``column op value`` (``value`` ``None``: the column is blank), maybe negated."""

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
            key = key[1]  # type: ignore[index]
        if self.value is None:
            positive = key is None
        elif key is None:
            positive = False
        elif self.op == DAY:
            low, high = self.value  # type: ignore[misc]
            positive = low <= key < high
        else:
            positive = COMPARE[self.op](key, self.value)
        return positive != self.negate


def _midnight(day: dt.date) -> dt.datetime:
    """When ``day`` begins in the viewer's zone, as stored (UTC)."""
    return clock.local_midnight_utc(day)


def _created_preds(column: Column, op: str, value: object) -> list[Pred]:
    """``created_at`` compared with a whole day means that day, from midnight to midnight."""
    if isinstance(value, dt.datetime) or value is None:
        return [Pred(column, "=" if op == "!=" else op, value, op == "!=")]
    if not isinstance(value, dt.date):
        raise ValidationError(column.label, _("{value!r} is not a date").format(value=value))
    start, end = _midnight(value), _midnight(value + dt.timedelta(days=1))
    match op:
        case "=" | "!=":
            return [Pred(column, DAY, (start, end), op == "!=")]
        case "<":
            return [Pred(column, "<", start)]
        case "<=":
            return [Pred(column, "<", end)]
        case ">":
            return [Pred(column, ">=", end)]
        case _:
            return [Pred(column, ">=", start)]


def _typed(column: Column, value: object) -> object:
    """Coerce a condition's value to the type the database returns for the column."""
    if value is None:
        return None
    try:
        match column.type:
            case "text":
                return fold(str(value))
            case "number":
                return float(value)  # type: ignore[arg-type]
            case "currency" | "status" | "action" | "dropdown" | "customer" | "assignee":
                if isinstance(value, bool) or int(value) != value:  # type: ignore[call-overload]
                    raise ValueError(value)
                return int(value)  # type: ignore[call-overload]
            case "date" | "follow_up":
                if isinstance(value, dt.datetime):
                    return value.date()
                if not isinstance(value, dt.date):
                    raise ValueError(value)
                return value
    except (TypeError, ValueError):
        raise ValidationError(
            column.label, _("{value!r} is not a value of this column").format(value=value)
        ) from None
    return value


def compile_conditions(
    conditions: Iterable[Condition], settings: Settings, today: dt.date
) -> list[Pred]:
    """The predicates of ``conditions`` (ANDed), checked against the settings."""
    preds: list[Pred] = []
    for condition in conditions:
        op = condition.op
        if op not in OPERATORS:
            raise ValidationError(condition.column, _("{op!r} is not a comparison").format(op=op))
        if condition.column == OVERDUE:
            if op not in ("=", "!=") or not isinstance(condition.value, bool):
                raise ValidationError(_("overdue"), _("use overdue=yes or overdue=no"))
            late = condition.value == (op == "=")
            preds.append(Pred(column_for("follow_up", settings), "<", today, negate=not late))
            continue
        column = column_for(condition.column, settings)
        if op in RANGE_OPERATORS:
            if not column.ordered:
                problem = _("{op} needs a column with an order (date, number, currency)")
                raise ValidationError(column.label, problem.format(op=op))
            if condition.value is None:
                raise ValidationError(column.label, _("{op} needs a value").format(op=op))
        if column.type == "created_at":
            preds.extend(_created_preds(column, op, condition.value))
            continue
        value = _typed(column, condition.value)
        preds.append(Pred(column, "=" if op == "!=" else op, value, negate=op == "!="))
    return preds
