"""Issue 15: ``crm-tui --db TARGET --browser-session``, the app one browser tab runs.

It opens with nobody signed in: never ``--user`` (a usage error), never the login name
nor ``CRM_TUI_PASSWORD``, and it creates no user.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from test_exchange_support import new_target, one_error, opened, run_cli

from crm_tui.cli.parser import BROWSER_SESSION_OPTION, build_parser
from crm_tui.domain.users import create_user, has_users, list_users
from crm_tui.ui import app as app_module
from crm_tui.ui.app import CrmApp


@pytest.fixture
def target(tmp_path: Path) -> str:
    return new_target(tmp_path)


@pytest.fixture
def opened_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record each ``run_app`` call (the app is not run)."""
    calls: list[dict[str, Any]] = []

    def fake_run_app(database: Any, user: Any, query: Any = None) -> str | None:
        calls.append({"user": user, "query": query, "users": list_users()})
        return None

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    return calls


def test_the_option_is_hidden_from_help() -> None:
    assert BROWSER_SESSION_OPTION == "--browser-session"
    assert BROWSER_SESSION_OPTION not in build_parser().format_help()


def test_with_user_it_is_a_usage_error(
    target: str, capsys: pytest.CaptureFixture[str], opened_app: list[dict[str, Any]]
) -> None:
    result = run_cli(capsys, "--db", target, BROWSER_SESSION_OPTION, "--user", "ana")
    assert result.code == 2
    assert one_error(result).startswith("--browser-session cannot be given with --user")
    assert opened_app == []


def test_with_a_command_it_is_a_usage_error(
    target: str, capsys: pytest.CaptureFixture[str], opened_app: list[dict[str, Any]]
) -> None:
    result = run_cli(capsys, "--db", target, BROWSER_SESSION_OPTION, "users", "list")
    assert result.code == 2
    assert one_error(result).startswith("--browser-session opens the app")
    assert opened_app == []


def test_nobody_is_signed_in_nor_created_whatever_the_environment_says(
    target: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    opened_app: list[dict[str, Any]],
) -> None:
    monkeypatch.setenv("CRM_TUI_PASSWORD", "s3cret")
    monkeypatch.setenv("USER", "ana")
    result = run_cli(capsys, "--db", target, BROWSER_SESSION_OPTION)
    assert (result.code, result.err) == (0, "")
    [call] = opened_app
    assert call["user"] is None
    assert call["users"] == []  # the empty database stays without users
    with opened(target):
        assert not has_users()


def test_the_command_line_opens_the_sign_in_by_name(
    target: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: the app run_app builds asks the name, then the password."""
    with opened(target):
        ana = create_user(None, "ana", password="s3cret")
    signed_in: list[str] = []

    async def drive(app: CrmApp) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"ana", "enter", *"s3cret", "enter")
            for _ in range(200):
                if app.current_mode == "notes":
                    break
                await pilot.pause()
                await app.workers.wait_for_complete()
            if app.session.user is not None:
                signed_in.append(app.session.user.name)

    def driven_run_app(database: Any, user: Any, query: Any = None) -> str | None:
        asyncio.run(drive(CrmApp(database, user, query=query, watch=False)))
        return None

    monkeypatch.setattr(app_module, "run_app", driven_run_app)
    monkeypatch.setenv("CRM_TUI_PASSWORD", "wrong")  # ignored
    result = run_cli(capsys, "--db", target, BROWSER_SESSION_OPTION)
    assert (result.code, result.err) == (0, "")
    assert signed_in == [ana.name]


def test_a_passwordless_user_is_told_a_command_to_copy(target: str) -> None:
    """The hint's command quotes a name with a space, so it can be pasted into a shell."""
    from crm_tui.domain.errors import PermissionDenied
    from crm_tui.domain.users import sign_in_by_name

    with opened(target):
        admin = create_user(None, "admin", password="s3cret")
        create_user(admin, "Camille Roy")
        with pytest.raises(PermissionDenied) as refused:
            sign_in_by_name("Camille Roy", "anything")
    assert str(refused.value).endswith("crm-tui users password 'Camille Roy'")
