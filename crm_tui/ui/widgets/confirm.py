"""A yes/no question in a modal dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label

from crm_tui.i18n import _


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; dismisses with ``True`` (yes) or ``False`` (no, escape)."""

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", _("No"), id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="confirm-dialog"):
            yield Label(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="error")
                yield Button(f"{self.no_label} (n)", id="confirm-no", variant="primary")

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
