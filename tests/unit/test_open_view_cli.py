"""Issue 11: ``crm-tui --sort … --where … --search …`` opens the notes list that way.

An invalid view is refused before the screen opens, with ``export notes``'s message; a
user with a password has it checked right after sign-in (nothing is read before). Also
``--db`` into a folder that does not exist is refused (case 9).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_exchange_support import EXAMPLE_NOTES, EXAMPLE_SETTINGS, new_target, one_error, run_cli

import crm_tui.db.database as database_module
from crm_tui.db.database import ENV_DATABASE
from crm_tui.domain.query import NoteQuery, SortKey
from crm_tui.domain.settings import load_settings
from crm_tui.ui import app as app_module


@pytest.fixture
def team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with the example settings and notes; Ana is its admin (no password)."""
    target = new_target(tmp_path)
    for argv in (("settings", "import", EXAMPLE_SETTINGS), ("import", "notes", EXAMPLE_NOTES)):
        result = run_cli(capsys, "--db", target, "--user", "ana", *map(str, argv))
        assert result.code == 0, result
    return target


@pytest.fixture
def opened_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record each ``run_app`` call (the app is not run); the list of its arguments."""
    calls: list[dict[str, Any]] = []

    def fake_run_app(database: Any, user: Any, query: Any = None) -> str | None:
        calls.append({"user": user, "query": query})
        return None

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    return calls


def test_sort_where_search_open_the_app_on_that_view(
    team: str, capsys: pytest.CaptureFixture[str], opened_app: list[dict[str, Any]]
) -> None:
    result = run_cli(
        capsys,
        "--db",
        team,
        "--user",
        "ana",
        "--sort=-Estimated close date,customer",
        "--where",
        "Status=Prospect",
        "--search",
        " acme ",
    )
    assert (result.code, result.err) == (0, "")
    [call] = opened_app
    query = call["query"]
    assert isinstance(query, NoteQuery)  # checked before the app: a plain query
    close = next(v for v in load_settings().variables if v.name == "Estimated close date")
    assert query.sort == (SortKey(f"var:{close.id}", True), SortKey("customer", False))
    assert [(c.column, c.op) for c in query.conditions] == [("status", "=")]
    assert query.search == "acme"


def test_no_view_options_open_the_plain_list(
    team: str, capsys: pytest.CaptureFixture[str], opened_app: list[dict[str, Any]]
) -> None:
    assert run_cli(capsys, "--db", team, "--user", "ana").code == 0
    assert opened_app[0]["query"] is None


@pytest.mark.parametrize(
    "option",
    [
        ["--sort", "Nope"],
        ["--sort", "customer,customer"],
        ["--where", "Status=Nobody"],
        ["--where", "Estimated close date>soon"],
        ["--where", "no operator"],
    ],
)
def test_a_bad_view_is_refused_before_the_app_with_exports_message(
    team: str,
    capsys: pytest.CaptureFixture[str],
    opened_app: list[dict[str, Any]],
    option: list[str],
) -> None:
    exported = run_cli(capsys, "--db", team, "--user", "ana", "export", "notes", *option)
    opening = run_cli(capsys, "--db", team, "--user", "ana", *option)
    assert opening.code == exported.code == 1
    assert one_error(opening) == one_error(exported)
    assert opening.out == ""
    assert opened_app == []  # the screen never opened


def test_view_options_before_a_command_are_refused(
    team: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "--db", team, "--user", "ana", "--sort", "customer", "users", "list")
    assert result.code == 2
    assert "only open the app" in one_error(result)
    assert result.out == ""


def test_with_a_password_the_view_is_checked_after_sign_in(
    team: str,
    capsys: pytest.CaptureFixture[str],
    opened_app: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRM_TUI_NEW_PASSWORD", "secret")
    assert run_cli(capsys, "--db", team, "--user", "ana", "users", "password").code == 0
    result = run_cli(capsys, "--db", team, "--user", "ana", "--sort", "Nope")
    assert result.code == 0  # the app opened on its sign-in screen: nothing was read
    [call] = opened_app
    assert callable(call["query"])  # the app asks for it once the password is right


def test_the_app_closes_with_the_refusal_it_was_given(
    team: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refusing_app(database: Any, user: Any, query: Any = None) -> str | None:
        return "--sort 'Nope': unknown column"

    monkeypatch.setattr(app_module, "run_app", refusing_app)
    result = run_cli(capsys, "--db", team, "--user", "ana")
    assert result.code == 1
    assert one_error(result) == "--sort 'Nope': unknown column"


# --- --db into a folder that does not exist (case 9) ------------------------------------


def test_db_in_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "typo" / "crm.sqlite3"
    result = run_cli(capsys, "--db", target, "--user", "ana", "users", "list")
    assert result.code == 1
    assert one_error(result) == (
        f"cannot create {target}: folder {tmp_path / 'typo'} does not exist"
    )
    assert not (tmp_path / "typo").exists()


def test_the_environment_variable_is_held_to_the_same_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATABASE, str(tmp_path / "a" / "b" / "crm.sqlite3"))
    result = run_cli(capsys, "--user", "ana", "users", "list")
    assert "does not exist" in one_error(result)
    assert not (tmp_path / "a").exists()


def test_db_in_an_existing_folder_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new.sqlite3"
    assert run_cli(capsys, "--db", target, "--user", "ana", "users", "list").code == 0
    assert target.is_file()


def test_only_the_default_data_folder_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_folder = tmp_path / "home" / ".local" / "share" / "crm-tui"
    monkeypatch.delenv(ENV_DATABASE, raising=False)
    monkeypatch.setattr(database_module, "user_data_path", lambda *args, **kwargs: data_folder)
    assert run_cli(capsys, "--user", "ana", "users", "list").code == 0
    assert (data_folder / "crm.sqlite3").is_file()
