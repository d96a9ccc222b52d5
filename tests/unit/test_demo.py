"""The demo data set: believable, deterministic, consistent with the schema and the index."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, found, refused

from crm_tui.db.models import Customer, Note, NoteValue, User
from crm_tui.domain import demo, users
from crm_tui.domain.customer_queries import customer_block
from crm_tui.domain.demo import build_demo
from crm_tui.domain.errors import DomainError, PermissionDenied
from crm_tui.domain.ids import SEQUENCE_BITS, second_of
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.query import NotePager, NoteQuery
from crm_tui.domain.settings import create_variable, ensure_starter_settings, load_settings
from crm_tui.domain.text import fold
from crm_tui.i18n import set_language
from crm_tui.records import UserInfo
from tests.conftest import open_test_database

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    ensure_starter_settings()
    return users.create_user(None, "Ana")


def note_facts() -> list[tuple[object, ...]]:
    """What a demo wrote, independent of row ids."""
    rows = (
        Note.select(Note.id, Customer.name, Note.body, Note.follow_up, Note.created_at)
        .join(Customer)
        .order_by(Note.id)
        .tuples()
    )
    return [tuple(str(cell) for cell in row) for row in rows]


def test_a_demo_team_with_customers_and_notes(database: peewee.Database, admin: UserInfo) -> None:
    made = build_demo(admin, notes=2000, seed=3, today=TODAY)
    assert (made.users, made.customers, made.notes) == (6, 200, 2000)
    assert Note.select().count() == 2000
    assert Customer.select().count() == 200
    names = [user.name for user in users.list_users()]
    assert "Ana" in names and "Élodie Gagnon" in names
    settings = load_settings()
    assert [v.name for v in settings.variables] == [
        "Time zone",
        "Estimated close date",
        "Deal value",
        "Employees",
        "Segment",
    ]
    assert [o.name for o in settings.variables[0].options] == ["EST", "CST", "MST", "PST"]
    customers = [name for (name,) in Customer.select(Customer.name).tuples()]
    assert any(not name.isascii() for name in customers)  # French names with accents
    assert len({name.casefold() for name in customers}) == 200


def test_notes_look_real(database: peewee.Database, admin: UserInfo) -> None:
    build_demo(admin, notes=2000, seed=3, today=TODAY)
    notes = list(Note.select())
    created = [note.created_at for note in notes]
    assert min(created) >= dt.datetime.combine(TODAY - dt.timedelta(days=366), dt.time())
    assert max(created) < dt.datetime.combine(TODAY, dt.time())
    assert all(8 <= stamp.hour < 18 for stamp in created)
    assert len({stamp.date() for stamp in created}) > 300
    for note in notes:
        assert note.id >> SEQUENCE_BITS == second_of(note.created_at)
        assert note.updated_at == note.created_at
    done = load_settings().statuses[-1].id
    overdue = [n for n in notes if n.follow_up and n.follow_up < TODAY and n.status_id != done]
    coming = [n for n in notes if n.follow_up and n.follow_up >= TODAY]
    assert overdue and coming
    assert 0.3 < sum(1 for n in notes if n.follow_up) / len(notes) < 0.7
    assert 0.05 < sum(1 for n in notes if n.assignee_id is None) / len(notes) < 0.3
    statuses = Counter(n.status_id for n in notes)
    assert len(statuses) == 8
    bodies = " ".join(n.body for n in notes)
    assert "Demande de devis" in bodies and "Asked for a quote" in bodies


def test_values_have_realistic_blanks(database: peewee.Database, admin: UserInfo) -> None:
    build_demo(admin, notes=3000, seed=5, today=TODAY)
    counts = dict(
        NoteValue.select(NoteValue.variable, peewee.fn.COUNT(NoteValue.note))
        .group_by(NoteValue.variable)
        .tuples()
    )
    for variable in load_settings().variables:
        blank = 1 - counts[variable.id] / 3000
        assert 0.03 < blank < 0.5, (variable.name, blank)
    deal = load_settings().variables[2].id
    cents = [
        c
        for (c,) in NoteValue.select(NoteValue.value_cents)
        .where(NoteValue.variable == deal)
        .tuples()
    ]
    assert min(cents) >= 40_000 and max(cents) <= 30_000_000


def test_search_finds_demo_notes(database: peewee.Database, admin: UserInfo) -> None:
    build_demo(admin, notes=500, seed=1, today=TODAY)
    assert_index_matches_notes(database)
    assert found(database, "devis")
    assert found(database, "quote")


def test_the_same_seed_gives_the_same_data(
    database: peewee.Database, admin: UserInfo, tmp_path: Path
) -> None:
    build_demo(admin, notes=400, seed=11, today=TODAY)
    first = note_facts()
    other = tmp_path / "other"
    other.mkdir()
    second = open_test_database(other)
    try:
        ensure_starter_settings()
        build_demo(users.create_user(None, "Ana"), notes=400, seed=11, today=TODAY)
        assert note_facts() == first
    finally:
        second.close()


def test_a_database_with_notes_is_refused(database: peewee.Database, admin: UserInfo) -> None:
    create_note(admin, NoteInput("Acme", body="real work"))
    error = refused(database, DomainError, lambda: build_demo(admin, notes=10, today=TODAY))
    assert "has 1 notes already" in str(error)


def test_force_adds_next_to_existing_notes_and_settings(
    database: peewee.Database, admin: UserInfo
) -> None:
    create_variable(admin, name="Deal value", type="text")  # not the demo's type: left alone
    create_note(admin, NoteInput("Acme", body="real work", values={"Deal value": "big"}))
    build_demo(admin, notes=300, seed=2, force=True, today=TODAY)
    assert Note.select().count() == 301
    deal = next(v for v in load_settings().variables if v.name == "Deal value")
    assert deal.type == "text"
    assert NoteValue.select().where(NoteValue.variable == deal.id).count() == 1
    assert_index_matches_notes(database)


def test_a_rep_cannot_fill_the_database(database: peewee.Database, admin: UserInfo) -> None:
    rep = users.create_user(admin, "Rob", role="rep")
    error = refused(database, PermissionDenied, lambda: build_demo(rep, notes=10, today=TODAY))
    assert str(error) == "Rob is not an admin: only admins can fill the database with demo data"


def test_a_big_demo_rebuilds_the_indexes(
    database: peewee.Database, admin: UserInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "BULK_MINIMUM", 100)
    monkeypatch.setattr(demo, "CHUNK", 250)  # several chunks, generated ahead
    indexes = {i.name for t in ("note", "note_value") for i in database.get_indexes(t)}
    build_demo(admin, notes=1000, seed=4, today=TODAY)
    assert {i.name for t in ("note", "note_value") for i in database.get_indexes(t)} == indexes
    assert Note.select().count() == 1000
    assert_index_matches_notes(database)


def test_zero_notes_adds_settings_and_team_only(database: peewee.Database, admin: UserInfo) -> None:
    made = build_demo(admin, notes=0, today=TODAY)
    assert (made.customers, made.notes) == (0, 0)
    assert User.select().count() == 6


def test_the_english_demo_is_the_one_it_always_was(
    database: peewee.Database, admin: UserInfo
) -> None:
    build_demo(admin, notes=200, seed=11, today=TODAY)
    first = [name for (name,) in Customer.select(Customer.name).order_by(Customer.id).tuples()]
    assert first[:4] == ["Henry Bryant", "Reed Group", "Noah Sullivan", "Abigail Griffin"]
    assert [body for (body,) in Note.select(Note.body).order_by(Note.id).limit(3).tuples()] == [
        "Client satisfait de la dernière livraison ; veut augmenter les volumes.",
        "Left a voicemail for Hannah; will try again Monday.",
        'Spoke with Chloe: they want "olive oil" samples before ordering.',
    ]


# --- the demo in French ---------------------------------------------------------------------


@pytest.fixture
def french_admin(database: peewee.Database) -> Iterator[UserInfo]:
    """A new database opened in French (its starter set French), and its first user."""
    set_language("fr")
    try:
        ensure_starter_settings()
        yield users.create_user(None, "Ana")
    finally:
        set_language("en")


def test_the_demo_speaks_french_in_french(
    database: peewee.Database, french_admin: UserInfo
) -> None:
    made = build_demo(french_admin, notes=2000, seed=3, today=TODAY)
    assert (made.users, made.customers, made.notes) == (6, 200, 2000)
    settings = load_settings()
    assert [v.name for v in settings.variables] == [
        "Fuseau horaire",
        "Date de clôture estimée",
        "Montant",
        "Employés",
        "Segment",
    ]
    assert [v.type for v in settings.variables] == [
        "dropdown",
        "date",
        "currency",
        "number",
        "text",
    ]
    zones = settings.variables[0].options
    assert [o.name for o in zones] == ["HNE", "HNC", "HNR", "HNP", "HNA"]
    assert all(o.in_sequence for o in zones)
    assert [b.name for b in settings.statuses][-1] == "Terminé"
    assert "Envoyer un échantillon" in [b.name for b in settings.actions]
    customers = [name for (name,) in Customer.select(Customer.name).tuples()]
    assert not any(english in name for name in customers for english in ("Smith", "Foods", "Co."))
    for letter in ("Œ", "É", "ç"):
        assert any(letter in name for name in customers), letter
    notes = list(Note.select())
    bodies = " ".join(note.body for note in notes)
    for french in ("Rappeler", "Échantillon envoyé", "devis", "hors-d'œuvre"):
        assert french in bodies, french
    for english in ("quote", "voicemail", "Spoke with"):
        assert english not in bodies, english
    assert len(Counter(note.status_id for note in notes)) == 8  # every French status is used
    terminated = settings.statuses[-1].id
    assert not any(n.follow_up for n in notes if n.status_id == terminated)
    zone_counts = Counter(
        option for (option,) in NoteValue.select(NoteValue.option)
        .where(NoteValue.variable == settings.variables[0].id).tuples()
    )  # fmt: skip
    assert set(zone_counts) == {o.id for o in zones}
    team = [user.name for user in users.list_users()]
    assert "Élodie Gagnon" in team and "Jordan Smith" not in team
    assert_index_matches_notes(database)


def test_a_french_demo_is_found_and_sorted_the_french_way(
    database: peewee.Database, french_admin: UserInfo
) -> None:
    build_demo(french_admin, notes=1000, seed=8, today=TODAY)
    names = [row.name for row in customer_block(limit=1000)]
    assert names == sorted(names, key=fold)
    first_oe = next(i for i, name in enumerate(names) if name.startswith("Œ"))
    assert fold(names[first_oe - 1]) < "oe" <= fold(names[first_oe])  # among the O's
    with_notes = (
        Customer.select(Customer.id, Customer.name)
        .where(Customer.name.startswith("Œ") & Customer.id.in_(Note.select(Note.customer)))
        .first()
    )
    assert with_notes is not None
    word = fold(with_notes.name).split()[0]  # "oenotheque": typed without the ligature
    pager = NotePager(NoteQuery(search=word), load_settings())
    listed = {row.customer for row in pager.page(None, 500).rows}
    assert with_notes.name in listed


def test_the_same_seed_gives_the_same_french_demo(
    database: peewee.Database, french_admin: UserInfo, tmp_path: Path
) -> None:
    build_demo(french_admin, notes=300, seed=11, today=TODAY)
    first = note_facts()
    other = tmp_path / "other"
    other.mkdir()
    second = open_test_database(other)
    set_language("fr")
    try:
        ensure_starter_settings()
        build_demo(users.create_user(None, "Ana"), notes=300, seed=11, today=TODAY)
        assert note_facts() == first
    finally:
        set_language("en")
        second.close()


def test_a_french_demo_in_a_database_started_in_english_adds_no_second_set(
    database: peewee.Database, admin: UserInfo
) -> None:
    build_demo(admin, notes=0, today=TODAY)  # English settings
    before = load_settings()
    set_language("fr")
    try:
        build_demo(admin, notes=300, seed=4, force=True, today=TODAY)
    finally:
        set_language("en")
    after = load_settings()
    for kind in ("statuses", "actions", "variables"):
        assert [i.name for i in getattr(after, kind)] == [i.name for i in getattr(before, kind)]
    zone = after.variables[0]
    assert NoteValue.select().where(NoteValue.variable == zone.id).count() > 0
    bodies = " ".join(body for (body,) in Note.select(Note.body).tuples())
    assert "devis" in bodies and "quote" not in bodies
