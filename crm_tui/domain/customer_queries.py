"""Reading customers for lists: search, keyset pages and each customer's current status.

The customers list is virtual: it asks how many customers match, then fetches blocks of
``BLOCK`` rows as they come into view, by keyset (``name_key > last key``) when the block
before is known, else from the key found at that offset by a walk of the ``name_key``
index (no customer row is read for the rows skipped). A customer's current status is the
status of its newest note that has one, read through the ``note (customer_id, id)`` index
for the rows of a block only; so is its number of notes, and its zone (the time-zone
option kept in ``customer_state``) for the Local column.

Search: every word must occur in the name (case and accents ignored); a word with an
``@`` may instead occur in the e-mail, a word with a digit in the phone number. Names are
read from the covering ``name_key`` index, so a search reads the customer rows only for
such words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

import peewee
from peewee import fn

from crm_tui.db.customer_pages import count_rows, starts_with, tuple_rows
from crm_tui.db.models import Customer, CustomerState, Note, Option, User, database_proxy
from crm_tui.domain.errors import NotFound
from crm_tui.domain.text import fold, searchable
from crm_tui.i18n import _
from crm_tui.records import CustomerInfo

BLOCK = 200
_Select = TypeVar("_Select", bound="peewee.ModelSelect[Any]")


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One line of the customers list."""

    id: int
    name: str
    name_key: str
    email: str
    phone: str
    notes: int
    status_id: int | None
    zone: str | None = None
    """The customer's IANA zone (its time-zone option's), for the Local column."""


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """A customer with its current status and number of notes."""

    customer: CustomerInfo
    status_id: int | None
    notes: int


@dataclass(frozen=True, slots=True)
class CustomerNoteLine:
    """One of a customer's notes, as a short list shows it."""

    id: int
    created_at: dt.datetime
    action_id: int | None
    status_id: int | None
    assignee: str
    follow_up: dt.date | None
    summary: str


def _matches(search: str) -> peewee.Expression | None:
    """Customers matching every word of ``search`` (see the module's docstring)."""
    condition: peewee.Expression | None = None
    for word in searchable(search).split():
        one = Customer.name_key.contains(fold(word))
        other: peewee.Expression | None = None
        if "@" in word:
            other = fn.LOWER(Customer.email).contains(word.lower())
        if any(ch.isdigit() for ch in word):
            phone = Customer.phone.contains(word)
            other = phone if other is None else other | phone
        if other is not None:
            # A set of ids built by one scan of the table, not a row lookup per name.
            one = one | Customer.id.in_(Customer.select(Customer.id).where(other))
        condition = one if condition is None else condition & one
    return condition


def _filtered(query: _Select, search: str) -> _Select:
    condition = _matches(search)
    return query if condition is None else query.where(condition)


def _latest_status(customer_id: peewee.Node) -> peewee.ModelSelect[Note]:
    return (
        Note.select(Note.status)
        .where((Note.customer == customer_id) & Note.status.is_null(False))
        .order_by(Note.id.desc())
        .limit(1)
    )


def _zone(customer_id: peewee.Node) -> peewee.ModelSelect[Option]:
    """The customer's zone: its time-zone option's, kept in ``customer_state``."""
    return (
        Option.select(Option.time_zone)
        .join(CustomerState, on=(CustomerState.zone_option_id == Option.id))
        .where(CustomerState.customer == customer_id)
    )


def _note_count(customer_id: peewee.Node) -> peewee.ModelSelect[Note]:
    return Note.select(fn.COUNT(Note.id)).where(Note.customer == customer_id)


def count_customers(search: str = "") -> int:
    """How many customers match ``search``."""
    return int(_filtered(Customer.select(count_rows()), search).scalar())


def customer_block(
    search: str = "", *, after: str | None = None, offset: int = 0, limit: int = BLOCK
) -> list[CustomerRow]:
    """Up to ``limit`` customers matching ``search``, by name.

    With ``after`` (a ``name_key``), those after it; else those from row ``offset`` on.
    """
    query = _filtered(
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.name_key,
            Customer.email,
            Customer.phone,
            _note_count(Customer.id).alias("notes"),
            _latest_status(Customer.id).alias("status_id"),
            _zone(Customer.id).alias("zone"),
        ),
        search,
    )
    if after is not None:
        query = query.where(Customer.name_key > after)
    elif offset > 0:
        start = _filtered(Customer.select(Customer.name_key), search)
        start = start.order_by(Customer.name_key).limit(1).offset(offset).scalar()
        if start is None:
            return []
        query = query.where(Customer.name_key >= start)
    cursor = database_proxy.execute(query.order_by(Customer.name_key).limit(limit))
    return [CustomerRow(*row) for row in cursor.fetchall()]


def customer_position(search: str, customer_id: int) -> int | None:
    """The row of ``customer_id`` in the list matching ``search`` (``None``: not in it)."""
    row = Customer.get_or_none(Customer.id == customer_id)
    if row is None:
        return None
    inside = _filtered(Customer.select(Customer.id).where(Customer.id == customer_id), search)
    if not inside.exists():
        return None
    before = Customer.select(fn.COUNT(Customer.id)).where(Customer.name_key < row.name_key)
    return _filtered(before, search).scalar()


def suggest_customers(text: str, limit: int = 8) -> list[CustomerInfo]:
    """Customers for a name being typed: names starting with it, then names containing it."""
    key = fold(text)
    if not key:
        return []
    columns = (Customer.id, Customer.name, Customer.email, Customer.phone)
    found = tuple_rows(
        Customer.select(*columns)
        .where(starts_with(Customer.name_key, key))
        .order_by(Customer.name_key)
        .limit(limit)
    )
    if len(found) < limit:
        seen = [row[0] for row in found]
        more = Customer.select(*columns).where(Customer.name_key.contains(key))
        if seen:
            more = more.where(Customer.id.not_in(seen))
        found.extend(tuple_rows(more.order_by(Customer.name_key).limit(limit - len(found))))
    return [CustomerInfo(*row) for row in found]


def customer_summary(customer_id: int) -> CustomerSummary:
    """A customer, its current status and how many notes it has."""
    row = (
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.email,
            Customer.phone,
            _latest_status(Customer.id).alias("status_id"),
            _note_count(Customer.id).alias("notes"),
        )
        .where(Customer.id == customer_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(_("no customer #{id}").format(id=customer_id))
    return CustomerSummary(CustomerInfo(*row[:4]), row[4], row[5])


def customer_notes(customer_id: int, limit: int = 200) -> list[CustomerNoteLine]:
    """The customer's newest notes, newest first."""
    query = (
        Note.select(
            Note.id,
            Note.created_at,
            Note.action,
            Note.status,
            User.name,
            Note.follow_up,
            fn.SUBSTR(Note.body, 1, 200),
        )
        .join(User, peewee.JOIN.LEFT_OUTER, on=(Note.assignee == User.id))
        .where(Note.customer == customer_id)
        .order_by(Note.id.desc())
        .limit(limit)
    )
    return [
        CustomerNoteLine(
            id=nid,
            created_at=created,
            action_id=action,
            status_id=status,
            assignee=assignee or "",
            follow_up=follow_up,
            summary=" ".join((body or "").split()),
        )
        for nid, created, action, status, assignee, follow_up, body in tuple_rows(query)
    ]
