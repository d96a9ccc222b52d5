"""The change history: one line per changed field, who, when, old → new."""

from __future__ import annotations

import datetime as dt
import itertools

import peewee
import pytest

from crm_tui.db.models import Change
from crm_tui.domain import history, users
from crm_tui.records import UserInfo


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """The first user, hence an admin."""
    return users.create_user(None, "Ana")


def test_record_writes_one_line_per_changed_field(admin: UserInfo) -> None:
    start = Change.select().count()
    batch = history.record(
        admin,
        "note",
        42,
        [
            ("status", "Prospect", "Client"),
            ("body", "same", "same"),
            ("follow_up", dt.date(2026, 1, 2), None),
            ("email", "", None),
            ("archived", False, True),
            ("updated", dt.datetime(2026, 1, 2, 3, 4, 5, 678), None),
            ("amount", 12, 13),
        ],
    )
    rows = list(Change.select().where(Change.id > start).order_by(Change.id))
    assert [(r.user_id, r.batch, r.entity, r.entity_id) for r in rows] == [
        (admin.id, batch, "note", 42)
    ] * 5
    assert [(r.field, r.old, r.new) for r in rows] == [
        ("status", "Prospect", "Client"),
        ("follow_up", "2026-01-02", None),
        ("archived", "no", "yes"),
        ("updated", "2026-01-02T03:04:05", None),
        ("amount", "12", "13"),
    ]
    assert all(r.at.microsecond == 0 for r in rows)
    assert abs(rows[0].at - dt.datetime.now()) < dt.timedelta(minutes=5)


def test_a_change_of_nothing_writes_nothing(admin: UserInfo) -> None:
    start = Change.select().count()
    history.record(admin, "note", 1, [("body", "a", "a"), ("email", None, "")])
    history.record(admin, "note", 1, [])
    assert Change.select().count() == start


def test_a_given_batch_groups_lines(admin: UserInfo) -> None:
    first = history.record(admin, "status", 1, [("name", None, "A")], batch=7)
    second = history.record(admin, "status", 2, [("name", None, "B")], batch=7)
    assert first == second == 7
    assert Change.select().where(Change.batch == 7).count() == 2


def test_batches_are_fresh_and_increasing() -> None:
    batches = [history.new_batch() for _ in range(200)]
    assert all(a < b for a, b in itertools.pairwise(batches))


def test_history_of_is_newest_first_with_names(admin: UserInfo) -> None:
    history.record(admin, "customer", 5, [("name", None, "Acme")])
    history.record(None, "customer", 5, [("phone", None, "555")])
    history.record(admin, "customer", 6, [("name", None, "Other")])
    lines = history.history_of("customer", 5)
    assert [(c.user, c.entity, c.entity_id, c.field, c.old, c.new) for c in lines] == [
        ("", "customer", 5, "phone", None, "555"),
        ("Ana", "customer", 5, "name", None, "Acme"),
    ]
    assert len(history.history_of("customer", 5, limit=1)) == 1


def test_history_of_kind_mixes_kinds_newest_first(admin: UserInfo) -> None:
    history.record(admin, "status", 1, [("name", None, "A")])
    history.record(admin, "note", 1, [("body", None, "x")])
    history.record(admin, "action", 1, [("name", None, "B")])
    lines = history.history_of_kind(("status", "action"))
    assert [(c.entity, c.new) for c in lines] == [("action", "B"), ("status", "A")]
