"""Messages screens post to each other through the app."""

from __future__ import annotations

from textual.message import Message


class SettingsChanged(Message):
    """Statuses, actions or variables changed: redraw badges, columns and pickers."""


class NotesChanged(Message):
    """Notes were created, edited or deleted: refresh lists.

    ``saved``: note ``note_id`` was just saved by this user (lists highlight it).
    """

    def __init__(self, note_id: int | None = None, *, saved: bool = False) -> None:
        self.note_id = note_id
        self.saved = saved
        super().__init__()
