"""Issue 12: Textual's theme command is in the palette; the theme chosen is kept per user
and comes back at the next start (and at sign-in)."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandPalette

from crm_tui.domain import preferences
from crm_tui.domain.users import create_user
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.notes import NotesScreen
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, TODAY, settle, wait_for

LIGHT = "textual-light"

pytestmark = pytest.mark.postgres  # the theme is stored and read back by later apps


async def test_theme_chosen_in_the_palette_is_kept_for_the_user(crm_world: CrmWorld) -> None:
    app = CrmApp(crm_world.database, crm_world.ana, today=TODAY, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        default = app.theme
        titles = [str(command.title) for command in app.get_system_commands(app.screen)]
        assert "Theme" in titles
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        app.screen.query_one(CommandInput).value = "Theme"
        await settle(pilot)
        await pilot.press("enter")  # Textual's theme list (a palette of themes)
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        app.screen.query_one(CommandInput).value = LIGHT
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        assert app.theme == LIGHT != default
    assert preferences.theme(crm_world.ana) == LIGHT
    assert preferences.theme(crm_world.bob) is None  # per user

    again = CrmApp(crm_world.database, crm_world.ana, today=TODAY, watch=False)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == LIGHT
    other = CrmApp(crm_world.database, crm_world.bob, today=TODAY, watch=False)
    async with other.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert other.theme == default


async def test_theme_comes_back_at_sign_in(crm_world: CrmWorld) -> None:
    carol = create_user(crm_world.ana, "carol", password="s3cret pass")
    preferences.set_theme(carol, LIGHT)
    app = CrmApp(crm_world.database, carol, today=TODAY, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme != LIGHT  # nobody signed in yet: nothing of carol's is read
        await pilot.press(*"s3cret pass", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        assert app.theme == LIGHT
