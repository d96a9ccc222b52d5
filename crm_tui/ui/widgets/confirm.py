"""A yes/no question in a modal dialog."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label

from crm_tui.i18n import _
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.safe_text import shown

CONFIRM_SCREEN_ACTIONS = ActionTable(
    Action("confirm.yes", "y", "answer(True)", N_("Yes")),
    Action("confirm.no", "n,escape", "answer(False)", N_("No")),
)
"""The keys of ``ConfirmScreen``."""


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; dismisses with ``True`` (yes) or ``False`` (no, escape)."""

    BINDINGS = CONFIRM_SCREEN_ACTIONS.bindings()

    def __init__(self, question: str | Text, yes: str | None = None, no: str | None = None) -> None:
        """``question`` may embed stored names: it is drawn literally, never as markup."""
        super().__init__()
        self.question = question
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="confirm-dialog"):
            yield Label(shown(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yes, no = shown(f"{self.yes_label} (y)"), shown(f"{self.no_label} (n)")
                yield Button(yes, id="confirm-yes", variant="error")
                yield Button(no, id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        """Focus "No": the safe answer."""
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        """Answer by key."""
        self.dismiss(answer)


def leave_form(form: Screen, changed: bool, question: str | None = None) -> None:
    """Close ``form`` with no result; when something was typed, ask first ("Leave"/"Keep")."""
    if not changed:
        form.dismiss(None)
        return

    def answered(leave: bool | None) -> None:
        if leave:
            form.dismiss(None)

    form.app.push_screen(
        ConfirmScreen(
            question or _("Leave without saving what you typed?"),
            yes=_("Leave"),
            no=_("Keep editing"),
        ),
        answered,
    )
