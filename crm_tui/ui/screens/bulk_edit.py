"""Marks, bulk edit and undo in the UI.

``MarkingMixin`` gives the notes screen its marks (``space``, ``a`` all in the filter,
``A`` none) and ``b``, which opens ``BulkEditDialog``: choose a field, then its value
with the editor's own pickers and inputs; the edit runs in a thread worker behind a
progress bar. ``run_undo``/``show_undo`` are the app's ``u`` and ``ctrl+r``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from crm_tui.domain.bulk_edit import (
    APPLY,
    ASK,
    SKIP,
    BulkConflict,
    bulk_edit,
    marked_ids,
    watermark,
)
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.records import BulkResult, Settings, UndoResult, UserInfo
from crm_tui.domain.undo import redo, undo
from crm_tui.domain.users import list_users
from crm_tui.i18n import _, ngettext
from crm_tui.ui.widgets.pickers import BadgePicker, badge_items, user_items
from crm_tui.ui.widgets.value_inputs import FieldRow, TypedInput, variable_rows


class UndoDone(Message):
    """An undo or redo step ended (``problem`` says why it was refused)."""

    def __init__(self, result: UndoResult | None, problem: str | None) -> None:
        self.result = result
        self.problem = problem
        super().__init__()


def run_undo(session: Any, again: bool) -> UndoDone:
    """Undo (or, ``again``, redo) the session user's last step; for a worker thread."""
    try:
        step = redo if again else undo
        return UndoDone(step(session.user, today=session.today()), None)
    except DomainError as error:
        return UndoDone(None, str(error))


def show_undo(app: App, message: UndoDone) -> None:
    """Say what was undone or redone, and refresh what it changed."""
    if message.result is None:
        app.notify(message.problem or "", severity="warning")
        return
    app.notify(message.result.description)
    if message.result.settings:
        app.settings_changed()  # type: ignore[attr-defined]
    if message.result.notes:
        app.notes_changed()  # type: ignore[attr-defined]


class MarksCollected(Message, bubble=False):
    """The ids of every note of a query, to mark them all (from a worker)."""

    def __init__(self, ids: list[int], since: int) -> None:
        self.ids = ids
        self.since = since
        super().__init__()


class MarkingMixin:
    """Marks on the notes list and the bulk edit of the marked notes (for ``NotesScreen``).

    ``marks`` maps each marked note to the history watermark it was marked at, so that
    a bulk edit can tell which notes someone else changed since.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: dict[int, int] = {}
        self._total: int | None = None

    def show_count(self, count: int | None = None) -> None:
        """Show how many notes the list has and how many are marked."""
        if count is not None:
            self._total = count
        total = self._total or 0
        text = ngettext("{count:,} note", "{count:,} notes", total).format(count=total)
        if self.marks:
            text += " · " + _("{count:,} marked").format(count=len(self.marks))
        self.query_one("#notes-count", Static).update(text)  # type: ignore[attr-defined]
        self.table.set_marked(self.marks)  # type: ignore[attr-defined]

    def action_toggle_mark(self) -> None:
        """Mark the highlighted note (or unmark it), then go to the next one."""
        table = self.table  # type: ignore[attr-defined]
        note_id = table.highlighted_note_id
        if note_id is None:
            return
        if note_id in self.marks:
            del self.marks[note_id]
        else:
            self.marks[note_id] = watermark()  # one index lookup
        table.move_cursor(table.cursor_row + 1)
        self.show_count()

    def action_mark_all(self) -> None:
        """Mark every note of the current filter and search."""
        session = self.session  # type: ignore[attr-defined]
        self._collect_marks(self.note_query, session.settings, session.today())  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="notes-marks", exit_on_error=False)
    def _collect_marks(self, query: Any, settings: Settings, today: dt.date) -> None:
        since = watermark()
        self.post_message(MarksCollected(marked_ids(query, settings, today), since))  # type: ignore[attr-defined]

    def on_marks_collected(self, message: MarksCollected) -> None:
        """Add the collected notes to the marks (earlier marks keep their watermark)."""
        for note_id in message.ids:
            self.marks.setdefault(note_id, message.since)
        self.show_count()

    def action_clear_marks(self) -> None:
        """Unmark every note."""
        self.marks.clear()
        self.show_count()

    def action_bulk_edit(self) -> None:
        """Set a field on every marked note."""
        if not self.marks:
            self.notify(  # type: ignore[attr-defined]
                _("Mark notes first: space marks the highlighted note, a marks all."),
                severity="warning",
            )
            return
        session = self.session  # type: ignore[attr-defined]
        dialog = BulkEditDialog(dict(self.marks), session.user, session.settings, session.today())
        self.app.push_screen(dialog, self._bulk_edited)  # type: ignore[attr-defined]

    def _bulk_edited(self, result: BulkResult | None) -> None:
        if result is None:
            return
        text = ngettext("{count:,} note changed.", "{count:,} notes changed.", result.changed)
        text = text.format(count=result.changed)
        if result.skipped:
            text += " " + _("{count:,} skipped (changed by someone else).").format(
                count=result.skipped
            )
        self.notify(text)  # type: ignore[attr-defined]
        self.marks.clear()
        self.show_count()
        self.app.notes_changed()  # type: ignore[attr-defined]

    def marking_commands(self) -> Iterable[SystemCommand]:
        """The palette entries of marks and bulk edit."""
        yield SystemCommand(
            _("Mark note"), _("Mark the highlighted note (space)"), self.action_toggle_mark
        )
        yield SystemCommand(
            _("Mark all"), _("Mark every note of the filter (a)"), self.action_mark_all
        )
        yield SystemCommand(_("Clear marks"), _("Unmark every note (A)"), self.action_clear_marks)
        yield SystemCommand(
            _("Bulk edit"), _("Set a field on the marked notes (b)"), self.action_bulk_edit
        )


class _Progress(Message, bubble=False):
    def __init__(self, description: str | None, total: int | None, amount: int) -> None:
        self.description = description
        self.total = total
        self.amount = amount
        super().__init__()


class _Ended(Message, bubble=False):
    def __init__(self, result: BulkResult | None, problem: str | None, conflict: bool) -> None:
        self.result = result
        self.problem = problem
        self.conflict = conflict
        super().__init__()


class _PostedProgress:
    """A domain ``Progress`` that posts to the dialog (from the worker thread)."""

    def __init__(self, dialog: BulkEditDialog) -> None:
        self.dialog = dialog

    def start(self, description: str, total: int | None = None) -> None:
        self.dialog.post_message(_Progress(description, total, 0))

    def advance(self, amount: int = 1) -> None:
        self.dialog.post_message(_Progress(None, None, amount))


class BulkEditDialog(ModalScreen[BulkResult | None]):
    """Choose a field and a value, then set it on every marked note."""

    CSS_PATH = "../styles/bulk_edit.tcss"
    BINDINGS = [
        Binding("ctrl+s", "apply", _("Apply"), id="bulk.apply"),
        Binding("escape", "cancel", _("Cancel"), id="bulk.cancel"),
    ]

    def __init__(
        self, marks: dict[int, int], user: UserInfo, settings: Settings, today: dt.date
    ) -> None:
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
                    "Set a field on {count:,} marked note",
                    "Set a field on {count:,} marked notes",
                    count,
                ).format(count=count),
                id="bulk-title",
            )
            options = [
                Option(_("Status"), id="status"),
                Option(_("Action"), id="action"),
                Option(_("Assignee"), id="assignee"),
                Option(_("Follow-up"), id="follow_up"),
            ]
            options += [Option(v.name, id=f"var:{v.id}") for v in self.settings.active_variables]
            yield OptionList(*options, id="bulk-fields")
            yield Vertical(id="bulk-value")
            yield Static("", id="bulk-message")
            yield ProgressBar(id="bulk-progress", show_eta=False)
            with Horizontal(id="bulk-conflict"):
                yield Button(_("Skip them (s)"), id="bulk-skip", variant="primary")
                yield Button(_("Apply anyway (a)"), id="bulk-apply-anyway", variant="error")
            yield Static(_("enter: choose · ctrl+s: apply · escape: cancel"), classes="hint")

    def on_mount(self) -> None:
        """Nothing chosen yet."""
        self.query_one("#bulk-progress").display = False
        self.query_one("#bulk-conflict").display = False
        self.query_one("#bulk-fields").focus()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#bulk-message", Static)
        message.update(text)
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
        (row,) = variable_rows([variable], self.today) if variable else ()
        row.id = "bulk-row"
        return row

    def _typed(self) -> str | None:
        """The value to set, as text; ``None`` when it is refused (the row says why)."""
        row = self.query_one("#bulk-row", FieldRow)
        pickers = row.query(BadgePicker)
        if isinstance(row, TypedInput) or not pickers:
            if row.check() is not None:  # type: ignore[attr-defined]
                return None
            return row.saved_text()  # type: ignore[attr-defined]
        return pickers.first().text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the value applies."""
        event.stop()
        self.action_apply()

    def action_apply(self, conflicts: str = ASK) -> None:
        """Set the value on the marked notes (in a worker)."""
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

    @work(thread=True, exclusive=True, group="bulk-edit", exit_on_error=False)
    def _run(self, field: str, value: str, conflicts: str) -> None:
        try:
            result = bulk_edit(
                self.user,
                list(self.marks),
                field,
                value,
                since=self.marks,
                conflicts=conflicts,
                today=self.today,
                progress=_PostedProgress(self),
            )
        except BulkConflict as error:
            self.post_message(_Ended(None, str(error), True))
            return
        except ValidationError as error:
            self.post_message(_Ended(None, error.problem, False))
            return
        except DomainError as error:
            self.post_message(_Ended(None, str(error), False))
            return
        self.post_message(_Ended(result, None, False))

    @on(_Progress)
    def _moved(self, message: _Progress) -> None:
        """Move the bar."""
        bar = self.query_one("#bulk-progress", ProgressBar)
        if message.description is not None:
            self._say(message.description)
            bar.update(total=message.total, progress=0)
        else:
            bar.advance(message.amount)

    @on(_Ended)
    def _ended(self, message: _Ended) -> None:
        """Done: close; refused: say why and keep what was chosen."""
        self.running = False
        self.query_one("#bulk-progress").display = False
        if message.result is not None:
            self.dismiss(message.result)
            return
        self._say(message.problem or "", error=True)
        if message.conflict:
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
