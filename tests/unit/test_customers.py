"""Customers: unique names ignoring case and accents; a rename re-indexes their notes."""

from __future__ import annotations

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, found, refused

from crm_tui.db.models import Customer
from crm_tui.domain import customers, history, users
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.records import UserInfo


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """The first user, hence an admin."""
    return users.create_user(None, "Ana")


def test_create_customer_trims_and_records(admin: UserInfo) -> None:
    created = customers.create_customer(admin, "  Émile   Dubois ", " e@d.fr ", " 555 ")
    assert (created.name, created.email, created.phone) == ("Émile Dubois", "e@d.fr", "555")
    row = Customer.get_by_id(created.id)
    assert (row.name, row.name_key) == ("Émile Dubois", "emile dubois")
    lines = [(c.user, c.field, c.old, c.new) for c in history.history_of("customer", created.id)]
    assert lines == [("Ana", "name", None, "Émile Dubois")]


@pytest.mark.parametrize(
    "clash", ["emile dubois", "EMILE DUBOIS", "Emile Dubois", " émile  dubois "]
)
def test_names_are_unique_ignoring_case_and_accents(
    database: peewee.Database, admin: UserInfo, clash: str
) -> None:
    customers.create_customer(admin, "Émile Dubois")
    error = refused(database, ValidationError, lambda: customers.create_customer(admin, clash))
    assert error.field == "customer"
    assert error.problem == f"a customer named {' '.join(clash.split())!r} exists already"
    other = customers.create_customer(admin, "Acme")
    error = refused(
        database,
        ValidationError,
        lambda: customers.update_customer(admin, other.id, name=clash),
    )
    assert error.field == "customer"


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_customer_needs_a_name(database: peewee.Database, admin: UserInfo, blank: str) -> None:
    error = refused(database, ValidationError, lambda: customers.create_customer(admin, blank))
    assert (error.field, error.problem) == ("customer", "a customer name is required")


def test_find_customer_ignores_case_accents_and_spacing(admin: UserInfo) -> None:
    created = customers.create_customer(admin, "Émile Dubois")
    for typed in ("emile dubois", " ÉMILE   DUBOIS "):
        assert customers.find_customer(typed) == created
    assert customers.find_customer("Emile") is None
    assert customers.get_customer(created.id) == created
    with pytest.raises(NotFound, match="no customer #999"):
        customers.get_customer(999)


def test_get_or_create_customers_creates_only_the_missing_ones(admin: UserInfo) -> None:
    acme = customers.create_customer(admin, "Acme")
    ids = customers.get_or_create_customers(["ACME", "Globex", " globex ", "Initech"])
    assert set(ids) == {"acme", "globex", "initech"}
    assert ids["acme"] == acme.id
    assert sorted(c.name for c in Customer.select()) == ["Acme", "Globex", "Initech"]


def test_update_changes_fields_and_writes_history(admin: UserInfo) -> None:
    created = customers.create_customer(admin, "Acme")
    updated = customers.update_customer(admin, created.id, name="ACME Corp", phone=" 555 ")
    assert (updated.name, updated.phone) == ("ACME Corp", "555")
    assert Customer.get_by_id(created.id).name_key == "acme corp"
    lines = [(c.field, c.old, c.new) for c in reversed(history.history_of("customer", created.id))]
    assert lines[-2:] == [("name", "Acme", "ACME Corp"), ("phone", None, "555")]


def test_renaming_a_customer_reindexes_its_notes(database: peewee.Database, admin: UserInfo):
    first = create_note(admin, NoteInput(customer="Acme", body="sample shipped"))
    second = create_note(admin, NoteInput(customer="acme", body="invoice sent"))
    other = create_note(admin, NoteInput(customer="Globex", body="sample requested"))
    assert found(database, "acme") == [first, second]
    (acme,) = [c for c in Customer.select() if c.name == "Acme"]
    customers.update_customer(admin, acme.id, name="Initech Hélène")
    assert found(database, "acme") == []
    assert found(database, "initech") == [first, second]
    assert found(database, "helene") == [first, second]
    assert found(database, "sample") == [first, other]
    assert_index_matches_notes(database)


def test_changing_only_contact_fields_keeps_the_index(database: peewee.Database, admin: UserInfo):
    note_id = create_note(admin, NoteInput(customer="Acme", body="hello"))
    (acme,) = Customer.select()
    customers.update_customer(admin, acme.id, email="a@acme.test", name="acme")
    assert found(database, "acme") == [note_id]
    assert_index_matches_notes(database)


def test_updating_an_unknown_customer_is_not_found(
    database: peewee.Database, admin: UserInfo
) -> None:
    refused(database, NotFound, lambda: customers.update_customer(admin, 999, name="X"))
