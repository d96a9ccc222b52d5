"""The crm-tui Textual app: modes for Notes, Customers and (admins) Settings.

Sign-in is a gate: for a user with a password the app starts with the sign-in mode
only. Until the password is right the session has no user, the other modes are not
registered (no screen is built, no data read), no key or palette entry but Quit and
Textual's harmless ones runs, and no worker watches the database.

The language: the environment's (or ``--lang``'s) until someone signs in, then the one
they chose in the app (palette "Language"), unless ``--lang`` pinned it for the run. On
a change every screen is told (``LanguageChanged``): footers, the keys panel and screens
holding nothing typed draw their words again; forms keep what was typed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import InvalidModeError, SystemCommand
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import AwaitMount

from crm_tui import i18n
from crm_tui.domain import preferences
from crm_tui.domain.connections import Database
from crm_tui.domain.errors import DomainError
from crm_tui.domain.query import NoteQuery
from crm_tui.domain.settings import ensure_starter_settings
from crm_tui.domain.text import visible
from crm_tui.domain.watch import ALL_KINDS, NOTES, SETTINGS, ChangeWatcher, watcher_for
from crm_tui.i18n import _
from crm_tui.records import UserInfo
from crm_tui.ui.app_actions import (
    APP_ACTIONS,
    CURRENCY_COMMAND,
    MODE_COMMANDS,
    TEXTUAL_COMMANDS,
)
from crm_tui.ui.background import close_database_threads, off_thread
from crm_tui.ui.keymap import load_keymap
from crm_tui.ui.messages import LanguageChanged, NotesChanged, SettingsChanged
from crm_tui.ui.modes import DATA_MODES, GATE_ACTIONS, sign_in_screen
from crm_tui.ui.palette import CrmCommands
from crm_tui.ui.session import Session
from crm_tui.ui.timing import Timing
from crm_tui.ui.type_ahead import TypeAheadApp

if TYPE_CHECKING:
    from crm_tui.ui.screens.sign_in import SignInScreen

StartQuery = NoteQuery | Callable[[], NoteQuery]
"""The notes list's first query: checked already, or checked once someone is signed in."""


GIL_SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the GIL while another waits (Python's default: 0.005).

Database workers release the GIL for every SQLite call and must win it back from the UI
thread each time: at the default, a first page that needs 10 ms of work took 300 ms while
the first frames were drawn. Shorter turns keep workers' answers within a frame or two.
Process-wide, so set where the app is run (``run_app``), not by each app built."""


def share_gil_with_database_threads() -> None:
    """Give threads short turns at the GIL, for the whole process (``GIL_SWITCH_INTERVAL``)."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)


class CrmApp(TypeAheadApp[None]):
    """Keyboard-driven CRM notes (keys typed ahead wait their turn: ``TypeAheadApp``)."""

    # notes: the first screen, parsed once; pipeline: the board and charts (a screen's own
    # CSS_PATH reparses every stylesheet when it first opens: ~250 ms of the key to frame)
    CSS_PATH = ["styles/app.tcss", "styles/notes.tcss", "styles/pipeline.tcss"]
    TITLE = "crm-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {CrmCommands}  # titles and words of descriptions (Textual's: titles only)
    MODES = {**DATA_MODES, "sign_in": sign_in_screen}  # before sign-in: sign_in alone (__init__)
    DEFAULT_MODE = "notes"
    # Screen classes the styles use to fit 80x24: "-narrow" under 100 columns, "-short"
    # under 32 rows (forms then draw their fields one line high).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = APP_ACTIONS.bindings()

    def __init__(
        self,
        database: Database,
        user: UserInfo | None,
        *,
        today: dt.date | None = None,
        watch: bool = True,
        query: StartQuery | None = None,
        timing: Timing | None = None,
    ) -> None:
        """``query``: what the notes list shows first (``crm-tui --sort …``); a callable
        is asked once someone is signed in, and a refusal closes the app (``refusal``).
        ``timing``: the delays the app owns (tests drive them: ``Timing``).
        ``user`` ``None``: a browser session, whose sign-in asks the name, then the password."""
        gated = user is None or user.has_password
        self.database = database
        """The open database (the domain reads and writes it; the watcher looks at it)."""
        self.session = Session(
            user=None if gated else user,
            pending=user if gated else None,
            today_override=today,
            timing=timing or Timing(),
        )
        self._watch_changes = watch
        self._watcher: ChangeWatcher | None = None
        self._looking = False
        self._entered = False
        self._start_query = query
        self._keymap_in_force: dict[str, str] = {}
        self._keymap_problem: str | None = None
        self._saved_theme: str | None = None
        """The theme stored for the signed-in user (or shown when nothing is stored)."""
        self._theme_saving = asyncio.Lock()
        self._stop_following_language: Callable[[], None] | None = None
        self.refusal: str | None = None
        """Why the app closed before showing the notes (a bad ``query``), else ``None``."""
        if gated:  # nothing is shown, nothing can be switched to, before the password is right
            # Textual declares both ClassVars; the gate sets them per app, before App reads them.
            self.DEFAULT_MODE = "sign_in"  # type: ignore[misc]  # a ClassVar set per app: the gate
            self.MODES = {"sign_in": sign_in_screen}  # type: ignore[misc]  # as DEFAULT_MODE
        super().__init__()
        self.sub_title = visible(user.name) if user is not None else ""

    def _add_data_modes(self) -> None:
        for mode, screen in DATA_MODES.items():
            with suppress(InvalidModeError):  # there already
                self.add_mode(mode, screen)

    def on_load(self) -> None:
        """The user's keymap; the settings before the first screen is drawn (once signed in)."""
        self._load_keymap()
        if self.session.signed_in:
            self._read_settings()
            self._take_start_query()

    def _take_start_query(self) -> bool:
        """Give the notes list its first query; a refused one closes the app (False)."""
        query, self._start_query = self._start_query, None
        if callable(query):
            try:
                query = query()
            except DomainError as error:
                self.refusal = str(error)
                self.exit(return_code=1)
                return False
        self.session.start_query = query
        return True

    def _read_settings(self) -> None:
        self._restore_language()
        ensure_starter_settings()
        self.session.reload_settings()
        self._restore_theme()

    def on_mount(self) -> None:
        """Say why a keymap file was ignored; look for others' changes (once signed in)."""
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._stop_following_language = i18n.on_language_change(self._language_changed)
        if self._keymap_problem is not None:
            self.notify(self._keymap_problem, title=_("Keymap"), severity="warning")
        if self.session.signed_in:
            self._entered = True
            self._start_watching()

    def _enter(self) -> None:
        """Someone signed in: the data modes, the settings and the live refresh, once."""
        if self._entered or not self.session.signed_in:
            return
        self._entered = True
        self._add_data_modes()
        self._read_settings()
        if self._take_start_query():
            self._start_watching()

    def switch_mode(self, mode: str) -> AwaitMount:
        """Show ``mode``; before sign-in only the sign-in mode exists: anything else stays."""
        if mode != "sign_in" and not self.session.signed_in:
            return AwaitMount(self.screen, [])
        if mode in DATA_MODES:
            self._enter()
        if self.refusal is not None:  # closing: the query given on the command line is refused
            return AwaitMount(self.screen, [])
        return super().switch_mode(mode)

    def _start_watching(self) -> None:
        """Look for changes other people and processes make (live refresh)."""
        if self._watch_changes and self._watcher is None:
            try:
                self._watcher = watcher_for(self.database)
            except Exception as error:  # the app works; others' changes show on `r`
                self.notify(
                    _("Changes by others will not show by themselves: {error}").format(error=error),
                    severity="warning",
                )
                return
            interval = self.session.timing.watch_interval
            if interval is not None:
                self.set_interval(interval, self.look_for_changes)

    def on_unmount(self) -> None:
        """Stop watching; the database threads close their connections."""
        if self._stop_following_language is not None:
            self._stop_following_language()
        if self._watcher is not None:
            self._watcher.close()
        close_database_threads()

    def look_for_changes(self) -> None:
        """Ask what others changed, unless a look is under way (the watch timer calls it)."""
        if self._watcher is not None and not self._looking:
            self._looking = True
            self._look(self._watcher)

    @work(group="app-watch", exit_on_error=False)
    async def _look(self, watcher: ChangeWatcher) -> None:
        """Ask the watcher what others changed (off the UI thread; it never waits), then
        refresh the open lists (settings refresh the notes too)."""
        try:
            kinds = await off_thread(watcher.wait, 0)
        except Exception:
            kinds = frozenset()
        self._looking = False
        if SETTINGS in kinds:
            self.settings_changed()
        elif NOTES in kinds:
            self.notes_changed()

    def on_sign_in_screen_signed_in(self, message: SignInScreen.SignedIn) -> None:
        """The password was right: the user is signed in; open the notes."""
        user = message.user
        self.session.sign_in(user)
        self.sub_title = visible(user.name)
        self.switch_mode("notes")

    # --- navigation ----------------------------------------------------------------

    def action_open_notes(self) -> None:
        """Show the notes list."""
        self.switch_mode("notes")

    def action_open_customers(self) -> None:
        """Show the customers list."""
        self.switch_mode("customers")

    def action_open_settings(self) -> None:
        """Show Settings (admins only; a rep is told so)."""
        if self.session.is_admin:
            self.switch_mode("settings")
        else:
            self.action_admins_only("settings")

    def action_open_users(self) -> None:
        """Show Users (admins only; a rep is told so)."""
        if self.session.is_admin:
            self.switch_mode("users")
        else:
            self.action_admins_only("users")

    def action_admins_only(self, mode: str) -> None:
        """Tell a rep that Settings (or Users) is for admins; nothing opens."""
        if not self.session.signed_in or self.session.is_admin:
            return
        if mode == "users":
            message = _("Users are managed by admins: ask one to add or change a user.")
        else:
            message = _(
                "Settings are for admins: ask one to change statuses, actions or variables."
            )
        self.notify(message, title=_("Admins only"), severity="warning")

    def _settings_file(self, mode: str) -> None:
        """Export the settings to a JSON file, or import them (admins; from any screen)."""
        from crm_tui.ui.screens.settings_files import SettingsFileScreen

        def done(message: str | None) -> None:
            if message:
                self.notify(message)
                if mode == "import":
                    self.settings_changed()

        if self.session.is_admin:
            self.push_screen(SettingsFileScreen(mode), done)

    def action_choose_currency(self) -> None:
        """Choose the currency amounts are shown in (admins)."""
        from crm_tui.ui.screens.currency_dialog import choose_currency

        choose_currency(self)

    def action_change_password(self) -> None:
        """Change the signed-in user's own password."""
        from crm_tui.ui.screens.users_form import PasswordFormScreen

        def changed(user: UserInfo | None) -> None:
            if user is not None:
                self.session.user = user
                self.notify(_("Your password is changed."))

        signed = self.session.user
        if signed is not None and self.current_mode != "sign_in":
            self.push_screen(PasswordFormScreen(signed, signed), changed)

    def action_show_keys(self) -> None:
        """Show every key of the current screen (in the language in force)."""
        from crm_tui.ui.widgets.keys_panel import KeysPanel

        if not self.session.signed_in:
            return
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.screen.mount(KeysPanel())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before sign-in only Quit and harmless keys; hide Settings and Users from reps."""
        if not self.session.signed_in:
            return action in GATE_ACTIONS
        if action in ("open_settings", "open_users") and not self.session.is_admin:
            return False  # hidden from a rep's footer; their f4/f5 run admins_only instead
        if action == "admins_only":
            return not self.session.is_admin
        if action in ("undo", "redo"):
            return self.current_mode != "sign_in"
        if action.startswith("open_"):
            # Before sign-in nothing opens; the key of the screen shown is not repeated.
            return self.current_mode != "sign_in" and action != f"open_{self.current_mode}"
        return True

    # --- undo and redo (the stacks are the user's history) ------------------------------

    def action_undo(self) -> None:
        """Undo your last change (itself a new, recorded change)."""
        if self.session.signed_in:
            self._undo_step(False)

    def action_redo(self) -> None:
        """Redo what you undid last."""
        if self.session.signed_in:
            self._undo_step(True)

    @work(exclusive=True, group="app-undo", exit_on_error=False)
    async def _undo_step(self, again: bool) -> None:
        """Undo (or, ``again``, redo) the user's last step; say what it was, refresh lists."""
        from crm_tui.domain.undo import redo, undo

        step = redo if again else undo
        try:
            result = await off_thread(step, self.session.signed_user, today=self.session.today())
        except DomainError as error:
            self.notify(str(error), severity="warning")
            return
        self.notify(result.description)
        if result.settings:
            self.settings_changed()
        if result.notes:
            self.notes_changed()

    # --- drawing stored text: never markup, never raw control characters -----------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is literal text: messages embed names and typed values."""
        super().notify(
            visible(str(message), keep="\n"),
            title=visible(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: titles hold names (user, customer), shown with controls visible."""
        return super().format_title(visible(title), visible(sub_title))

    # --- settings shared by every screen ----------------------------------------------

    def settings_changed(self) -> None:
        """Reload the settings and tell every screen to redraw badges and columns."""
        if not self.session.signed_in:
            return
        if self._watcher is not None:
            self._watcher.own_change(ALL_KINDS)  # screens read notes again on SettingsChanged
        self.session.reload_settings()
        for screen in self._all_screens():
            screen.post_message(SettingsChanged())

    def notes_changed(self, note_id: int | None = None, *, saved: bool = False) -> None:
        """Tell every screen that notes changed, so lists refresh (and follow a ``saved`` note)."""
        if not self.session.signed_in:
            return
        if self._watcher is not None:
            self._watcher.own_change(frozenset({NOTES}))
        for screen in self._all_screens():
            screen.post_message(NotesChanged(note_id, saved=saved))

    def _all_screens(self) -> list[Screen]:
        """The screens of every mode started so far (each mode keeps its stack, dialogs too)."""
        screens: list[Screen] = []
        for mode in dict.fromkeys([*self.MODES, *DATA_MODES]):
            with suppress(KeyError):  # a mode not shown yet has no screens
                screens.extend(self.get_screen_stack(mode))
        return screens

    # --- command palette -------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's command palette, its search hint in the language in force."""
        from textual.command import CommandPalette

        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            palette = CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            self.push_screen(palette)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every screen and every action, by name; before sign-in, only Quit.

        Textual's own entries (Theme, Screenshot, Maximize) stay after sign-in, translated;
        every help names the key in force (``APP_ACTIONS``).
        """
        if not self.session.signed_in:
            yield SystemCommand(_("Quit"), _("Leave crm-tui"), self.exit)
            return
        yield APP_ACTIONS.command(self, "app.notes", self.action_open_notes)
        yield APP_ACTIONS.command(self, "app.customers", self.action_open_customers)
        for binding_id in MODE_COMMANDS:
            yield APP_ACTIONS.command(self, binding_id)
        if self.session.is_admin:
            yield APP_ACTIONS.command(self, "app.settings", self.action_open_settings)
            yield APP_ACTIONS.command(self, "app.users", self.action_open_users)
            title, help_text = CURRENCY_COMMAND
            yield SystemCommand(_(title), _(help_text), self.action_choose_currency)
            if self.current_mode != "settings":  # there, the screen offers its own
                yield SystemCommand(
                    _("Export settings"),
                    _("Write statuses, actions and variables to a JSON file"),
                    partial(self._settings_file, "export"),
                )
                yield SystemCommand(
                    _("Import settings"),
                    _("Create or update statuses, actions and variables from a JSON file"),
                    partial(self._settings_file, "import"),
                )
        else:  # found by name, and says why nothing opens
            yield APP_ACTIONS.command(
                self, "app.settings_rep", partial(self.action_admins_only, "settings")
            )
            yield APP_ACTIONS.command(
                self, "app.users_rep", partial(self.action_admins_only, "users")
            )
        if self.current_mode != "sign_in":
            yield SystemCommand(
                _("Change my password"),
                _("Give yourself a new password"),
                self.action_change_password,
            )
        if self.current_mode != "sign_in":
            yield SystemCommand(
                _("Language"),
                _("Show the app in English or in French"),
                self.action_choose_language,
            )
            yield APP_ACTIONS.command(self, "app.undo", self.action_undo)
            yield APP_ACTIONS.command(self, "app.redo", self.action_redo)
        palette = getattr(screen, "palette_commands", None)
        if callable(palette):
            yield from palette()
        for command in super().get_system_commands(screen):
            if command.title in TEXTUAL_COMMANDS:
                title, help_text = TEXTUAL_COMMANDS[command.title]
                yield SystemCommand(_(title), _(help_text), command.callback, command.discover)
        yield APP_ACTIONS.command(self, "app.keys", self.action_show_keys)
        yield APP_ACTIONS.command(self, "app.quit", self.exit)

    # --- language --------------------------------------------------------------------

    def action_choose_language(self) -> None:
        """Ask which language to speak; the choice shows at once and is kept for next time
        (asked for here, it wins over ``--lang`` for the rest of the run too)."""
        from crm_tui.ui.widgets.language_dialog import LanguageDialog

        def chosen(code: str | None) -> None:
            if code is not None and code != i18n.language():
                i18n.set_language(code)  # every screen follows (_language_changed)
            if code is not None and self.session.user is not None:
                self._save_language(self.session.user, code)

        if self.session.signed_in and self.current_mode != "sign_in":
            self.push_screen(LanguageDialog(), chosen)

    @work(group="app-language", exit_on_error=False)
    async def _save_language(self, user: UserInfo, code: str) -> None:
        """Remember ``user``'s language for their next sign-in."""
        try:
            await off_thread(preferences.set_language, user, code)
        except Exception as error:  # the language stays for this session
            self.notify(
                _("The language could not be saved: {error}").format(error=error),
                severity="warning",
            )

    def _restore_language(self) -> None:
        """The signed-in user's language, as they left it, unless ``--lang`` chose one."""
        user = self.session.user
        if user is None or i18n.language_is_pinned():
            return
        chosen = preferences.language(user)
        if chosen is not None and chosen != i18n.language():
            i18n.set_language(chosen)

    def _language_changed(self, _language: str) -> None:
        """The language changed (here or by ``set_language``): redraw the words, once."""
        if self.is_running:
            self.call_later(self._show_language)

    def _show_language(self) -> None:
        """Footers and the keys panel in the new words; every screen is told."""
        from textual.widgets import Footer

        from crm_tui.ui.widgets.keys_panel import TranslatedBindingsTable

        for screen in self._all_screens():
            for footer in screen.query(Footer):
                footer.refresh(recompose=True)
            for keys in screen.query(TranslatedBindingsTable):
                keys.refresh()  # drawn from the bindings at each refresh
            screen.post_message(LanguageChanged())

    # --- keymap and theme ------------------------------------------------------------

    @property
    def keymap_in_force(self) -> Mapping[str, str]:
        """Binding id -> keys from the user's keymap file (hints and the palette name them)."""
        return self._keymap_in_force

    def _load_keymap(self) -> None:
        """Apply the user's keymap file; a broken one is ignored (said once mounted)."""
        keymap = load_keymap()
        self._keymap_problem = keymap.problem
        self._keymap_in_force = keymap.keys
        if keymap.keys:
            self.set_keymap(keymap.keys)

    def _restore_theme(self) -> None:
        """The signed-in user's theme, as they left it (an unknown name is let go)."""
        user = self.session.user
        if user is None:
            return
        chosen = preferences.theme(user)
        if chosen is not None and chosen in self.available_themes:
            self.theme = chosen
        self._saved_theme = self.theme

    def _theme_changed(self, theme: Theme) -> None:
        """Remember the theme the user picked (Textual's Theme command), for next time."""
        if self.session.user is not None and theme.name != self._saved_theme:
            self._save_theme()

    @work(group="app-theme", exit_on_error=False)
    async def _save_theme(self) -> None:
        """Store the theme shown now; saves run one at a time, so the last choice wins."""
        async with self._theme_saving:
            user, name = self.session.user, self.theme
            if user is None or name == self._saved_theme:
                return
            try:
                await off_thread(preferences.set_theme, user, name)
            except Exception as error:  # the theme stays for this session
                self.notify(
                    _("The theme could not be saved: {error}").format(error=error),
                    severity="warning",
                )
                return
            self._saved_theme = name


def run_app(
    database: Database, user: UserInfo | None, query: StartQuery | None = None
) -> str | None:
    """Open the app on ``database`` as ``user``; returns why it refused ``query``, if it did.

    ``user`` ``None``: a browser session; the sign-in screen asks who signs in.

    Database threads get short turns at the GIL (``GIL_SWITCH_INTERVAL``) for the process.
    """
    share_gil_with_database_threads()
    app = CrmApp(database, user, query=query)
    app.run()
    return app.refusal
