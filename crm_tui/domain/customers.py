"""Customers: the companies and people notes are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import peewee
from peewee import IntegrityError

from crm_tui.db.bulk_load import customer_ids_by_key, insert_customers
from crm_tui.db.models import Customer, Note, database_proxy
from crm_tui.db.rows import tuple_rows
from crm_tui.domain import history, search
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.permissions import require_signed_in
from crm_tui.domain.text import check_line, check_name, fold, storable
from crm_tui.i18n import _
from crm_tui.records import CustomerInfo, UserInfo


def _info(row: Customer) -> CustomerInfo:
    return CustomerInfo(id=row.id, name=row.name, email=row.email, phone=row.phone)


def clean_customer_name(name: str) -> str:
    """A trimmed customer name, refusing a blank one and any that breaks the text rules."""
    cleaned = check_name(name, _("customer"))
    if not cleaned:
        raise ValidationError(_("customer"), _("a customer name is required"))
    return cleaned


def clean_contact(value: str | None, field: str) -> str:
    """A trimmed e-mail address or phone number: one line, no control character."""
    return check_line(value, field)


def find_customer(name: str) -> CustomerInfo | None:
    """The customer with this name (case- and accent-insensitive), or ``None``."""
    if not storable(name or ""):  # no stored name holds NUL, nor can PostgreSQL compare one
        return None
    row = Customer.get_or_none(Customer.name_key == fold(name))
    return _info(row) if row else None


def get_customer(customer_id: int) -> CustomerInfo:
    """The customer with this id."""
    row = Customer.get_or_none(Customer.id == customer_id)
    if row is None:
        raise NotFound(_("no customer #{id}").format(id=customer_id))
    return _info(row)


def create_customer(
    actor: UserInfo | None, name: str, email: str = "", phone: str = ""
) -> CustomerInfo:
    """Add a customer; names are unique, ignoring case and accents."""
    require_signed_in(actor)
    with database_proxy.atomic():
        cleaned = clean_customer_name(name)
        if Customer.select().where(Customer.name_key == fold(cleaned)).exists():
            raise ValidationError(
                _("customer"), _("a customer named {name!r} exists already").format(name=cleaned)
            )
        try:
            with database_proxy.atomic():  # a savepoint: the race below leaves no trace
                row = Customer.create(
                    name=cleaned,
                    name_key=fold(cleaned),
                    email=clean_contact(email, _("e-mail")),
                    phone=clean_contact(phone, _("phone")),
                    created_at=history.now(),
                )
        except IntegrityError:  # another writer added the name since the check
            raise ValidationError(
                _("customer"), _("a customer named {name!r} exists already").format(name=cleaned)
            ) from None
        history.record(actor, "customer", row.id, [("name", None, cleaned)])
        return _info(row)


def get_or_create_customers(names: Iterable[str]) -> dict[str, int]:
    """Ids of the customers with these names (by folded name), creating the missing ones."""
    wanted: dict[str, str] = {}
    for name in names:
        cleaned = clean_customer_name(name)
        wanted.setdefault(fold(cleaned), cleaned)
    found: dict[str, int] = {}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = Customer.select(Customer.name_key, Customer.id).where(Customer.name_key.in_(chunk))
        found.update(dict(tuple_rows(query)))
    missing = sorted(key for key in keys if key not in found)  # one order: no deadlock
    if missing:
        at = history.now()
        rows = [{"name": wanted[key], "name_key": key, "created_at": at} for key in missing]
        for start in range(0, len(rows), 500):
            # Another writer may add the same name meanwhile: skip it, then read its id.
            Customer.insert_many(rows[start : start + 500]).on_conflict_ignore().execute()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            query = Customer.select(Customer.name_key, Customer.id).where(
                Customer.name_key.in_(chunk)
            )
            found.update(dict(tuple_rows(query)))
    return found


def ensure_customers(
    database: peewee.Database, names: Iterable[str], created_at: dt.datetime
) -> tuple[dict[str, int], int]:
    """The customer id of each name (matched ignoring case and accents), creating missing ones.

    ``names`` must be clean (``clean_customer_name``). Returns the ids by name and how many
    customers were created (a name another writer has just added is not created again).
    """
    folded = {name: fold(name) for name in dict.fromkeys(names)}
    spelling: dict[str, str] = {}
    for name, key in folded.items():
        spelling.setdefault(key, name)
    found = customer_ids_by_key(database, list(spelling))
    missing = sorted(key for key in spelling if key not in found)  # one order: no deadlock
    created = 0
    if missing:
        created = insert_customers(
            database, [(spelling[key], key, "", "", created_at) for key in missing]
        )
        found.update(customer_ids_by_key(database, missing))
    return {name: found[key] for name, key in folded.items()}, created


def update_customer(
    actor: UserInfo | None,
    customer_id: int,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> CustomerInfo:
    """Change a customer's name or contact fields; a new name is re-indexed for search."""
    require_signed_in(actor)
    with database_proxy.atomic():
        row = Customer.get_or_none(Customer.id == customer_id)
        if row is None:
            raise NotFound(_("no customer #{id}").format(id=customer_id))
        changes: list[tuple[str, object, object]] = []
        old_name = row.name
        if name is not None:
            cleaned = clean_customer_name(name)
            clash = Customer.get_or_none(
                (Customer.name_key == fold(cleaned)) & (Customer.id != customer_id)
            )
            if clash is not None:
                raise ValidationError(
                    _("customer"),
                    _("a customer named {name!r} exists already").format(name=cleaned),
                )
            changes.append(("name", row.name, cleaned))
            row.name, row.name_key = cleaned, fold(cleaned)
        if email is not None:
            email = clean_contact(email, _("e-mail"))
            changes.append(("email", row.email, email))
            row.email = email
        if phone is not None:
            phone = clean_contact(phone, _("phone"))
            changes.append(("phone", row.phone, phone))
            row.phone = phone
        row.save()
        if row.name != old_name:
            notes = list(
                tuple_rows(Note.select(Note.id, Note.body).where(Note.customer == customer_id))
            )
            database = database_proxy.obj
            search.unindex_notes(database, [(nid, body, old_name) for nid, body in notes])
            search.index_notes(database, [(nid, body, row.name) for nid, body in notes])
        history.record(actor, "customer", customer_id, changes)
        return _info(row)
