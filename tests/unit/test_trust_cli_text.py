"""The command line prints stored names for people with control characters visible
(``␛``), never raw; CSV and JSON output stays byte-exact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_exchange_support import EXAMPLE_NOTES, EXAMPLE_SETTINGS, new_target, opened, run_cli

from crm_tui.db.models import Customer, User
from crm_tui.domain.text import fold

HOSTILE_USER = "[b]Rob\x1b[0m\x1b]0;TITLE\x07"
HOSTILE_USER_SHOWN = "[b]Rob␛[0m␛]0;TITLE␇"
HOSTILE_CUSTOMER = "Evil\x1b[31mRED\x1b[0m Co"


@pytest.fixture
def hostile_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Ana (admin), Rob renamed with ESC and BEL, the example notes, Acme renamed too."""
    target = new_target(tmp_path)
    ana = ["--db", target, "--user", "ana"]
    assert run_cli(capsys, *ana, "settings", "import", EXAMPLE_SETTINGS).code == 0
    assert run_cli(capsys, *ana, "users", "add", "Rob").code == 0
    assert run_cli(capsys, *ana, "import", "notes", EXAMPLE_NOTES).code == 0
    with opened(target):  # an old database: written before names were checked
        User.update(name=HOSTILE_USER, name_key=fold(HOSTILE_USER)).where(
            User.name == "Rob"
        ).execute()
        Customer.update(name=HOSTILE_CUSTOMER, name_key=fold(HOSTILE_CUSTOMER)).where(
            Customer.name == "Acme Corp"
        ).execute()
    return target


def test_users_list_shows_escape_visibly(capsys, hostile_team: str) -> None:
    result = run_cli(capsys, "--db", hostile_team, "--user", "ana", "users", "list")
    assert result.code == 0
    assert "\x1b" not in result.out and "\x07" not in result.out
    header, *lines = result.out.splitlines()
    (rob,) = [line for line in lines if "rep" in line]
    assert rob.split() == [HOSTILE_USER_SHOWN, "rep", "no", "yes"]
    assert header.index("ROLE") == rob.index("rep")  # columns still line up


def test_messages_naming_a_user_show_escape_visibly(capsys, hostile_team: str) -> None:
    ana = ["--db", hostile_team, "--user", "ana"]
    result = run_cli(capsys, *ana, "users", "password", HOSTILE_USER, "--remove")
    assert result.code == 0, result
    assert result.out == f"{HOSTILE_USER_SHOWN} has no password now.\n"
    refused = run_cli(capsys, "--db", hostile_team, "--user", "x\x1b[2J", "users", "list")
    assert refused.code != 0
    assert "\x1b" not in refused.err  # the name typed is quoted, never sent raw


def test_csv_and_json_exports_stay_exact(capsys, hostile_team: str) -> None:
    ana = ["--db", hostile_team, "--user", "ana"]
    exported = run_cli(capsys, *ana, "export", "notes", "--where", "customer=" + HOSTILE_CUSTOMER)
    assert exported.code == 0, exported
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    assert rows and {row["customer"] for row in rows} == {HOSTILE_CUSTOMER}
    as_json = run_cli(capsys, *ana, "export", "notes", "--format", "json")
    assert as_json.code == 0, as_json
    customers = {note["customer"] for note in json.loads(as_json.out)}
    assert HOSTILE_CUSTOMER in customers
