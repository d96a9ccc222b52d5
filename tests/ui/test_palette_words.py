"""Issue 11, cases 6 and 7: the palette finds commands by the words of their descriptions,
keeps Textual's own commands, and a rep asking for Settings or Users is told they are for admins.
"""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from crm_tui.ui.palette import words_match
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.screens.notes_filter import FilterDialog
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, make_app, settle, wait_for, workers_done


async def palette_finds(pilot: Pilot, typed: str) -> list[str]:
    """Open the palette, type ``typed`` and return the entries it lists (title and help)."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    app.screen.query_one(CommandInput).value = typed
    await pilot.pause()
    await workers_done(app)
    await settle(pilot)
    listed = app.screen.query_one(CommandList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


async def close_palette(pilot: Pilot) -> None:
    """Leave the palette."""
    if isinstance(pilot.app.screen, CommandPalette):
        await pilot.press("escape")
        await settle(pilot)


def titles(entries: list[str]) -> list[str]:
    """The first line of each entry: its title."""
    return [entry.splitlines()[0] for entry in entries]


def test_words_of_the_query_start_words_of_the_text() -> None:
    assert words_match("status", "Statuses, actions and variables")
    assert words_match("time zone", "Sort by Time zone")
    assert words_match("EXPORT", "Export settings")
    assert words_match("echant", "Échantillons envoyés")
    assert not words_match("zone time x", "Sort by Time zone")
    assert not words_match("", "anything")


async def test_description_words_find_commands(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Settings" in titles(await palette_finds(pilot, "status"))
        await close_palette(pilot)
        assert "Export settings" in titles(await palette_finds(pilot, "export"))
        await close_palette(pilot)
        found = titles(await palette_finds(pilot, "time zone"))
        assert {"Sort by Time zone", "Filter by Time zone"} <= set(found), found
        await close_palette(pilot)
        found = titles(await palette_finds(pilot, "estimated close"))
        assert {"Sort by Estimated close date", "Filter by Estimated close date"} <= set(found)
        await close_palette(pilot)


async def test_textual_commands_stay_after_sign_in(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [str(c.title) for c in app.get_system_commands(app.screen)]
        for name in ("Theme", "Keys", "Screenshot", "Quit"):
            assert names.count(name) == 1, (name, names)
        assert "Theme" in titles(await palette_finds(pilot, "theme"))
        await close_palette(pilot)
        assert "Screenshot" in titles(await palette_finds(pilot, "screenshot"))


async def test_sort_and_filter_by_a_variable_from_the_palette(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    zone = f"var:{crm_world.variable_id('Time zone')}"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        entries = await palette_finds(pilot, "sort time zone")
        assert titles(entries)[0] == "Sort by Time zone", entries
        await pilot.press("enter")
        await settle(pilot)
        assert [(key.column, key.descending) for key in screen.note_query.sort] == [(zone, False)]
        entries = await palette_finds(pilot, "filter time zone")
        assert titles(entries)[0] == "Filter by Time zone", entries
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterDialog))
        await wait_for(pilot, lambda: app.screen.column is not None)
        assert app.screen.column[0] == zone


async def test_a_rep_is_told_settings_and_users_are_for_admins(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.bob, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("f4", "f5"):
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == "notes"
            assert isinstance(app.screen, NotesScreen)
            told = [n.message for n in app._notifications]
            assert any("for admins" in m or "by admins" in m for m in told), (key, told)
            app.clear_notifications()
        entries = await palette_finds(pilot, "settings")
        assert titles(entries)[0] == "Settings (admins only)", entries
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "notes" and isinstance(app.screen, NotesScreen)
        assert any("Settings are for admins" in n.message for n in app._notifications)
        # An admin's f4 opens Settings and says nothing of the kind.


async def test_an_admin_f4_opens_settings_without_a_warning(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert app.current_mode == "settings"
        await pilot.press("f4")  # on Settings already: nothing, and no "admins only"
        await settle(pilot)
        assert app.current_mode == "settings"
        assert not [n for n in app._notifications if "admins" in n.message]
