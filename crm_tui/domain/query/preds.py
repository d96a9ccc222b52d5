"""Conditions compiled to the storage's predicates (``Pred``), checked and typed.

A ``Pred`` is ``column op value``, optionally negated; the storage both runs it in SQL
and tests it in Python (see ``crm_tui.db.notes_query.plan.Pred``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import SupportsFloat, SupportsIndex, SupportsInt

from crm_tui import clock
from crm_tui.db.notes_query.plan import DAY, IN, Column, Pred
from crm_tui.domain.cockpit.hours import open_zone_options
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.query.columns import column_for, zone_column
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.note_query import CALLABLE, OPERATORS, OVERDUE, RANGE_OPERATORS, Condition
from crm_tui.records import Settings


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
                if not isinstance(value, str | SupportsFloat | SupportsIndex):
                    raise TypeError(value)
                return float(value)
            case "currency" | "status" | "action" | "dropdown" | "customer" | "assignee":
                if not isinstance(value, str | SupportsInt | SupportsIndex):
                    raise TypeError(value)
                if isinstance(value, bool) or int(value) != value:
                    raise ValueError(value)
                return int(value)
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


def callable_pred(settings: Settings, now_utc: dt.datetime, callable_now: bool) -> Pred:
    """Notes whose customer is (``callable_now``), or is not, inside business hours at
    ``now_utc``: the customer's zone option is one of the open ones. A customer with no
    known zone is never callable."""
    open_options = frozenset(open_zone_options(settings, now_utc))
    return Pred(zone_column(settings, now_utc), IN, open_options, negate=not callable_now)


def compile_conditions(
    conditions: Iterable[Condition],
    settings: Settings,
    today: dt.date,
    now_utc: dt.datetime | None = None,
) -> list[Pred]:
    """The predicates of ``conditions`` (ANDed), checked against the settings.

    ``now_utc`` (default: now) decides who is callable.
    """
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
        if condition.column == CALLABLE:
            if op not in ("=", "!=") or not isinstance(condition.value, bool):
                raise ValidationError(_("callable"), _("use callable=yes or callable=no"))
            wanted = condition.value == (op == "=")
            preds.append(callable_pred(settings, now_utc or clock.utc_now(), wanted))
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
