"""The change history of the settings: who changed which status, action or variable, when."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from crm_tui.clock import to_local
from crm_tui.domain.app_settings import BUSINESS_HOURS, CURRENCY, SETTING
from crm_tui.domain.cockpit.hours import check_business_hours
from crm_tui.domain.connections import refusing_database_errors
from crm_tui.domain.errors import DomainError
from crm_tui.domain.history import history_of_kind
from crm_tui.domain.settings import kind_label
from crm_tui.domain.text import visible
from crm_tui.i18n import _, ngettext
from crm_tui.records import BusinessHours, ChangeInfo, Settings
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_text, shown
from crm_tui.ui.screens.settings_forms import hours_text
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.footer import CrmFooter

SETTINGS_KINDS = ("status", "action", "variable", "option", SETTING)


def field_label(field: str) -> str:
    """The user's word for a field of the history."""
    return {
        "name": _("name"),
        "abbreviation": _("abbreviation"),
        "font_color": _("font colour"),
        "background_color": _("background colour"),
        "in_sequence": _("in sequence"),
        "position": _("place"),
        "archived": _("archived"),
        "type": _("type"),
        "done": _("done"),
        "follow_up_days": _("default follow-up"),
        "time_zone": _("time zone"),
        CURRENCY: _("currency"),
        BUSINESS_HOURS: _("business hours"),
    }.get(field, field)


def setting_value(key: str, stored: str | None) -> str:
    """A database-wide setting's value in a history line, in words."""
    if key == BUSINESS_HOURS:
        try:
            hours = (
                BusinessHours() if stored is None else check_business_hours(json.loads(stored), key)
            )
        except (ValueError, DomainError):
            return stored or "—"
        return hours_text(hours)
    if stored is None:
        return _("not set")
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    return str(value)


def describe_change(change: ChangeInfo) -> str:
    """One change in words: created, deleted, or ``field: old → new``."""
    if change.entity == SETTING:
        old, new = setting_value(change.field, change.old), setting_value(change.field, change.new)
        return f"{old} → {new}"
    if change.field == "name" and change.old is None:
        return _("created as {new!r}").format(new=change.new)
    if change.field == "name" and change.new is None:
        return _("deleted")
    old = change.old if change.old is not None else "—"
    new = change.new if change.new is not None else "—"
    return f"{field_label(change.field)}: {old} → {new}"


def item_names(changes: Sequence[ChangeInfo]) -> dict[tuple[str, int], str]:
    """Names of deleted items, from the history itself (newest name wins)."""
    names: dict[tuple[str, int], str] = {}
    for change in changes:
        if change.field == "name":
            names.setdefault((change.entity, change.entity_id), change.old or change.new or "")
    return names


def item_label(change: ChangeInfo, settings: Settings, names: dict[tuple[str, int], str]) -> Text:
    """The item a change is about: its badge when it still exists, else its last name."""
    if change.entity == SETTING:
        return Text(field_label(change.field))
    kind = kind_label(change.entity)
    badge = {
        "status": settings.status,
        "action": settings.action,
        "option": settings.option,
    }.get(change.entity, lambda _id: None)(change.entity_id)
    text = Text(f"{kind} ", style="dim")
    if badge is not None:
        return text.append_text(badge_text(badge, width=24))
    variable = settings.variable(change.entity_id) if change.entity == "variable" else None
    name = variable.name if variable else names.get((change.entity, change.entity_id), "")
    return text.append(visible(name) or f"#{change.entity_id}")  # stored text: literal


SETTINGS_HISTORY_SCREEN_ACTIONS = ActionTable(
    Action("settings.history.close", "escape,h", "close", N_("Close")),
)
"""The keys of ``SettingsHistoryScreen``."""


class SettingsHistoryScreen(UsesSession, ModalScreen[None]):
    """The latest settings changes, newest first."""

    CSS_PATH = "../styles/settings.tcss"
    BINDINGS = SETTINGS_HISTORY_SCREEN_ACTIONS.bindings()

    def compose(self) -> ComposeResult:
        """A title and the table."""
        with Vertical(id="history-dialog"):
            yield Label(_("Settings history (newest first)"), id="history-title")
            yield Static(_("Loading…"), id="history-status", classes="hint")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield CrmFooter()

    def on_mount(self) -> None:
        """Read the history in a database thread."""
        table = self.query_one(DataTable)
        table.add_columns(_("When"), _("Who"), _("Item"), _("Change"))
        self._load()

    @work(exclusive=True, group="settings-history", exit_on_error=False)
    async def _load(self) -> None:
        """Read the history in a database thread, then fill the table."""
        status = self.query_one("#history-status", Static)
        try:
            changes = await off_thread(
                refusing_database_errors, partial(history_of_kind, SETTINGS_KINDS)
            )
        except DomainError as error:
            status.update(shown(str(error)))
            return
        settings = self.session.settings
        names = item_names(changes)
        table = self.query_one(DataTable)
        for change in changes:
            table.add_row(  # Text cells: a DataTable reads a str cell as markup
                safe_text(to_local(change.at).strftime("%Y-%m-%d %H:%M")),  # stored in UTC
                safe_text(change.user or "—"),
                item_label(change, settings, names),
                safe_text(describe_change(change)),
                key=str(change.id),
            )
        status.update(
            ngettext("{count} change", "{count} changes", len(changes)).format(count=len(changes))
            if changes
            else _("No change to the settings yet.")
        )
        table.focus()

    def action_close(self) -> None:
        """Back to Settings."""
        self.dismiss(None)
