"""What every screen shares: the database, the signed-in user and the settings snapshot.

Sign-in is a gate: until the password is right ``user`` is ``None`` (the domain refuses
every change without a user) and ``pending`` is who is asked for a password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee

from crm_tui.domain.permissions import can_change_settings
from crm_tui.domain.query import NoteQuery
from crm_tui.domain.settings import load_settings
from crm_tui.records import Settings, UserInfo
from crm_tui.ui.timing import Timing


@dataclass
class Session:
    """The open database, who is signed in, and the current settings."""

    database: peewee.Database
    user: UserInfo | None
    settings: Settings = field(default_factory=Settings)
    today_override: dt.date | None = None
    pending: UserInfo | None = None
    """Who the sign-in screen asks a password of (``user`` stays ``None`` until then)."""
    start_query: NoteQuery | None = None
    """What the notes list shows first (``crm-tui --sort …``), until the list takes it."""
    timing: Timing = field(default_factory=Timing)
    """The delays the app owns (watch interval, sign-in retry timer)."""

    @property
    def signed_in(self) -> bool:
        """Whether someone is signed in: before that, no screen but sign-in may show."""
        return self.user is not None

    @property
    def is_admin(self) -> bool:
        """Whether the signed-in user may open Settings and Users."""
        return can_change_settings(self.user)

    def sign_in(self, user: UserInfo) -> None:
        """``user`` typed the right password: they are the session's user now."""
        self.user = user
        self.pending = None

    def take_start_query(self) -> NoteQuery:
        """The notes list's first query (once: a later list starts with every note)."""
        query, self.start_query = self.start_query, None
        return query or NoteQuery()

    def today(self) -> dt.date:
        """Today's date (fixed in tests)."""
        return self.today_override or dt.date.today()

    def reload_settings(self) -> Settings:
        """Read the settings again (after a change in Settings or by someone else)."""
        self.settings = load_settings()
        return self.settings


class UsesSession:
    """For screens: ``session``, the app's ``Session``."""

    @property
    def session(self) -> Session:
        """The app's session: database, user, settings snapshot, today."""
        return self.app.session  # type: ignore[attr-defined]
