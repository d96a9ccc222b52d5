"""What every screen shares: the signed-in user and the settings snapshot.

Sign-in is a gate: until the password is right ``user`` is ``None`` (the domain refuses
every change without a user) and ``pending`` is who is asked for a password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from crm_tui.domain.app_settings import currency_setting
from crm_tui.domain.locale_values import use_currency
from crm_tui.domain.permissions import can_change_settings
from crm_tui.domain.query import NoteQuery
from crm_tui.domain.settings import load_settings
from crm_tui.records import Settings, UserInfo
from crm_tui.ui.timing import Timing

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


@dataclass
class Session:
    """Who is signed in, and the current settings (the domain reads the bound database)."""

    user: UserInfo | None
    settings: Settings = field(default_factory=Settings)
    today_override: dt.date | None = None
    pending: UserInfo | None = None
    """Who the sign-in screen asks a password of (``user`` stays ``None`` until then)."""
    start_query: NoteQuery | None = None
    """What the notes list shows first (``crm-tui --sort …``), until the list takes it."""
    timing: Timing = field(default_factory=Timing)
    """The delays the app owns (watch interval, sign-in retry timer)."""
    currency: str | None = None
    """The currency the database shows amounts in (``None``: each viewer's language's)."""

    @property
    def signed_in(self) -> bool:
        """Whether someone is signed in: before that, no screen but sign-in may show."""
        return self.user is not None

    @property
    def is_admin(self) -> bool:
        """Whether the signed-in user may open Settings and Users."""
        return can_change_settings(self.user)

    @property
    def signed_user(self) -> UserInfo:
        """The signed-in user, for the screens that exist only once someone is signed in."""
        if self.user is None:
            raise RuntimeError("nobody is signed in")
        return self.user

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
        self.currency = currency_setting()  # the database's; amounts are drawn in it
        use_currency(self.currency)
        return self.settings


class InApp(Protocol):
    """A screen or widget: it knows its app."""

    @property
    def app(self) -> Any:
        """The running app."""


def crm_app(node: InApp) -> CrmApp:
    """The crm-tui app that ``node`` (a screen or widget) runs in, typed."""
    from crm_tui.ui.app import CrmApp  # the app module imports this one

    app = node.app
    if not isinstance(app, CrmApp):
        raise TypeError(f"{app!r} is not the crm-tui app")
    return app


class UsesSession:
    """For screens: ``session``, the app's ``Session``, and ``crm_app``, the typed app."""

    @property
    def crm_app(self: InApp) -> CrmApp:
        """The app, typed: ``notes_changed``, ``settings_changed``, undo."""
        return crm_app(self)

    @property
    def session(self: InApp) -> Session:
        """The app's session: user, settings snapshot, today."""
        return crm_app(self).session
