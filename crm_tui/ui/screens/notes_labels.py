"""How the notes screen names columns, conditions, queries and actions to the user."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.dom import DOMNode

from crm_tui.clock import to_local
from crm_tui.domain.customers import get_customer
from crm_tui.domain.errors import DomainError
from crm_tui.domain.locale_values import shown_amount, shown_date, shown_number, shown_time
from crm_tui.domain.query import OVERDUE, Condition, NoteQuery, SortKey, variable_column
from crm_tui.domain.query.columns import builtin_labels
from crm_tui.domain.text import visible
from crm_tui.domain.users import get_user
from crm_tui.i18n import _
from crm_tui.note_query import CALLABLE
from crm_tui.records import Settings
from crm_tui.ui.actions import N_, Action, ActionTable, key_of
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


def _named_value_text(column: str, value: int, settings: Settings) -> Text:
    """The badge or name of the status, action, assignee or customer ``value``."""
    if column == "status":
        return badge_text(settings.status(value)) or Text(f"#{value}")
    if column == "action":
        return badge_text(settings.action(value)) or Text(f"#{value}")
    try:
        if column == "assignee":
            return safe_text(get_user(value).name)
        return safe_text(get_customer(value).name)
    except DomainError:
        return Text(f"#{value}")


def _value_text(condition: Condition, settings: Settings) -> Text:
    value = condition.value
    column = condition.column
    if value is None:
        return Text(_("(blank)"), style="italic")
    if column in ("status", "action", "assignee", "customer"):
        if not isinstance(value, int):  # these columns hold ids
            return safe_text(str(value))
        return _named_value_text(column, value, settings)
    variable = None
    if column.startswith("var:"):
        variable = settings.variable(int(column[4:]))
    if variable is not None:
        if variable.type == "dropdown":
            if isinstance(value, int):  # an option id
                return badge_text(settings.option(value)) or Text(f"#{value}")
            return safe_text(str(value))
        if variable.type == "currency" and isinstance(value, int):
            return Text(shown_amount(value))  # in the user's locale, with the currency
        if variable.type == "number" and isinstance(value, float | int):
            return Text(shown_number(float(value)))
    if isinstance(value, dt.datetime):
        return Text(shown_time(to_local(value)))  # stored in UTC
    if isinstance(value, dt.date):
        return Text(shown_date(value))
    return safe_text(str(value))


def describe_condition(condition: Condition, settings: Settings) -> Text:
    """``Status = ⟨Prospect⟩``, ``Deal value ≥ 1000.00``, ``Overdue follow-ups``…"""
    if condition.column == OVERDUE:
        overdue = bool(condition.value) == (condition.op == "=")
        return Text(_("Overdue follow-ups") if overdue else _("Not overdue"))
    if condition.column == CALLABLE:
        callable_now = bool(condition.value) == (condition.op == "=")
        return Text(_("Callable now") if callable_now else _("Not callable now"))
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
    known = set(column_labels(settings)) | {OVERDUE, CALLABLE}
    return NoteQuery(
        sort=tuple(key for key in query.sort if key.column in known),
        conditions=tuple(c for c in query.conditions if c.column in known),
        search=query.search,
    )


def empty_list_help(node: DOMNode, *, filtered: bool, admin: bool) -> str:
    """What to do when the list is empty: first run, or nothing matches (keys in force)."""
    if filtered:
        return _(
            "No note matches.\n\n"
            "  {clear_search:<9}clear the search\n"
            "  {clear_filters:<9}clear the filters"
        ).format(
            clear_search=NOTES_ACTIONS.key(node, "notes.clear_search"),
            clear_filters=NOTES_ACTIONS.key(node, "notes.clear_filters"),
        )
    lines = [
        _("No notes yet."),
        "",
        _("  {key:<9}write the first note").format(key=NOTES_ACTIONS.key(node, "notes.new")),
    ]
    if admin:
        settings_key = key_of(node, "app.settings")
        lines.append(
            _("  {key:<9}Settings: statuses, actions and variables").format(key=settings_key)
        )
    lines.append(_("  crm-tui demo   (in a shell) fill the database with sample data"))
    return "\n".join(lines)


NOTES_ACTIONS = ActionTable(
    Action(
        "notes.new",
        "n",
        "new_note",
        N_("New"),
        title=N_("New note"),
        help=N_("Write a new note ({key})"),
    ),
    Action(
        "list.open",
        "enter",
        "open_note",
        N_("Open"),
        title=N_("Open note"),
        help=N_("Read the highlighted note ({key})"),
        bind=False,
    ),
    Action(
        "notes.edit",
        "e",
        "edit_note",
        N_("Edit"),
        title=N_("Edit note"),
        help=N_("Edit the highlighted note ({key})"),
        show=False,
    ),
    Action(
        "notes.delete",
        "d,delete",
        "delete_note",
        N_("Delete"),
        title=N_("Delete note"),
        help=N_("Delete the highlighted note ({key})"),
    ),
    Action(
        "notes.sort",
        "s",
        "sort",
        N_("Sort"),
        title=N_("Sort notes"),
        help=N_("Choose the sort keys ({key})"),
    ),
    Action(
        "notes.filter",
        "f",
        "filter",
        N_("Filter"),
        title=N_("Filter notes"),
        help=N_("Add a filter ({key})"),
    ),
    Action(
        "notes.search",
        "slash",
        "search",
        N_("Search"),
        title=N_("Search notes"),
        help=N_("Search text and customers ({key})"),
    ),
    Action(
        "notes.clear_search",
        "escape",
        "clear_search",
        N_("Clear search"),
        title=N_("Clear search"),
        help=N_("Show notes without the search ({key})"),
        show=False,
    ),
    Action(
        "notes.clear_filters",
        "x",
        "clear_filters",
        N_("Clear filters"),
        title=N_("Clear filters"),
        help=N_("Drop every filter and the search ({key})"),
        show=False,
    ),
    Action(
        "notes.columns",
        "c",
        "columns",
        N_("Columns"),
        title=N_("Columns"),
        help=N_("Show or hide columns of the notes ({key})"),
    ),
    Action(
        "notes.save_view",
        "v",
        "save_view",
        N_("Save view"),
        title=N_("Save view"),
        help=N_("Save this sort, filters and search ({key})"),
    ),
    Action(
        "notes.views",
        "o",
        "open_views",
        N_("Views"),
        title=N_("Saved views"),
        help=N_("Open or delete a saved view ({key})"),
        show=False,
    ),
    Action(
        "notes.refresh",
        "r",
        "reload",
        N_("Refresh"),
        title=N_("Refresh notes"),
        help=N_("Read the notes again ({key})"),
        show=False,
    ),
    Action(
        "notes.mark",
        "space",
        "toggle_mark",
        N_("Mark"),
        title=N_("Mark note"),
        help=N_("Mark the highlighted note ({key})"),
        show=False,
    ),
    Action(
        "notes.mark_all",
        "a",
        "mark_all",
        N_("Mark all"),
        title=N_("Mark all"),
        help=N_("Mark every note of the filter ({key})"),
        show=False,
    ),
    Action(
        "notes.clear_marks",
        "A",
        "clear_marks",
        N_("Clear marks"),
        title=N_("Clear marks"),
        help=N_("Unmark every note ({key})"),
        show=False,
    ),
    Action(
        "notes.bulk_edit",
        "b",
        "bulk_edit",
        N_("Bulk edit"),
        title=N_("Bulk edit"),
        help=N_("Set a field on the marked notes ({key})"),
        show=False,
    ),
)
"""The notes screen's keys (footer order) and palette entries (this order)."""
