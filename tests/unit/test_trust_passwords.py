"""Issue 10, case 10: wrong passwords back off on the command line as in the app.

Failures are counted per user in the database, so separate processes share the count:
after the third wrong password in a row each check waits longer (1 s, 2 s, 4 s … 30 s);
a right one resets the count. No test waits: the domain's clock (``users.utc_now``) and
the command line's ``sleep`` are replaced, and the fake sleep moves the fake clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee
import pytest
from test_db_snapshot import dump_tables, refused
from test_exchange_support import new_target, opened, run_cli

import crm_tui.cli.sign_in as cli_sign_in
from crm_tui.db.models import User
from crm_tui.db.schema import schema_runner
from crm_tui.domain import users
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.permissions import require_signed_in

START = dt.datetime(2026, 12, 6, 12, 0, 0)


class FakeClock:
    """The domain's UTC clock, moved only by the fake ``sleep``."""

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=seconds)

    def later(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Fake time for the domain and the command line."""
    fake = FakeClock()
    monkeypatch.setattr(users, "utc_now", lambda: fake.now)
    monkeypatch.setattr(cli_sign_in, "sleep", fake.sleep)
    return fake


@pytest.fixture
def target(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database where ana (admin) has the password ``pw``; no terminal on stdin."""
    place = new_target(tmp_path)
    assert run_cli(capsys, "--db", place, "--user", "ana", "users", "list").code == 0
    with opened(place):
        ana = users.user_named("ana")
        users.set_password(ana, ana.id, users.hash_password("pw"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    return place


def run_as_ana(capsys, monkeypatch: pytest.MonkeyPatch, target: str, password: str):
    """``crm-tui users list`` as ana with ``password`` in CRM_TUI_PASSWORD."""
    monkeypatch.setenv("CRM_TUI_PASSWORD", password)
    return run_cli(capsys, "--db", target, "--user", "ana", "users", "list")


def failures(target: str) -> int:
    """Ana's wrong passwords in a row, as stored."""
    with opened(target):
        return User.get(User.name_key == "ana").failed_sign_ins


def test_the_rule_three_free_then_doubling_up_to_30_seconds() -> None:
    assert [users.retry_delay(n) for n in range(11)] == [0, 0, 0, 0, 1, 2, 4, 8, 16, 30, 30]
    assert users.retry_delay(10_000) == 30.0


def test_ten_wrong_passwords_on_the_command_line_wait_longer_each_time(
    capsys, monkeypatch: pytest.MonkeyPatch, target: str, clock: FakeClock
) -> None:
    for attempt in range(1, 11):
        result = run_as_ana(capsys, monkeypatch, target, "nope")
        assert result.code == 1
        assert result.error_lines[-1] == "crm-tui: error: wrong password for ana"
        expected_wait = users.retry_delay(attempt - 1)
        if expected_wait:
            assert result.error_lines[0] == (
                f"Wait {expected_wait:g} s: too many wrong passwords for ana."
            )
        else:
            assert len(result.error_lines) == 1
    assert clock.slept == [1, 2, 4, 8, 16, 30]
    assert failures(target) == 10


def test_a_right_password_resets_the_count(
    capsys, monkeypatch: pytest.MonkeyPatch, target: str, clock: FakeClock
) -> None:
    for _ in range(5):
        run_as_ana(capsys, monkeypatch, target, "nope")
    assert clock.slept == [1]
    right = run_as_ana(capsys, monkeypatch, target, "pw")
    assert right.code == 0 and "ana" in right.out
    assert right.error_lines == ["Wait 2 s: too many wrong passwords for ana."]
    assert clock.slept == [1, 2] and failures(target) == 0
    clock.slept.clear()
    for _ in range(4):  # three free mistakes again, and the fourth's own check
        assert run_as_ana(capsys, monkeypatch, target, "nope").code == 1
    assert clock.slept == []


def test_time_passed_since_the_last_failure_counts(
    capsys, monkeypatch: pytest.MonkeyPatch, target: str, clock: FakeClock
) -> None:
    for _ in range(6):
        run_as_ana(capsys, monkeypatch, target, "nope")
    assert clock.slept == [1, 2]
    clock.later(3)  # of the 4 s the next check waits
    run_as_ana(capsys, monkeypatch, target, "nope")
    assert clock.slept == [1, 2, 1]
    clock.later(3600)
    assert run_as_ana(capsys, monkeypatch, target, "pw").code == 0
    assert clock.slept == [1, 2, 1]


def test_the_count_is_shared_with_the_app_sign_in(
    capsys, monkeypatch: pytest.MonkeyPatch, target: str, clock: FakeClock
) -> None:
    """The app's check (``users.sign_in``) sees the command line's failures, and back."""
    for _ in range(4):
        run_as_ana(capsys, monkeypatch, target, "nope")
    with opened(target) as database:
        ana = users.user_named("ana")
        assert users.password_wait(ana.id) == 1.0
        before = dump_tables(database)
        error = refused(database, users.PasswordWait, lambda: users.sign_in(ana.id, "pw"))
        assert str(error) == "Wait 1 s: too many wrong passwords for ana."
        assert dump_tables(database) == before
        clock.later(1)
        assert users.sign_in(ana.id, "wrong") is None  # the app's fifth failure
        assert users.password_wait(ana.id) == 2.0
    result = run_as_ana(capsys, monkeypatch, target, "pw")
    assert result.code == 0
    assert clock.slept == [2]
    with opened(target):
        assert users.sign_in(ana.id, "pw") is not None
        assert users.password_wait(ana.id) == 0.0


def test_another_process_failing_meanwhile_is_waited_for_too(
    capsys, monkeypatch: pytest.MonkeyPatch, target: str, clock: FakeClock
) -> None:
    for _ in range(4):
        run_as_ana(capsys, monkeypatch, target, "nope")
    calls = 0
    real_check = users.check_password

    def racing_check(user_id: int, password: str) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:  # while this run slept, another process typed a wrong password
            assert real_check(user_id, "other") is False
        return real_check(user_id, password)

    monkeypatch.setattr(users, "check_password", racing_check)
    result = run_as_ana(capsys, monkeypatch, target, "pw")
    assert result.code == 0
    assert clock.slept == [1, 2]
    assert failures(target) == 0


def test_nobody_signed_in_changes_nothing(database: peewee.Database) -> None:
    from crm_tui.domain.customers import create_customer
    from crm_tui.domain.note_input import NoteInput
    from crm_tui.domain.notes import create_note
    from crm_tui.domain.settings import ensure_starter_settings
    from crm_tui.domain.undo import undo

    admin = users.create_user(None, "ana")
    ensure_starter_settings()
    assert require_signed_in(admin) is admin
    for call in (
        lambda: require_signed_in(None),
        lambda: create_customer(None, "Acme"),
        lambda: create_note(None, NoteInput(customer="Acme", body="x")),  # type: ignore[arg-type]
        lambda: undo(None),  # type: ignore[arg-type]
        lambda: users.remove_password(None, admin.id),  # type: ignore[arg-type]
    ):
        error = refused(database, PermissionDenied, call)
        assert "sign in" in str(error) or "not an admin" in str(error)


def test_migration_6_gives_existing_users_no_failure(tmp_path: Path) -> None:
    """A database of version 5 or older: its users get no failure and no wait."""
    place = new_target(tmp_path)
    with opened(place) as database:
        schema_runner(database).down(target="0006_sign_in_failures")
        assert "failed_sign_ins" not in {c.name for c in database.get_columns("user")}
        marker = "?" if isinstance(database, peewee.SqliteDatabase) else "%s"
        database.execute_sql(
            'INSERT INTO "user" (name, name_key, role, active, created_at)'
            f" VALUES ('Old', 'old', 'admin', {marker}, '2026-01-01 00:00:00')",
            (True,),
        )
    with opened(place) as database:  # opening migrates again
        assert "failed_sign_ins" in {c.name for c in database.get_columns("user")}
        old = users.user_named("Old")
        assert User.get_by_id(old.id).failed_sign_ins == 0
        assert User.get_by_id(old.id).last_failed_sign_in is None
        assert users.password_wait(old.id) == 0.0
