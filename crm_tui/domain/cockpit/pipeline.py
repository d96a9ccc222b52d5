"""PLACEHOLDER of STATE's module (issue 14 contract shapes), so BOARD's screens import.

Replaced by branch ``i14-state``'s file when it is merged (take theirs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm_tui.note_query import Condition
from crm_tui.records import Badge, Settings, UserInfo


@dataclass(frozen=True, slots=True)
class PipelineFilter:
    """What the pipeline counts: sum and close variables, close dates, assignee."""

    sum_variable_id: int | None = None
    close_variable_id: int | None = None
    close_from: dt.date | None = None
    close_to: dt.date | None = None
    assignee_id: int | None = None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    """One in-sequence status, its customers and their sum."""

    status: Badge
    customers: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The stages, and the customers whose status is not in the sequence."""

    stages: tuple[Stage, ...]
    outside: int


@dataclass(frozen=True, slots=True)
class Card:
    """One customer on the board."""

    customer_id: int
    customer: str
    amount_cents: int | None
    close_date: dt.date | None
    assignee: str
    zone: str | None


@dataclass(frozen=True, slots=True)
class MonthAmount:
    """The amount closing in a month, at one status."""

    month: dt.date
    status_id: int
    cents: int


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Notes written in a week (its Monday) with one action."""

    week: dt.date
    action_id: int | None
    count: int


def load_pipeline(flt: PipelineFilter) -> Pipeline:
    """Placeholder."""
    raise NotImplementedError


def stage_cards(flt: PipelineFilter, status_id: int, offset: int, limit: int) -> tuple[Card, ...]:
    """Placeholder."""
    raise NotImplementedError


def move_customer(actor: UserInfo, customer_id: int, status_id: int) -> int:
    """Placeholder."""
    raise NotImplementedError


def amount_by_close_month(flt: PipelineFilter) -> tuple[MonthAmount, ...]:
    """Placeholder."""
    raise NotImplementedError


def notes_per_week(today: dt.date, weeks: int = 12) -> tuple[WeekCount, ...]:
    """Placeholder."""
    raise NotImplementedError


def default_close_variable(settings: Settings) -> int | None:
    """Placeholder: the first date variable."""
    for variable in settings.active_variables:
        if variable.type == "date":
            return variable.id
    return None
