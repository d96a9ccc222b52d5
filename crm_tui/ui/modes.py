"""The app's modes: which screen each opens, and which exist before sign-in.

Screens are imported when their mode first opens, not with the app: start-up reads only
what the first screen needs.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from textual._context import NoActiveAppError
from textual.screen import Screen


def _notes_screen() -> Screen:
    from crm_tui.ui.screens.notes import NotesScreen

    return NotesScreen()


def _customers_screen() -> Screen:
    from crm_tui.ui.screens.customers import CustomersScreen

    return CustomersScreen()


def sign_in_screen() -> Screen:
    from crm_tui.ui.screens.sign_in import SignInScreen

    return SignInScreen()


def _settings_screen() -> Screen:
    from crm_tui.ui.screens.settings import SettingsScreen

    return SettingsScreen()


def _users_screen() -> Screen:
    from crm_tui.ui.screens.users import UsersScreen

    return UsersScreen()


def _my_day_screen() -> Screen:
    from crm_tui.ui.screens.my_day import MyDayScreen

    return MyDayScreen()


def styled_by_the_app(screen: Screen) -> Screen:
    """``screen``, told that the app's stylesheet is already up to date for it.

    Textual refreshes all CSS when a mode's screen is first made (its ``_css_update_count``
    starts behind the app's): every stylesheet is parsed again and the whole screen
    restyled, twice (in ``_init_mode`` and in ``switch_mode``), 20-70 ms of the board's and
    the charts' key to frame at 120×40. A screen without CSS of its own (its styles are
    the app's ``CSS_PATH``) needs none of it: its widgets take their styles from the app's
    parsed stylesheet as they mount, and a later theme or variable change still refreshes
    it (the app's count moves on)."""
    kind = type(screen)
    if not kind.CSS and not kind.CSS_PATH:
        with suppress(NoActiveAppError):  # made outside an app: Textual's way
            screen._css_update_count = screen.app._css_update_count
    return screen


def _pipeline_board_screen() -> Screen:
    from crm_tui.ui.screens.pipeline_board import PipelineBoardScreen

    return styled_by_the_app(PipelineBoardScreen())


def _charts_screen() -> Screen:
    from crm_tui.ui.screens.charts import ChartsScreen

    return styled_by_the_app(ChartsScreen())


DATA_MODES: dict[str, Callable[[], Screen]] = {
    "notes": _notes_screen,
    "customers": _customers_screen,
    "my_day": _my_day_screen,
    "settings": _settings_screen,
    "users": _users_screen,
    "pipeline": _pipeline_board_screen,
    "charts": _charts_screen,
}
"""The modes that show data: registered only once someone is signed in."""

GATE_ACTIONS = frozenset({"quit", "help_quit", "command_palette", "focus_next", "focus_previous"})
"""The app's actions a key may run before sign-in: none shows or changes data."""

ADMIN_MODES = ("settings", "users")
"""The modes only admins open; a rep asking for one is told so."""
