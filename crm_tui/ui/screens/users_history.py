"""The change history of the users: who added, renamed, (de)activated whom, and when."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from crm_tui.clock import to_local
from crm_tui.domain import users
from crm_tui.domain.history import history_of_kind
from crm_tui.i18n import _, ngettext
from crm_tui.records import ChangeInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import safe_text
from crm_tui.ui.widgets.footer import CrmFooter


def describe_user_change(change: ChangeInfo) -> str:
    """One change in words: ``created as 'Rob'`` or ``role: rep → admin``."""
    if change.field == "name" and change.old is None:
        return _("created as {new!r}").format(new=change.new)
    label = {
        "name": _("name"),
        "role": _("role"),
        "active": _("active"),
        "password": _("password"),
    }.get(change.field, change.field)
    if change.field == "password":
        return f"{label}: {change.new or '—'}"
    return f"{label}: {change.old or '—'} → {change.new or '—'}"


USERS_HISTORY_SCREEN_ACTIONS = ActionTable(
    Action("users.history.close", "escape,h", "close", N_("Close")),
)
"""The keys of ``UsersHistoryScreen``."""


def read_user_history() -> tuple[list[ChangeInfo], dict[int, str]]:
    """In a database thread: the changes to users, and each user's current name."""
    names = {user.id: user.name for user in users.list_users()}
    return history_of_kind(("user",)), names


class UsersHistoryScreen(ModalScreen[None]):
    """The latest changes to users, newest first."""

    CSS_PATH = "../styles/users.tcss"
    BINDINGS = USERS_HISTORY_SCREEN_ACTIONS.bindings()

    def compose(self) -> ComposeResult:
        """A title, a status line and the table."""
        with Vertical(id="users-history-dialog"):
            yield Label(_("Users history (newest first)"), id="users-history-title")
            yield Static(_("Loading…"), id="users-history-status")
            yield DataTable(id="users-history-table", cursor_type="row", zebra_stripes=True)
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the history in a database thread."""
        table = self.query_one(DataTable)
        table.add_columns(_("When"), _("Who"), _("User"), _("Change"))
        self._load()

    @work(exclusive=True, group="users-history", exit_on_error=False)
    async def _load(self) -> None:
        """Read the changes and the users' current names in a database thread; show them."""
        changes, names = await off_thread(read_user_history)
        table = self.query_one(DataTable)
        for change in changes:
            table.add_row(  # Text cells: a DataTable reads a str cell as markup
                safe_text(to_local(change.at).strftime("%Y-%m-%d %H:%M")),  # stored in UTC
                safe_text(change.user or "—"),
                safe_text(names.get(change.entity_id, f"#{change.entity_id}")),
                safe_text(describe_user_change(change)),
                key=str(change.id),
            )
        count = len(changes)
        self.query_one("#users-history-status", Static).update(
            ngettext("{count} change", "{count} changes", count).format(count=count)
            if count
            else _("No change to the users yet.")
        )
        table.focus()

    def action_close(self) -> None:
        """Back to Users."""
        self.dismiss(None)
