"""Reading sort keys and conditions as users type them (``--sort``, ``--where``, the UI)."""

from __future__ import annotations

import datetime as dt

from crm_tui.db.models import Customer, User
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.query.columns import builtin_labels, column_for, local_time_label
from crm_tui.domain.text import clean_name, fold
from crm_tui.domain.values import (
    check_day_in_range,
    parse_currency,
    parse_date,
    parse_number,
    parse_timestamp,
)
from crm_tui.i18n import _
from crm_tui.note_query import (
    CALLABLE,
    COLUMN_ALIASES,
    LOCAL_TIME,
    OVERDUE,
    RANGE_OPERATORS,
    VARIABLE_PREFIX,
    Condition,
    SortKey,
    variable_column,
)
from crm_tui.records import Badge, Settings

_YES = ("yes", "y", "true", "1", "on")
_NO = ("no", "n", "false", "0", "off")


def _squash(name: str) -> str:
    """``name`` folded, without spaces, ``_`` and ``-``."""
    return "".join(ch for ch in fold(name) if ch not in " _-")


def sort_columns(settings: Settings) -> list[tuple[str, str]]:
    """``(column id, display name)`` of every sortable column, for pickers (the local
    time when a time-zone variable exists)."""
    columns = list(builtin_labels().items())
    if settings.time_zone_variable() is not None:
        columns.append((LOCAL_TIME, local_time_label()))
    columns.extend((variable_column(v.id), v.name) for v in settings.active_variables)
    return columns


def _column_names(settings: Settings) -> str:
    names = list(builtin_labels())
    names.append(LOCAL_TIME)
    names.extend(v.name for v in settings.active_variables)
    return ", ".join(names)


def _pseudo_column(squashed: str, allow_filters: bool) -> str | None:
    """``local_time``, or (conditions only) ``overdue``/``callable``, by any spelling."""
    if squashed in (_squash(LOCAL_TIME), _squash(local_time_label())):
        return LOCAL_TIME
    if not allow_filters:
        return None
    if squashed in (OVERDUE, _squash(_("overdue"))):
        return OVERDUE
    if squashed in (CALLABLE, _squash(_("callable"))):
        return CALLABLE
    return None


def resolve_column(name: str, settings: Settings, *, allow_overdue: bool = False) -> str:
    """The column id named ``name``: a built-in (CSV or shown name) or a variable.

    Built-ins match in any case, ignoring spaces, ``_`` and ``-``; variables match by
    name ignoring case and accents (then also ignoring spaces, ``_`` and ``-``).
    ``allow_overdue``: the filter-only pseudo-columns ``overdue`` and ``callable`` too.
    """
    text = name.strip()
    squashed = _squash(text)
    if squashed in COLUMN_ALIASES:
        return COLUMN_ALIASES[squashed]
    for column_id, label in builtin_labels().items():
        if squashed == _squash(label):
            return column_id
    pseudo = _pseudo_column(squashed, allow_overdue)
    if pseudo is not None:
        return pseudo
    if text.lower().startswith(VARIABLE_PREFIX):
        try:
            wanted = int(text[len(VARIABLE_PREFIX) :])
        except ValueError:
            wanted = None
        if wanted is not None and settings.variable(wanted) is not None:
            return variable_column(wanted)
    key = fold(clean_name(text))
    for variable in settings.variables:
        if fold(variable.name) == key:
            return variable_column(variable.id)
    loose = [v for v in settings.variables if _squash(v.name) == squashed]
    if len(loose) == 1:
        return variable_column(loose[0].id)
    raise ValidationError(
        text or _("column"),
        _("unknown column; columns are: {columns}").format(columns=_column_names(settings)),
    )


def parse_sort(text: str, settings: Settings) -> tuple[SortKey, ...]:
    """Read ``"Time zone,-Estimated close date"``: comma-separated columns, ``-`` for descending."""
    keys: list[SortKey] = []
    seen: set[str] = set()
    for item in (text or "").split(","):
        part = item.strip()
        if not part:
            continue
        descending = part.startswith("-")
        name = part[1:] if part[:1] in "-+" else part
        if not name.strip():
            raise ValidationError(_("sort"), _("{key!r} names no column").format(key=part))
        column = resolve_column(name, settings)
        if column in seen:
            raise ValidationError(_("sort"), _("{name!r} appears twice").format(name=name.strip()))
        seen.add(column)
        keys.append(SortKey(column, descending))
    return tuple(keys)


def _split(expr: str) -> tuple[str, str, str]:
    for index, char in enumerate(expr):
        if char in "=<>!":
            pair = expr[index : index + 2]
            if pair in ("!=", "<=", ">="):
                return expr[:index], pair, expr[index + 2 :]
            if char != "!":
                return expr[:index], char, expr[index + 1 :]
    raise ValidationError(
        _("filter"),
        _(
            "{expr!r} has no comparison: write NAME=VALUE, NAME!=VALUE, NAME<VALUE, "
            "NAME<=VALUE, NAME>VALUE or NAME>=VALUE"
        ).format(expr=expr.strip()),
    )


def _badge_id(badges: tuple[Badge, ...], text: str, label: str, problem: str) -> int:
    """The id of the badge named (else abbreviated) ``text``; ``problem`` if none is."""
    key = fold(text)
    for badge in badges:
        if fold(badge.name) == key:
            return badge.id
    for badge in badges:
        if fold(badge.abbreviation) == key:
            return badge.id
    choices = ", ".join(b.name for b in badges if not b.archived) or _("(none)")
    raise ValidationError(label, problem.format(value=text, choices=choices))


def _created_value(text: str, label: str, today: dt.date) -> dt.date | dt.datetime | None:
    """A day or a time; either within the times a note may carry (``values.FIRST_TIME``…)."""
    try:
        day = parse_date(text, label, today=today)
    except ValidationError:
        return parse_timestamp(text, label)
    return None if day is None else check_day_in_range(day, label, text)


def _typed_value(column_id: str, text: str, settings: Settings, today: dt.date) -> object:
    column = column_for(column_id, settings)
    label = column.label
    if not text:
        return None
    match column.type:
        case "status":
            problem = _("{value!r} is not a status; use one of: {choices}")
            return _badge_id(settings.statuses, text, label, problem)
        case "action":
            problem = _("{value!r} is not an action; use one of: {choices}")
            return _badge_id(settings.actions, text, label, problem)
        case "dropdown":
            variable = settings.variable(column.variable_id)
            options = variable.options if variable else ()
            problem = _("{value!r} is not an option; use one of: {choices}")
            return _badge_id(options, text, label, problem)
        case "assignee":
            user_id = User.select(User.id).where(User.name_key == fold(text)).scalar()
            if user_id is None:
                raise ValidationError(label, _("no user named {name!r}").format(name=text))
            return user_id
        case "customer":
            key = fold(clean_name(text))
            customer_id = Customer.select(Customer.id).where(Customer.name_key == key).scalar()
            if customer_id is None:
                raise ValidationError(label, _("no customer named {name!r}").format(name=text))
            return customer_id
        case "follow_up" | "date":
            return parse_date(text, label, today=today)
        case "created_at":
            return _created_value(text, label, today)
        case "number":
            return parse_number(text, label)
        case "currency":
            return parse_currency(text, label)
        case _:
            return fold(text)


def _yes_no_value(column: str, op: str, text: str) -> Condition:
    """A condition on ``overdue`` or ``callable``: ``=``/``!=`` yes or no."""
    label = _("overdue") if column == OVERDUE else _("callable")
    if op not in ("=", "!="):
        if column == OVERDUE:
            raise ValidationError(label, _("use overdue=yes or overdue=no"))
        raise ValidationError(label, _("use callable=yes or callable=no"))
    lowered = fold(text)
    if lowered in _YES or lowered == fold(_("yes")):
        value = True
    elif lowered in _NO or lowered == fold(_("no")):
        value = False
    else:
        raise ValidationError(label, _("{value!r} is not yes or no").format(value=text.strip()))
    return Condition(column, "=", value if op == "=" else not value)


def parse_condition(expr: str, settings: Settings, today: dt.date) -> Condition:
    """Read a filter such as ``"Deal value>=1000"``, ``"status!=Done"`` or ``"Segment="``.

    The value is checked and typed for its column (see ``Condition``); an empty value
    means blank. Ranges are refused on columns without an order.
    """
    name, op, raw = _split(expr or "")
    if not name.strip():
        raise ValidationError(
            _("filter"), _("{expr!r} names no column").format(expr=(expr or "").strip())
        )
    column_id = resolve_column(name, settings, allow_overdue=True)
    text = raw.strip()
    if column_id in (OVERDUE, CALLABLE):
        return _yes_no_value(column_id, op, text)
    if column_id == LOCAL_TIME:
        raise ValidationError(
            local_time_label(), _("local time is a sort, not a filter: use callable=yes")
        )
    column = column_for(column_id, settings)
    if op in RANGE_OPERATORS:
        if not column.ordered:
            problem = _("{op} needs a column with an order (date, number, currency)")
            raise ValidationError(column.label, problem.format(op=op))
        if not text:
            raise ValidationError(column.label, _("{op} needs a value").format(op=op))
    return Condition(column_id, op, _typed_value(column_id, text, settings, today))
