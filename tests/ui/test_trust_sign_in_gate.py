"""Issue 10, case 1: sign-in is a gate, not a screen.

From the sign-in screen every palette entry (by name) and every key any screen binds is
tried; nothing opens, no data screen is built, no worker watches the database and no
row changes. The admin's password cannot be removed without typing it, and a rep with a
password cannot reach Notes; after the right password the notes list opens as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import peewee
import pytest
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from crm_tui.domain import users
from crm_tui.ui.app import CrmApp
from crm_tui.ui.modes import DATA_MODES, sign_in_screen
from crm_tui.ui.screens import (
    customer_notes,
    customers,
    note_editor,
    note_view,
    notes,
    settings,
    sign_in,
)
from crm_tui.ui.screens import users as users_screen
from crm_tui.ui.screens.sign_in import SignInScreen
from tests.ui.conftest import CrmWorld, shown_ids
from tests.ui.pilot import SIZE, make_app, settle, wait_for, workers_done

QUIT_KEYS = {"ctrl+q", "ctrl+c", "super+c"}  # these leave the app (or copy): not "opening"
EXTRA_COMMANDS = (  # entries of screens that only open from another screen
    "New note",
    "Edit note",
    "Delete note",
    "Save note",
    "Save customer",
    "Edit customer",
    "Back",
)


def dump(database: peewee.Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what must not change."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table in database.get_tables():
        rows = database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        tables[table] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def screen_classes() -> list[type[Screen]]:
    """Every screen class of the app's screen modules."""
    found: list[type[Screen]] = []
    for module in (
        customer_notes,
        customers,
        note_editor,
        note_view,
        notes,
        settings,
        sign_in,
        users_screen,
    ):
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Screen) and value.__module__ == module.__name__:
                found.append(value)
    return found


def every_key() -> list[str]:
    """Every key the app or any of its screens binds, quitting keys aside."""
    keys: set[str] = set()
    for owner in [CrmApp, *screen_classes()]:
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding):
                keys.update(key.strip() for key in binding.key.split(","))
            else:
                keys.update(key.strip() for key in binding[0].split(","))
    keys.update({"f1", "f6", "f7", "f8", "f9", "f10", "ctrl+p", "ctrl+s", "n", "r", "x", "y"})
    return sorted(keys - QUIT_KEYS)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Names of the data screens built during the test (there must be none)."""
    made: list[str] = []
    for mode, factory in DATA_MODES.items():
        monkeypatch.setitem(
            DATA_MODES, mode, _counting(factory, made, mode)
        )  # the app adds DATA_MODES after sign-in
    monkeypatch.setattr(CrmApp, "MODES", {**DATA_MODES, "sign_in": sign_in_screen})
    yield made


def _counting(factory: Callable[[], Screen], made: list[str], mode: str) -> Callable[[], Screen]:
    def build() -> Screen:
        made.append(mode)
        return factory()

    return build


async def all_command_names(world: CrmWorld) -> list[str]:
    """Every palette entry a signed-in admin sees on the four data screens."""
    app = make_app(world.database, world.ana, watch=False)
    names: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        for mode in DATA_MODES:
            app.switch_mode(mode)
            await settle(pilot)
            names.update(str(command.title) for command in app.get_system_commands(app.screen))
    names.update(EXTRA_COMMANDS)
    return sorted(names - {"Quit"})


def with_passwords(world: CrmWorld) -> tuple[users.UserInfo, users.UserInfo]:
    """Ana (admin) and Bob (rep) with passwords: both start at the sign-in screen."""
    users.set_password(world.ana, world.ana.id, users.hash_password("admin-pw"))
    users.set_password(world.ana, world.bob.id, users.hash_password("rep-pw"))
    return users.get_user(world.ana.id), users.get_user(world.bob.id)


def assert_still_signing_in(app: CrmApp, built: list[str], palette: bool = False) -> None:
    """Only the sign-in screen, nobody signed in, no data screen built, no watcher.

    ``palette``: the command palette may be open over it (nothing else may).
    """
    stack = app.screen_stack
    if palette and isinstance(stack[-1], CommandPalette):
        stack = stack[:-1]
    assert isinstance(stack[-1], SignInScreen), type(stack[-1]).__name__
    assert app.current_mode == "sign_in"
    assert len(stack) == 1
    assert app.session.user is None
    assert built == []
    assert not [worker for worker in app.workers if worker.group in ("app-watch", "app-undo")]


async def close_palette(pilot: Pilot) -> None:
    """Leave the palette if it is still open (a name that matched nothing)."""
    for _ in range(3):
        if not isinstance(pilot.app.screen, CommandPalette):
            return
        await pilot.press("escape")
        await pilot.pause()


async def test_the_palette_offers_only_quit_and_no_entry_opens_anything(
    crm_world: CrmWorld, built: list[str]
) -> None:
    names = await all_command_names(crm_world)
    built.clear()
    assert {"Notes", "Customers", "Settings", "Users", "Undo", "Keys"} <= set(names)
    ana, _bob = with_passwords(crm_world)
    before = dump(crm_world.database)
    app = make_app(crm_world.database, ana)
    exits: list[object] = []
    app.exit = lambda *args, **kwargs: exits.append(args)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [str(c.title) for c in app.get_system_commands(app.screen)] == ["Quit"]
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        listed = app.screen.query_one(CommandList)
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert len(shown) == 1 and "Quit" in shown[0], shown
        # One palette for every name: each new name is a new search, which asks the app
        # for its commands again (the gate decides per search); an entry that runs closes
        # the palette, which is then opened again.
        for name in names:
            if not isinstance(app.screen, CommandPalette):
                await pilot.press("ctrl+p")
                await pilot.pause()
            # Typed at once (key by key takes a second a name; the palette sees the same).
            app.screen.query_one(CommandInput).value = name
            await pilot.pause()
            await workers_done(app)  # the palette's search has answered
            await pilot.press("enter")
            await workers_done(app)
            assert_still_signing_in(app, built, palette=True)
        await close_palette(pilot)
        assert_still_signing_in(app, built)
        # Users -> X -> y: the admin's password cannot be removed without it.
        await pilot.press("ctrl+p", *"Users")
        await settle(pilot)
        await pilot.press("enter", "X", "y")
        await settle(pilot)
        await close_palette(pilot)
        assert_still_signing_in(app, built)
        assert exits == []  # not even Quit matched one of the names
        del app.exit  # the test harness quits the app with it
    assert dump(crm_world.database) == before
    assert users.get_user(ana.id).has_password


async def test_no_key_opens_anything_before_sign_in(crm_world: CrmWorld, built: list[str]) -> None:
    ana, _bob = with_passwords(crm_world)
    before = dump(crm_world.database)
    app = make_app(crm_world.database, ana)
    keys = every_key()
    assert {"f2", "f3", "f4", "f5", "u", "ctrl+r", "question_mark", "n"} <= set(keys)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in keys:  # the field unfocused: keys reach the screen and the app
            app.screen.set_focus(None)
            await pilot.press(key)
            await settle(pilot)
            await close_palette(pilot)
            assert_still_signing_in(app, built)
        app.screen.set_focus(app.screen.query_one(Input))
        for key in keys:  # typed into the password field: never submitted
            if key != "enter":
                await pilot.press(key)
        await settle(pilot)
        await close_palette(pilot)
        assert_still_signing_in(app, built)
        assert not app.screen.query("HelpPanel")
        assert app.check_action("open_notes", ()) is False
        assert app.check_action("undo", ()) is False
        assert app.check_action("show_keys", ()) is False
        app.switch_mode("users")  # even called directly, nothing else opens
        app.switch_mode("notes")
        await settle(pilot)
        assert_still_signing_in(app, built)
    assert dump(crm_world.database) == before


async def test_a_rep_reaches_notes_only_with_the_password(
    crm_world: CrmWorld, built: list[str]
) -> None:
    _ana, bob = with_passwords(crm_world)
    notes_before = dump(crm_world.database)["note"]
    app = make_app(crm_world.database, bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name in ("Notes", "Customers"):
            await pilot.press("ctrl+p", *name)
            await settle(pilot)  # the search answered (else enter picks the first: Quit)
            await pilot.press("enter")
            await settle(pilot)
            await close_palette(pilot)
        for key in ("f2", "n", "ctrl+s"):
            app.screen.set_focus(None)
            await pilot.press(key)
            await settle(pilot)
        assert_still_signing_in(app, built)
        app.screen.set_focus(app.screen.query_one(Input))
        await pilot.press(*"rep-pw", "enter")
        await wait_for(pilot, lambda: app.current_mode == "notes")
        assert app.session.user is not None and app.session.user.id == bob.id
        assert built == ["notes"]
        await wait_for(pilot, lambda: len(shown_ids(app)) == len(crm_world.notes))
        assert sorted(shown_ids(app)) == sorted(crm_world.notes.values())
    assert dump(crm_world.database)["note"] == notes_before
