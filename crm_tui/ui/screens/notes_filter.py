"""The filter dialog of the notes list: pick a column, then a value (or type a range).

Status, action, assignee and dropdown variables are picked from a list (``!`` switches
to "is not"); dates, numbers, amounts, text and customers are typed, optionally after
an operator (``>=2026-12-01``, ``<100``, ``!=Acme``), and read by the domain's
``parse_condition``. "Overdue follow-ups" applies at once. Above the columns, the
filters already active are listed; ``delete`` on one of them removes it at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.locale_values import machine_text
from crm_tui.domain.query import OVERDUE, Condition, parse_condition, variable_column
from crm_tui.i18n import _
from crm_tui.note_query import CALLABLE
from crm_tui.records import Badge, Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_format, safe_text, shown
from crm_tui.ui.screens.notes_labels import describe_condition
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput

BLANK = "-"
"""Choice id of "no value"."""

_TYPED_HINTS = {
    "date": N_("A date (YYYY-MM-DD, today, +3d), after =, !=, <, <=, > or >="),
    "number": N_("A number, after =, !=, <, <=, > or >= (e.g. >=10)"),
    "currency": N_("An amount (1234.50), after =, !=, <, <=, > or >= (e.g. >=1000)"),
    "text": N_("The exact text (any case), or != text"),
    "customer": N_("The customer's exact name (any case), or != name"),
}


def filter_columns(settings: Settings) -> list[tuple[str, str, str]]:
    """``(column id, label, kind)`` of everything the dialog filters on."""
    columns = [
        ("status", _("Status"), "status"),
        ("action", _("Action"), "action"),
        ("assignee", _("Assignee"), "assignee"),
        ("customer", _("Customer"), "customer"),
        (OVERDUE, _("Overdue follow-ups"), OVERDUE),
    ]
    if settings.time_zone_variable() is not None:
        columns.append((CALLABLE, _("Callable now (inside business hours)"), CALLABLE))
    columns += [
        ("follow_up", _("Follow-up"), "date"),
        ("created_at", _("Created"), "date"),
    ]
    for variable in settings.active_variables:
        columns.append((variable_column(variable.id), variable.name, variable.type))
    return columns


ACTIVE_FILTERS_ACTIONS = ActionTable(
    Action("filter.remove", "delete,backspace", "remove", N_("Remove filter")),
)
"""The keys of ``ActiveFilters``."""


class ActiveFilters(OptionList):
    """The filters already active; ``delete`` removes the highlighted one."""

    BINDINGS = ACTIVE_FILTERS_ACTIONS.bindings()

    class Remove(Message):
        """Remove active filter number ``index``."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def action_remove(self) -> None:
        """Ask the dialog to remove the highlighted filter."""
        if self.highlighted is not None:
            self.post_message(self.Remove(self.highlighted))


FILTER_DIALOG_ACTIONS = ActionTable(
    Action("filter.negate", "exclamation_mark", "negate", N_("Is / is not")),
    Action("filter.back", "escape", "back", N_("Back")),
)
"""The keys of ``FilterDialog``."""


class FilterDialog(ModalScreen[Condition | None]):
    """Build one condition from the keyboard; dismisses with it (``None``: cancelled)."""

    CSS_PATH = "../styles/notes.tcss"
    BINDINGS = FILTER_DIALOG_ACTIONS.bindings()

    def __init__(
        self,
        settings: Settings,
        users: Sequence[UserInfo],
        today: dt.date,
        active: Sequence[Condition] = (),
        remove: Callable[[Condition], None] | None = None,
    ) -> None:
        """``active``: the filters in force, listed; ``remove`` drops one of them (from
        the list behind) when the user deletes it here."""
        super().__init__()
        self.settings = settings
        self.users = list(users)
        self.today = today
        self.active = list(active)
        self._on_remove = remove
        self.columns = filter_columns(settings)
        self.column: tuple[str, str, str] | None = None
        self.negated = False

    def compose(self) -> ComposeResult:
        """Step 1: the columns; step 2: the values or a typed value."""
        with Vertical(id="filter-dialog", classes="notes-dialog"):
            yield Label(_("Filter notes"), classes="dialog-title", id="filter-title")
            yield Static(
                _("Choose what to filter on, then enter."), classes="hint", id="filter-hint"
            )
            yield Static(
                _("Active filters (tab here, delete removes one):"), id="filter-active-title"
            )
            yield ActiveFilters(id="filter-active", compact=True)
            yield OptionList(
                *[Option(safe_text(label), id=column) for column, label, _kind in self.columns],
                id="filter-columns",
            )
            yield OptionList(id="filter-choices")
            yield SafeInput(id="filter-value")
            yield Static("", id="filter-error", classes="field-error")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Start on the column list."""
        self._step_one()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "Is / is not" only applies while picking a value from a list."""
        if action == "negate":
            choosing_a_value = self.column is not None and self.column[2] not in (OVERDUE, CALLABLE)
            return True if choosing_a_value else None
        return True

    # --- steps --------------------------------------------------------------------------

    def _show_active(self, shown_now: bool) -> None:
        """List the active filters (in step one, when there are some)."""
        listed = shown_now and bool(self.active)
        active = self.query_one("#filter-active", ActiveFilters)
        if listed:
            highlighted = active.highlighted
            active.set_options(
                [describe_condition(condition, self.settings) for condition in self.active]
            )
            active.highlighted = min(highlighted or 0, len(self.active) - 1)
        active.display = listed
        self.query_one("#filter-active-title").display = listed

    def _step_one(self) -> None:
        self.column = None
        self.negated = False
        self.query_one("#filter-title", Label).update(_("Filter notes"))
        self.query_one("#filter-hint", Static).update(_("Choose what to filter on, then enter."))
        self._show_active(True)
        self.query_one("#filter-choices").display = False
        self.query_one("#filter-value").display = False
        self.query_one("#filter-error", Static).update("")
        columns = self.query_one("#filter-columns", OptionList)
        columns.display = True
        columns.focus()
        self.refresh_bindings()

    def _choices(self, kind: str, column: str) -> list[Option]:
        if kind == "assignee":
            options = [
                Option(safe_text(user.name), id=str(user.id)) for user in self.users if user.active
            ]
            return [*options, Option(Text(_("(nobody)"), style="italic"), id=BLANK)]
        if kind == "status":
            badges: Sequence[Badge] = self.settings.statuses
        elif kind == "action":
            badges = self.settings.actions
        else:
            variable = self.settings.variable(int(column.split(":", 1)[1]))
            badges = variable.options if variable else ()
        options = [
            Option(badge_text(badge), id=str(badge.id)) for badge in badges if not badge.archived
        ]
        return [*options, Option(Text(_("(blank)"), style="italic"), id=BLANK)]

    def _title(self) -> Text:
        assert self.column is not None
        label = self.column[1]
        template = _("{column} is not…") if self.negated else _("{column} is…")
        return safe_format(template, column=label)  # a variable's name: literal

    @on(OptionList.OptionSelected, "#filter-columns")
    def _column_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next(c for c in self.columns if c[0] == event.option.id)
        if chosen[2] in (OVERDUE, CALLABLE):
            self.dismiss(Condition(chosen[2], "=", True))
            return
        self.column = chosen
        column, _label, kind = chosen
        self.query_one("#filter-columns").display = False
        self._show_active(False)
        self.query_one("#filter-title", Label).update(self._title())
        if kind in ("status", "action", "assignee", "dropdown"):
            self.query_one("#filter-hint", Static).update(
                _("enter: choose · {negate}: is / is not · {back}: back").format(
                    negate=FILTER_DIALOG_ACTIONS.key(self, "filter.negate"),
                    back=FILTER_DIALOG_ACTIONS.key(self, "filter.back"),
                )
            )
            choices = self.query_one("#filter-choices", OptionList)
            choices.set_options(self._choices(kind, column))
            choices.display = True
            choices.highlighted = 0
            choices.focus()
        else:
            hint = _(_TYPED_HINTS[kind]) if kind in _TYPED_HINTS else ""
            self.query_one("#filter-hint", Static).update(hint)
            value = self.query_one("#filter-value", Input)
            value.value = ""
            value.display = True
            value.focus()
        self.refresh_bindings()

    @on(ActiveFilters.Remove)
    def _remove_active(self, event: ActiveFilters.Remove) -> None:
        """Drop an active filter: from the list behind at once, and from this list."""
        event.stop()
        if not 0 <= event.index < len(self.active):
            return
        condition = self.active.pop(event.index)
        if self._on_remove is not None:
            self._on_remove(condition)
        self._show_active(True)
        if not self.active:
            self._step_one()  # nothing left to remove: back to the columns

    def action_negate(self) -> None:
        """Switch between "is" and "is not"."""
        self.negated = not self.negated
        self.query_one("#filter-title", Label).update(self._title())

    def action_back(self) -> None:
        """Back to the columns, or close from there."""
        if self.column is None:
            self.dismiss(None)
        else:
            self._step_one()

    @on(OptionList.OptionSelected, "#filter-choices")
    def _choice_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert self.column is not None
        choice = event.option.id
        value = None if choice in (None, BLANK) else int(choice)
        self.dismiss(Condition(self.column[0], "!=" if self.negated else "=", value))

    @on(Input.Submitted, "#filter-value")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.column is not None
        text = event.value.strip()
        operator = next((op for op in ("!=", "<=", ">=", "=", "<", ">") if text.startswith(op)), "")
        value = text[len(operator) :].strip()
        column_id, label, kind = self.column
        if kind in ("date", "number", "currency") and value:
            try:  # as the user types it (15/01/2027, 1 234,50 €): the query's machine form
                value = machine_text(kind, value, label, self.today)
            except ValidationError as error:
                if column_id != "created_at":  # which also takes a time (2026-11-02T09:30)
                    self.query_one("#filter-error", Static).update(shown(error.problem))
                    return
        expression = f"{column_id}{operator or '='}{value}"
        try:
            condition = parse_condition(expression, self.settings, self.today)
        except ValidationError as error:
            self.query_one("#filter-error", Static).update(shown(error.problem))
            return
        self.dismiss(condition)
