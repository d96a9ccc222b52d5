"""The bulk edit dialog: choose a field of the marked notes, then its value.

Opened by ``b`` on the notes screen (``bulk_edit.MarkingMixin``), and imported only then.
The field's value is chosen with the editor's own pickers and inputs; the edit runs in a
database thread behind a progress bar, which the thread moves with ``app.call_from_thread``.
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from crm_tui.domain.bulk_edit import APPLY, ASK, SKIP, BulkConflict, bulk_edit
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.marks import MarkSet
from crm_tui.domain.users import list_users
from crm_tui.i18n import _, format_count, ngettext
from crm_tui.records import BulkResult, Settings, UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import safe_text, shown
from crm_tui.ui.widgets.pickers import BadgePicker, badge_items, user_items
from crm_tui.ui.widgets.value_inputs import DropdownRow, FieldRow, TypedInput, variable_rows


class ProgressOnScreen:
    """A domain ``Progress`` for a database thread: each report runs on the UI loop
    (``app.call_from_thread``), where it moves the dialog's bar."""

    def __init__(self, app: App[object], dialog: BulkEditDialog) -> None:
        self.app = app
        self.dialog = dialog

    def start(self, description: str, total: int | None = None) -> None:
        """A step begins: say what it is; the bar counts to ``total``."""
        self.app.call_from_thread(self.dialog.progress_started, description, total)

    def advance(self, amount: int = 1) -> None:
        """``amount`` more done."""
        self.app.call_from_thread(self.dialog.progress_advanced, amount)


BULK_EDIT_DIALOG_ACTIONS = ActionTable(
    Action("bulk.apply", "ctrl+s", "apply", N_("Apply")),
    Action("bulk.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``BulkEditDialog``."""


class BulkEditDialog(ModalScreen[BulkResult | None]):
    """Choose a field and a value, then set it on every marked note."""

    CSS_PATH = "../styles/bulk_edit.tcss"
    BINDINGS = BULK_EDIT_DIALOG_ACTIONS.bindings()

    def __init__(self, marks: MarkSet, user: UserInfo, settings: Settings, today: dt.date) -> None:
        super().__init__()
        self.marks = marks
        self.user = user
        self.settings = settings
        self.today = today
        self.field: str | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        """The fields, the value, the message, the progress and the conflict choice."""
        with Vertical(id="bulk-dialog"):
            count = len(self.marks)
            yield Label(
                ngettext(
                    "Set a field on {count} marked note",
                    "Set a field on {count} marked notes",
                    count,
                ).format(count=format_count(count)),
                id="bulk-title",
            )
            options = [
                Option(_("Status"), id="status"),
                Option(_("Action"), id="action"),
                Option(_("Assignee"), id="assignee"),
                Option(_("Follow-up"), id="follow_up"),
            ]
            options += [
                Option(safe_text(v.name), id=f"var:{v.id}") for v in self.settings.active_variables
            ]
            yield OptionList(*options, id="bulk-fields")
            yield Vertical(id="bulk-value")
            yield Static("", id="bulk-message")
            yield ProgressBar(id="bulk-progress", show_eta=False)
            with Horizontal(id="bulk-conflict"):
                yield Button(_("Skip them (s)"), id="bulk-skip", variant="primary")
                yield Button(_("Apply anyway (a)"), id="bulk-apply-anyway", variant="error")
            yield Static(
                _("enter: choose · {apply}: apply · {cancel}: cancel").format(
                    apply=BULK_EDIT_DIALOG_ACTIONS.key(self, "bulk.apply"),
                    cancel=BULK_EDIT_DIALOG_ACTIONS.key(self, "bulk.cancel"),
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        """Nothing chosen yet."""
        self.query_one("#bulk-progress").display = False
        self.query_one("#bulk-conflict").display = False
        self.query_one("#bulk-fields").focus()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#bulk-message", Static)
        message.update(shown(text))  # may quote names and typed values: literal
        message.set_class(error, "-error")

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A field was chosen: show its value input, focused."""
        event.stop()
        self.field = event.option.id
        box = self.query_one("#bulk-value", Vertical)
        await box.remove_children()
        row = self._value_row(str(self.field))
        await box.mount(row)
        self._say("")
        row.focus_field()

    def _value_row(self, field: str) -> FieldRow:
        settings = self.settings
        if field in ("status", "action"):
            badges = settings.statuses if field == "status" else settings.actions
            label = _("Status") if field == "status" else _("Action")
            picker = BadgePicker(badge_items(badges), classes="bulk-picker")
            return FieldRow(label, picker, field_name=label, id="bulk-row")
        if field == "assignee":
            picker = BadgePicker(user_items(list_users()), classes="bulk-picker")
            return FieldRow(_("Assignee"), picker, field_name=_("assignee"), id="bulk-row")
        if field == "follow_up":
            return TypedInput(
                _("Follow-up"), "follow_up", self.today, field_name=_("follow-up"), id="bulk-row"
            )
        variable = settings.variable(int(field[4:]))
        (row,) = variable_rows([variable], self.today) if variable else []
        row.id = "bulk-row"
        return row

    def _typed(self) -> str | None:
        """The value to set, as text; ``None`` when it is refused (the row says why)."""
        row = self.query_one("#bulk-row", FieldRow)
        pickers = row.query(BadgePicker)
        if isinstance(row, TypedInput | DropdownRow) and (
            isinstance(row, TypedInput) or not pickers
        ):
            if row.check() is not None:
                return None
            return row.saved_text()
        return pickers.first().text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the value applies."""
        event.stop()
        self.action_apply()

    def action_apply(self, conflicts: str = ASK) -> None:
        """Set the value on the marked notes (in a database thread)."""
        if self.running or self.field is None or not self.query("#bulk-row"):
            if self.field is None:
                self._say(_("Choose a field first."), error=True)
            return
        value = self._typed()
        if value is None:
            return
        self.running = True
        self.query_one("#bulk-conflict").display = False
        self.query_one("#bulk-progress").display = True
        self._say(_("Working…"))
        self._run(self.field, value, conflicts)

    @work(exclusive=True, group="bulk-edit", exit_on_error=False)
    async def _run(self, field: str, value: str, conflicts: str) -> None:
        """Edit the marked notes in a database thread; close when done, or say why not and
        keep what was chosen."""
        try:
            result = await off_thread(
                bulk_edit,
                self.user,
                self.marks,
                field,
                value,
                since=self.marks,
                conflicts=conflicts,
                today=self.today,
                progress=ProgressOnScreen(self.app, self),
            )
        except BulkConflict as error:
            self._ended(str(error), conflict=True)
        except ValidationError as error:
            self._ended(error.problem)
        except DomainError as error:
            self._ended(str(error))
        else:
            self.running = False
            self.query_one("#bulk-progress").display = False
            self.dismiss(result)

    def progress_started(self, description: str, total: int | None) -> None:
        """A step of the edit begins: say what it is, start the bar again."""
        self._say(description)
        self.query_one("#bulk-progress", ProgressBar).update(total=total, progress=0)

    def progress_advanced(self, amount: int) -> None:
        """Move the bar."""
        self.query_one("#bulk-progress", ProgressBar).advance(amount)

    def _ended(self, problem: str, conflict: bool = False) -> None:
        """Refused: say why and keep what was chosen."""
        self.running = False
        self.query_one("#bulk-progress").display = False
        self._say(problem, error=True)
        if conflict:
            self.query_one("#bulk-conflict").display = True
            self.query_one("#bulk-skip", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Skip the notes changed by others, or apply anyway."""
        event.stop()
        self.action_apply(SKIP if event.button.id == "bulk-skip" else APPLY)

    def on_key(self, event) -> None:
        """``s``/``a`` answer the conflict question while it is shown."""
        if not self.query_one("#bulk-conflict").display or self.running:
            return
        if event.key in ("s", "a"):
            event.stop()
            self.action_apply(SKIP if event.key == "s" else APPLY)

    def action_cancel(self) -> None:
        """Leave without changing anything (not while it runs)."""
        if not self.running:
            self.dismiss(None)
