"""The app's own keys and palette entries (every screen has them), as one action table."""

from __future__ import annotations

from crm_tui.ui.actions import N_, Action, ActionTable

APP_ACTIONS = ActionTable(
    Action(
        "app.notes",
        "f2",
        "open_notes",
        N_("Notes"),
        title=N_("Notes"),
        help=N_("The notes list"),
    ),
    Action(
        "app.customers",
        "f3",
        "open_customers",
        N_("Customers"),
        title=N_("Customers"),
        help=N_("Customers and their notes"),
    ),
    Action(
        "app.my_day",
        "f6",
        "switch_mode('my_day')",
        N_("My day"),
        title=N_("My day"),
        help=N_("Your open follow-ups: overdue, today and the next days ({key})"),
        show=False,  # footers are full
    ),
    Action(
        "app.settings",
        "f4",
        "open_settings",
        N_("Settings"),
        title=N_("Settings"),
        help=N_("Statuses, actions, variables and their options ({key})"),
    ),
    Action(
        "app.users",
        "f5",
        "open_users",
        N_("Users"),
        title=N_("Users"),
        help=N_("The team: roles, passwords, who is active"),
        show=False,  # footers are full
    ),
    # A rep's f4/f5: the keys above do not apply, these say why (footers never show them).
    Action(
        "app.settings_rep",
        "f4",
        "admins_only('settings')",
        N_("Settings (admins)"),
        title=N_("Settings (admins only)"),
        help=N_("Statuses, actions, variables and their options: ask an admin"),
        show=False,
    ),
    Action(
        "app.users_rep",
        "f5",
        "admins_only('users')",
        N_("Users (admins)"),
        title=N_("Users (admins only)"),
        help=N_("The team, roles and passwords: ask an admin"),
        show=False,
    ),
    Action(
        "app.pipeline",
        "f7",
        "switch_mode('pipeline')",
        N_("Pipeline"),
        title=N_("Pipeline"),
        help=N_("The pipeline board: customers stage by stage, with their amounts ({key})"),
        show=False,  # footers are full
    ),
    Action(
        "app.charts",
        "f8",
        "switch_mode('charts')",
        N_("Charts"),
        title=N_("Charts"),
        help=N_("Pipeline amount by close month, notes per week by action ({key})"),
        show=False,
    ),
    Action(
        "app.keys",
        "question_mark",
        "show_keys",
        N_("Keys"),
        title=N_("Keys"),
        help=N_("Show every key of this screen ({key})"),
    ),
    Action(
        "app.undo",
        "u",
        "undo",
        N_("Undo"),
        title=N_("Undo"),
        help=N_("Undo your last change ({key})"),
        show=False,
    ),
    Action(
        "app.redo",
        "ctrl+r",
        "redo",
        N_("Redo"),
        title=N_("Redo"),
        help=N_("Redo what you undid last ({key})"),
        show=False,
    ),
    Action(
        "app.quit",
        "ctrl+q",
        "quit",
        N_("Quit"),
        title=N_("Quit"),
        help=N_("Leave crm-tui ({key})"),
        priority=True,
    ),
)
"""The app's keys and palette entries (every screen has them)."""

MODE_COMMANDS = ("app.my_day", "app.pipeline", "app.charts")
"""The app actions that open a screen, offered by the palette on every screen (their
action switches mode, run on the app)."""

TEXTUAL_COMMANDS = {
    "Theme": (N_("Theme"), N_("Change the colours of the app")),
    "Maximize": (N_("Maximize"), N_("Maximize the focused widget")),
    "Minimize": (N_("Minimize"), N_("Minimize the widget and restore to normal size")),
    "Screenshot": (N_("Screenshot"), N_("Save an SVG picture of the screen")),
}
"""Textual's own palette entries the app keeps after sign-in, by Textual's (English) title,
with their message ids. Keys and Quit are the app's own entries (the same actions)."""

CURRENCY_COMMAND = (
    N_("Currency…"),
    N_("The currency amounts are shown in, for the whole database"),
)
"""The palette entry of the currency dialog (admins; no key: it is rarely changed)."""
