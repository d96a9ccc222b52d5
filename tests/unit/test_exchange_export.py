"""Notes export: columns, formats, sort/filter/search as the list, and the CSV round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import peewee
import pytest
from test_exchange_support import (
    EXAMPLE_NOTES,
    EXAMPLE_SETTINGS,
    FRENCH_NOTES,
    FRENCH_SETTINGS,
    write,
)

from crm_tui.domain import users
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.export import build_query, export_notes
from crm_tui.domain.exchange.notes_csv import import_notes_csv
from crm_tui.domain.exchange.settings_json import import_settings_json
from crm_tui.domain.settings import load_settings
from crm_tui.records import UserInfo
from tests.conftest import open_test_database

TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 10, 0, 0)
# Two more lines for notes_fr.csv (same columns): quotes in a name, a text value on two
# lines, spaces around a body.
EXTRA_LINES = (
    '"deux\nlignes","  Texte avec espaces au début","L\'Épicerie ""Chez Zoé""",,APL,,,'
    "2026-11-09T09:00:00,C,,,,\n"
    ",Corps avec des espaces à la fin   ,Émile Zola,,,,,2026-11-10T09:00:00,,,,,\n"
)


def exported(fmt: str = "csv", **query: object) -> str:
    settings = load_settings()
    stream = io.StringIO()
    export_notes(
        stream, settings, build_query(settings, today=TODAY, **query), format=fmt, today=TODAY
    )
    return stream.getvalue()


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def setup_team(settings_file: Path) -> UserInfo:
    ana = users.create_user(None, "Ana")
    import_settings_json(ana, settings_file)
    users.create_user(ana, "Émile", role="rep")
    return ana


@pytest.fixture
def example(database: peewee.Database) -> UserInfo:
    ana = setup_team(EXAMPLE_SETTINGS)
    import_notes_csv(ana, EXAMPLE_NOTES, now=NOW)
    return ana


def test_the_header_has_every_variable_in_order_archived_included(database) -> None:
    setup_team(FRENCH_SETTINGS)
    assert table(exported())[0] == [
        "customer",
        "action",
        "status",
        "assignee",
        "follow_up",
        "created_at",
        "body",
        "Fuseau horaire",
        "Date de clôture estimée",
        "Montant",
        "Employés",
        "Épicerie",
        "Ancien code",
    ]


def test_the_default_order_is_newest_first(example: UserInfo) -> None:
    rows = table(exported())
    assert [row[0] for row in rows[1:]] == [
        "Zeta Foods",
        "Northwind Traders",
        "Béatrice Lefèvre",
        "Acme Corp",
    ]
    assert rows[2] == [
        "Northwind Traders",
        "Send sample",
        "Client",
        "",
        "2026-11-20",
        "2026-11-05T10:40:00",
        "Sample shipped.\nFollow up next week.",
        "PST",
        "2026-12-01",
        "800.50",
        "35",
        "",
    ]


def test_sort_by_dropdown_order_then_date_descending_blanks_last(example: UserInfo) -> None:
    rows = table(exported(sort="Time zone,-Estimated close date"))
    assert [(row[0], row[7], row[8]) for row in rows[1:]] == [
        ("Northwind Traders", "PST", "2026-12-01"),
        ("Acme Corp", "EST", "2027-01-15"),
        ("Béatrice Lefèvre", "EST", ""),
        ("Zeta Foods", "", ""),
    ]


def test_descending_keeps_blanks_last(example: UserInfo) -> None:
    rows = table(exported(sort="-Deal value"))
    assert [row[9] for row in rows[1:]] == ["12500.00", "800.50", "", ""]


def test_text_sorts_ignoring_case_and_accents(database: peewee.Database, tmp_path: Path) -> None:
    ana = setup_team(EXAMPLE_SETTINGS)
    names = ["Eric", "zack", "Émile", "Zoé", "Emma", "bruno", "Émilie"]
    lines = "".join(f"{name},2026-11-0{i + 1}T09:00:00,{name}\n" for i, name in enumerate(names))
    import_notes_csv(ana, write(tmp_path / "n.csv", "customer,created_at,Segment\n" + lines))
    expected = ["bruno", "Émile", "Émilie", "Emma", "Eric", "zack", "Zoé"]
    assert [row[0] for row in table(exported(sort="customer"))[1:]] == expected
    assert [row[11] for row in table(exported(sort="-segment"))[1:]] == expected[::-1]


def test_where_and_search(example: UserInfo) -> None:
    where = ["Time zone=EST", "Employees>=10"]
    assert [row["customer"] for row in json.loads(exported("json", where=where))] == ["Acme Corp"]
    assert [r["customer"] for r in json.loads(exported("json", where=["status!=Client"]))] == [
        "Zeta Foods",
        "Béatrice Lefèvre",
        "Acme Corp",
    ]
    assert [r["customer"] for r in json.loads(exported("json", search="ORGANIC"))] == [
        "Béatrice Lefèvre"
    ]
    assert [r["customer"] for r in json.loads(exported("json", search="northwind"))] == [
        "Northwind Traders"
    ]
    overdue = json.loads(exported("json", where=["overdue=yes"]))
    assert [r["customer"] for r in overdue] == ["Northwind Traders"]  # due 2026-11-20


def test_json_values_are_typed(example: UserInfo) -> None:
    acme = json.loads(exported("json", where=["customer=acme corp"]))
    assert acme == [
        {
            "customer": "Acme Corp",
            "action": "Call",
            "status": "Prospect",
            "assignee": None,
            "follow_up": "2026-12-03",
            "created_at": "2026-11-02T09:15:00",
            "body": "Asked for a quote on 200 units.",
            "Time zone": "EST",
            "Estimated close date": "2027-01-15",
            "Deal value": "12500.00",
            "Employees": 120,
            "Segment": "Retail",
        }
    ]
    assert exported("json", where=["customer=acme corp", "status=Done"]) == "[]\n"


def test_limit(example: UserInfo) -> None:
    settings = load_settings()
    stream = io.StringIO()
    count = export_notes(stream, settings, build_query(settings, today=TODAY), limit=2, today=TODAY)
    assert count == 2
    assert len(table(stream.getvalue())) == 3
    stream = io.StringIO()
    assert export_notes(stream, settings, build_query(settings, today=TODAY), limit=0) == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sort": "Colour"}, "--sort 'Colour': Colour: unknown column; columns are: customer"),
        ({"sort": "status,STATUS"}, "--sort 'status,STATUS': sort: 'STATUS' appears twice"),
        ({"where": ["Deal value"]}, "--where 'Deal value': filter: 'Deal value' has no comparison"),
        ({"where": ["Segment<x"]}, "--where 'Segment<x': Segment: < needs a column with an order"),
        ({"where": ["Estimated close date=2026-02-30"]}, "'2026-02-30' is not a real date"),
    ],
)
def test_bad_queries_are_refused(example: UserInfo, query: dict, expected: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        build_query(load_settings(), today=TODAY, **query)
    assert expected in str(caught.value)


def test_round_trip_through_an_empty_database(database: peewee.Database, tmp_path: Path) -> None:
    ana = setup_team(FRENCH_SETTINGS)
    source = write(
        tmp_path / "source.csv", FRENCH_NOTES.read_text(encoding="utf-8-sig") + EXTRA_LINES
    )
    assert import_notes_csv(ana, source, now=NOW).notes == 9
    first_csv, first_json = exported(), exported("json")
    rows = table(first_csv)
    assert rows[1][0] == "Émile Zola"
    assert rows[1][6] == "Corps avec des espaces à la fin"
    assert rows[2][:3] == ['L\'Épicerie "Chez Zoé"', "Appel", ""]
    assert rows[2][6] == "  Texte avec espaces au début"  # kept, as the editor keeps it
    assert rows[2][11] == "deux\nlignes"
    first = write(tmp_path / "first.csv", first_csv)

    empty = tmp_path / "second"
    empty.mkdir()
    second_database = open_test_database(empty)
    try:
        ana = setup_team(FRENCH_SETTINGS)
        assert import_notes_csv(ana, first, now=NOW).notes == 9
        assert exported() == first_csv
        assert exported("json") == first_json
        assert exported(sort="Fuseau horaire,-Montant,customer") == exported(
            sort="Fuseau horaire,-Montant,customer"
        )
    finally:
        second_database.close()
