"""Messages screens post to each other through the app."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message


class SettingsChanged(Message):
    """Statuses, actions or variables changed: redraw badges, columns and pickers."""


@dataclass
class NotesChanged(Message):
    """Notes were created, edited or deleted: refresh lists.

    ``saved``: note ``note_id`` was just saved by this user (lists highlight it).
    """

    note_id: int | None = None
    saved: bool = field(default=False, kw_only=True)


class LanguageChanged(Message):
    """The app speaks another language now: redraw the words on screen.

    Screens that hold nothing typed draw their labels again; forms keep what was typed
    (their words follow when they are opened next).
    """
