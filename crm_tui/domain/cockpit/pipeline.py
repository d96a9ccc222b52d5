"""The pipeline: each customer once, in the stage of its current status, with its amount.

The stages are the in-sequence statuses (archived ones left out), in their configured
order. A customer's current status is the status of its newest note that has one; its
amount is the newest value of a currency variable among its notes; both come from the
per-customer state every note write keeps (``crm_tui/db/customer_state.py``), so the
sums over 100,000 customers are one grouped read. Sums are exact: integer cents.

Moving a customer to another stage writes a new note with the new status (history,
undo), as any new note: the state follows in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from crm_tui import clock
from crm_tui.db import pipeline_reads
from crm_tui.db.models import Customer, Note, database_proxy
from crm_tui.db.pipeline_reads import CustomerScope
from crm_tui.db.rows import tuple_rows
from crm_tui.domain import history
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.ids import first_id_of
from crm_tui.domain.note_input import PreparedNote
from crm_tui.domain.notes import insert_prepared, lock_note_writes
from crm_tui.domain.permissions import require_signed_in
from crm_tui.domain.query.parse import resolve_column
from crm_tui.domain.query.preds import compile_conditions
from crm_tui.domain.settings import load_settings
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.note_query import VARIABLE_PREFIX, Condition
from crm_tui.records import Badge, Settings, UserInfo, VariableInfo

CLOSE_WORDS = ("close", "cloture")
SUM_OPTION = "--sum"
"""The option of ``report pipeline`` that names the variable summed (refusals name it)."""
"""Words a date variable's folded name contains when it is the estimated close date."""


@dataclass(frozen=True, slots=True)
class PipelineFilter:
    """Which customers the pipeline takes, and which amount it sums.

    ``sum_variable_id``: a currency variable (none: every sum is 0). ``close_from`` and
    ``close_to`` (inclusive) bound the customer's newest value of ``close_variable_id``
    (a date variable; customers without one are left out when a bound is given).
    ``assignee_id``: the customer's current assignee (of its newest note).
    ``conditions``: on customers' current values, as ``--where`` reads them (status,
    assignee and customer are the current ones; variables the newest values; action,
    follow-up and created those of the newest note).
    """

    sum_variable_id: int | None = None
    close_variable_id: int | None = None
    close_from: dt.date | None = None
    close_to: dt.date | None = None
    assignee_id: int | None = None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    """One in-sequence status: how many customers are at it, and their exact sum."""

    status: Badge
    customers: int
    total_cents: int

    @property
    def total(self) -> Decimal:
        """The sum as an exact decimal (two places)."""
        return cents_decimal(self.total_cents)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The stages in sequence order; ``outside``: customers (with notes, in the filter)
    whose current status is not in the sequence, or who have none."""

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
    """The sum of one stage's customers closing in one month (``month``: its first day)."""

    month: dt.date
    status_id: int
    cents: int


@dataclass(frozen=True, slots=True)
class WeekCount:
    """How many notes of one action (``None``: none) were written in one week
    (``week``: its Monday, in the viewer's zone)."""

    week: dt.date
    action_id: int | None
    count: int


def cents_decimal(cents: int) -> Decimal:
    """Integer cents as an exact decimal with two places (``123456`` → ``1234.56``)."""
    return Decimal(int(cents)).scaleb(-2)


def stages_of(settings: Settings) -> tuple[Badge, ...]:
    """The pipeline's stages: the in-sequence statuses not archived, in order."""
    return tuple(s for s in settings.statuses if s.in_sequence and not s.archived)


def _variable(settings: Settings, variable_id: int | None, kind: str, label: str) -> None:
    if variable_id is None:
        return
    variable = settings.variable(variable_id)
    if variable is None:
        raise ValidationError(label, _("no variable #{id}").format(id=variable_id))
    if variable.type != kind:
        problem = (
            _("{name!r} is not a currency variable")
            if kind == "currency"
            else _("{name!r} is not a date variable")
        )
        raise ValidationError(label, problem.format(name=variable.name))


def _scope(flt: PipelineFilter, settings: Settings, today: dt.date) -> CustomerScope:
    _variable(settings, flt.sum_variable_id, "currency", _("sum"))
    _variable(settings, flt.close_variable_id, "date", _("close date"))
    return CustomerScope(
        close_variable_id=flt.close_variable_id,
        close_from=flt.close_from,
        close_to=flt.close_to,
        assignee_id=flt.assignee_id,
        preds=tuple(compile_conditions(flt.conditions, settings, today)),
    )


def _today() -> dt.date:
    return clock.to_local(clock.utc_now()).date()


def load_pipeline(flt: PipelineFilter, settings: Settings | None = None) -> Pipeline:
    """The stages with their counts and exact sums, and the customers outside them."""
    settings = settings or load_settings()
    scope = _scope(flt, settings, _today())
    totals = pipeline_reads.stage_totals(database_proxy.obj, scope, flt.sum_variable_id)
    by_status = {status_id: (count, cents) for status_id, count, cents in totals}
    stages = tuple(
        Stage(status, *by_status.get(status.id, (0, 0))) for status in stages_of(settings)
    )
    staged = {stage.status.id for stage in stages}
    outside = sum(count for status_id, count, _cents in totals if status_id not in staged)
    return Pipeline(stages, outside)


def _zones(settings: Settings) -> dict[int, str]:
    variable = settings.time_zone_variable()
    if variable is None:
        return {}
    return {option.id: option.time_zone for option in variable.options if option.time_zone}


def stage_cards(
    flt: PipelineFilter,
    status_id: int,
    offset: int,
    limit: int,
    settings: Settings | None = None,
) -> tuple[Card, ...]:
    """The customers of one stage, amount descending (no amount last), then name."""
    settings = settings or load_settings()
    scope = _scope(flt, settings, _today())
    rows = pipeline_reads.stage_customers(
        database_proxy.obj, scope, status_id, flt.sum_variable_id, max(0, offset), max(0, limit)
    )
    zones = _zones(settings)
    variable = settings.time_zone_variable()
    options = (
        pipeline_reads.newest_options(
            database_proxy.obj, variable.id, [row.customer_id for row in rows]
        )
        if variable is not None
        else {}
    )
    return tuple(
        Card(
            row.customer_id,
            row.customer,
            row.amount_cents,
            row.close_date,
            row.assignee,
            zones.get(options.get(row.customer_id, 0)),
        )
        for row in rows
    )


def move_customer(actor: UserInfo, customer_id: int, status_id: int) -> int:
    """Move a customer to another status: a new note with that status, the action and
    assignee of its newest note, no follow-up, the text "Status: A → B". In the history
    and undoable as any new note. Returns the new note's id."""
    require_signed_in(actor)
    settings = load_settings()
    target = settings.status(status_id)
    if target is None or target.archived:
        raise ValidationError(_("status"), _("no status #{id}").format(id=status_id))
    with database_proxy.atomic():
        lock_note_writes()
        customer = Customer.get_or_none(Customer.id == customer_id)
        newest = (
            Note.select(Note.action, Note.assignee)
            .where(Note.customer == customer_id)
            .order_by(Note.id.desc())
            .limit(1)
        )
        found = list(tuple_rows(newest))
        if customer is None or not found:
            raise NotFound(_("customer #{id} has no notes").format(id=customer_id))
        action_id, assignee_id = found[0]
        current = pipeline_reads.current_status(database_proxy.obj, customer_id)
        if current == status_id:
            raise ValidationError(
                _("status"),
                _("{customer} is at {status} already").format(
                    customer=customer.name, status=target.name
                ),
            )
        old = settings.status(current)
        if old is None:
            body = _("Status: {new}").format(new=target.name)
        else:
            body = _("Status: {old} → {new}").format(old=old.name, new=target.name)
        prepared = PreparedNote(
            customer=customer.name,
            action_id=action_id,
            status_id=status_id,
            assignee_id=assignee_id,
            follow_up=None,
            body=body,
            values={},
        )
        (note_id,) = insert_prepared([(prepared, history.now())], actor.id)
        history.record(actor, "note", note_id, [("created", None, customer.name)])
        return note_id


def amount_by_close_month(
    flt: PipelineFilter, settings: Settings | None = None
) -> tuple[MonthAmount, ...]:
    """Per close month and stage, the sum of the stage's customers closing that month
    (by their newest value of ``close_variable_id``); months in order, then stages in
    sequence order. Empty without a close variable."""
    settings = settings or load_settings()
    if flt.close_variable_id is None:
        return ()
    scope = _scope(flt, settings, _today())
    stages = stages_of(settings)
    rows = pipeline_reads.close_month_totals(
        database_proxy.obj,
        scope,
        flt.close_variable_id,
        flt.sum_variable_id,
        [stage.id for stage in stages],
    )
    order = {stage.id: position for position, stage in enumerate(stages)}
    amounts = [MonthAmount(month, status_id, cents) for month, status_id, cents in rows]
    amounts.sort(key=lambda item: (item.month, order.get(item.status_id, len(order))))
    return tuple(amounts)


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def notes_per_week(
    today: dt.date, weeks: int = 12, settings: Settings | None = None
) -> tuple[WeekCount, ...]:
    """Notes written per week and action over the ``weeks`` weeks ending with
    ``today``'s (weeks from Monday, in the viewer's zone). Weeks in order, then actions
    in configured order (no action last); a week without notes of an action is left out.
    """
    settings = settings or load_settings()
    first = week_of(today) - dt.timedelta(weeks=max(1, weeks) - 1)
    mondays = [first + dt.timedelta(weeks=number) for number in range(max(1, weeks) + 1)]
    bounds = [first_id_of(clock.local_midnight_utc(monday)) for monday in mondays]
    actions = [action.id for action in settings.actions]
    counts: dict[tuple[dt.date, int | None], int] = {}
    for period, action_id, count in pipeline_reads.note_counts_between(
        database_proxy.obj, bounds, actions
    ):
        counts[(mondays[period], action_id)] = count
    order: dict[int | None, int] = {a.id: n for n, a in enumerate(settings.actions)}
    keys = sorted(counts, key=lambda key: (key[0], order.get(key[1], len(order))))
    return tuple(WeekCount(week, action_id, counts[(week, action_id)]) for week, action_id in keys)


def default_close_variable(settings: Settings) -> int | None:
    """The board's close date: the first date variable whose name contains "close" (or
    "clôture"), else the first date variable; ``None`` without one."""
    dates = [v for v in settings.active_variables if v.type == "date"]
    for variable in dates:
        name = fold(variable.name)
        if any(word in name for word in CLOSE_WORDS):
            return variable.id
    return dates[0].id if dates else None


def default_variables(settings: Settings | None = None) -> tuple[int | None, int | None]:
    """The pipeline's close-date and currency variables when a user has chosen none: the
    default close variable and the first currency variable (kept beside each customer's
    status for the charts, ``customer_state.keep_pipeline_variables``)."""
    settings = settings or load_settings()
    sums = currency_variables(settings)
    return default_close_variable(settings), sums[0].id if sums else None


def currency_variables(settings: Settings) -> tuple[VariableInfo, ...]:
    """The variables an amount can be summed from (not archived), in order."""
    return tuple(v for v in settings.active_variables if v.type == "currency")


def sum_variable(text: str, settings: Settings) -> int:
    """The currency variable named ``text`` (as ``--sum`` reads it); else a
    ``ValidationError`` naming ``--sum`` (``SUM_OPTION``) and the currency variables
    there are."""
    choices = ", ".join(v.name for v in currency_variables(settings)) or _("(none)")
    try:
        column = resolve_column(text, settings)
    except ValidationError:
        raise ValidationError(
            SUM_OPTION,
            _("{name!r} is not a variable; currency variables are: {choices}").format(
                name=text.strip(), choices=choices
            ),
        ) from None
    variable = None
    if column.startswith(VARIABLE_PREFIX):
        variable = settings.variable(int(column[len(VARIABLE_PREFIX) :]))
    if variable is None or variable.type != "currency":
        raise ValidationError(
            SUM_OPTION,
            _("{name!r} is not a currency variable; currency variables are: {choices}").format(
                name=variable.name if variable else text.strip(), choices=choices
            ),
        )
    return variable.id
