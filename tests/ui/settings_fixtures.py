"""Helpers of the Settings UI tests: users, fixed data, and reading the screen.

The ``admin`` and ``admin_app`` fixtures (``tests/ui/conftest.py``) build on ``admin_user``
and ``seed_settings``.
"""

from __future__ import annotations

from rich.text import Text
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from crm_tui.domain import settings as domain
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.users import create_user
from crm_tui.records import UserInfo
from crm_tui.ui.screens.settings import SettingsScreen
from crm_tui.ui.widgets.settings_list import SettingsList
from tests.ui.pilot import settle


def admin_user() -> UserInfo:
    """The first user: an admin."""
    return create_user(None, "ana")


def rep_user(admin: UserInfo) -> UserInfo:
    """A sales rep."""
    return create_user(admin, "bob", role="rep")


def seed_settings(admin: UserInfo) -> None:
    """Fixed data: the starter set, a dropdown and a date variable, an archived status."""
    domain.ensure_starter_settings()
    domain.create_variable(
        admin,
        name="Time zone",
        type="dropdown",
        options=[
            {
                "name": name,
                "abbreviation": name[0],
                "font_color": "#000000",
                "background_color": color,
                "in_sequence": True,
            }
            for name, color in (
                ("PST", "#E3F2FD"),
                ("MST", "#BBDEFB"),
                ("CST", "#90CAF9"),
                ("EST", "#64B5F6"),
            )
        ],
    )
    domain.create_variable(admin, name="Estimated close date", type="date")
    inactive = next(s for s in domain.load_settings().statuses if s.name == "Inactive")
    domain.set_badge_archived(admin, "status", inactive.id, True)


def note_with_status(admin: UserInfo, status: str) -> int:
    """A note that uses ``status``."""
    return create_note(admin, NoteInput(customer="Acme", status=status, body="Call back"))


async def open_settings(pilot: Pilot) -> SettingsScreen:
    """Press F4 and return the Settings screen."""
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def highlight(pilot: Pilot, screen: SettingsScreen, kind: str, name: str) -> None:
    """Move the cursor of a list to ``name`` with the arrow keys."""
    widget = screen.query_one(f"#list-{kind}", SettingsList)
    widget.focus()
    await pilot.press("home")
    for _ in range(widget.option_count):
        if widget.current is not None and widget.current.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name!r} not in the {kind} list")


async def type_text(pilot: Pilot, field: Input, text: str) -> None:
    """Empty ``field``, focus it and type ``text`` key by key."""
    field.value = ""
    field.focus()
    await pilot.press(*text)


def list_rows(screen: Screen, kind: str) -> list[str]:
    """The rows of a Settings list, as plain text."""
    widget = screen.query_one(f"#list-{kind}", SettingsList)
    return [str(option.prompt) for option in widget.options]


def row_names(screen: Screen, kind: str) -> list[str]:
    """The item names of a list in shown order (archived ones after ``|``)."""
    widget = screen.query_one(f"#list-{kind}", SettingsList)
    names: list[str] = []
    for option in widget.options:
        if option.id == "archived-heading":
            names.append("|")
        elif option.id is not None:
            item = widget.item(int(option.id))
            names.append(item.name if item else "?")
    return names


def text_of(screen: Screen, selector: str) -> str:
    """The text a Static (or Label) shows."""
    content = screen.query_one(selector, Static).render()
    return content.plain if isinstance(content, Text) else str(content)


def status_line(screen: Screen) -> str:
    """The Settings status line."""
    return text_of(screen, "#settings-status")
