"""The command line: every command, its messages, exit statuses and what it leaves behind."""

from __future__ import annotations

import csv
import getpass
import importlib.util
import io
import json
from pathlib import Path

import pytest
from test_exchange_support import (
    EXAMPLE_NOTES,
    EXAMPLE_SETTINGS,
    new_target,
    one_error,
    opened,
    run_cli,
    snapshot,
    write,
)

import crm_tui.cli as cli
from crm_tui.db.models import Customer, Note, Status, User
from crm_tui.domain import users
from crm_tui.domain.settings import load_settings


@pytest.fixture
def cli_target(tmp_path: Path) -> str:
    """An empty database for ``--db``."""
    return new_target(tmp_path)


@pytest.fixture
def team(cli_target: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with the example settings, Ana (admin, first user) and Rob (rep)."""
    result = run_cli(
        capsys, "--db", cli_target, "--user", "ana", "settings", "import", EXAMPLE_SETTINGS
    )
    assert result.code == 0, result
    assert run_cli(capsys, "--db", cli_target, "--user", "ana", "users", "add", "Rob").code == 0
    return cli_target


def as_ana(target: str, *argv: object) -> list[str]:
    return ["--db", target, "--user", "ana", *map(str, argv)]


# --- the parser ------------------------------------------------------------------------


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "--help")
    assert result.code == 0
    for command in ("demo", "settings", "import", "export", "users", "serve"):
        assert f"    {command} " in result.out
    assert "--db" in result.out and "--user" in result.out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "--version")
    assert (result.code, result.out.strip()) == (0, "crm-tui 0.1.0")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["export", "notes", "--limit", "x"], "argument --limit: 'x' is not a whole number"),
        (["export", "notes", "--limit", "-3"], "argument --limit"),
        (["export", "notes", "--format", "xml"], "invalid choice: 'xml'"),
        (["settings"], "required: ACTION"),
        (["users", "add"], "required: NAME"),
        (["import", "invoices", "x.csv"], "invalid choice: 'invoices'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    result = run_cli(capsys, *argv)
    assert result.code == 2
    message = one_error(result)
    assert expected in message
    assert "--help" in message


def test_global_options_go_before_the_command(capsys, cli_target: str) -> None:
    result = run_cli(capsys, "users", "list", "--db", cli_target)
    assert result.code == 2
    assert "unrecognized arguments: --db" in one_error(result)


# --- opening the database --------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_refused(capsys, tmp_path: Path) -> None:
    path = write(tmp_path / "notes.txt", "hello, I am text\n")
    result = run_cli(capsys, "--db", path, "users", "list")
    assert one_error(result) == f"{path} is not a SQLite database"
    assert path.read_text() == "hello, I am text\n"


def test_a_folder_is_refused(capsys, tmp_path: Path) -> None:
    result = run_cli(capsys, "--db", tmp_path, "users", "list")
    assert one_error(result) == f"{tmp_path} is a folder, not a database file"


@pytest.mark.skipif(
    importlib.util.find_spec("psycopg") is None,
    reason="needs the PostgreSQL driver: pip install '.[postgres]' (CI installs it)",
)
def test_an_unreachable_server_is_one_line(capsys) -> None:
    result = run_cli(capsys, "--db", "postgresql://nobody@127.0.0.1:1/none", "users", "list")
    assert "cannot reach the PostgreSQL server at 127.0.0.1:1" in one_error(result)


def test_the_database_comes_from_the_environment(capsys, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("CRM_TUI_DB", str(path))
    assert run_cli(capsys, "--user", "ana", "users", "list").code == 0
    assert path.exists()


def test_the_user_defaults_to_the_login_name(capsys, monkeypatch, cli_target: str) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "zoé")
    result = run_cli(capsys, "--db", cli_target, "users", "list")
    assert result.code == 0
    assert result.out.splitlines()[1].split() == ["zoé", "admin", "no", "yes"]


# --- users -----------------------------------------------------------------------------


def test_the_first_user_is_an_admin_and_adds_reps(capsys, team: str) -> None:
    result = run_cli(capsys, *as_ana(team, "users", "list"))
    assert result.code == 0
    lines = [line.split() for line in result.out.splitlines()]
    assert lines == [
        ["NAME", "ROLE", "PASSWORD", "ACTIVE"],
        ["ana", "admin", "no", "yes"],
        ["Rob", "rep", "no", "yes"],
    ]


def test_users_add_with_a_role_and_a_password(capsys, monkeypatch, team: str) -> None:
    monkeypatch.setenv("CRM_TUI_NEW_PASSWORD", "s3cret")
    result = run_cli(
        capsys, *as_ana(team, "users", "add", "Émile", "--role", "admin", "--password")
    )
    assert (result.code, result.out.strip()) == (0, "Added Émile (admin).")
    with opened(team):
        emile = users.find_user("emile")
        assert emile is not None and emile.role == "admin" and emile.has_password
        assert users.verify_password(emile.id, "s3cret")


def test_users_add_refuses_a_duplicate_name(capsys, team: str) -> None:
    before = snapshot(team)
    result = run_cli(capsys, *as_ana(team, "users", "add", "ROB"))
    assert one_error(result) == "name: a user named 'ROB' exists already"
    assert snapshot(team) == before


def test_a_rep_cannot_add_users(capsys, team: str) -> None:
    before = snapshot(team)
    result = run_cli(capsys, "--db", team, "--user", "rob", "users", "add", "Zoé")
    assert one_error(result) == "Rob is not an admin: only admins can add users"
    assert snapshot(team) == before


def test_an_unknown_user_is_told_how_to_be_added(capsys, team: str) -> None:
    result = run_cli(capsys, "--db", team, "--user", "mallory", "users", "list")
    assert "no user named 'mallory'" in one_error(result)
    assert "crm-tui users add mallory" in one_error(result)


def test_a_new_password_needs_a_terminal_or_the_variable(capsys, monkeypatch, team: str) -> None:
    monkeypatch.delenv("CRM_TUI_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    before = snapshot(team)
    result = run_cli(capsys, *as_ana(team, "users", "add", "Zoé", "--password"))
    assert "CRM_TUI_NEW_PASSWORD" in one_error(result)
    assert snapshot(team) == before


@pytest.fixture
def guarded(capsys, monkeypatch, team: str) -> str:
    """The team database, where Ana now has the password ``pw``."""
    with opened(team):
        ana = users.find_user("ana")
        assert ana is not None
        users.set_password(ana, ana.id, users.hash_password("pw"))
    monkeypatch.delenv("CRM_TUI_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    return team


def test_a_password_is_required_without_a_terminal(capsys, guarded: str) -> None:
    result = run_cli(capsys, *as_ana(guarded, "users", "list"))
    assert one_error(result) == (
        "ana has a password: set CRM_TUI_PASSWORD, or run the command in a terminal"
    )


def test_a_wrong_password_is_refused(capsys, monkeypatch, guarded: str) -> None:
    monkeypatch.setenv("CRM_TUI_PASSWORD", "nope")
    result = run_cli(capsys, *as_ana(guarded, "users", "list"))
    assert one_error(result) == "wrong password for ana"


def test_the_right_password_from_the_environment(capsys, monkeypatch, guarded: str) -> None:
    monkeypatch.setenv("CRM_TUI_PASSWORD", "pw")
    result = run_cli(capsys, *as_ana(guarded, "users", "list"))
    assert result.code == 0 and "ana" in result.out


def test_the_password_is_asked_in_a_terminal(capsys, monkeypatch, guarded: str) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or "pw")
    result = run_cli(capsys, *as_ana(guarded, "users", "list"))
    assert result.code == 0
    assert asked == ["Password for ana: "]


# --- settings --------------------------------------------------------------------------


def test_settings_export_then_import_elsewhere(capsys, team: str, tmp_path: Path) -> None:
    exported = tmp_path / "out.json"
    result = run_cli(capsys, *as_ana(team, "settings", "export", exported))
    assert result.code == 0
    assert result.out.strip() == f"Exported 5 statuses, 4 actions, 5 variables to {exported}."
    document = json.loads(exported.read_text(encoding="utf-8"))
    example = json.loads(EXAMPLE_SETTINGS.read_text(encoding="utf-8"))
    assert document["statuses"] == example["statuses"]
    assert document["variables"] == example["variables"]
    assert document["actions"] == [item | {"in_sequence": False} for item in example["actions"]]
    other = str(tmp_path / "other.sqlite3")
    assert run_cli(capsys, "--db", other, "--user", "zoé", "settings", "import", exported).code == 0
    again = tmp_path / "again.json"
    assert run_cli(capsys, "--db", other, "--user", "zoé", "settings", "export", again).code == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_settings_export_to_standard_output(capsys, team: str) -> None:
    result = run_cli(capsys, *as_ana(team, "settings", "export", "-"))
    assert result.code == 0
    assert [s["name"] for s in json.loads(result.out)["statuses"]][:2] == [
        "Prospect",
        "Awaiting approval",
    ]


def test_settings_import_is_idempotent(capsys, team: str) -> None:
    before = snapshot(team)
    result = run_cli(capsys, *as_ana(team, "settings", "import", EXAMPLE_SETTINGS))
    assert result.out.strip() == (
        f"Imported {EXAMPLE_SETTINGS}: 0 created, 0 updated, 18 unchanged."
    )
    assert snapshot(team) == before


def test_settings_import_into_a_new_database_takes_only_the_file(capsys, cli_target) -> None:
    result = run_cli(capsys, *as_ana(cli_target, "settings", "import", EXAMPLE_SETTINGS))
    assert result.out.strip() == (
        f"Imported {EXAMPLE_SETTINGS}: 18 created, 0 updated, 0 unchanged."
    )
    with opened(cli_target):
        settings = load_settings()
    assert [s.name for s in settings.statuses] == [
        "Prospect",
        "Awaiting approval",
        "Client",
        "No answer",
        "Done",
    ]


def test_other_commands_start_a_new_database_with_the_starter_set(capsys, cli_target) -> None:
    assert run_cli(capsys, *as_ana(cli_target, "users", "list")).code == 0
    with opened(cli_target):
        assert Status.select().count() == 8


def test_a_rep_cannot_export_settings_either(capsys, team: str, tmp_path: Path) -> None:
    result = run_cli(capsys, "--db", team, "--user", "rob", "settings", "export", tmp_path / "s")
    assert one_error(result) == "Rob is not an admin: only admins can export settings"
    assert not (tmp_path / "s").exists()


def test_a_rep_is_refused_settings_import(capsys, team: str) -> None:
    before = snapshot(team)
    result = run_cli(capsys, "--db", team, "--user", "Rob", "settings", "import", EXAMPLE_SETTINGS)
    assert one_error(result) == "Rob is not an admin: only admins can import settings"
    assert snapshot(team) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"statuses": [', "{path} line 1 column 15: not valid JSON: Expecting value"),
        ("", "{path} line 1 column 1: not valid JSON: Expecting value"),
        ('{"statuses": [{"name": "X", "abbreviation": "X", "font_color": "red",'
         ' "background_color": "#FFF"}]}',
         "{path}: statuses[0].font_color: 'red' is not a colour; use #RGB or #RRGGBB"),
    ],
)  # fmt: skip
def test_a_bad_settings_file_changes_nothing(
    capsys, team: str, tmp_path: Path, content: str, expected: str
) -> None:
    path = write(tmp_path / "settings.json", content)
    before = snapshot(team)
    result = run_cli(capsys, *as_ana(team, "settings", "import", path))
    assert one_error(result) == expected.format(path=path)
    assert snapshot(team) == before


def test_a_missing_settings_file(capsys, team: str, tmp_path: Path) -> None:
    result = run_cli(capsys, *as_ana(team, "settings", "import", tmp_path / "nope.json"))
    assert one_error(result) == f"cannot read {tmp_path / 'nope.json'}: No such file or directory"


def test_settings_export_into_a_missing_folder(capsys, team: str, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.json"
    result = run_cli(capsys, *as_ana(team, "settings", "export", target))
    assert one_error(result) == f"cannot write {target}: No such file or directory"
    assert not target.parent.exists()


# --- import and export -------------------------------------------------------------------


def test_import_notes_then_export_them(capsys, team: str, tmp_path: Path) -> None:
    result = run_cli(capsys, *as_ana(team, "import", "notes", EXAMPLE_NOTES))
    assert result.code == 0
    assert result.out.startswith(f"Imported 4 notes from {EXAMPLE_NOTES} (new customers: 4; ")
    output = tmp_path / "export.csv"
    result = run_cli(capsys, *as_ana(team, "export", "notes", "--output", output))
    assert result.out.strip() == f"Exported 4 notes to {output}."
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "customer,action,status,assignee,follow_up,created_at,body,"
        "Time zone,Estimated close date,Deal value,Employees,Segment"
    )
    assert lines[1].startswith("Zeta Foods,Call,No answer,,,2026-11-06T16:30:00,")


def test_export_sorted_and_filtered_as_the_spec_says(capsys, team: str) -> None:
    assert run_cli(capsys, *as_ana(team, "import", "notes", EXAMPLE_NOTES)).code == 0
    result = run_cli(
        capsys, *as_ana(team, "export", "notes", "--sort", "Time zone,-Estimated close date")
    )
    customers = [row[0] for row in csv.reader(io.StringIO(result.out))][1:]
    # PST first (the option order), then EST with a close date before EST without, then blank.
    assert customers == ["Northwind Traders", "Acme Corp", "Béatrice Lefèvre", "Zeta Foods"]
    result = run_cli(
        capsys,
        *as_ana(team, "export", "notes", "--where", "Time zone=EST", "--where", "Employees>=10"),
        "--format",
        "json",
    )
    assert [row["customer"] for row in json.loads(result.out)] == ["Acme Corp"]
    result = run_cli(
        capsys, *as_ana(team, "export", "notes", "--search", "organic", "--format"), "json"
    )
    assert [row["customer"] for row in json.loads(result.out)] == ["Béatrice Lefèvre"]
    result = run_cli(capsys, *as_ana(team, "export", "notes", "--sort=-Deal value", "--limit", "1"))
    assert result.out.splitlines()[1].startswith("Acme Corp,")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--sort", "Colour"], "--sort 'Colour': Colour: unknown column; columns are: customer"),
        (["--where", "Deal value>=abc"], "--where 'Deal value>=abc': Deal value: 'abc' is not"),
        (["--where", "status=Lost"], "--where 'status=Lost': Status: 'Lost' is not a status"),
    ],
)
def test_export_refuses_unknown_columns_and_values(capsys, team: str, argv, expected) -> None:
    result = run_cli(capsys, *as_ana(team, "export", "notes", *argv))
    assert one_error(result).startswith(expected)
    assert result.out == ""


def test_import_customers(capsys, team: str, tmp_path: Path) -> None:
    path = write(tmp_path / "customers.csv", "name,email,phone\nAcme,a@acme.test,555\n")
    result = run_cli(capsys, *as_ana(team, "import", "customers", path))
    assert result.out.strip() == (
        f"Imported customers from {path}: 1 created, 0 updated, 0 unchanged."
    )
    with opened(team):
        assert Customer.get(Customer.name == "Acme").email == "a@acme.test"


def test_a_bad_notes_csv_changes_nothing(capsys, team: str, tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes.csv",
        "customer,Deal value\nAcme,12.00\nAcme,1.50\nAcme,12.345\n",
    )
    before = snapshot(team)
    result = run_cli(capsys, *as_ana(team, "import", "notes", path))
    assert one_error(result) == (
        f"{path} line 4, column \"Deal value\": '12.345' has more than 2 decimals"
    )
    assert snapshot(team) == before


def test_an_unknown_column_is_named(capsys, team: str, tmp_path: Path) -> None:
    path = write(tmp_path / "notes.csv", "customer,Colour\nAcme,blue\n")
    result = run_cli(capsys, *as_ana(team, "import", "notes", path))
    assert one_error(result).startswith(f'{path} line 1: unknown column "Colour"')


def test_a_notes_file_that_cannot_be_read(capsys, team: str, tmp_path: Path) -> None:
    result = run_cli(capsys, *as_ana(team, "import", "notes", tmp_path))
    assert one_error(result) == f"cannot read {tmp_path}: Is a directory"


def test_a_binary_file_is_not_a_csv(capsys, team: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(b"customer\nAcme\n\xff\xfe\x00garbage\n")
    result = run_cli(capsys, *as_ana(team, "import", "notes", path))
    assert one_error(result) == f"{path} line 3: not UTF-8 text (save the file as UTF-8)"


# --- demo, serve, the app ----------------------------------------------------------------


def test_demo_fills_a_new_database(capsys, cli_target: str) -> None:
    result = run_cli(capsys, *as_ana(cli_target, "demo", "--notes", "300"))
    assert result.code == 0, result
    assert result.out.startswith("Demo data: 6 users, 30 customers, 300 notes (")
    result = run_cli(capsys, *as_ana(cli_target, "demo", "--notes", "1", "--force"))
    assert result.out.startswith("Demo data: 6 users, 1 customer, 1 note (")
    with opened(cli_target):
        assert Note.select().count() == 301
        assert User.get(User.name == "ana").role == "admin"


def test_demo_refuses_a_database_with_notes(capsys, team: str) -> None:
    assert run_cli(capsys, *as_ana(team, "import", "notes", EXAMPLE_NOTES)).code == 0
    before = snapshot(team)
    result = run_cli(capsys, *as_ana(team, "demo", "--notes", "10"))
    assert one_error(result) == (
        "this database has 4 notes already: the demo fills a new database "
        "(add --force to add demo notes anyway)"
    )
    assert snapshot(team) == before
    assert run_cli(capsys, *as_ana(team, "demo", "--notes", "10", "--force")).code == 0
    with opened(team):
        assert Note.select().count() == 14


def test_a_rep_cannot_run_the_demo(capsys, team: str) -> None:
    result = run_cli(capsys, "--db", team, "--user", "rob", "demo", "--notes", "5")
    assert (
        one_error(result) == "Rob is not an admin: only admins can fill the database with demo data"
    )


def test_no_command_opens_the_app(capsys, monkeypatch, team: str) -> None:
    opened_as: list[str] = []
    monkeypatch.setattr(
        "crm_tui.ui.app.run_app", lambda database, user, query=None: opened_as.append(user.name)
    )
    assert run_cli(capsys, "--db", team, "--user", "ROB").code == 0
    assert opened_as == ["Rob"]


def test_the_app_missing_is_one_line(capsys, monkeypatch, team: str) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "crm_tui.ui.app", None)
    result = run_cli(capsys, "--db", team, "--user", "ana")
    assert one_error(result).startswith("the terminal app cannot start: ")


def test_ctrl_c_exits_130_quietly(capsys, monkeypatch, team: str) -> None:
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "users", interrupted)
    result = run_cli(capsys, *as_ana(team, "users", "list"))
    assert (result.code, result.err) == (130, "")


def test_an_unexpected_error_is_still_one_line(capsys, monkeypatch, team: str) -> None:
    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(cli.COMMANDS, "users", broken)
    result = run_cli(capsys, *as_ana(team, "users", "list"))
    assert one_error(result) == (
        "unexpected ZeroDivisionError: division by zero"
        " (a bug: please report it with the command you ran)"
    )


def test_without_the_driver_a_postgres_url_names_the_extra(tmp_path: Path) -> None:
    """On a machine with only the README's install, a PostgreSQL URL says what to install."""
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None\n"
        "from crm_tui.cli import main\n"
        "sys.exit(main(['--db', 'postgresql://nobody@127.0.0.1:1/none', 'users', 'list']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "crm-tui: error: PostgreSQL support is not installed: pip install 'crm-tui[postgres]'"
    ]
