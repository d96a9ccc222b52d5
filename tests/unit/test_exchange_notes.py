"""Notes CSV import: columns, values, line numbers in errors, all-or-nothing, search index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, dump_tables, found, refused
from test_exchange_support import (
    EXAMPLE_NOTES,
    EXAMPLE_SETTINGS,
    FRENCH_NOTES,
    FRENCH_SETTINGS,
    write,
)

from crm_tui.db.models import Customer, Note, NoteValue
from crm_tui.domain import users
from crm_tui.domain.customers import create_customer
from crm_tui.domain.exchange import ExchangeError, notes_csv
from crm_tui.domain.exchange.notes_csv import import_notes_csv
from crm_tui.domain.exchange.settings_json import import_settings_json
from crm_tui.domain.ids import SEQUENCE_BITS, allocate_note_ids, second_of
from crm_tui.domain.notes import get_note
from crm_tui.domain.settings import load_settings
from crm_tui.records import UserInfo

NOW = dt.datetime(2026, 11, 29, 10, 0, 0)


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """Ana (admin) with the example settings, and Émile (rep)."""
    ana = users.create_user(None, "Ana")
    import_settings_json(ana, EXAMPLE_SETTINGS)
    users.create_user(ana, "Émile", role="rep")
    return ana


@pytest.fixture
def french(database: peewee.Database) -> UserInfo:
    """Ana (admin) with the French settings, and Émile (rep)."""
    ana = users.create_user(None, "Ana")
    import_settings_json(ana, FRENCH_SETTINGS)
    users.create_user(ana, "Émile", role="rep")
    return ana


def notes_in_order() -> list[Note]:
    return list(Note.select().order_by(Note.id.desc()))


def values_of(note_id: int) -> dict[str, str]:
    current = load_settings()
    detail = get_note(note_id, current)
    return {current.variable(vid).name: value.text for vid, value in detail.values.items()}


def test_the_example_file_imports(database: peewee.Database, admin: UserInfo) -> None:
    result = import_notes_csv(admin, EXAMPLE_NOTES, now=NOW)
    assert (result.notes, result.new_customers) == (4, 4)
    notes = notes_in_order()
    assert [n.customer.name for n in notes] == [
        "Zeta Foods",
        "Northwind Traders",
        "Béatrice Lefèvre",
        "Acme Corp",
    ]
    beatrice = get_note(notes[2].id)
    assert beatrice.body == 'Sent the catalogue; she wants "organic" lines only.'
    assert beatrice.author == "Ana"
    assert load_settings().status(beatrice.status_id).name == "Awaiting approval"  # "AWA"
    assert values_of(notes[2].id) == {"Time zone": "EST", "Employees": "4", "Segment": "grocery"}
    northwind = get_note(notes[1].id)
    assert northwind.body == "Sample shipped.\nFollow up next week."
    assert northwind.follow_up == dt.date(2026, 11, 20)
    assert values_of(notes[1].id)["Deal value"] == "800.50"
    assert load_settings().action(get_note(notes[0].id).action_id).name == "Call"  # "CALL"
    assert_index_matches_notes(database)
    assert found(database, "organic") == [notes[2].id]
    assert found(database, "northwind") == [notes[1].id]


def test_french_columns_in_any_order(database: peewee.Database, french: UserInfo) -> None:
    result = import_notes_csv(french, FRENCH_NOTES, now=NOW)
    assert (result.notes, result.new_customers) == (7, 4)
    current = load_settings()
    notes = notes_in_order()
    first = get_note(notes[-1].id)
    assert first.customer == "Béatrice Lefèvre"
    assert first.assignee == "Émile"
    assert current.status(first.status_id).name == "Prospect"
    assert current.action(first.action_id).name == "Appel"
    assert values_of(first.id) == {
        "Fuseau horaire": "Est",
        "Date de clôture estimée": "2027-01-15",
        "Montant": "12500.00",
        "Employés": "120",
        "Épicerie": "Fine",
        "Ancien code": "B-12",
    }
    second = get_note(notes[-2].id)
    assert second.customer == "Béatrice Lefèvre"  # "beatrice lefevre": the same customer
    assert second.body == 'Elle veut des produits "bio" seulement;\nrappeler mardi, sans faute.'
    assert current.status(second.status_id).name == "En attente d'approbation"
    fourth = get_note(notes[-4].id)
    assert fourth.body == "Messagerie vocale, deux fois.\n\nLigne suivante après une ligne vide."
    assert values_of(fourth.id) == {
        "Fuseau horaire": "Atlantique",  # an archived option still imports
        "Montant": "0.05",
        "Employés": "-3.5",
        "Épicerie": "Grossiste, détail",
    }
    assert values_of(notes[-6].id) == {"Employés": "1000"}  # "1e3"
    assert current.status(get_note(notes[-6].id).status_id).archived
    assert Customer.select().where(Customer.name == "Côté & Fils").exists()
    assert_index_matches_notes(database)
    assert found(database, "farine") == [first.id]


def test_notes_of_the_same_second_keep_the_file_order(french: UserInfo) -> None:
    import_notes_csv(french, FRENCH_NOTES, now=NOW)
    bodies = [n.body for n in notes_in_order()]
    assert bodies[1:3] == ["Même seconde (ligne 1)", "Même seconde (ligne 2)"]


def test_ids_are_time_ordered(french: UserInfo) -> None:
    import_notes_csv(french, FRENCH_NOTES, now=NOW)
    for note in Note.select():
        assert note.id >> SEQUENCE_BITS == second_of(note.created_at)


def test_a_blank_created_at_is_now(admin: UserInfo, tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv", "customer,created_at,body\nAcme,,first\nAcme,,second\n")
    import_notes_csv(admin, path, now=NOW)
    notes = notes_in_order()
    assert [(n.body, n.created_at, n.updated_at) for n in notes] == [
        ("first", NOW, NOW),
        ("second", NOW, NOW),
    ]


def test_only_the_customer_column_is_required(admin: UserInfo, tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv", "Customer\nAcme\n\nZeta\n")
    assert import_notes_csv(admin, path, now=NOW).notes == 2
    assert {n.body for n in Note.select()} == {""}


def test_existing_customers_are_found_whatever_the_spelling(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    create_customer(admin, "Béatrice Lefèvre")
    path = write(tmp_path / "n.csv", "customer,body\nBEATRICE  LEFEVRE,hello\n")
    assert import_notes_csv(admin, path, now=NOW).new_customers == 0
    assert get_note(notes_in_order()[0].id).customer == "Béatrice Lefèvre"
    assert_index_matches_notes(database)


def test_an_empty_body_file_with_only_a_header(admin: UserInfo, tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv", "customer,body\n")
    assert import_notes_csv(admin, path).notes == 0


HEADER = (
    "customer,action,status,assignee,follow_up,created_at,body,Time zone,Deal value,Employees\n"
)
GOOD = "Acme,Call,Prospect,Émile,2026-12-01,2026-11-02T09:15:00,ok,EST,10.00,3\n"


def bad_line(column: str, value: str) -> str:
    cells = dict(
        zip(HEADER.strip().split(","), GOOD.strip().split(","), strict=True)
    )  # fmt: skip
    cells[column] = value
    return ",".join(cells.values()) + "\n"


BAD_VALUES = [
    ("Deal value", "12.345", "'12.345' has more than 2 decimals"),
    ("Deal value", '"1,5"', "'1,5' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Deal value", "abc", "'abc' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Deal value", "1e3", "'1e3' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Deal value", "NaN", "'NaN' is not an amount (digits, a dot, at most 2 decimals)"),
    ("Employees", "abc", "'abc' is not a number"),
    ("Employees", "NaN", "'NaN' is not a number"),
    ("follow_up", "2026-02-30", "'2026-02-30' is not a real date"),
    ("follow_up", "30/01/2026", "'30/01/2026' is not a date (YYYY-MM-DD)"),
    ("created_at", "yesterday", "'yesterday' is not a timestamp (YYYY-MM-DDTHH:MM:SS)"),
    (
        "status",
        "Lost",
        "'Lost' is not one of: Awaiting approval, Client, Done, No answer, Prospect",
    ),
    ("action", "Dance", "'Dance' is not one of: Call, E-mail, Send sample, Ship"),
    ("Time zone", "HST", "'HST' is not one of: CST, EST, MST, PST"),
    ("assignee", "Bob", "no user named 'Bob'"),
    ("customer", " ", "a customer name is required"),
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_VALUES)
def test_a_bad_value_names_its_line_and_column(
    database: peewee.Database,
    admin: UserInfo,
    tmp_path: Path,
    column: str,
    value: str,
    problem: str,
) -> None:
    path = write(tmp_path / "notes.csv", HEADER + GOOD + GOOD + bad_line(column, value) + GOOD)
    error = refused(database, ExchangeError, lambda: import_notes_csv(admin, path))
    assert str(error) == f'{path} line 4, column "{column}": {problem}'


def test_line_numbers_count_the_lines_inside_quoted_fields(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    text = 'customer,body,Deal value\nAcme,"one\ntwo\nthree",1\nZeta,x,1.001\n'
    path = write(tmp_path / "notes.csv", text)
    error = refused(database, ExchangeError, lambda: import_notes_csv(admin, path))
    assert str(error) == f"{path} line 5, column \"Deal value\": '1.001' has more than 2 decimals"


BAD_FILES = [
    ("customer,Colour\nAcme,blue\n",
     'line 1: unknown column "Colour" (known columns: customer, action, status, assignee, '
     "follow_up, created_at, body, Time zone, Estimated close date, Deal value, Employees, "
     "Segment)"),
    ("body,status\nhello,Done\n", 'line 1: the "customer" column is missing'),
    ("customer,Status,status\nAcme,Done,Done\n",
     'line 1: column "status" appears twice (also as "Status")'),
    ("customer,,body\nAcme,,x\n", "line 1: column 2 has no name"),
    ("customer,body\nAcme,x\nZeta,x,extra\n", "line 3: 3 fields, but the header names 2 columns"),
    ("customer,body\nAcme\n", "line 2: 1 fields, but the header names 2 columns"),
    ('customer,body\nAcme,"never closed\n',
     'line 2: not valid CSV: a quoted cell is never closed (a " is missing)'),
    ('customer,body\nAcme,x\nZeta,"y"z\n',
     'line 3: not valid CSV: a quoted cell goes on after its closing "'),
    ("", "is empty: its first line must name the columns"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_a_bad_file_is_refused_whole(
    database: peewee.Database, admin: UserInfo, tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path / "notes.csv", text)
    error = refused(database, ExchangeError, lambda: import_notes_csv(admin, path))
    assert str(error).startswith(f"{path} {expected}" if expected[0] == "l" else f"{path} ")
    assert expected in str(error)


def test_a_file_that_is_not_utf8(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes("customer,body\nAcme,ok\nCafé,\n".encode("latin-1"))
    error = refused(database, ExchangeError, lambda: import_notes_csv(admin, path))
    assert str(error) == f"{path} line 3: not UTF-8 text (save the file as UTF-8)"


def test_a_missing_file(database: peewee.Database, admin: UserInfo, tmp_path: Path) -> None:
    error = refused(database, ExchangeError, lambda: import_notes_csv(admin, tmp_path / "x.csv"))
    assert str(error) == f"cannot read {tmp_path / 'x.csv'}: No such file or directory"


def test_a_large_load_rebuilds_the_indexes(
    database: peewee.Database, admin: UserInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_csv, "BULK_LOAD_MINIMUM", 1)
    before = set(dump_tables(database))
    rows = "".join(f"Customer {i % 7},note number {i},EST,{i}.25\n" for i in range(300))
    path = write(tmp_path / "n.csv", "customer,body,Time zone,Deal value\n" + rows)
    assert import_notes_csv(admin, path, now=NOW).notes == 300
    assert set(dump_tables(database)) == before
    assert NoteValue.select().count() == 600
    assert len(found(database, "number")) == 300
    assert_index_matches_notes(database)
    indexes = {index.name for index in database.get_indexes("note")}
    indexes |= {index.name for index in database.get_indexes("note_value")}
    assert {"note_customer", "note_created_newest", "note_value_value_cents_newest"} <= indexes


def test_ids_skip_those_already_used(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "n.csv", "customer,created_at\nA,2026-01-01T10:00:00\nB,2026-01-01T10:00:00\n"
    )
    import_notes_csv(admin, path)
    import_notes_csv(admin, path)
    second = second_of(dt.datetime(2026, 1, 1, 10))
    ids = sorted(n.id for n in Note.select())
    assert ids == [(second << SEQUENCE_BITS) + k for k in range(4)]
    assert allocate_note_ids(database, [second]) == [(second << SEQUENCE_BITS) + 4]
