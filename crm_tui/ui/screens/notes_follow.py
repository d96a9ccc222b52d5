"""The list follows the note just saved: it is highlighted wherever the sort puts it.

A mixin of the screens that show a ``NoteTable`` (the notes list, a customer's notes).
When a note is saved (``NotesChanged(saved=True)``), a worker asks the domain where the
note is in the list (``NotePager.position``); the table then reads the list again with
the cursor on that row. Until it is there, keys typed ahead wait (``e`` edits the note
just saved, not the one highlighted before). A note the filters or the search leave out
is not shown: the screen says so (``note_hidden``).
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.screen import Screen

from crm_tui.domain.query import NotePager, NoteQuery
from crm_tui.records import Settings
from crm_tui.ui.background import off_thread
from crm_tui.ui.session import UsesSession
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.note_list import NoteTable

HOLD = "follow-saved-note"


def note_position(note_id: int, query: NoteQuery, settings: Settings, today: dt.date) -> int | None:
    """In a database thread: the row of ``note_id`` in the list (``None``: left out)."""
    return NotePager(query, settings, today).position(note_id)


class FollowsSavedNote(UsesSession, Screen[None]):
    """Highlight a saved note in the screen's ``NoteTable`` (see the module docstring)."""

    _following: tuple[int, int] | None = None
    """The note being brought under the cursor, and its row."""

    def follow_table(self) -> NoteTable:
        """The table that follows saved notes (the screen's only one)."""
        return self.query_one(NoteTable)

    def follow_note(self, note_id: int) -> None:
        """Find ``note_id`` in the list and put the cursor on it."""
        table: NoteTable = self.follow_table()
        session = self.session
        hold_keys(self, HOLD)
        self._locate(note_id, table.note_query, session.settings, session.today())

    @work(exclusive=True, group="follow-saved-note", exit_on_error=False)
    async def _locate(
        self,
        note_id: int,
        query: NoteQuery,
        settings: Settings,
        today: dt.date,
    ) -> None:
        """Find the note's row in a database thread; then read the list again with the
        cursor on it, or say why it is not there."""
        failed = False
        try:
            index = await off_thread(note_position, note_id, query, settings, today)
        except Exception:  # the list cannot be read: the table says so itself
            index, failed = None, True
        table: NoteTable = self.follow_table()
        if query != table.note_query:  # the query changed meanwhile: look again
            self.follow_note(note_id)
            return
        if index is None:
            self._following = None
            release_keys(self, HOLD)
            if not failed:
                self.note_hidden(note_id)
            return
        self._following = (note_id, index)
        table.reload(keep=self._following)

    def on_note_table_counted(self, message: NoteTable.Counted) -> None:
        """The list read again is shown: the keys typed ahead go on."""
        table: NoteTable = self.follow_table()
        if self._following is not None and table.loaded:
            self._following = None
            release_keys(self, HOLD)

    def on_note_table_failed(self, message: NoteTable.Failed) -> None:
        """The list could not be read: stop waiting for it."""
        self._following = None
        release_keys(self, HOLD)

    def reload_following(self) -> None:
        """Read the list again, on the note being followed if there is one."""
        table: NoteTable = self.follow_table()
        table.reload(keep=self._following)

    def note_hidden(self, note_id: int) -> None:
        """The saved note is not in the list (screens say why)."""
