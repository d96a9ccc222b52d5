"""The command line applies the text rules: one line on stderr naming the field, exit 1,
nothing changed (on the engine of the run: PostgreSQL with ``CRM_TEST_DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_exchange_support import new_target, run_cli, snapshot, write


@pytest.fixture
def target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A database where Ana is the first user (an admin)."""
    target = new_target(tmp_path)
    assert run_cli(capsys, "--db", target, "--user", "ana", "users", "list").code == 0
    return target


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("u" * 100_000, "name: is 100,000 characters long; at most 200 are allowed"),
        ("Evil\x1b[31mRED", "name: contains the control character ␛ (U+001B) at character 5;"),
        ("Caf\udce9", "name: contains a byte that is not UTF-8 text at character 4"),
    ],
)
def test_users_add_refuses_a_name_breaking_the_rules(
    target: str, capsys: pytest.CaptureFixture[str], name: str, problem: str
) -> None:
    before = snapshot(target)
    result = run_cli(capsys, "--db", target, "--user", "ana", "users", "add", name)
    assert result.code == 1
    assert len(result.error_lines) == 1
    assert problem in result.err
    assert "\x1b" not in result.err
    assert snapshot(target) == before


def test_import_notes_refuses_a_nul_naming_line_and_column(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "notes.csv", "customer,body\nAcme,fine\nAcme,bad\x00cell\n")
    before = snapshot(target)
    result = run_cli(capsys, "--db", target, "--user", "ana", "import", "notes", path)
    assert result.code == 1
    assert 'line 3, column "body": contains a NUL character at character 4' in result.err
    assert snapshot(target) == before
