"""``crm-tui agenda`` and ``export notes --where callable=… / --sort local_time``, at a fixed
hour (the clock is frozen: ``crm_tui.clock.utc_now``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from cockpit_world import make_world
from test_exchange_support import new_target, one_error, opened, run_cli

from crm_tui import clock
from crm_tui.domain.exchange.columns import export_header
from crm_tui.domain.settings import load_settings

NOW = dt.datetime(2027, 1, 15, 14, 0)  # Friday: 09:00 in Toronto, 08:00 in Chicago (UTC+0)
TODAY = NOW.date()
START = dt.datetime(2027, 1, 4, 9, 0)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)


@pytest.fixture
def target(tmp_path: Path, frozen: None) -> str:
    """Ana (admin) and Rob (rep); Rob has open follow-ups at Toronto Co and Chicago Corp."""
    target = new_target(tmp_path)
    with opened(target):
        team = make_world()
        specs = [
            ("Toronto Co", "EST", "Prospect", "Rob", -2, "late toronto"),
            ("Chicago Corp", "CST", "", "Rob", -2, "late chicago, no status"),
            ("Toronto Co", "", "Done", "Rob", -1, "done: not in the agenda"),
            ("Chicago Corp", "", "Client", "Rob", 0, "today chicago"),
            ("Toronto Co", "", "Client", "Ana", 0, "ana's"),
            ("Nowhere Inc", "", "Client", "Rob", 2, "in two days"),
        ]
        for index, (customer, zone, status, assignee, offset, body) in enumerate(specs):
            team.note(
                customer,
                zone=zone,
                status=status,
                action="Call",
                assignee=assignee,
                follow_up=TODAY + dt.timedelta(days=offset),
                at=START + dt.timedelta(hours=index),
                body=body,
            )
    return target


def as_user(target: str, user: str, *argv: object) -> list[str]:
    return ["--db", target, "--user", user, *map(str, argv)]


def bodies(text: str) -> list[str]:
    return [row["body"] for row in csv.DictReader(io.StringIO(text))]


def test_agenda_lists_the_user_s_open_follow_ups_as_export_does(capsys, target: str) -> None:
    result = run_cli(capsys, *as_user(target, "rob", "agenda"))
    assert result.code == 0, result
    with opened(target):
        header = export_header(load_settings())
    assert result.out.splitlines()[0] == ",".join(header)
    assert bodies(result.out) == ["late chicago, no status", "late toronto", "today chicago"]
    assert result.err == ""


def test_agenda_days_ahead_and_json(capsys, target: str) -> None:
    result = run_cli(capsys, *as_user(target, "rob", "agenda", "--days", "2", "--format", "json"))
    assert result.code == 0, result
    rows = json.loads(result.out)
    assert [row["body"] for row in rows][-1] == "in two days"
    assert [row["follow_up"] for row in rows] == sorted(row["follow_up"] for row in rows)
    assert rows[0]["Time zone"] == "CST"


def test_agenda_for_someone_else(capsys, target: str) -> None:
    result = run_cli(capsys, *as_user(target, "ana", "agenda", "--for", "Rob"))
    assert bodies(result.out) == ["late chicago, no status", "late toronto", "today chicago"]
    assert bodies(run_cli(capsys, *as_user(target, "ana", "agenda")).out) == ["ana's"]
    assert bodies(run_cli(capsys, *as_user(target, "rob", "agenda", "--for", "rob")).out)
    refused = run_cli(capsys, *as_user(target, "rob", "agenda", "--for", "Ana"))
    assert (
        one_error(refused) == "Rob is not an admin: only admins can look at someone else's agenda"
    )
    assert refused.out == ""
    unknown = run_cli(capsys, *as_user(target, "rob", "agenda", "--for", "Zed"))
    assert one_error(unknown).startswith("Rob is not an admin")
    missing = run_cli(capsys, *as_user(target, "ana", "agenda", "--for", "Zed"))
    assert one_error(missing) == "no user named 'Zed'"


@pytest.mark.parametrize("days", ["-1", "x", "4000"])
def test_agenda_refuses_bad_days(capsys, target: str, days: str) -> None:
    result = run_cli(capsys, *as_user(target, "rob", "agenda", "--days", days))
    assert result.code == 2 and "--days" in one_error(result)


def test_export_callable_yes_and_no_split_the_notes(capsys, target: str) -> None:
    yes = run_cli(capsys, *as_user(target, "ana", "export", "notes", "--where", "callable=yes"))
    no = run_cli(capsys, *as_user(target, "ana", "export", "notes", "--where", "callable=no"))
    every = run_cli(capsys, *as_user(target, "ana", "export", "notes"))
    assert yes.code == no.code == 0
    assert bodies(yes.out) == ["ana's", "done: not in the agenda", "late toronto"]  # Toronto
    assert sorted(bodies(yes.out) + bodies(no.out)) == sorted(bodies(every.out))
    assert "in two days" in bodies(no.out)  # no zone known: not callable


def test_export_sorted_by_local_time(capsys, target: str) -> None:
    result = run_cli(capsys, *as_user(target, "ana", "export", "notes", "--sort", "local_time"))
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    customers = [row["customer"] for row in rows]
    assert customers == ["Toronto Co"] * 3 + ["Chicago Corp"] * 2 + ["Nowhere Inc"]


def test_help_says_who_is_callable(capsys) -> None:
    result = run_cli(capsys, "export", "--help")
    assert "callable=yes|no" in " ".join(result.out.split())
    assert "no time zone is not callable" in " ".join(result.out.split())
    agenda = run_cli(capsys, "agenda", "--help")
    assert "--for NAME" in agenda.out and "--days N" in agenda.out
