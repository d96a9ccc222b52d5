"""Issue 10, case 8: what used to end in "unexpected …" is one clear line, and changes nothing.

Each case runs ``crm_tui.cli.main`` and checks the exit status, the single line on stderr
(naming the value and what is accepted, never "unexpected"), that standard output is
empty or the output file absent, and that no table changed. SQLite, and PostgreSQL with
CRM_TEST_DATABASE_URL (the SQLite-only cases say so).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from pathlib import Path

import peewee
import pytest
from test_exchange_support import (
    EXAMPLE_SETTINGS,
    new_target,
    one_error,
    run_cli,
    snapshot,
    write,
)

import crm_tui.cli as cli
import crm_tui.db.database as database_module
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import customers_csv, notes_csv
from crm_tui.domain.query import NotePager
from tests.conftest import POSTGRES_URL

HUGE = "9" * 5000
sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="a SQLite file's own limits")
as_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False


@pytest.fixture
def team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with the example settings, Ana (admin) and one note."""
    target = new_target(tmp_path)
    result = run_cli(capsys, *as_ana(target, "settings", "import", EXAMPLE_SETTINGS))
    assert result.code == 0, result
    notes = write(tmp_path / "one.csv", "customer,body\nAcme,first note\n")
    assert run_cli(capsys, *as_ana(target, "import", "notes", notes)).code == 0
    return target


def as_ana(target: str, *argv: object) -> list[str]:
    return ["--db", target, "--user", "ana", *map(str, argv)]


def refused(capsys: pytest.CaptureFixture[str], target: str, *argv: object) -> str:
    """Run a command that must be refused: one line, no output, nothing changed."""
    before = snapshot(target)
    result = run_cli(capsys, *as_ana(target, *argv))
    line = one_error(result)
    assert "unexpected" not in line
    assert result.out == ""
    assert len(line) < 400, line  # a 5,000-digit value is cut, not printed whole
    assert snapshot(target) == before
    return line


# --- --limit and --where ---------------------------------------------------------------


def test_a_huge_limit_is_refused_before_the_first_byte(capsys, team: str) -> None:
    result = run_cli(capsys, *as_ana(team, "export", "notes", "--limit", "9" * 23))
    line = one_error(result)
    assert result.code == 2 and result.out == ""
    assert line.startswith(f"argument --limit: '{'9' * 23}' is out of range")
    assert "from 0 to 9223372036854775807" in line


def test_a_5000_digit_limit_is_cut_in_the_message(capsys, team: str) -> None:
    result = run_cli(capsys, *as_ana(team, "export", "notes", "--limit", HUGE))
    line = one_error(result)
    assert "(5000 characters) is out of range" in line and len(line) < 300


@pytest.mark.parametrize(
    ("op", "value"),
    [
        (">", "0001-01-01T00:00:00+05:00"),
        ("<", "9999-12-31T23:59:59-05:00"),
        ("=", "9999-12-31"),
    ],
)
def test_a_time_out_of_range_in_where(capsys, team: str, op: str, value: str) -> None:
    line = refused(capsys, team, "export", "notes", "--where", f"created_at{op}{value}")
    assert line.endswith(f"'{value}' is out of range: use a time from 0001-01-02 to 9999-12-30")


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (f"Employees>{HUGE}", "is too large (numbers up to ±1.8e308)"),
        (f"Deal value>{HUGE}", "is too large (amounts up to ±92233720368547758.07)"),
        (f"Estimated close date>{HUGE}", "is not a date (YYYY-MM-DD)"),
    ],
)
def test_a_5000_digit_number_in_where(capsys, team: str, where: str, expected: str) -> None:
    line = refused(capsys, team, "export", "notes", "--where", where)
    assert expected in line and "99999999…" in line


# --- CSV files ------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_out_of_range_in_a_csv(capsys, team: str, tmp_path: Path, stamp: str) -> None:
    source = write(
        tmp_path / "n.csv", f"customer,created_at\nAcme,2026-01-01T10:00:00\nX,{stamp}\n"
    )
    line = refused(capsys, team, "import", "notes", source)
    assert line == (
        f'{source} line 3, column "created_at": '
        f"'{stamp}' is out of range: use a time from 0001-01-02 to 9999-12-30"
    )


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("Employees", "is too large (numbers up to ±1.8e308)"),
        ("Deal value", "is too large (amounts up to ±92233720368547758.07)"),
        ("created_at", "is not a timestamp"),
    ],
)
def test_a_5000_digit_number_in_a_csv(
    capsys, team: str, tmp_path: Path, column: str, expected: str
) -> None:
    source = write(tmp_path / "n.csv", f"customer,{column}\nAcme,{HUGE}\n")
    line = refused(capsys, team, "import", "notes", source)
    assert line.startswith(f'{source} line 2, column "{column}": ')
    assert expected in line


def test_a_refusal_while_saving_a_customer_names_line_and_column(
    capsys, monkeypatch, team: str, tmp_path: Path
) -> None:
    def refuse(actor, name, email="", phone=""):
        if name == "Zeta":
            raise ValidationError("customer", "a name the rules refuse")
        return original(actor, name, email, phone)

    original = customers_csv.create_customer
    monkeypatch.setattr(customers_csv, "create_customer", refuse)
    source = write(tmp_path / "c.csv", "Customer,email\nNew one,a@b.c\nZeta,z@b.c\n")
    line = refused(capsys, team, "import", "customers", source)
    assert line == f'{source} line 3, column "Customer": a name the rules refuse'


# --- settings JSON --------------------------------------------------------------------


def test_json_nested_100000_deep(capsys, team: str, tmp_path: Path) -> None:
    source = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    line = refused(capsys, team, "settings", "import", source)
    assert line == f"{source}: lists or objects nested too deeply (a settings file has 5 levels)"


def test_a_5000_digit_number_in_settings_json(capsys, team: str, tmp_path: Path) -> None:
    source = write(
        tmp_path / "s.json",
        '{"statuses": [{"name": "A", "abbreviation": "A", "font_color": "#000000",\n'
        f' "background_color": "#FFFFFF", "in_sequence": {HUGE}}}]}}',
    )
    line = refused(capsys, team, "settings", "import", source)
    assert line == f"{source} line 2 column 48: the number 99999999… has 5000 digits (at most 30)"


# --- the database refuses to write ------------------------------------------------------


def import_file(tmp_path: Path, count: int = 1, body: str = "a note") -> Path:
    lines = "".join(f"Customer {n},{body}\n" for n in range(count))
    return write(tmp_path / "more.csv", "customer,body\n" + lines)


@sqlite_only
def test_a_read_only_database_says_so(capsys, monkeypatch, team: str, tmp_path: Path) -> None:
    before = snapshot(team)
    with monkeypatch.context() as patched:  # as SQLite opens a file it may not write
        patched.setitem(database_module.SQLITE_PRAGMAS, "query_only", 1)
        result = run_cli(capsys, *as_ana(team, "import", "notes", import_file(tmp_path)))
        settings = run_cli(capsys, *as_ana(team, "settings", "import", EXAMPLE_SETTINGS))
    for outcome in (result, settings):
        line = one_error(outcome)
        assert line.startswith("the database is read-only"), line
        assert line.endswith("nothing was changed")
    assert snapshot(team) == before


@sqlite_only
@pytest.mark.skipif(as_root, reason="root writes files whatever their permissions")
def test_a_database_file_without_write_permission(capsys, team: str, tmp_path: Path) -> None:
    before = snapshot(team)
    Path(team).chmod(0o444)
    try:
        line = one_error(run_cli(capsys, *as_ana(team, "import", "notes", import_file(tmp_path))))
    finally:
        Path(team).chmod(0o644)
    assert "the database is read-only" in line
    assert snapshot(team) == before


@sqlite_only
@pytest.mark.skipif(as_root, reason="root writes folders whatever their permissions")
def test_a_database_in_a_read_only_folder(capsys, team: str, tmp_path: Path) -> None:
    before = snapshot(team)
    folder = Path(team).parent
    for leftover in folder.glob("*.sqlite3-*"):
        leftover.unlink()
    folder.chmod(0o555)
    try:
        line = one_error(run_cli(capsys, *as_ana(team, "import", "notes", import_file(tmp_path))))
    finally:
        folder.chmod(0o755)
    assert "the database is read-only" in line
    assert snapshot(team) == before


@pytest.mark.skipif(not POSTGRES_URL, reason="a read-only PostgreSQL session")
def test_a_read_only_postgres_session_says_so(
    capsys, monkeypatch, team: str, tmp_path: Path
) -> None:
    before = snapshot(team)

    def read_only(target: str | None = None) -> peewee.Database:
        database = database_module.connect(target)
        database.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        return database

    monkeypatch.setattr(cli, "connect", read_only)
    line = one_error(run_cli(capsys, *as_ana(team, "import", "notes", import_file(tmp_path))))
    assert line.startswith("the database is read-only"), line
    assert snapshot(team) == before


@sqlite_only
@pytest.mark.parametrize(
    "command",
    [
        ("import", "notes"),
        ("demo", "--notes", "3000", "--force"),
        ("settings", "import"),
    ],
)
def test_a_full_disk_says_so_and_changes_nothing(
    capsys, monkeypatch, team: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    before = snapshot(team)
    with sqlite3.connect(team) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    argv: list[object] = list(command)
    if command[0] == "import":
        argv.append(import_file(tmp_path, count=3000, body="x" * 200))
    if command[0] == "settings":
        many = ",".join(
            f'{{"name": "Status {n} {"x" * 150}", "abbreviation": "S{n}",'
            ' "font_color": "#000000", "background_color": "#FFFFFF"}'
            for n in range(400)
        )
        argv.append(write(tmp_path / "big.json", f'{{"statuses": [{many}]}}'))
    with monkeypatch.context() as patched:  # a disk with room for 3 more pages of 4 KiB
        patched.setitem(database_module.SQLITE_PRAGMAS, "max_page_count", pages + 3)
        line = one_error(run_cli(capsys, *as_ana(team, *argv)))
    assert line.startswith("the disk is full"), line
    assert "nothing was changed" in line
    assert snapshot(team) == before


# --- export writes nothing when it fails -------------------------------------------------


def test_export_fails_before_its_first_byte(capsys, monkeypatch, team: str, tmp_path: Path) -> None:
    def failing(self, batch: int = 1000):
        raise peewee.OperationalError("canceling statement due to statement timeout")
        yield  # pragma: no cover

    monkeypatch.setattr(NotePager, "iter_rows", failing)
    line = refused(capsys, team, "export", "notes")
    assert line == "database error: canceling statement due to statement timeout"
    output = tmp_path / "out.csv"
    for fmt in ("csv", "json"):
        refused(capsys, team, "export", "notes", "--format", fmt, "--output", output)
        assert not output.exists()
        assert list(tmp_path.glob(".out.csv*")) == []


# --- genuine bugs, and hostile text in messages ------------------------------------------


def test_a_genuine_bug_asks_to_be_reported(capsys, monkeypatch, team: str) -> None:
    def broken(args):
        raise KeyError("column")

    monkeypatch.setitem(cli.COMMANDS, "export", broken)
    line = one_error(run_cli(capsys, *as_ana(team, "export", "notes")))
    assert line == (
        "unexpected KeyError: 'column' (a bug: please report it with the command you ran)"
    )


def test_control_characters_in_a_message_are_shown_not_sent(capsys, team: str) -> None:
    result = run_cli(capsys, *as_ana(team, "import", "notes", "/nowhere/\x1b]0;TITLE\x07.csv"))
    line = one_error(result)
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert line == "cannot read /nowhere/␛]0;TITLE␇.csv: No such file or directory"


class _FullDisk:
    """Standard output on a disk with no room left."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_export_onto_a_full_disk(capsys, monkeypatch, team: str) -> None:
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    line = one_error(run_cli(capsys, *as_ana(team, "export", "notes")))
    assert line == "cannot write the output: No space left on device"


def test_a_broken_csv_says_what_is_wrong_without_unexpected(
    capsys, team: str, tmp_path: Path
) -> None:
    source = write(tmp_path / "n.csv", 'customer,body\nAcme,"never closed\n')
    line = refused(capsys, team, "import", "notes", source)
    assert line == f'{source} line 2: not valid CSV: a quoted cell is never closed (a " is missing)'


@pytest.mark.parametrize("column", ["Customer", "Text"])
def test_a_text_rule_refusing_a_cell_names_its_line_and_column(
    capsys, team: str, tmp_path: Path, column: str
) -> None:
    """The text rules (length, control characters) refuse in the converters of each cell."""
    source = write(tmp_path / "n.csv", f"{column},Deal value\nAcme,1\nZeta\x00,2\n")
    if column == "Text":
        source = write(tmp_path / "n.csv", f"Customer,{column}\nAcme,fine\nZeta,bad\x00\n")
    line = refused(capsys, team, "import", "notes", source)
    assert line.startswith(f'{source} line 3, column "{column}": contains a NUL character')


def test_a_rule_checked_while_saving_names_the_file(
    capsys, monkeypatch, team: str, tmp_path: Path
) -> None:
    def too_many(database, seconds):
        raise ValidationError("created_at", "more than 1048576 notes created in the same second")

    monkeypatch.setattr(notes_csv, "allocate_note_ids", too_many)
    source = write(tmp_path / "n.csv", "customer\nAcme\n")
    line = refused(capsys, team, "import", "notes", source)
    assert line == f"{source}: created_at: more than 1048576 notes created in the same second"
