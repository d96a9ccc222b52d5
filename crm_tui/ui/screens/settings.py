"""Settings (admins only): statuses, actions and variables in three tabs.

Every change is applied at once: the domain saves it (in a database thread, one change at
a time in the order asked for), then
``app.settings_changed()`` tells every screen to redraw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static, TabbedContent, TabPane

from crm_tui.domain import settings as domain
from crm_tui.domain.app_settings import save_business_hours
from crm_tui.domain.connections import DatabaseError, refusing_database_errors
from crm_tui.domain.errors import DomainError, InUse
from crm_tui.i18n import _
from crm_tui.records import Badge, BusinessHours, UserInfo, VariableInfo
from crm_tui.ui.actions import N_, Action, ActionTable, key_of
from crm_tui.ui.background import off_thread
from crm_tui.ui.messages import LanguageChanged, SettingsChanged
from crm_tui.ui.safe_text import shown
from crm_tui.ui.screens.settings_files import SettingsFileScreen
from crm_tui.ui.screens.settings_forms import (
    BadgeFormScreen,
    BusinessHoursFormScreen,
    VariableFormScreen,
    hours_text,
)
from crm_tui.ui.screens.settings_history import SettingsHistoryScreen
from crm_tui.ui.screens.settings_panes import BadgePane, VariablePane, usage_text
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.badge_form import BadgeDraft, new_draft
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.settings_list import SettingsList

Item = Badge | VariableInfo
SETTINGS_ACTIONS = ActionTable(
    Action(
        "settings.add",
        "a",
        "add",
        N_("Add"),
        title=N_("Add item"),
        help=N_("Add a status, action, variable or option to the list in focus"),
    ),
    Action(
        "settings.edit",
        "e",
        "edit",
        N_("Edit"),
        show=False,
        title=N_("Edit item"),
        help=N_("Change the highlighted item"),
    ),
    Action(
        "settings.archive",
        "x",
        "archive",
        N_("Archive"),
        title=N_("Archive or restore item"),
        help=N_("Hide the item from new notes, or bring it back"),
    ),
    Action(
        "settings.delete",
        "delete",
        "delete",
        N_("Delete"),
        title=N_("Delete item"),
        help=N_("Delete the highlighted item if no note uses it"),
    ),
    Action(
        "settings.sequence",
        "space,i",
        "toggle_sequence",
        N_("Sequence"),
        title=N_("Toggle in sequence"),
        help=N_("Put the item in the sequence, or take it out"),
    ),
    Action(
        "settings.up",
        "ctrl+up,K",
        "move(-1)",
        N_("Move up"),
        group=N_("Move"),
        compact_group=True,
        title=N_("Move item up"),
        help=N_("Move the highlighted item one place up"),
    ),
    Action(
        "settings.down",
        "ctrl+down,J",
        "move(1)",
        N_("Move down"),
        group=N_("Move"),
        compact_group=True,
        title=N_("Move item down"),
        help=N_("Move the highlighted item one place down"),
    ),
    Action(
        "settings.history",
        "h",
        "history",
        N_("History"),
        show=False,
        title=N_("Settings history"),
        help=N_("Who changed which setting, and when"),
    ),
    Action(
        "settings.business_hours",
        "b",
        "business_hours",
        N_("Business hours"),
        show=False,
        title=N_("Business hours"),
        help=N_("When customers can be called, in their local time: days, start and end"),
    ),
    Action(
        "settings.export",
        "E",
        "export",
        N_("Export"),
        show=False,
        title=N_("Export settings"),
        help=N_("Write the three tabs to a JSON file"),
    ),
    Action(
        "settings.import",
        "I",
        "import",
        N_("Import"),
        show=False,
        title=N_("Import settings"),
        help=N_("Create or update settings from a JSON file"),
    ),
    Action(
        "settings.tab_status",
        "1",
        "tab('status')",
        N_("Status tab"),
        show=False,
        title=N_("Status tab"),
        help=N_("Show the statuses"),
    ),
    Action(
        "settings.tab_action",
        "2",
        "tab('action')",
        N_("Action tab"),
        show=False,
        title=N_("Action tab"),
        help=N_("Show the actions"),
    ),
    Action(
        "settings.tab_variable",
        "3",
        "tab('variable')",
        N_("Variables tab"),
        show=False,
        title=N_("Variables tab"),
        help=N_("Show the variables and their options"),
    ),
)
"""The Settings screen's keys (footer order) and palette entries."""


def keys_hint(node: DOMNode) -> str:
    """The status line's reminder of keys the footer leaves out (the keys in force)."""
    key = partial(SETTINGS_ACTIONS.key, node)
    tabs = " ".join(
        key(tab) for tab in ("settings.tab_status", "settings.tab_action", "settings.tab_variable")
    )
    return _(
        "enter edit · {history} history · {export} export · {import_} import · {tabs} tabs"
        " · tab list · {keys} keys"
    ).format(
        history=key("settings.history"),
        export=key("settings.export"),
        import_=key("settings.import"),
        tabs=tabs,
        keys=key_of(node, "app.keys"),
    )


def use_count(kind: str, item_id: int) -> int:
    """In a database thread: how many notes use the item."""
    if kind == "variable":
        return domain.variable_use_count(item_id)
    return domain.badge_use_count(kind, item_id)


def check_delete(actor: UserInfo | None, item: Item) -> None:
    """In a database thread: refuse at once (the domain's InUse says why) if notes use
    ``item``."""
    if isinstance(item, VariableInfo):
        if domain.variable_use_count(item.id):
            domain.delete_variable(actor, item.id)
    elif domain.badge_use_count(item.kind, item.id):
        domain.delete_badge(actor, item.kind, item.id)


class SettingsScreen(UsesSession, Screen[None]):
    """The three Settings tabs; admins only."""

    CSS_PATH = "../styles/settings.tcss"
    BINDINGS = SETTINGS_ACTIONS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self._select: dict[str, int] = {}
        self._in_order = asyncio.Lock()
        """Held around each change: they run one at a time, in the order asked for."""
        self._counts_wanted: dict[str, int] = {}
        """Per list, the item whose uses to count next (a newer one replaces it)."""
        self._counting = False
        self._ready = False
        """Mounted for an admin: uses are counted from then on."""

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Three tabs, a status line and the footer (admins only)."""
        yield Header()
        if not self.session.is_admin:
            yield Static(_("Settings are for admins only."), id="settings-refused")
            yield CrmFooter()
            return
        with TabbedContent(id="settings-tabs", initial="tab-status"):
            with TabPane(_("Status"), id="tab-status"):
                yield BadgePane(
                    "status",
                    _("Where a note stands. ● = in the sequence (the pipeline), in this order."),
                )
            with TabPane(_("Action"), id="tab-action"):
                yield BadgePane("action", _("What has to be done, and by whom."))
            with TabPane(_("Variables"), id="tab-variable"):
                yield VariablePane()
        yield Static(keys_hint(self), id="settings-status")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Refuse non-admins; else fill the lists and focus the statuses."""
        self.title = _("Settings")
        if not self.session.is_admin:
            self.notify(_("Only admins can open Settings."), severity="error")
            self.app.call_later(self._leave)
            return
        self._ready = True
        self._refresh()
        self.query_one("#list-status", SettingsList).focus()

    def _leave(self) -> None:
        if self.session.signed_in:
            self.app.switch_mode("notes")

    def _refresh(self) -> None:
        settings = self.session.settings
        for kind in ("status", "action"):
            pane = self.query_one(f"#tab-{kind} BadgePane", BadgePane)
            pane.show(settings, self._select.pop(kind, None))
        self.query_one(VariablePane).show(
            settings, self._select.pop("variable", None), self._select.pop("option", None)
        )

    async def on_language_changed(self, _message: LanguageChanged) -> None:
        """Another language: the tabs drawn again in its words, on the same tab (forms are
        dialogs above this screen: what is typed there stays)."""
        self.title = _("Settings")
        if not self.session.is_admin:
            await self.recompose()
            return
        tabs = self.query_one(TabbedContent)
        active = tabs.active
        await self.recompose()
        self.query_one(TabbedContent).active = active
        self._refresh()

    def on_settings_changed(self, _message: SettingsChanged) -> None:
        """Settings changed (here or elsewhere): redraw the lists."""
        if self.session.is_admin:
            self._refresh()

    # --- where the keys apply ----------------------------------------------------------

    def current_list(self) -> SettingsList:
        """The list in focus, else the main list of the tab shown."""
        active = self.query_one(TabbedContent).active.removeprefix("tab-") or "status"
        in_tab = ("variable", "option") if active == "variable" else (active,)
        focused = self.focused
        # A key typed right after 1/2/3 comes before the new tab's list has the focus.
        if isinstance(focused, SettingsList) and focused.display and focused.kind in in_tab:
            return focused
        return self.query_one(f"#list-{active}", SettingsList)

    def current_variable(self) -> VariableInfo | None:
        """The variable highlighted in the Variables tab."""
        current = self.query_one("#list-variable", SettingsList).current
        return current if isinstance(current, VariableInfo) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing for non-admins; "in sequence" only for statuses, actions and options."""
        if not self.session.is_admin:
            return False
        if action == "toggle_sequence" and self.is_mounted:
            return self.current_list().kind != "variable" or None
        return True

    def on_descendant_focus(self) -> None:
        """The footer's keys depend on the list in focus."""
        self.refresh_bindings()

    # --- highlighted item: preview and use -----------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Preview the highlighted item; show a dropdown's options; count its uses."""
        source = event.option_list
        if not isinstance(source, SettingsList):
            return
        item = source.current
        if source.kind == "variable":
            self.query_one(VariablePane).show_options(
                item if isinstance(item, VariableInfo) else None
            )
        elif source.kind == "option":
            self.query_one(VariablePane).show_option(item if isinstance(item, Badge) else None)
        else:
            source_pane = self.query_one(f"#tab-{source.kind} BadgePane", BadgePane)
            source_pane.show_detail(item if isinstance(item, Badge) else None)
        if item is not None and self._ready:
            self._counts_wanted[source.kind] = item.id
            if not self._counting:
                self._counting = True
                self._count_uses()

    @work(group="settings-count", exit_on_error=False)
    async def _count_uses(self) -> None:
        """Count, one at a time, the uses of the latest item asked for in each list (older
        requests not started yet are dropped), and show each count."""
        try:
            while self._counts_wanted:
                kind = next(iter(self._counts_wanted))
                item_id = self._counts_wanted.pop(kind)
                try:
                    count = await off_thread(use_count, kind, item_id)
                except (DomainError, DatabaseError):
                    continue
                if self.query_one(f"#list-{kind}", SettingsList).current_id == item_id:
                    usage = self.query_one(f"#usage-{kind}", Static)
                    usage.update(shown(usage_text(kind, count)))
        finally:
            self._counting = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an item edits it."""
        if isinstance(event.option_list, SettingsList):
            self.action_edit()

    # --- changes -------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        line = self.query_one("#settings-status", Static)
        line.update(shown(text))  # quotes names: literal
        line.set_class(error, "error")

    @work(group="settings-db", exit_on_error=False)
    async def _submit(self, name: str, call: Callable[[], Any], **context: Any) -> None:
        """Run a change in a database thread (after those asked for before), then show it:
        saved, or refused; a delete check may need a question."""
        async with self._in_order:
            try:
                await off_thread(refusing_database_errors, call)
            except InUse as error:
                self._offer_archive(context["item"], str(error))
                return
            except DomainError as error:
                self._say(str(error), error=True)
                return
            if name == "delete-check":
                self._confirm_delete(context["item"])
            else:
                selected = None if name == "delete" else context["item"].id
                self._applied(context["kind"], selected, context["message"])

    def _applied(self, kind: str, item_id: int | None, message: str) -> None:
        """A change was saved: select its item and tell every screen."""
        if item_id is not None:
            self._select[kind] = item_id
        self._say(message)
        self.crm_app.settings_changed()

    def action_add(self) -> None:
        """Add an item to the list in focus."""
        kind, actor = self.current_list().kind, self.session.user
        settings = self.session.settings
        if kind == "variable":
            form: BadgeFormScreen | VariableFormScreen = VariableFormScreen(
                _("New variable"), partial(domain.create_variable, actor)
            )
        elif kind == "option":
            variable = self.current_variable()
            if variable is None or variable.type != "dropdown":
                self._say(_("Highlight a dropdown variable to add options to it."), error=True)
                return
            form = BadgeFormScreen(
                _("New option of {name!r}").format(name=variable.name),
                new_draft(variable.options),
                partial(domain.create_badge, actor, "option", variable_id=variable.id),
                taken=[option.abbreviation for option in variable.options],
                kind="option",
            )
        else:
            items = settings.statuses if kind == "status" else settings.actions
            title = _("New status") if kind == "status" else _("New action")
            form = BadgeFormScreen(
                title,
                new_draft(items),
                partial(domain.create_badge, actor, kind),
                taken=[item.abbreviation for item in items],
                kind=kind,
            )
        self._open_form(form, kind, _("Added {name!r}."))

    def action_edit(self) -> None:
        """Edit the highlighted item."""
        item, actor = self.current_list().current, self.session.user
        if isinstance(item, VariableInfo):
            form: BadgeFormScreen | VariableFormScreen = VariableFormScreen(
                _("Edit variable {name!r}").format(name=item.name),
                partial(domain.update_variable, actor, item.id),
                item,
            )
            self._open_form(form, "variable", _("Saved {name!r}."))
        elif isinstance(item, Badge):
            form = BadgeFormScreen(
                _("Edit {kind} {name!r}").format(kind=domain.kind_label(item.kind), name=item.name),
                BadgeDraft.of(item),
                partial(domain.update_badge, actor, item.kind, item.id),
                kind=item.kind,
            )
            self._open_form(form, item.kind, _("Saved {name!r}."))

    def _open_form(self, form: BadgeFormScreen | VariableFormScreen, kind: str, done: str) -> None:
        def saved(result: Item | None) -> None:
            if result is not None:
                self._applied(kind, result.id, done.format(name=result.name))

        self.app.push_screen(form, saved)

    def action_move(self, offset: int) -> None:
        """Move the highlighted item up (-1) or down (1) among active (or archived) ones."""
        source = self.current_list()
        item = source.current
        if item is None:
            return
        order = self._order(source.kind)
        group = [other.id for other in order if other.archived == item.archived]
        target = group.index(item.id) + offset
        if not 0 <= target < len(group):
            return
        ids = [other.id for other in order]
        delta = ids.index(group[target]) - ids.index(item.id)
        actor = self.session.user
        call = (
            partial(domain.move_variable, actor, item.id, delta)
            if source.kind == "variable"
            else partial(domain.move_badge, actor, source.kind, item.id, delta)
        )
        message = _("Moved {name!r} up.") if offset < 0 else _("Moved {name!r} down.")
        self._submit(
            "move", call, kind=source.kind, item=item, message=message.format(name=item.name)
        )

    def _order(self, kind: str) -> Sequence[Item]:
        settings = self.session.settings
        if kind == "option":
            variable = self.current_variable()
            return variable.options if variable else ()
        orders: dict[str, Sequence[Item]] = {
            "status": settings.statuses,
            "action": settings.actions,
            "variable": settings.variables,
        }
        return orders[kind]

    def action_toggle_sequence(self) -> None:
        """Put the highlighted status, action or option in the sequence, or take it out."""
        item = self.current_list().current
        if not isinstance(item, Badge):
            return
        call = partial(
            domain.update_badge,
            self.session.user,
            item.kind,
            item.id,
            in_sequence=not item.in_sequence,
        )
        message = (
            _("{name!r} is out of the sequence.")
            if item.in_sequence
            else _("{name!r} is in the sequence.")
        )
        self._submit(
            "sequence", call, kind=item.kind, item=item, message=message.format(name=item.name)
        )

    def action_archive(self) -> None:
        """Archive the highlighted item, or restore it if archived."""
        item = self.current_list().current
        if item is not None:
            self._archive(item, not item.archived)

    def _archive(self, item: Item, archived: bool) -> None:
        actor = self.session.user
        call: Callable[[], Item]
        if isinstance(item, VariableInfo):
            call = partial(domain.set_variable_archived, actor, item.id, archived)
            kind = "variable"
        else:
            call = partial(domain.set_badge_archived, actor, item.kind, item.id, archived)
            kind = item.kind
        message = _("Archived {name!r}.") if archived else _("Restored {name!r}.")
        self._submit("archive", call, kind=kind, item=item, message=message.format(name=item.name))

    def action_delete(self) -> None:
        """Delete the highlighted item if no note uses it (asking first)."""
        item = self.current_list().current
        if item is not None:
            check = partial(check_delete, self.session.user, item)
            self._submit("delete-check", check, item=item)

    def _confirm_delete(self, item: Item) -> None:
        kind = "variable" if isinstance(item, VariableInfo) else item.kind
        question = _("Delete the {kind} {name!r}? This cannot be undone.").format(
            kind=domain.kind_label(kind), name=item.name
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            actor = self.session.user
            call = (
                partial(domain.delete_variable, actor, item.id)
                if kind == "variable"
                else partial(domain.delete_badge, actor, kind, item.id)
            )
            message = _("Deleted {name!r}.").format(name=item.name)
            self._submit("delete", call, kind=kind, item=item, message=message)

        self.app.push_screen(ConfirmScreen(question, yes=_("Delete")), answered)

    def _offer_archive(self, item: Item, reason: str) -> None:
        """A used item cannot be deleted: say why, and offer to archive it."""
        if item.archived:
            self._say(reason + " " + _("(It is archived already.)"), error=True)
            return
        self._say(reason, error=True)
        question = _("{reason}.\n\nArchive {name!r} now? It stays on the notes that use it.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._archive(item, True)

        self.app.push_screen(
            ConfirmScreen(
                question.format(reason=reason, name=item.name), yes=_("Archive"), no=_("Keep")
            ),
            answered,
        )

    # --- other views -------------------------------------------------------------------

    def action_history(self) -> None:
        """Show the settings change history."""
        self.app.push_screen(SettingsHistoryScreen())

    def action_business_hours(self) -> None:
        """Change the business hours (days, start, end)."""
        form = BusinessHoursFormScreen(
            self.session.settings.business_hours,
            partial(save_business_hours, self.session.signed_user),
        )

        def saved(hours: BusinessHours | None) -> None:
            if hours is not None:
                self._say(_("Business hours: {hours}.").format(hours=hours_text(hours)))
                self.crm_app.settings_changed()

        self.app.push_screen(form, saved)

    def action_export(self) -> None:
        """Write the settings to a JSON file."""

        def exported(message: str | None) -> None:
            if message:
                self._say(message)

        self.app.push_screen(SettingsFileScreen("export"), exported)

    def action_import(self) -> None:
        """Create or update settings from a JSON file; applied at once."""

        def imported(message: str | None) -> None:
            if message:
                self._say(message)
                self.crm_app.settings_changed()

        self.app.push_screen(SettingsFileScreen("import"), imported)

    def action_tab(self, kind: str) -> None:
        """Show a tab and focus its list."""
        self.query_one(TabbedContent).active = f"tab-{kind}"
        self.query_one(f"#list-{kind}", SettingsList).focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every action of this screen, by name, for the command palette."""
        if not self.session.is_admin:
            return
        yield from SETTINGS_ACTIONS.commands(self)
