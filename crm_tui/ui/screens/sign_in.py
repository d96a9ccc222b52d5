"""Sign-in for users with a password: argon2id checked in a worker, slower after failures.

A deactivated user is refused whatever they type; the user signed in is read again from
the database, so a role changed since the app started counts.
"""

from __future__ import annotations

from peewee import Database
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from crm_tui.domain.errors import DomainError
from crm_tui.domain.records import UserInfo
from crm_tui.domain.users import sign_in
from crm_tui.i18n import _
from crm_tui.ui.screens.settings_jobs import close_thread_connection

FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0


def retry_delay(failures: int) -> float:
    """Seconds to wait before the next try after ``failures`` wrong passwords."""
    if failures <= 0:
        return 0.0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - 1))


class SignInScreen(Screen[None]):
    """Asks the user's password; posts ``SignedIn`` once it is right."""

    CSS_PATH = "../styles/sign_in.tcss"
    BINDINGS = [Binding("ctrl+q", "app.quit", _("Quit"), id="sign_in.quit")]

    class SignedIn(Message):
        """The password was right."""

    class Checked(Message):
        """The password check finished: the ``user`` signed in, or ``None``; or a refusal."""

        def __init__(self, user: UserInfo | None, refusal: str | None = None) -> None:
            self.user = user
            self.accepted = user is not None
            self.refusal = refusal
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    def compose(self) -> ComposeResult:
        """The user's name, a password field and a status line."""
        user = self.app.session.user
        with Vertical(id="sign-in-box"):
            yield Label(_("Sign in to crm-tui"), id="sign-in-title")
            yield Label(_("User: {name}").format(name=user.name), id="sign-in-user")
            yield Input(placeholder=_("Password"), password=True, id="sign-in-password")
            yield Label("", id="sign-in-status")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the password field."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Check the password off the UI thread."""
        field = self.query_one(Input)
        if field.disabled:
            return
        field.disabled = True
        self._status(_("Checking…"))
        self._check(self.app.session.user.id, event.value, self.app.session.database)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def _check(self, user_id: int, password: str, database: Database) -> None:
        try:
            self.post_message(self.Checked(sign_in(user_id, password)))
        except DomainError as error:
            self.post_message(self.Checked(None, str(error)))
        finally:
            close_thread_connection(database)

    def on_sign_in_screen_checked(self, message: Checked) -> None:
        """Go on, or wait longer after each failure before the next try."""
        if message.user is not None:
            self.app.session.user = message.user
            self.app.sub_title = message.user.name
            self.post_message(self.SignedIn())
            return
        if message.refusal is not None:  # deactivated: no retry helps
            self._status(message.refusal, error=True)
            return
        self.failures += 1
        delay = retry_delay(self.failures)
        self._status(
            _("Wrong password. Try again in {seconds:g} s.").format(seconds=delay), error=True
        )
        self.set_timer(delay, self._allow_retry)

    def _allow_retry(self) -> None:
        field = self.query_one(Input)
        field.value = ""
        field.disabled = False
        field.focus()
        self._status(_("Try again."), error=True)

    def _status(self, text: str, error: bool = False) -> None:
        label = self.query_one("#sign-in-status", Label)
        label.update(text)
        label.set_class(error, "error")
