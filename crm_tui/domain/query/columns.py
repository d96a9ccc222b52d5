"""The columns a query can sort and filter on: a column id resolved to its stored ``Column``.

Three kinds of column, by how their order is walked:

* ``GROUP``: status, action and dropdown variables, ordered by the configured position of
  their status/action/option (the groups, from the settings snapshot);
* ``NAMED``: customer and assignee, ordered by the folded name (``name_key``) of the
  customer/user row they point to;
* ``VALUE``: follow-up, created and text/number/currency/date variables, ordered by the
  stored value (text by its folded key).

The customer's local time (``local_time``) is a ``GROUP`` column too: its groups are the
time-zone options, furthest-along local time first at ``now_utc`` (its key is the zone
option of the note's customer, ``customer_state.zone_option_id``).
"""

from __future__ import annotations

import datetime as dt

from crm_tui import clock
from crm_tui.db.models import VALUE_COLUMN
from crm_tui.db.notes_query.plan import GROUP, NAMED, VALUE, ZONE, Column
from crm_tui.domain.cockpit.hours import local_time_order
from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _
from crm_tui.note_query import CALLABLE, LOCAL_TIME, OVERDUE, VARIABLE_PREFIX
from crm_tui.records import Settings


def builtin_labels() -> dict[str, str]:
    """Built-in column ids and the names the app shows for them."""
    return {
        "customer": _("Customer"),
        "action": _("Action"),
        "status": _("Status"),
        "assignee": _("Assignee"),
        "follow_up": _("Follow-up"),
        "created_at": _("Created"),
    }


def local_time_label() -> str:
    """The name the app shows for the customers' local time column."""
    return _("Local time")


def zone_column(settings: Settings, now_utc: dt.datetime | None = None) -> Column:
    """The customers' local time: a group column of the time-zone options, furthest-along
    local time first at ``now_utc`` (default: now); customers with no zone are its blanks."""
    order = local_time_order(settings, now_utc or clock.utc_now())
    return Column(LOCAL_TIME, local_time_label(), GROUP, ZONE, groups=tuple(order))


def column_for(column_id: str, settings: Settings, now_utc: dt.datetime | None = None) -> Column:
    """The ``Column`` of a column id (``status``, ``var:3``…) in this settings snapshot.

    ``now_utc`` orders the local time column (default: now).
    """
    labels = builtin_labels()
    if column_id == LOCAL_TIME:
        return zone_column(settings, now_utc)
    if column_id in ("customer", "assignee"):
        return Column(
            column_id,
            labels[column_id],
            NAMED,
            column_id,
            nullable=column_id == "assignee",
            note_column=f"{column_id}_id",
            table="customer" if column_id == "customer" else "user",
        )
    if column_id in ("status", "action"):
        badges = settings.statuses if column_id == "status" else settings.actions
        return Column(
            column_id,
            labels[column_id],
            GROUP,
            column_id,
            note_column=f"{column_id}_id",
            groups=tuple(badge.id for badge in badges),
        )
    if column_id in ("follow_up", "created_at"):
        return Column(
            column_id,
            labels[column_id],
            VALUE,
            column_id,
            nullable=column_id == "follow_up",
            note_column=column_id,
        )
    if column_id.startswith(VARIABLE_PREFIX):
        try:
            variable = settings.variable(int(column_id[len(VARIABLE_PREFIX) :]))
        except ValueError:
            variable = None
        if variable is not None:
            kind = GROUP if variable.type == "dropdown" else VALUE
            return Column(
                column_id,
                variable.name,
                kind,
                variable.type,
                variable_id=variable.id,
                value_column=VALUE_COLUMN[variable.type],
                groups=tuple(option.id for option in variable.options),
            )
    if column_id == OVERDUE:
        raise ValidationError(_("sort"), _("overdue is a filter, not a column to sort by"))
    if column_id == CALLABLE:
        raise ValidationError(_("sort"), _("callable is a filter, not a column to sort by"))
    raise ValidationError(column_id, _("unknown column"))
