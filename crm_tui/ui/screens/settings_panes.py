"""The contents of the three Settings tabs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from crm_tui.i18n import _, ngettext
from crm_tui.records import Badge, Settings, VariableInfo
from crm_tui.ui.actions import key_of
from crm_tui.ui.safe_text import shown
from crm_tui.ui.widgets.badge_form import BadgePreview
from crm_tui.ui.widgets.settings_list import IN_SEQUENCE_MARK, SettingsList, type_label


def usage_text(kind: str, count: int) -> str:
    """How many notes use an item, in words."""
    if kind == "variable" and count == 0:
        return _("No note has a value for it: its type can change; it can be deleted.")
    if kind == "variable":
        return ngettext(
            "{count} note has a value for it", "{count} notes have a value for it", count
        ).format(count=count)
    if count == 0:
        return _("Used by no note: it can be deleted.")
    return ngettext(
        "Used by {count} note: it can be archived, not deleted.",
        "Used by {count} notes: it can be archived, not deleted.",
        count,
    ).format(count=count)


def cockpit_text(badge: Badge | None) -> str:
    """The cockpit's setting of a badge in words ("" when it has none)."""
    if badge is None:
        return ""
    if badge.kind == "status" and badge.done:
        return _("Done: a note in this status needs no follow-up.")
    if badge.kind == "action" and badge.follow_up_days is not None:
        return ngettext(
            "Default follow-up: {count} day after the note.",
            "Default follow-up: {count} days after the note.",
            badge.follow_up_days,
        ).format(count=badge.follow_up_days)
    if badge.kind == "option" and badge.time_zone:
        return _("Time zone: {zone}.").format(zone=badge.time_zone)
    return ""


def cockpit_line(kind: str) -> Static:
    """The line that says a badge's cockpit setting (hidden while it has none)."""
    line = Static("", id=f"cockpit-{kind}", classes="hint cockpit-detail")
    line.display = False
    return line


def show_cockpit(line: Static, badge: Badge | None) -> None:
    """Say ``badge``'s cockpit setting on ``line``, or hide the line."""
    text = cockpit_text(badge)
    line.update(shown(text))  # a zone name is stored text: literal
    line.display = bool(text)


class BadgePane(Horizontal):
    """A Status or Action tab: the list, and the highlighted badge's preview and use."""

    def __init__(self, kind: str, intro: str) -> None:
        super().__init__(classes="settings-pane")
        self.kind = kind
        self._intro = intro

    def compose(self) -> ComposeResult:
        """List on the left, preview on the right."""
        with Vertical(classes="list-column"):
            yield Static(self._intro, classes="tab-intro")
            yield SettingsList(self.kind, id=f"list-{self.kind}")
        with Vertical(classes="detail-column"):
            yield Label(_("Preview"), classes="detail-title")
            yield BadgePreview(id=f"preview-{self.kind}")
            yield cockpit_line(self.kind)
            yield Static("", id=f"usage-{self.kind}", classes="hint usage")

    def show(self, settings: Settings, select: int | None = None) -> None:
        """Fill the list from the settings snapshot."""
        items = settings.statuses if self.kind == "status" else settings.actions
        badges = self.query_one(SettingsList)
        badges.show_items(items, select)
        current = badges.current
        self.show_detail(current if isinstance(current, Badge) else None)

    def show_detail(self, badge: Badge | None) -> None:
        """Preview the highlighted badge."""
        self.query_one(BadgePreview).show(badge)
        show_cockpit(self.query_one(".cockpit-detail", Static), badge)
        self.query_one(".usage", Static).update("")


class VariablePane(Horizontal):
    """The Variables tab: variables on the left, the highlighted dropdown's options on the right."""

    def __init__(self) -> None:
        super().__init__(classes="settings-pane")
        self._options_of: int | None = None

    def compose(self) -> ComposeResult:
        """Variables list; options list with its preview."""
        with Vertical(classes="list-column"):
            yield Static(
                _(
                    "Typed fields on notes, to sort and filter by. "
                    "A dropdown's options come next: tab to reach them."
                ),
                classes="tab-intro",
            )
            yield SettingsList("variable", id="list-variable")
            yield Static("", id="usage-variable", classes="hint usage")
        with Vertical(classes="detail-column", id="options-column"):
            yield Label("", id="options-title", classes="detail-title")
            yield Static("", id="options-hint", classes="hint")
            yield SettingsList("option", id="list-option")
            yield BadgePreview(id="preview-option")
            yield cockpit_line("option")
            yield Static("", id="usage-option", classes="hint usage")

    def show(
        self, settings: Settings, select: int | None = None, select_option: int | None = None
    ) -> None:
        """Fill the variables list, then the highlighted variable's options."""
        variables = self.query_one("#list-variable", SettingsList)
        variables.show_items(settings.variables, select)
        current = variables.current
        self.show_options(current if isinstance(current, VariableInfo) else None, select_option)

    def show_options(self, variable: VariableInfo | None, select: int | None = None) -> None:
        """The options editor of ``variable`` (only dropdowns have one)."""
        options = self.query_one("#list-option", SettingsList)
        title = self.query_one("#options-title", Label)
        hint = self.query_one("#options-hint", Static)
        preview = self.query_one("#preview-option", BadgePreview)
        self.query_one("#usage-variable", Static).update("")
        self.query_one("#usage-option", Static).update("")
        is_dropdown = variable is not None and variable.type == "dropdown"
        for widget in (options, preview, self.query_one("#usage-option")):
            widget.display = is_dropdown
        show_cockpit(self.query_one("#cockpit-option", Static), None)
        if not is_dropdown:
            self._options_of = None
        if variable is None:
            title.update(_("Options"))
            hint.update(
                _("No variable yet: press {key} to add one.").format(
                    key=key_of(self, "settings.add")
                )
            )
            options.show_items(())
            return
        if not is_dropdown:
            title.update(_("Options"))
            hint.update(
                shown(
                    _("{name!r} is a {type} variable: only dropdowns have options.").format(
                        name=variable.name, type=type_label(variable.type)
                    )
                )
            )
            options.show_items(())
            return
        title.update(shown(_("Options of {name!r}, in sort order").format(name=variable.name)))
        hint.update(_("{mark} = in sequence").format(mark=IN_SEQUENCE_MARK))
        fresh = variable.id != self._options_of
        self._options_of = variable.id
        options.show_items(variable.options, select, fresh=fresh)
        current = options.current
        self.show_option(current if isinstance(current, Badge) else None)

    def show_option(self, option: Badge | None) -> None:
        """The highlighted option's preview and time zone."""
        self.query_one("#preview-option", BadgePreview).show(option)
        show_cockpit(self.query_one("#cockpit-option", Static), option)
