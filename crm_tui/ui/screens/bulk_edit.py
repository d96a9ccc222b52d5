"""Marks, bulk edit and undo in the UI.

``MarkingMixin`` gives the notes screen its marks (``space``, ``a`` all in the filter,
``A`` none) and ``b``, which opens ``bulk_dialog.BulkEditDialog`` (imported then, to
keep it out of the start-up). ``run_undo``/``show_undo`` are the app's ``u`` and ``ctrl+r``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import work
from textual.app import App
from textual.message import Message
from textual.widgets import Static

from crm_tui.domain.bulk_edit import marked_ids, watermark
from crm_tui.domain.errors import DomainError
from crm_tui.domain.marks import MarkSet
from crm_tui.domain.undo import redo, undo
from crm_tui.i18n import _, ngettext
from crm_tui.records import BulkResult, Settings, UndoResult
from crm_tui.ui.safe_text import shown


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
    """The marks with every note of a query added, made by a worker from a copy."""

    def __init__(self, marks: MarkSet, based_on: int) -> None:
        self.marks = marks
        self.based_on = based_on
        super().__init__()


class MarkingMixin:
    """Marks on the notes list and the bulk edit of the marked notes (for ``NotesScreen``).

    ``marks`` maps each marked note to the history watermark it was marked at, so that
    a bulk edit can tell which notes someone else changed since.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks = MarkSet()
        self._total: int | None = None

    def show_count(self, count: int | None = None) -> None:
        """Show how many notes the list has and how many are marked."""
        if count is not None:
            self._total = count
        total = self._total or 0
        text = ngettext("{count:,} note", "{count:,} notes", total).format(count=total)
        if self.marks:
            text += " · " + _("{count:,} marked").format(count=len(self.marks))
        self.query_one("#notes-count", Static).update(shown(text))  # type: ignore[attr-defined]
        self.table.set_marked(self.marks)  # type: ignore[attr-defined]

    def action_toggle_mark(self) -> None:
        """Mark the highlighted note (or unmark it), then go to the next one."""
        table = self.table  # type: ignore[attr-defined]
        note_id = table.highlighted_note_id
        if note_id is None:
            return
        if note_id in self.marks:
            self.marks.discard(note_id)
        else:
            self.marks.add(note_id, watermark())  # one index lookup
        table.move_cursor(table.cursor_row + 1)
        self.show_count()

    def action_mark_all(self) -> None:
        """Mark every note of the current filter and search."""
        session = self.session  # type: ignore[attr-defined]
        self._collect_marks(
            self.note_query,  # type: ignore[attr-defined]
            session.settings,
            session.today(),
            self.marks.copy(),
        )

    @work(thread=True, exclusive=True, group="notes-marks", exit_on_error=False)
    def _collect_marks(
        self, query: Any, settings: Settings, today: dt.date, marks: MarkSet
    ) -> None:
        """Read the query's ids and merge them into a copy of the marks (a second at 1M)."""
        since = watermark()
        merged = marks.merged(marked_ids(query, settings, today), since)
        self.post_message(MarksCollected(merged, marks.version))  # type: ignore[attr-defined]

    def on_marks_collected(self, message: MarksCollected) -> None:
        """Take the merged marks (earlier marks keep their watermark). Marks changed while
        the worker ran are rare: then merge its result again, here."""
        if message.based_on == self.marks.version:
            self.marks = message.marks
        else:
            self.marks = self.marks.merged_with(message.marks)
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
        from crm_tui.ui.screens.bulk_dialog import BulkEditDialog  # only needed now

        session = self.session  # type: ignore[attr-defined]
        dialog = BulkEditDialog(self.marks.copy(), session.user, session.settings, session.today())
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
