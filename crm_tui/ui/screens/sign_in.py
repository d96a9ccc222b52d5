"""Sign-in for users with a password: argon2id checked in a database thread, slower after
failures.

The screen asks the password of the session's ``pending`` user; nobody is signed in
before it is right. A browser session has no pending user: the screen asks the user
name first, then the password (enter moves on; esc goes back to the name), and an
unknown name reads exactly as a wrong password. Wrong passwords are counted in the
database, shared with the command line: after the third in a row each costs a longer
wait (the domain's ``retry_delay``) during which the field stays disabled. A deactivated
user is refused whatever they type; the user signed in is read again from the database, so a role
changed since the app started counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label

from crm_tui.domain.errors import DomainError
from crm_tui.domain.users import (
    PasswordWait,
    anyone_has_password,
    nobody_can_sign_in_message,
    password_wait,
    retry_delay,
    sign_in,
    sign_in_by_name,
    wait_for_name,
    whole_seconds,
)
from crm_tui.i18n import _
from crm_tui.records import UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged
from crm_tui.ui.safe_text import safe_text
from crm_tui.ui.session import UsesSession
from crm_tui.ui.type_ahead import hold_keys, release_keys
from crm_tui.ui.widgets.footer import CrmFooter

__all__ = ["SignInScreen", "retry_delay"]


SIGN_IN_SCREEN_ACTIONS = ActionTable(
    Action("sign_in.quit", "ctrl+q", "app.quit", N_("Quit")),
    Action("sign_in.name", "escape", "back_to_name", N_("User name")),
)
"""The keys of ``SignInScreen``."""


LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""What ends a line of pasted text: an enter."""


class SignInField(Input):
    """A sign-in field: line breaks in a paste are enters (the screen's ``type_pasted``)."""

    def on_paste(self, event: events.Paste) -> None:
        """Pasted lines go on to the next field and submit, as typed enters do."""
        screen = self.screen
        if not LINE_BREAK.search(event.text) or not isinstance(screen, SignInScreen):
            return  # one line: Input's own paste
        event.prevent_default()  # not Input's paste, which keeps the first line only
        event.stop()
        screen.type_pasted(self, event.text)


@dataclass
class Checked:
    """The password check finished: the ``user`` signed in, or ``None``.

    ``refusal`` is a reason no retry helps (deactivated); ``wait`` the seconds before
    the next try may be checked; ``too_soon`` that this try was not checked at all.
    """

    user: UserInfo | None
    refusal: str | None = None
    wait: float = 0.0
    too_soon: bool = False


def _checked(sign: Callable[[], UserInfo | None], wait: Callable[[], float]) -> Checked:
    """``sign()``'s answer as the screen shows it; ``wait()``: the back-off after a no."""
    try:
        user = sign()
        return Checked(user, wait=0.0 if user is not None else wait())
    except PasswordWait as error:
        return Checked(None, wait=error.seconds, too_soon=True)
    except DomainError as error:
        return Checked(None, str(error))


def check_password(user_id: int, password: str) -> Checked:
    """In a database thread: check ``password``; what the screen shows next."""
    return _checked(lambda: sign_in(user_id, password), lambda: password_wait(user_id))


def check_name_and_password(name: str, password: str) -> Checked:
    """In a database thread: check ``password`` for the user called ``name``."""
    return _checked(lambda: sign_in_by_name(name, password), lambda: wait_for_name(name))


class SignInScreen(UsesSession, Screen[None]):
    """Asks the pending user's password (or, with none pending, a name and its password);
    posts ``SignedIn`` once it is right."""

    CSS_PATH = "../styles/sign_in.tcss"
    BINDINGS = SIGN_IN_SCREEN_ACTIONS.bindings()

    @dataclass
    class SignedIn(Message):
        """The password was right: ``user`` is who signed in, as the database has them."""

        user: UserInfo

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        self._retry_timer: Timer | None = None
        self.by_name = False
        """Whether the name is asked too (a browser session: nobody is pending)."""

    @property
    def _pending(self) -> UserInfo:
        pending = self.session.pending
        assert pending is not None, "the sign-in screen needs someone to sign in"
        return pending

    def compose(self) -> ComposeResult:
        """The user's name (or a field for it), a password field and a status line."""
        self.by_name = self.session.pending is None
        with Vertical(id="sign-in-box"):
            yield Label(_("Sign in to crm-tui"), id="sign-in-title")
            if self.by_name:
                yield SignInField(placeholder=_("User name"), id="sign-in-name")
            else:
                yield Label(self._user_line(), id="sign-in-user")
            yield SignInField(placeholder=_("Password"), password=True, id="sign-in-password")
            yield Label("", id="sign-in-status")
        yield CrmFooter()

    def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the labels in its words; the password typed stays."""
        if self.session.signed_in:  # this screen is being left
            return
        self.query_one("#sign-in-title", Label).update(_("Sign in to crm-tui"))
        if self.by_name:
            self.query_one("#sign-in-name", Input).placeholder = _("User name")
        else:
            self.query_one("#sign-in-user", Label).update(self._user_line())
        self.query_one("#sign-in-password", Input).placeholder = _("Password")

    def _user_line(self) -> Text:
        before, _name, after = _("User: {name}").partition("{name}")
        return Text.assemble(before, safe_text(self._pending.name), after)

    @property
    def _password_field(self) -> Input:
        return self.query_one("#sign-in-password", Input)

    def on_mount(self) -> None:
        """Focus the first field; by name, say so if nobody can sign in yet."""
        if self.by_name:
            self.query_one("#sign-in-name", Input).focus()
            self._tell_if_nobody_can_sign_in()
        else:
            self._password_field.focus()

    @work(group="sign-in-nobody", exit_on_error=False)
    async def _tell_if_nobody_can_sign_in(self) -> None:
        """No user has a password yet: say how an admin gives one (no data is read)."""
        try:
            anyone = await off_thread(anyone_has_password)
        except Exception:  # the password step tells what is wrong
            return
        if not anyone and not self._password_field.disabled:
            self._status(nobody_can_sign_in_message(), error=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """esc goes back to the name only where a name is asked, from the password."""
        if action == "back_to_name":
            return self.by_name and self.focused is not None and self.focused.id != "sign-in-name"
        return True

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        """The footer shows esc only while the password field has the focus."""
        self.refresh_bindings()

    def action_back_to_name(self) -> None:
        """Back to the user name field (the password typed stays until enter)."""
        name = self.query_one("#sign-in-name", Input)
        if not name.disabled:
            name.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Name: on to the password. Password: check it off the UI thread."""
        self._entered(event.input)

    def type_pasted(self, field: Input, text: str) -> None:
        """A paste into ``field``, its line breaks as enters: "ana⏎secret⏎" signs in as
        typing it does (Textual's field would keep the first line only)."""
        first, *after_enters = LINE_BREAK.split(text)
        field.insert_text_at_cursor(first)
        for line in after_enters:
            following = self._entered(field)
            if following is None:  # the password is being checked: the rest goes nowhere
                return
            field = following
            field.insert_text_at_cursor(line)

    def _entered(self, field: Input) -> Input | None:
        """Enter in ``field``: the field that takes the next keys, or ``None`` once the
        password is being checked."""
        password = self._password_field
        if field.id == "sign-in-name":
            password.focus()  # keys typed after enter follow the focus
            return password
        if password.disabled:
            return None
        self._submit(password.value)
        return None

    def _submit(self, password_typed: str) -> None:
        """Check the password typed, off the UI thread; no key is taken meanwhile."""
        field = self._password_field
        field.disabled = True
        hold_keys(self, "sign-in")  # keys typed after enter go where its answer leads
        self._status(_("Checking…"))
        if self.by_name:
            name = self.query_one("#sign-in-name", Input)
            name.disabled = True
            self._check_by_name(name.value.strip(), password_typed)
        else:
            self._check(self._pending.id, password_typed)

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def _check_by_name(self, name: str, password: str) -> None:
        """As ``_check``, for the name typed: an unknown one reads as a wrong password."""
        checked = await off_thread(check_name_and_password, name, password)
        if checked.user is not None:
            self.post_message(self.SignedIn(checked.user))
            return
        try:
            self._refused(checked)
        finally:
            release_keys(self, "sign-in")

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def _check(self, user_id: int, password: str) -> None:
        """Check the password in a database thread; then go on, or wait as long as the
        domain says before the next try. Keys typed after enter wait for the answer:
        signed in, they go to the notes.
        """
        checked = await off_thread(check_password, user_id, password)
        if checked.user is not None:
            self.post_message(self.SignedIn(checked.user))
            return
        try:
            self._refused(checked)
        finally:
            release_keys(self, "sign-in")

    def _refused(self, message: Checked) -> None:
        if message.refusal is not None:  # deactivated (or no password): no retry helps
            if self.by_name:  # another name may: back to it
                self._enable(clear=True, field_id="sign-in-name")
            self._status(message.refusal, error=True)
            return
        if message.too_soon:
            text = _("Too many wrong passwords. Try again in {seconds} s.")
        else:
            self.failures += 1
            text = (
                _("Wrong user name or password. Try again in {seconds} s.")
                if self.by_name
                else _("Wrong password. Try again in {seconds} s.")
            )
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
        self._enable(clear)
        if not clear:
            self._status(_("Try again."), error=True)
        elif self.by_name:
            self._status(_("Wrong user name or password."), error=True)
        else:
            self._status(_("Wrong password. Try again."), error=True)

    def _enable(self, clear: bool, field_id: str = "sign-in-password") -> None:
        """The fields take keys again (the password emptied if ``clear``); focus ``field_id``."""
        password = self._password_field
        if clear:
            password.value = ""
        password.disabled = False
        if self.by_name:
            self.query_one("#sign-in-name", Input).disabled = False
        self.query_one(f"#{field_id}", Input).focus()

    def _status(self, text: str, error: bool = False) -> None:
        label = self.query_one("#sign-in-status", Label)
        label.update(safe_text(text))  # the text may hold a user's name: never markup
        label.set_class(error, "error")
