"""Reliability on one shared database: the change watcher, parallel imports, a killed import.

The watcher tests run on SQLite and, with ``CRM_TEST_DATABASE_URL``, on PostgreSQL; the
process tests are about SQLite files (several processes on one file).
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from crm_tui.db.change_watch import Snapshot, kinds_of, parse_payload
from crm_tui.db.database import connect
from crm_tui.domain.notes import NoteInput, create_note, update_note
from crm_tui.domain.settings import ensure_starter_settings, load_settings, update_badge
from crm_tui.domain.users import create_user
from crm_tui.domain.views import set_hidden_columns
from crm_tui.domain.watch import NOTES, SETTINGS, ChangeWatcher, watcher_for
from crm_tui.records import UserInfo

ROOT = Path(__file__).resolve().parents[2]


# --- the watcher ------------------------------------------------------------------------


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """An admin in a database with the starter settings."""
    user = create_user(None, "ana")
    ensure_starter_settings()
    return user


@pytest.fixture
def watcher(database: peewee.Database, admin: UserInfo) -> Iterator[ChangeWatcher]:
    """A watcher of the test database, on a connection of its own."""
    watching = watcher_for(database)
    yield watching
    watching.close()


def reported(watcher: ChangeWatcher, rounds: int = 10) -> set[str]:
    """Every kind the watcher reports within ``rounds`` waits of 0.1 s (at most 1 s)."""
    kinds: set[str] = set()
    for _ in range(rounds):
        kinds |= watcher.wait(0.1)
    return kinds


def test_a_note_saved_elsewhere_is_reported_once(watcher: ChangeWatcher, admin) -> None:
    assert reported(watcher, 3) == set()
    create_note(admin, NoteInput("Acme", body="from another process"))
    assert reported(watcher) == {NOTES}
    assert reported(watcher, 3) == set()  # told once


def test_a_settings_change_is_told_apart_from_notes(watcher: ChangeWatcher, admin) -> None:
    status = load_settings().statuses[0]
    update_badge(admin, "status", status.id, background_color="#123456")
    assert reported(watcher) == {SETTINGS}


def test_own_changes_already_refreshed_are_not_reported(watcher: ChangeWatcher, admin) -> None:
    note_id = create_note(admin, NoteInput("Acme", body="mine"))
    watcher.own_change(frozenset({NOTES}))  # the app refreshes its lists after this
    assert reported(watcher, 5) == set()
    update_note(admin, note_id, NoteInput("Acme", body="theirs, later"))
    assert reported(watcher) == {NOTES}


def test_a_preference_is_not_a_change_of_the_lists(watcher: ChangeWatcher, admin) -> None:
    set_hidden_columns(admin, {"assignee"})
    assert reported(watcher, 5) == set()


def test_tables_and_entities_map_to_kinds() -> None:
    assert kinds_of({"note", "customer", "user"}) == {NOTES}
    assert kinds_of({"option"}) == {SETTINGS}
    assert kinds_of({"from a newer version"}) == {NOTES, SETTINGS}
    assert parse_payload("note_value:1234") == ("note_value", 1234)
    assert parse_payload("note") == ("note", None)


def test_a_snapshot_sees_transactions_ended_before_it() -> None:
    snapshot = Snapshot.parse("100:105:101,103")
    assert [snapshot.saw(x) for x in (99, 100, 101, 102, 103, 104, 105)] == [
        True, True, False, True, False, True, False,
    ]  # fmt: skip


# --- several processes on one SQLite file -----------------------------------------------

COLUMNS = ["customer", "action", "status", "assignee", "follow_up", "created_at", "body"]


def write_notes_csv(path: Path, count: int, tag: str) -> Path:
    """A notes CSV of ``count`` notes whose text starts with ``tag``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for number in range(count):
            out.writerow(
                [
                    f"{tag} customer {number % 97}",
                    "Call",
                    "Prospect",
                    "",
                    "2026-12-01",
                    f"2026-11-{1 + number % 28:02d}T{number % 24:02d}:{number % 60:02d}:00",
                    f"{tag} note {number}: asked for a quote",
                ]
            )
    return path


def crm(db: Path, user: str, *args: str) -> list[str]:
    """The command line ``crm-tui --db DB --user USER ARGS…`` as run by a user."""
    return [sys.executable, "-m", "crm_tui", "--db", str(db), "--user", user, *args]


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    """A SQLite file with four users and the starter settings, closed again."""
    path = tmp_path / "team.sqlite3"
    db = connect(str(path))
    ana = create_user(None, "ana")
    for name in ("bob", "cy", "dee"):
        create_user(ana, name, role="rep")
    ensure_starter_settings()
    db.close()
    return path


def count_notes(path: Path, where: str = "") -> int:
    with sqlite3.connect(path) as raw:
        return raw.execute(f"SELECT COUNT(*) FROM note {where}").fetchone()[0]


def test_four_processes_import_into_one_file_at_once(team_file: Path, tmp_path: Path) -> None:
    users = ("ana", "bob", "cy", "dee")
    files = {user: write_notes_csv(tmp_path / f"{user}.csv", 500, user) for user in users}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            crm(team_file, user, "import", "notes", str(files[user])),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for user in users
    ]
    results = [process.communicate(timeout=120) for process in processes]
    problems = [err for (_out, err), p in zip(results, processes, strict=True) if p.returncode != 0]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], problems
    assert count_notes(team_file) == 2000
    for user in users:
        assert count_notes(team_file, f"WHERE body LIKE '{user} note %'") == 500
    with sqlite3.connect(team_file) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_import_killed_midway_leaves_all_or_nothing(team_file: Path, tmp_path: Path) -> None:
    notes = 60_000
    source = write_notes_csv(tmp_path / "big.csv", notes, "big")
    wal = Path(f"{team_file}-wal")
    process = subprocess.Popen(
        crm(team_file, "ana", "import", "notes", str(source)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        # Writing has started once the uncommitted import spills pages into the WAL.
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > 1_000_000:
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.01)  # or until the import ends on its own
        killed_midway = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    with sqlite3.connect(team_file) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    imported = count_notes(team_file, "WHERE body LIKE 'big note %'")
    assert imported in (0, notes)
    if killed_midway:
        assert imported == 0
    assert count_notes(team_file) == imported
