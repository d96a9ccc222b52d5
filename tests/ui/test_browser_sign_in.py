"""Issue 15: a browser session signs in by name, then password; nothing is drawn before.

The app is started as ``--browser-session`` starts it: with no user (``make_app(db,
None)``). The retry timer never runs by itself (``DRIVEN``); the domain's clock is fake.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Label

from crm_tui import i18n
from crm_tui.db.models import User
from crm_tui.domain import preferences, users
from crm_tui.domain.users import hash_password, set_password, update_user
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.sign_in import SignInScreen
from tests.ui.conftest import CrmWorld, shown_lines
from tests.ui.pilot import DRIVEN, SIZE, make_app, settle, until_quiet, wait_for

pytestmark = pytest.mark.postgres

CUSTOMERS = ("Acme", "Globex", "Initech", "Umbrella", "Zeta", "Hooli")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The domain's UTC clock, moved by hand (``clock[0] += …``)."""
    now = [dt.datetime(2026, 12, 6, 12, 0, 0)]
    monkeypatch.setattr(users, "utc_now", lambda: now[0])
    return now


@pytest.fixture
def world(crm_world: CrmWorld) -> CrmWorld:
    """The fixed data; ana (admin) has the password ``s3cret``, bob none."""
    set_password(crm_world.ana, crm_world.ana.id, hash_password("s3cret"))
    return crm_world


def browser_app(world: CrmWorld) -> CrmApp:
    return make_app(world.database, None, watch=False, timing=DRIVEN)


def status(app: CrmApp) -> str:
    return str(app.screen.query_one("#sign-in-status", Label).render())


def screen_text(app: CrmApp) -> str:
    """Everything drawn, as the screenshot has it (spaces as spaces)."""
    return app.export_screenshot().replace("&#160;", " ")


def nothing_from_the_database(app: CrmApp) -> None:
    text = screen_text(app)
    assert not [name for name in CUSTOMERS if name in text]
    assert app.current_mode == "sign_in" and not app.session.signed_in


async def sign_in(pilot: Pilot, name: str, password: str) -> None:
    """Type the name, enter, the password, enter (one key at a time)."""
    await pilot.press(*name, "enter", *password, "enter")
    await settle(pilot)


async def test_name_then_password_opens_the_notes_list(world: CrmWorld) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#sign-in-name", Input).has_focus
        nothing_from_the_database(app)
        await sign_in(pilot, "ANA", "s3cret")  # the name as the command line finds it
        await wait_for(pilot, lambda: app.current_mode == "notes")
        await settle(pilot)
        assert app.session.user is not None and app.session.user.name == "ana"
        assert any("Acme Corp" in line for line in shown_lines(app))
        assert app.sub_title == "ana"


async def test_a_burst_of_name_enter_password_enter_signs_in(world: CrmWorld) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("a", "n", "a", "enter", "s", "3", "c", "r", "e", "t", "enter", "j"):
            char = "\r" if key == "enter" else key
            app.post_message(events.Key(key, char))  # all at once, as a paste would
        await until_quiet(pilot)
        await wait_for(pilot, lambda: app.current_mode == "notes")
        assert app.session.user is not None and app.session.user.name == "ana"
        assert any("Acme Corp" in line for line in shown_lines(app))


@pytest.mark.parametrize(
    "pasted",
    [("ana\rs3cret\r",), ("ana\r\n", "s3cret\n"), ("an", "a\rs3c", "ret\r")],
    ids=["one paste", "two pastes", "three pastes"],
)
async def test_pasted_name_enter_password_enter_signs_in(
    world: CrmWorld, pasted: tuple[str, ...]
) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in pasted:
            app.post_message(events.Paste(text))  # with the keys after, all at once
        app.post_message(events.Key("j", "j"))
        await until_quiet(pilot)
        await wait_for(pilot, lambda: app.current_mode == "notes")
        assert app.session.user is not None and app.session.user.name == "ana"
        assert any("Acme Corp" in line for line in shown_lines(app))


async def test_a_pasted_wrong_password_signs_nobody_in(world: CrmWorld) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(events.Paste("ana\rnope\rs3cret\r"))  # after the enter: nowhere
        await until_quiet(pilot)
        assert status(app) == "Wrong user name or password."
        nothing_from_the_database(app)


async def test_wrong_password_and_unknown_name_read_the_same(world: CrmWorld) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "ana", "wrong")
        wrong = status(app)
        assert wrong == "Wrong user name or password."
        password = app.screen.query_one("#sign-in-password", Input)
        assert password.value == "" and password.has_focus and not password.disabled
        nothing_from_the_database(app)
        name = app.screen.query_one("#sign-in-name", Input)
        await pilot.press("shift+tab")  # back to the name
        assert name.has_focus
        await pilot.press("tab", "escape")  # esc too
        assert name.has_focus
        name.value = ""
        await sign_in(pilot, "nobody", "wrong")
        assert status(app) == wrong
        nothing_from_the_database(app)
    assert User.get_by_id(world.ana.id).failed_sign_ins == 1


async def test_wrong_passwords_back_off_and_show_the_wait(
    world: CrmWorld, clock: list[dt.datetime]
) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"ana", "enter")
        for _ in range(4):
            await pilot.press(*"nope", "enter")
            await settle(pilot)
        assert status(app) == "Wrong user name or password. Try again in 1 s."
        assert app.screen.query_one("#sign-in-password", Input).disabled
        nothing_from_the_database(app)
        clock[0] += dt.timedelta(seconds=1)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        screen.allow_retry()  # what the retry timer does
        await pilot.press(*"s3cret", "enter")
        await wait_for(pilot, lambda: app.current_mode == "notes")
    assert User.get_by_id(world.ana.id).failed_sign_ins == 0


async def test_a_wrong_password_counted_elsewhere_holds_the_browser_back(
    world: CrmWorld, clock: list[dt.datetime]
) -> None:
    for _ in range(4):  # the command line, another browser tab: the same counter
        assert users.sign_in(world.ana.id, "nope") is None
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "ana", "s3cret")  # right, but the back-off runs
        assert status(app) == "Too many wrong passwords. Try again in 1 s."
        nothing_from_the_database(app)


async def test_a_user_without_a_password_is_told_how_to_get_one(world: CrmWorld) -> None:
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "bob", "anything")
        assert "crm-tui users password bob" in status(app)
        assert app.screen.query_one("#sign-in-name", Input).has_focus
        nothing_from_the_database(app)


async def test_a_deactivated_user_is_refused(world: CrmWorld) -> None:
    bob = world.bob
    set_password(world.ana, bob.id, hash_password("bobpw"))
    update_user(world.ana, bob.id, active=False)
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "bob", "nope")
        assert status(app) == "Wrong user name or password."
        await pilot.press(*"bobpw", "enter")  # the name stays; the password is right
        await settle(pilot)
        assert "deactivated" in status(app)
        nothing_from_the_database(app)


async def test_an_empty_database_says_nobody_can_sign_in_yet(database) -> None:
    app = make_app(database, None, watch=False, timing=DRIVEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "crm-tui users password NAME" in status(app)
        await sign_in(pilot, "admin", "admin")
        assert "crm-tui users password NAME" in status(app)
        assert not users.has_users()  # nobody was created


async def test_once_signed_in_it_is_the_users_own_app(world: CrmWorld) -> None:
    """Their language preference and their role, read from the database at sign-in."""
    bob = world.bob
    set_password(world.ana, bob.id, hash_password("bobpw"))
    preferences.set_language(bob, "fr")
    app = browser_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert i18n.language() == "en"  # nobody's preference before sign-in
        await sign_in(pilot, "bob", "bobpw")
        await wait_for(pilot, lambda: app.current_mode == "notes")
        assert i18n.language() == "fr"
        assert app.session.user is not None and app.session.user.role == "rep"
        await pilot.press("f4")  # Settings: for admins only
        await settle(pilot)
        assert app.current_mode == "notes"
