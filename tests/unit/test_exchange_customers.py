"""Customers CSV import: create, update by name, refuse bad files whole."""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, found, refused
from test_exchange_support import write

from crm_tui.db.models import Customer
from crm_tui.domain import users
from crm_tui.domain.customers import create_customer
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.customers_csv import import_customers_csv
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.records import UserInfo


@pytest.fixture
def ana(database: peewee.Database) -> UserInfo:
    return users.create_user(None, "Ana")


def customers() -> list[tuple[str, str, str]]:
    query = Customer.select(Customer.name, Customer.email, Customer.phone).order_by(
        Customer.name_key
    )
    return list(query.tuples())


def test_new_customers_are_created(ana: UserInfo, tmp_path: Path) -> None:
    text = 'name,email,phone\nBéatrice Lefèvre,b@lefevre.fr,+33 1 23\n"Côté, Fils & Cie",,\n'
    counts = import_customers_csv(ana, write(tmp_path / "c.csv", text, bom=True))
    assert (counts.created, counts.updated, counts.unchanged) == (2, 0, 0)
    assert customers() == [
        ("Béatrice Lefèvre", "b@lefevre.fr", "+33 1 23"),
        ("Côté, Fils & Cie", "", ""),
    ]


def test_existing_names_are_updated_only_in_the_columns_given(
    database: peewee.Database, ana: UserInfo, tmp_path: Path
) -> None:
    create_customer(ana, "Acme", email="old@acme.test", phone="555")
    note = create_note(ana, NoteInput("Acme", body="hello"))
    path = write(tmp_path / "c.csv", "Phone,Customer\n999,ACME\n111,Zeta\n")
    counts = import_customers_csv(ana, path)
    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 0)
    assert customers() == [("ACME", "old@acme.test", "999"), ("Zeta", "", "111")]
    assert found(database, "acme") == [note]
    assert_index_matches_notes(database)
    counts = import_customers_csv(ana, path)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,fax\nAcme,1\n", 'line 1: unknown column "fax" (known columns: name, email, phone)'),
        ("email\na@b.c\n", 'line 1: the "name" column is missing'),
        ("name,Name\nA,B\n", 'line 1: column "Name" appears twice'),
        ("name\nAcme\n  \n", None),
        ("name,email\nAcme,x\n,y\n", 'line 3, column "name": a customer name is required'),
        ("name\nAcme\nZeta\nACMÉ\n", "line 4, column \"name\": 'ACMÉ' is also on line 2"),
        ("name,email\nAcme\n", "line 2: 1 fields, but the header names 2 columns"),
        ("", "is empty: its first line must name the columns"),
    ],
)
def test_bad_files_change_nothing(
    database: peewee.Database, ana: UserInfo, tmp_path: Path, text: str, expected: str | None
) -> None:
    path = write(tmp_path / "c.csv", text)
    if expected is None:  # a blank line is skipped, not an error
        assert import_customers_csv(ana, path).created == 1
        return
    error = refused(database, ExchangeError, lambda: import_customers_csv(ana, path))
    assert str(error) == f"{path} {expected}"
