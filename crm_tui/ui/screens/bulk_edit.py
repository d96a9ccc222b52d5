"""Marks, bulk edit and undo in the UI.

``MarkingMixin`` gives the notes screen its marks (``space``, ``a`` all in the filter,
``A`` none) and ``b``, which opens ``bulk_dialog.BulkEditDialog`` (imported then, to
keep it out of the start-up). Undo and redo (``u``, ``ctrl+r``) are the app's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import work
from textual.screen import Screen
from textual.widgets import Static

from crm_tui.domain.bulk_edit import marked_ids, watermark
from crm_tui.domain.marks import MarkSet
from crm_tui.domain.query import NoteQuery
from crm_tui.i18n import _, format_count, ngettext
from crm_tui.records import BulkResult, Settings
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import shown
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.note_list import NoteTable


def collect_marks(query: NoteQuery, settings: Settings, today: dt.date, marks: MarkSet) -> MarkSet:
    """In a database thread: a copy of ``marks`` with every note of ``query`` added (a
    second at 1M notes)."""
    since = watermark()
    return marks.merged(marked_ids(query, settings, today), since)


class MarkingMixin(UsesSession, Screen[None]):
    """Marks on the notes list and the bulk edit of the marked notes (for ``NotesScreen``).

    ``marks`` maps each marked note to the history watermark it was marked at, so that
    a bulk edit can tell which notes someone else changed since. The screen gives the
    list (``table``) and what it shows (``note_query``).
    """

    @property
    def table(self) -> NoteTable:
        """The list of notes (the screen's)."""
        raise NotImplementedError

    note_query: Any
    """What the list shows (the screen's reactive ``NoteQuery``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks = MarkSet()
        self._total: int | None = None

    def show_count(self, count: int | None = None) -> None:
        """Show how many notes the list has and how many are marked."""
        if count is not None:
            self._total = count
        total = self._total or 0
        text = ngettext("{count} note", "{count} notes", total).format(count=format_count(total))
        if self.marks:
            text += " · " + _("{count} marked").format(count=format_count(len(self.marks)))
        self.query_one("#notes-count", Static).update(shown(text))
        self.table.set_marked(self.marks)

    def action_toggle_mark(self) -> None:
        """Mark the highlighted note (or unmark it), then go to the next one."""
        table = self.table
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
        session = self.session
        self._collect_marks(self.note_query, session.settings, session.today(), self.marks.copy())

    @work(exclusive=True, group="notes-marks", exit_on_error=False)
    async def _collect_marks(
        self, query: NoteQuery, settings: Settings, today: dt.date, marks: MarkSet
    ) -> None:
        """Add the query's notes to a copy of the marks in a database thread, then take
        them (earlier marks keep their watermark). Marks changed while the thread ran are
        rare: then merge its result again, here."""
        based_on = marks.version
        merged = await off_thread(collect_marks, query, settings, today, marks)
        if based_on == self.marks.version:
            self.marks = merged
        else:
            self.marks = self.marks.merged_with(merged)
        self.show_count()

    def action_clear_marks(self) -> None:
        """Unmark every note."""
        self.marks.clear()
        self.show_count()

    def action_bulk_edit(self) -> None:
        """Set a field on every marked note."""
        if not self.marks:
            self.notify(
                _("Mark notes first: space marks the highlighted note, a marks all."),
                severity="warning",
            )
            return
        from crm_tui.ui.screens.bulk_dialog import BulkEditDialog  # only needed now

        session = self.session
        dialog = BulkEditDialog(
            self.marks.copy(), session.signed_user, session.settings, session.today()
        )
        self.app.push_screen(dialog, self._bulk_edited)

    def _bulk_edited(self, result: BulkResult | None) -> None:
        if result is None:
            return
        text = ngettext("{count} note changed.", "{count} notes changed.", result.changed)
        text = text.format(count=format_count(result.changed))
        if result.skipped:
            text += " " + _("{count} skipped (changed by someone else).").format(
                count=format_count(result.skipped)
            )
        self.notify(text)
        self.marks.clear()
        self.show_count()
        self.crm_app.notes_changed()
