"""The pipeline board's small dialogs: choose one of a list; type a range of close dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.locale_values import date_forms, parse_typed_date, shown_date
from crm_tui.i18n import _
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.query_dialogs import TypeToSelect
from crm_tui.ui.widgets.safe_inputs import SafeInput


@dataclass(frozen=True, slots=True)
class Choice:
    """One line of a ``ChoiceDialog``: what it returns and how it is drawn."""

    key: str
    label: Text


CHOICE_DIALOG_ACTIONS = ActionTable(
    Action("pipeline_choice.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``ChoiceDialog`` (enter chooses, as in every option list)."""


class ChoiceDialog(ModalScreen[str | None]):
    """Choose one of a few lines (typing the start of one highlights it); dismisses with
    its key, or ``None``."""

    BINDINGS = CHOICE_DIALOG_ACTIONS.bindings()

    def __init__(self, title: str, choices: Sequence[Choice], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        """The title over the choices."""
        with Vertical(classes="pipeline-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield TypeToSelect(
                *[Option(choice.label, id=choice.key) for choice in self.choices],
                names=[choice.label.plain for choice in self.choices],
                id="pipeline-choices",
            )
        yield CrmFooter()

    def on_mount(self) -> None:
        """The current choice highlighted."""
        options = self.query_one("#pipeline-choices", TypeToSelect)
        for index, choice in enumerate(self.choices):
            if choice.key == self.current:
                options.highlighted = index
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close, nothing chosen."""
        self.dismiss(None)


RANGE_DIALOG_ACTIONS = ActionTable(
    Action("pipeline_range.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``CloseRangeDialog`` (enter applies)."""


class CloseRangeDialog(ModalScreen[tuple[dt.date | None, dt.date | None] | None]):
    """Type the first and last close dates (either may stay blank); dismisses with both."""

    BINDINGS = RANGE_DIALOG_ACTIONS.bindings()

    def __init__(self, today: dt.date, start: dt.date | None, end: dt.date | None) -> None:
        super().__init__()
        self.today = today
        self.start = start
        self.end = end

    def compose(self) -> ComposeResult:
        """Two dates and what they accept."""
        with Vertical(classes="pipeline-dialog"):
            yield Label(_("Close dates"), classes="dialog-title")
            yield Static(_("From (blank: no limit)"))
            yield SafeInput(shown_date(self.start), id="range-from")
            yield Static(_("To, included (blank: no limit)"))
            yield SafeInput(shown_date(self.end), id="range-to")
            yield Static(date_forms(), classes="hint")
            yield Static("", id="range-error", classes="field-error")
        yield CrmFooter()

    @on(Input.Submitted, "#range-from")
    def _from_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#range-to", Input).focus()

    @on(Input.Submitted, "#range-to")
    def _to_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    def apply(self) -> None:
        """Check both dates; close with them, or say which one is wrong."""
        error = self.query_one("#range-error", Static)
        try:
            start = parse_typed_date(
                self.query_one("#range-from", Input).value, _("from"), self.today
            )
            end = parse_typed_date(self.query_one("#range-to", Input).value, _("to"), self.today)
        except ValidationError as problem:
            error.update(Text(str(problem)))
            return
        if start is not None and end is not None and end < start:
            error.update(
                Text(
                    _("to: {end} is before {start}").format(
                        end=shown_date(end), start=shown_date(start)
                    )
                )
            )
            return
        self.dismiss((start, end))

    def action_cancel(self) -> None:
        """Close, the range unchanged."""
        self.dismiss(None)
