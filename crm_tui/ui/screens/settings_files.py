"""Export or import the settings JSON from the Settings screen (same checks as the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from crm_tui.domain.connections import refusing_database_errors
from crm_tui.domain.errors import DomainError
from crm_tui.domain.exchange.files import output_file
from crm_tui.domain.exchange.settings_json import import_settings_json, write_settings_json
from crm_tui.domain.settings import load_settings
from crm_tui.i18n import _, ngettext
from crm_tui.records import UserInfo
from crm_tui.ui.actions import N_, Action, ActionTable
from crm_tui.ui.background import off_thread
from crm_tui.ui.safe_text import shown
from crm_tui.ui.session import UsesSession
from crm_tui.ui.widgets.confirm import ConfirmScreen
from crm_tui.ui.widgets.footer import CrmFooter
from crm_tui.ui.widgets.safe_inputs import SafeInput

DEFAULT_FILE = "crm-settings.json"


def export_settings_file(path: Path) -> str:
    """Write the settings to ``path`` (as ``crm-tui settings export``); returns what was done."""
    settings = load_settings()
    try:
        with output_file(path) as stream:
            write_settings_json(settings, stream)
    except OSError as error:
        raise DomainError(
            _("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    parts = [
        ngettext("{n} status", "{n} statuses", len(settings.statuses)).format(
            n=len(settings.statuses)
        ),
        ngettext("{n} action", "{n} actions", len(settings.actions)).format(
            n=len(settings.actions)
        ),
        ngettext("{n} variable", "{n} variables", len(settings.variables)).format(
            n=len(settings.variables)
        ),
    ]
    return _("Exported {what} to {file}.").format(what=", ".join(parts), file=path)


def import_settings_file(actor: UserInfo, path: Path) -> str:
    """Create or update settings from ``path`` (all or nothing); returns what changed."""
    try:
        counts = import_settings_json(actor, path)
    except OSError as error:
        raise DomainError(
            _("cannot read {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    return _(
        "Imported {file}: {created} created, {updated} updated, {unchanged} unchanged."
    ).format(file=path, created=counts.created, updated=counts.updated, unchanged=counts.unchanged)


SETTINGS_FILE_SCREEN_ACTIONS = ActionTable(
    Action("settings.file.cancel", "escape", "cancel", N_("Cancel")),
)
"""The keys of ``SettingsFileScreen``."""


class SettingsFileScreen(UsesSession, ModalScreen[str | None]):
    """Ask for a path, then export to it or import from it; dismisses with what was done."""

    CSS_PATH = "../styles/settings.tcss"
    BINDINGS = SETTINGS_FILE_SCREEN_ACTIONS.bindings()

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self._busy = False

    def compose(self) -> ComposeResult:
        """Title, path, explanation, error line."""
        if self.mode == "export":
            title = _("Export settings to a JSON file")
            hint = _("The three tabs, in order, as the command line writes them. Enter writes.")
        else:
            title = _("Import settings from a JSON file")
            hint = _(
                "Items are created or updated by name; items the file does not name are kept. "
                "The whole file is checked first: a refused file changes nothing. Enter imports."
            )
        with Vertical(id="file-dialog"):
            yield Label(title, id="file-title")
            yield SafeInput(str(Path.cwd() / DEFAULT_FILE), id="file-path")
            yield Static(hint, classes="hint")
            yield Static("", id="file-error", classes="error")
        yield CrmFooter()

    def on_mount(self) -> None:
        """Focus the path."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Export (asking before replacing a file) or import."""
        event.stop()
        text = event.value.strip()
        if self._busy or not text:
            return
        path = Path(text).expanduser()
        if self.mode == "export" and path.exists():

            def answered(replace: bool | None) -> None:
                if replace:
                    self._run(path)

            question = _("{file} exists. Replace it?").format(file=path)
            self.app.push_screen(ConfirmScreen(question, yes=_("Replace")), answered)
            return
        self._run(path)

    def _run(self, path: Path) -> None:
        self._busy = True
        self.query_one("#file-error", Static).update(_("Working…"))
        actor = self.session.signed_user
        if self.mode == "export":
            call = partial(export_settings_file, path)
        else:
            call = partial(import_settings_file, actor, path)
        self._work(call)

    @work(exclusive=True, group="settings-file", exit_on_error=False)
    async def _work(self, call: Callable[[], str]) -> None:
        """Export or import in a database thread; close with what was done, or say why not."""
        try:
            done = await off_thread(refusing_database_errors, call)
        except DomainError as error:
            self._busy = False
            self.query_one("#file-error", Static).update(shown(str(error)))
        else:
            self._busy = False
            self.dismiss(done)

    def action_cancel(self) -> None:
        """Leave without doing anything."""
        self.dismiss(None)
