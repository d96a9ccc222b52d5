"""Helpers shared by the command-line, exchange and demo tests.

``new_target`` gives a database for ``crm-tui --db`` (a SQLite file, or the PostgreSQL test
database when ``CRM_TEST_DATABASE_URL`` is set); ``run_cli`` runs ``main`` and captures
its output; ``snapshot`` reads every table through a connection of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import peewee
import pytest
from test_db_snapshot import Snapshot, dump_tables

from crm_tui.cli import main
from crm_tui.db.database import connect
from tests.conftest import POSTGRES_URL, reset_postgres

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE_SETTINGS = DATA / "example_settings.json"
EXAMPLE_NOTES = DATA / "example_notes.csv"
FRENCH_SETTINGS = DATA / "settings_fr.json"
FRENCH_NOTES = DATA / "notes_fr.csv"


@dataclass(frozen=True)
class CliResult:
    """What one run of ``crm-tui`` did."""

    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        """The non-empty lines written on stderr."""
        return [line for line in self.err.splitlines() if line.strip()]


def new_target(tmp_path: Path) -> str:
    """An empty database for ``--db``: PostgreSQL when the run is for it, else a file."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return str(tmp_path / "crm.sqlite3")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> CliResult:
    """Run ``crm-tui ARGV`` in-process; returns the exit status and captured output."""
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


@contextmanager
def opened(target: str) -> Iterator[peewee.Database]:
    """A connection of its own to ``target``, with the models bound to it."""
    database = connect(target)
    try:
        yield database
    finally:
        database.close()


def snapshot(target: str) -> Snapshot:
    """Every row of every table of ``target``."""
    with opened(target) as database:
        return dump_tables(database)


def one_error(result: CliResult) -> str:
    """The single ``crm-tui: error: …`` line of a failed run (asserting there is one)."""
    assert result.code != 0, result
    assert len(result.error_lines) == 1, result.err
    line = result.error_lines[0]
    assert line.startswith("crm-tui: error: "), line
    assert "Traceback" not in result.err
    return line.removeprefix("crm-tui: error: ")


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    """Write a UTF-8 fixture file (optionally with a byte-order mark); returns its path."""
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path
