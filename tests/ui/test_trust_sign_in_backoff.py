"""Issue 10, case 10 in the app: the sign-in screen backs off by the domain's rule.

The wrong passwords are counted in the database, so the app sees the command line's
and the command line sees the app's. The retry timer is never waited for: the app runs
without it (``DRIVEN``), the domain's clock is fake and the timer's handler
(``allow_retry``) is called directly.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from textual.widgets import Input, Label

import crm_tui.cli as cli
import crm_tui.cli.sign_in as cli_sign_in
from crm_tui.db.models import User, database_proxy
from crm_tui.domain import users
from crm_tui.ui.app import CrmApp
from crm_tui.ui.screens.sign_in import SignInScreen
from tests.ui.pilot import DRIVEN, SIZE, make_app, settle, wait_for


class FakeClock:
    """The domain's UTC clock; moved by hand or by the command line's fake sleep."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 6, 12, 0, 0)
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(users, "utc_now", lambda: fake.now)
    monkeypatch.setattr(cli_sign_in, "sleep", fake.sleep)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    return fake


def status(app: CrmApp) -> str:
    return str(app.screen.query_one("#sign-in-status", Label).render())


def stored_failures(user_id: int) -> int:
    return User.get_by_id(user_id).failed_sign_ins


def cli_as_ana(
    database: peewee.SqliteDatabase, password: str, monkeypatch: pytest.MonkeyPatch
) -> int:
    """``crm-tui users list`` as ana on the app's database file (another process, as it were)."""
    monkeypatch.setenv("CRM_TUI_PASSWORD", password)
    code = cli.main(["--db", str(database.database), "--user", "ana", "users", "list"])
    database_proxy.initialize(database)  # the command line bound the models to its own
    return code


async def submit(pilot, password: str) -> None:
    field = pilot.app.screen.query_one(Input)
    field.value = password
    await pilot.press("enter")
    await settle(pilot)


async def test_the_app_waits_longer_after_the_third_wrong_password(
    sqlite_database: peewee.SqliteDatabase,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ana = users.create_user(None, "ana", password="pw")
    app = make_app(sqlite_database, ana, watch=False, timing=DRIVEN)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        field = screen.query_one(Input)
        for _ in range(3):  # typos cost nothing
            await submit(pilot, "nope")
            assert not field.disabled and field.value == ""
            assert status(app) == "Wrong password. Try again."
        await submit(pilot, "nope")
        assert status(app) == "Wrong password. Try again in 1 s."
        assert field.disabled
        await pilot.press(*"pw", "enter")  # typed while disabled: nothing is checked
        await settle(pilot)
        assert stored_failures(ana.id) == 4 and app.current_mode == "sign_in"
        screen.allow_retry()  # what the timer does, a second early: the domain refuses
        await submit(pilot, "pw")
        assert status(app) == "Too many wrong passwords. Try again in 1 s."
        assert field.disabled and field.value == "pw"
        assert stored_failures(ana.id) == 4
        clock.now += dt.timedelta(seconds=1)
        screen.allow_retry(clear=False)
        assert not field.disabled and field.value == "pw"
        await submit(pilot, "wrong again")
        assert status(app) == "Wrong password. Try again in 2 s."
        assert stored_failures(ana.id) == 5
        # The command line, meanwhile, waits the same 2 s before its check.
        assert cli_as_ana(sqlite_database, "nope", monkeypatch) == 1
        assert clock.slept == [2] and stored_failures(ana.id) == 6
        clock.now += dt.timedelta(seconds=4)
        screen.allow_retry()
        await submit(pilot, "pw")
        await wait_for(pilot, lambda: app.current_mode == "notes")
    assert stored_failures(ana.id) == 0
    assert cli_as_ana(sqlite_database, "pw", monkeypatch) == 0
    assert clock.slept == [2]


async def test_the_command_lines_failures_hold_the_app_back(
    sqlite_database: peewee.SqliteDatabase, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = users.create_user(None, "ana", password="pw")
    for _ in range(5):
        assert cli_as_ana(sqlite_database, "nope", monkeypatch) == 1
    assert clock.slept == [1]
    app = make_app(sqlite_database, ana, watch=False, timing=DRIVEN)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "pw")  # right, but the back-off of the command line runs
        assert status(app) == "Too many wrong passwords. Try again in 2 s."
        assert app.screen.query_one(Input).disabled
        assert app.current_mode == "sign_in"
        clock.now += dt.timedelta(seconds=2)
        app.screen.allow_retry(clear=False)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "notes")
    assert stored_failures(ana.id) == 0
