"""How the notes screen names columns, conditions, queries and actions to the user."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from crm_tui.clock import to_local
from crm_tui.domain.customers import get_customer
from crm_tui.domain.errors import DomainError
from crm_tui.domain.query import OVERDUE, Condition, NoteQuery, SortKey, variable_column
from crm_tui.domain.query.columns import builtin_labels
from crm_tui.domain.text import visible
from crm_tui.domain.users import get_user
from crm_tui.domain.values import format_currency, format_number
from crm_tui.i18n import _
from crm_tui.records import Settings
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_format, safe_text

OPERATOR_SIGNS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def column_labels(settings: Settings) -> dict[str, str]:
    """Names of the sortable/filterable columns by id (archived variables included).

    Variable names are stored text: made visible here (control characters), and drawn
    as ``Text`` (never markup) by whoever shows them.
    """
    labels = builtin_labels()
    labels.update((variable_column(v.id), visible(v.name)) for v in settings.variables)
    return labels


def _value_text(condition: Condition, settings: Settings) -> Text:
    value = condition.value
    column = condition.column
    if value is None:
        return Text(_("(blank)"), style="italic")
    if column == "status":
        return badge_text(settings.status(value)) or Text(f"#{value}")  # type: ignore[arg-type]
    if column == "action":
        return badge_text(settings.action(value)) or Text(f"#{value}")  # type: ignore[arg-type]
    if column in ("assignee", "customer"):
        try:
            if column == "assignee":
                return safe_text(get_user(value).name)  # type: ignore[arg-type]
            return safe_text(get_customer(value).name)  # type: ignore[arg-type]
        except DomainError:
            return Text(f"#{value}")
    variable = None
    if column.startswith("var:"):
        variable = settings.variable(int(column[4:]))
    if variable is not None:
        if variable.type == "dropdown":
            return badge_text(settings.option(value)) or Text(f"#{value}")  # type: ignore[arg-type]
        if variable.type == "currency" and isinstance(value, int):
            return Text(format_currency(value))
        if variable.type == "number" and isinstance(value, float | int):
            return Text(format_number(float(value)))
    if isinstance(value, dt.datetime):
        return Text(to_local(value).isoformat(sep=" ", timespec="minutes"))  # stored in UTC
    if isinstance(value, dt.date):
        return Text(value.isoformat())
    return safe_text(str(value))


def describe_condition(condition: Condition, settings: Settings) -> Text:
    """``Status = ⟨Prospect⟩``, ``Deal value ≥ 1000.00``, ``Overdue follow-ups``…"""
    if condition.column == OVERDUE:
        overdue = bool(condition.value) == (condition.op == "=")
        return Text(_("Overdue follow-ups") if overdue else _("Not overdue"))
    label = column_labels(settings).get(condition.column, condition.column)
    sign = OPERATOR_SIGNS.get(condition.op, condition.op)
    text = Text(f"{label} {sign} ")
    text.append_text(_value_text(condition, settings))
    return text


def describe_sort(sort: tuple[SortKey, ...], settings: Settings) -> str:
    """``Sort: Time zone ▲, Estimated close date ▼``."""
    labels = column_labels(settings)
    keys = ", ".join(
        f"{labels.get(key.column, key.column)} {'▼' if key.descending else '▲'}" for key in sort
    )
    return _("Sort: {keys}").format(keys=keys)


def describe_search(words: str) -> Text:
    """``Search: words`` (the words drawn as data)."""
    return safe_format(_("Search: {words}"), words=words)


def describe_query(query: NoteQuery, settings: Settings) -> str:
    """One line saying what a query keeps (for the save-view dialog)."""
    parts: list[str] = []
    if query.sort:
        parts.append(describe_sort(query.sort, settings))
    parts.extend(describe_condition(c, settings).plain for c in query.conditions)
    if query.search:
        parts.append(_("search: {words}").format(words=visible(query.search)))
    return " · ".join(parts) if parts else _("all notes, newest first")


def fits_settings(query: NoteQuery, settings: Settings) -> NoteQuery:
    """``query`` without the keys and conditions on variables that no longer exist."""
    known = set(column_labels(settings)) | {OVERDUE}
    return NoteQuery(
        sort=tuple(key for key in query.sort if key.column in known),
        conditions=tuple(c for c in query.conditions if c.column in known),
        search=query.search,
    )


def empty_list_help(*, filtered: bool, admin: bool) -> str:
    """What to do when the list is empty: first run, or nothing matches."""
    if filtered:
        return _("No note matches.\n\n  escape   clear the search\n  x        clear the filters")
    lines = [_("No notes yet."), "", _("  n        write the first note")]
    if admin:
        lines.append(_("  f4       Settings: statuses, actions and variables"))
    lines.append(_("  crm-tui demo   (in a shell) fill the database with sample data"))
    return "\n".join(lines)


def palette_actions() -> list[tuple[str, str, str]]:
    """``(title, help, action)`` of every notes-screen action, for the command palette."""
    return [
        (_("New note"), _("Write a new note (n)"), "new_note"),
        (_("Open note"), _("Read the highlighted note (enter)"), "open_note"),
        (_("Edit note"), _("Edit the highlighted note (e)"), "edit_note"),
        (_("Delete note"), _("Delete the highlighted note (d)"), "delete_note"),
        (_("Sort notes"), _("Choose the sort keys (s)"), "sort"),
        (_("Filter notes"), _("Add a filter (f)"), "filter"),
        (_("Search notes"), _("Search text and customers (/)"), "search"),
        (_("Clear search"), _("Show notes without the search (escape)"), "clear_search"),
        (_("Clear filters"), _("Drop every filter and the search (x)"), "clear_filters"),
        (_("Columns"), _("Show or hide columns of the notes (c)"), "columns"),
        (_("Save view"), _("Save this sort, filters and search (v)"), "save_view"),
        (_("Saved views"), _("Open or delete a saved view (o)"), "open_views"),
        (_("Refresh notes"), _("Read the notes again (r)"), "reload"),
    ]
