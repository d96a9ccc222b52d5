"""Sign-in for users with a password: argon2id checked in a worker, slower after failures.

The screen asks the password of the session's ``pending`` user; nobody is signed in
before it is right. Wrong passwords are counted in the database, shared with the
command line: after the third in a row each costs a longer wait (the domain's
``retry_delay``) during which the field stays disabled. A deactivated user is refused
whatever they type; the user signed in is read again from the database, so a role
changed since the app started counts.
"""

from __future__ import annotations

from peewee import Database
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label

from crm_tui.domain.errors import DomainError
from crm_tui.domain.users import PasswordWait, password_wait, retry_delay, sign_in, whole_seconds
from crm_tui.i18n import _
from crm_tui.records import UserInfo
from crm_tui.ui.safe_text import safe_text
from crm_tui.ui.screens.settings_jobs import close_thread_connection
from crm_tui.ui.session import UsesSession
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.footer import CrmFooter

__all__ = ["SignInScreen", "retry_delay"]


class SignInScreen(UsesSession, Screen[None]):
    """Asks the pending user's password; posts ``SignedIn`` once it is right."""

    CSS_PATH = "../styles/sign_in.tcss"
    BINDINGS = [Binding("ctrl+q", "app.quit", _("Quit"), id="sign_in.quit")]

    class SignedIn(Message):
        """The password was right: ``user`` is who signed in, as the database has them."""

        def __init__(self, user: UserInfo) -> None:
            self.user = user
            super().__init__()

    class Checked(Message):
        """The password check finished: the ``user`` signed in, or ``None``.

        ``refusal`` is a reason no retry helps (deactivated); ``wait`` the seconds before
        the next try may be checked; ``too_soon`` that this try was not checked at all.
        """

        def __init__(
            self,
            user: UserInfo | None,
            refusal: str | None = None,
            *,
            wait: float = 0.0,
            too_soon: bool = False,
        ) -> None:
            self.user = user
            self.accepted = user is not None
            self.refusal = refusal
            self.wait = wait
            self.too_soon = too_soon
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        self._retry_timer: Timer | None = None

    @property
    def _pending(self) -> UserInfo:
        pending = self.app.session.pending  # type: ignore[attr-defined]
        assert pending is not None, "the sign-in screen needs someone to sign in"
        return pending

    def compose(self) -> ComposeResult:
        """The user's name, a password field and a status line."""
        before, _name, after = _("User: {name}").partition("{name}")
        user_line = Text.assemble(before, safe_text(self._pending.name), after)
        with Vertical(id="sign-in-box"):
            yield Label(_("Sign in to crm-tui"), id="sign-in-title")
            yield Label(user_line, id="sign-in-user")
            yield Input(placeholder=_("Password"), password=True, id="sign-in-password")
            yield Label("", id="sign-in-status")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Focus the password field."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Check the password off the UI thread."""
        field = self.query_one(Input)
        if field.disabled:
            return
        field.disabled = True
        hold_keys(self, "sign-in")  # keys typed after enter go where its answer leads
        self._status(_("Checking…"))
        self._check(self._pending.id, event.value, self.app.session.database)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def _check(self, user_id: int, password: str, database: Database) -> None:
        try:
            user = sign_in(user_id, password)
            wait = 0.0 if user is not None else password_wait(user_id)
            self.post_message(self.Checked(user, wait=wait))
        except PasswordWait as error:
            self.post_message(self.Checked(None, wait=error.seconds, too_soon=True))
        except DomainError as error:
            self.post_message(self.Checked(None, str(error)))
        finally:
            close_thread_connection(database)

    def on_sign_in_screen_checked(self, message: Checked) -> None:
        """Go on, or wait as long as the domain says before the next try.

        Keys typed after enter wait for the answer: signed in, they go to the notes.
        """
        if message.user is not None:
            self.post_message(self.SignedIn(message.user))
            return
        try:
            self._refused(message)
        finally:
            release_keys(self, "sign-in")

    def _refused(self, message: Checked) -> None:
        if message.refusal is not None:  # deactivated: no retry helps
            self._status(message.refusal, error=True)
            return
        if message.too_soon:
            text = _("Too many wrong passwords. Try again in {seconds} s.")
        else:
            self.failures += 1
            text = _("Wrong password. Try again in {seconds} s.")
        if message.wait <= 0:
            self.allow_retry(clear=not message.too_soon)
            return
        self._status(text.format(seconds=whole_seconds(message.wait)), error=True)
        if self.session.timing.retry_timer:
            self._retry_timer = self.set_timer(
                message.wait, lambda: self.allow_retry(clear=not message.too_soon)
            )

    def allow_retry(self, clear: bool = True) -> None:
        """Enable the password field again (the retry timer calls it; tests may directly).

        A timer still pending is stopped, so it cannot fire later on a password being typed.
        """
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        field = self.query_one(Input)
        if clear:
            field.value = ""
        field.disabled = False
        field.focus()
        self._status(_("Wrong password. Try again.") if clear else _("Try again."), error=True)

    def _status(self, text: str, error: bool = False) -> None:
        label = self.query_one("#sign-in-status", Label)
        label.update(safe_text(text))  # the text may hold a user's name: never markup
        label.set_class(error, "error")
