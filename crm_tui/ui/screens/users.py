"""Users (admins only): the team, their roles, who is active, who has a password.

Reads and changes run in async workers that await ``off_thread``; every change is
checked and recorded in the history by the domain (``crm_tui.domain.users``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from crm_tui.domain import users
from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _
from crm_tui.records import UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable, key_of
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged
from crm_tui.ui.safe_text import safe_text, shown
from crm_tui.ui.screens.users_form import PasswordFormScreen, UserFormScreen, role_label
from crm_tui.ui.screens.users_history import UsersHistoryScreen
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.footer import CrmFooter


def yes_no(value: bool) -> str:
    """``yes`` or ``no``, translated."""
    return _("yes") if value else _("no")


USERS_ACTIONS = ActionTable(
    Action(
        "users.add",
        "a",
        "add",
        N_("Add"),
        title=N_("Add user"),
        help=N_("Add a member of the team"),
    ),
    Action(
        "users.edit",
        "e",
        "edit",
        N_("Edit"),
        title=N_("Edit user"),
        help=N_("Rename the highlighted user or change their role"),
    ),
    Action(
        "users.active",
        "d",
        "toggle_active",
        N_("(De)activate"),
        title=N_("Deactivate or reactivate user"),
        help=N_("A deactivated user cannot sign in"),
    ),
    Action(
        "users.password",
        "p",
        "password",
        N_("Password"),
        title=N_("Set or reset password"),
        help=N_("Give the highlighted user a new password"),
    ),
    Action(
        "users.remove",
        "X",
        "remove_password",
        N_("Remove password"),
        show=False,
        title=N_("Remove password"),
        help=N_("The highlighted user signs in without one"),
    ),
    Action(
        "users.history",
        "h",
        "history",
        N_("History"),
        title=N_("Users history"),
        help=N_("Who changed which user, and when"),
    ),
)
"""The Users screen's keys (footer order) and palette entries."""


def keys_hint(node: DOMNode) -> str:
    """The status line's reminder of the keys (the keys in force)."""
    key = partial(USERS_ACTIONS.key, node)
    return _(
        "{add} add · {edit} edit · {active} deactivate/reactivate · {password} password"
        " · {history} history · {keys} all keys"
    ).format(
        add=key("users.add"),
        edit=key("users.edit"),
        active=key("users.active"),
        password=key("users.password"),
        history=key("users.history"),
        keys=key_of(node, "app.keys"),
    )


class UsersScreen(UsesSession, Screen[None]):
    """The team's users; admins only."""

    CSS_PATH = "../styles/users.tcss"
    BINDINGS = USERS_ACTIONS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self._users: dict[int, UserInfo] = {}
        self._select: int | None = None  # the user to highlight once the list is read
        self._busy = False

    def compose(self) -> ComposeResult:
        """The users table, a status line and the footer (admins only)."""
        yield Header()
        if not self.session.is_admin:
            yield Static(_("Users are for admins only."), id="users-refused")
        else:
            yield DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
            yield Static(keys_hint(self), id="users-status")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Refuse non-admins; else read the users."""
        self.title = _("Users")
        if not self.session.is_admin:
            self.notify(_("Only admins can open Users."), severity="error")
            self.app.call_later(self._leave)
            return
        table = self.query_one(DataTable)
        table.add_column(_("Name"), key="name")
        table.add_column(_("Role"), key="role")
        table.add_column(_("Active"), key="active")
        table.add_column(_("Password"), key="password")
        table.focus()
        self._reload()

    async def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the table drawn again in its words."""
        await self.recompose()
        self.on_mount()

    def on_screen_resume(self) -> None:
        """Shown again: read the users afresh; refuse who is no longer an admin."""
        if not self.session.is_admin:
            self.app.call_later(self._leave)
        elif self._users:
            self._reload()

    def _leave(self) -> None:
        if self.session.signed_in:
            self.app.switch_mode("notes")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing for non-admins."""
        return self.session.is_admin

    # --- reading -------------------------------------------------------------------------

    def _reload(self, select: int | None = None) -> None:
        """Read the users again, then highlight ``select`` (else the same user as now)."""
        if select is not None:
            self._select = select
        self._load()

    @work(exclusive=True, group="users-load", exit_on_error=False)
    async def _load(self) -> None:
        """Read the users in a database thread, then show them."""
        found = await off_thread(users.list_users)
        table = self.query_one(DataTable)
        current = self.current
        select = self._select if self._select is not None else (current and current.id)
        self._select = None
        table.clear()
        self._users = {user.id: user for user in found}
        for user in found:
            table.add_row(  # Text cells: a DataTable reads a str cell as markup
                safe_text(user.name),
                Text(role_label(user.role)),
                Text(yes_no(user.active)),
                Text(yes_no(user.has_password)),
                key=str(user.id),
            )
        if select is not None and str(select) in table.rows:
            table.move_cursor(row=table.get_row_index(str(select)))

    @property
    def current(self) -> UserInfo | None:
        """The highlighted user."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._users.get(int(key)) if key else None

    # --- changes -------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        line = self.query_one("#users-status", Static)
        line.update(shown(text))  # quotes names: literal
        line.set_class(error, "error")

    def _submit(self, call: Callable[[], UserInfo], done: str) -> None:
        if self._busy:
            return
        self._busy = True
        self._change(call, done)

    @work(exclusive=True, group="users-change", exit_on_error=False)
    async def _change(self, call: Callable[[], UserInfo], done: str) -> None:
        """Save a change in a database thread, then show it (or why it was refused)."""
        try:
            user = await off_thread(call)
        except DomainError as error:
            self._busy = False
            self._say(str(error), error=True)
            return
        self._busy = False
        self._applied(user, done.format(name=user.name))

    def _applied(self, user: UserInfo | None, text: str) -> None:
        """A change was saved: show it, and follow a change to the signed-in user."""
        if user is None:
            return
        self._say(text)
        if user.id == self.session.signed_user.id:
            self.session.user = user
            self.app.sub_title = user.name
            self.app.refresh_bindings()
            if not self.session.is_admin:
                self.notify(_("You are no longer an admin."), severity="warning")
                self._leave()
                return
        self._reload(user.id)

    def _form_closed(self, done: str) -> Callable[[UserInfo | None], None]:
        def closed(user: UserInfo | None) -> None:
            if user is not None:
                self._applied(user, done.format(name=user.name))

        return closed

    def action_add(self) -> None:
        """Add a user."""
        form = UserFormScreen(self.session.signed_user)
        self.app.push_screen(form, self._form_closed(_("Added {name!r}.")))

    def action_edit(self) -> None:
        """Rename the highlighted user or change their role."""
        user = self.current
        if user is not None:
            form = UserFormScreen(self.session.signed_user, user)
            self.app.push_screen(form, self._form_closed(_("Saved {name!r}.")))

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        """Enter on a user edits them."""
        self.action_edit()

    def action_toggle_active(self) -> None:
        """Deactivate the highlighted user (they can no longer sign in), or reactivate them."""
        user = self.current
        if user is None:
            return
        call = partial(users.update_user, self.session.signed_user, user.id, active=not user.active)
        done = _("Deactivated {name!r}.") if user.active else _("Reactivated {name!r}.")
        self._submit(call, done)

    def action_password(self) -> None:
        """Set or reset the highlighted user's password."""
        user = self.current
        if user is not None:
            form = PasswordFormScreen(self.session.signed_user, user)
            self.app.push_screen(form, self._form_closed(_("New password for {name!r}.")))

    def action_remove_password(self) -> None:
        """Remove the highlighted user's password (asking first)."""
        user = self.current
        if user is None or not user.has_password:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                call = partial(users.remove_password, self.session.signed_user, user.id)
                self._submit(call, _("{name!r} has no password now."))

        question = _("Remove the password of {name!r}? They will sign in without one.")
        self.app.push_screen(
            ConfirmScreen(question.format(name=user.name), yes=_("Remove")), answered
        )

    def action_history(self) -> None:
        """Who changed which user, and when."""
        self.app.push_screen(UsersHistoryScreen())

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every action of this screen, by name, for the command palette."""
        if not self.session.is_admin:
            return
        yield from USERS_ACTIONS.commands(self)
