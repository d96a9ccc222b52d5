"""Œ, Æ, Ø and ß fold as oe, ae, o and ss: sorting, uniqueness, search and migration 0008.

Run on SQLite, and on PostgreSQL with ``CRM_TEST_DATABASE_URL``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import peewee
import pytest
from test_db_snapshot import assert_index_matches_notes, refused

from crm_tui.db.database import connect, open_postgres, open_sqlite
from crm_tui.db.models import Customer, NoteValue, Status
from crm_tui.db.schema import schema_runner, take_notices
from crm_tui.domain import customers, settings, users
from crm_tui.domain.customer_queries import customer_block
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.query import NotePager, NoteQuery, SortKey
from crm_tui.domain.settings import load_settings
from crm_tui.domain.text import FOLDED_LETTERS, fold, search_tokens
from crm_tui.records import UserInfo
from tests.conftest import POSTGRES_URL, reset_postgres

NAMES = ["zèbre & fils", "Ouest", "Œuvre Boréale", "Ødegaard AS", "Odile", "Æther", "Azur"]
IN_ORDER = ["Æther", "Azur", "Ødegaard AS", "Odile", "Œuvre Boréale", "Ouest", "zèbre & fils"]


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """The first user, hence an admin."""
    return users.create_user(None, "Ana")


# --- the fold -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Œuvre Boréale", "oeuvre boreale"),
        ("ŒUVRE", "oeuvre"),
        ("cœur", "coeur"),
        ("Ødegaard AS", "odegaard as"),
        ("Æther", "aether"),
        ("ex æquo", "ex aequo"),
        ("Straße", "strasse"),
        ("STRAẞE", "strasse"),
        ("Ǿrsted", "orsted"),  # Ø with acute: the accent goes, then the stroke
        ("Émile  Dubois", "emile dubois"),  # accents and spacing, as before
        ("Plain ASCII", "plain ascii"),
    ],
)
def test_letters_decomposition_misses_fold_as_readers_spell_them(text: str, key: str) -> None:
    assert fold(text) == key


def test_every_letter_of_the_table_folds_in_both_cases() -> None:
    assert set(FOLDED_LETTERS) == set("ŒœÆæØøẞß")
    for letter, spelling in FOLDED_LETTERS.items():
        assert fold(letter) == spelling
        assert fold(f"x{letter}y") == f"x{spelling}y"


def test_search_words_are_folded_the_same_way() -> None:
    assert search_tokens("L'Œuvre d'Ødegaard, Straße") == [
        "l",
        "oeuvre",
        "d",
        "odegaard",
        "strasse",
    ]


# --- sorting ------------------------------------------------------------------------------


def test_customers_sort_with_the_letters_among_their_neighbours(admin: UserInfo) -> None:
    for name in NAMES:
        customers.create_customer(admin, name)
    assert [row.name for row in customer_block()] == IN_ORDER


def _notes_by(sort: SortKey) -> list[str]:
    pager = NotePager(NoteQuery(sort=(sort,)), load_settings())
    return [row.customer for row in pager.page(None, 100).rows]


def test_notes_sort_by_customer_and_by_a_text_value(admin: UserInfo) -> None:
    memo = settings.create_variable(admin, name="Memo", type="text")
    for name in NAMES:
        create_note(admin, NoteInput(customer=name, body="hello", values={"Memo": name.upper()}))
    assert _notes_by(SortKey("customer", False)) == IN_ORDER
    assert _notes_by(SortKey("customer", True)) == IN_ORDER[::-1]
    assert _notes_by(SortKey(f"var:{memo.id}", False)) == IN_ORDER
    keys = [row.value_key for row in NoteValue.select().order_by(NoteValue.value_key)]
    assert keys[:3] == ["aether", "azur", "odegaard as"]


# --- uniqueness ---------------------------------------------------------------------------


@pytest.mark.parametrize("clash", ["OEUVRE", "oeuvre", "œuvre", "Oeuvre"])
def test_a_ligature_and_its_letters_are_the_same_name(
    database: peewee.Database, admin: UserInfo, clash: str
) -> None:
    customers.create_customer(admin, "Œuvre")
    error = refused(database, ValidationError, lambda: customers.create_customer(admin, clash))
    assert error.problem == f"a customer named {clash!r} exists already"
    assert customers.find_customer("OEUVRE") == customers.find_customer("Œuvre")


def test_status_names_fold_alike_too(database: peewee.Database, admin: UserInfo) -> None:
    badge = {"abbreviation": "ST", "font_color": "#000000", "background_color": "#FFFFFF"}
    settings.create_badge(admin, "status", name="Straße", **badge)
    with pytest.raises(ValidationError):
        settings.create_badge(admin, "status", name="STRASSE", **{**badge, "abbreviation": "S2"})
    assert [row.name_key for row in Status.select()] == ["strasse"]


# --- search -------------------------------------------------------------------------------


def _found(search: str) -> list[str]:
    pager = NotePager(NoteQuery(search=search), load_settings())
    return sorted(row.summary for row in pager.page(None, 100).rows)


def test_search_finds_a_ligature_by_its_letters_and_the_other_way(
    database: peewee.Database, admin: UserInfo
) -> None:
    create_note(admin, NoteInput(customer="Acme", body="Œuvre complète"))
    create_note(admin, NoteInput(customer="Globex", body="oeuvre posthume"))
    create_note(admin, NoteInput(customer="Ødegaard AS", body="devis envoyé"))
    create_note(admin, NoteInput(customer="Initech", body="Große Straße 5"))
    create_note(admin, NoteInput(customer="Umbrella", body="ex æquo"))
    both = ["oeuvre posthume", "Œuvre complète"]
    assert _found("oeuvre") == both
    assert _found("œuvre") == both
    assert _found("ŒUV") == both
    assert _found("odegaard") == ["devis envoyé"]
    assert _found("ødeg") == ["devis envoyé"]
    assert _found("strasse") == ["Große Straße 5"]
    assert _found("STRAẞE grosse") == ["Große Straße 5"]
    assert _found("aequo") == ["ex æquo"]
    assert _found("oeuvres") == []
    assert_index_matches_notes(database)


def test_renaming_a_customer_keeps_its_notes_found_by_the_folded_name(
    database: peewee.Database, admin: UserInfo
) -> None:
    create_note(admin, NoteInput(customer="Acme", body="rappeler mardi"))
    acme = customers.find_customer("Acme")
    assert acme is not None
    customers.update_customer(admin, acme.id, name="Œnologie Acme")
    assert _found("oenologie") == ["rappeler mardi"]
    assert _found("acme") == ["rappeler mardi"]


# --- migration 0008 -----------------------------------------------------------------------


def old_fold(text: str) -> str:
    """The fold of schema 6 and before: accents and case only."""
    spaced = " ".join(text.split())
    decomposed = unicodedata.normalize("NFKD", spaced)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def schema_6_database(tmp_path: Path) -> tuple[str, peewee.Database]:
    """A database at schema 6 (before these letters folded), on the engine of the run."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        db = open_postgres(POSTGRES_URL)
        target = POSTGRES_URL
    else:
        target = str(tmp_path / "old.sqlite3")
        db = open_sqlite(target)
    with db.atomic():
        schema_runner(db).up(target="0006_sign_in_failures")
    return target, db


OLD_CUSTOMERS = ["zèbre & fils", "Œuvre Boréale", "Odile", "Oeuvre", "Œuvre", "Ødegaard AS"]


def fill_the_old_way(db: peewee.Database) -> None:
    """Customers, a status, a text value and notes with the keys schema 6 computed."""
    sqlite = isinstance(db, peewee.SqliteDatabase)
    stamp = "2026-01-15 09:30:00" if sqlite else dt.datetime(2026, 1, 15, 9, 30)

    def run(sql: str, *params: object) -> None:
        db.execute_sql(sql.replace("?", db.param), params)

    with db.atomic():
        run(
            'INSERT INTO "user" (name, name_key, role, active, created_at, failed_sign_ins)'
            " VALUES (?, ?, 'admin', ?, ?, 0)",
            "Ana", "ana", True, stamp,
        )  # fmt: skip
        for name in OLD_CUSTOMERS:
            run(
                "INSERT INTO customer (name, name_key, email, phone, created_at)"
                " VALUES (?, ?, '', '', ?)",
                name, old_fold(name), stamp,
            )  # fmt: skip
        run(
            "INSERT INTO status (name, name_key, abbreviation, font_color, background_color,"
            " in_sequence, position, archived) VALUES (?, ?, 'ATT', '#000000', '#FFFFFF', ?, 0, ?)",
            "Hors-d'œuvre", old_fold("Hors-d'œuvre"), True, False,
        )  # fmt: skip
        run(
            "INSERT INTO variable (name, name_key, type, position, archived)"
            " VALUES ('Memo', 'memo', 'text', 0, ?)",
            False,
        )  # fmt: skip
        bodies = {1: "devis", 2: "Œuvre complète", 3: "rien", 6: "Große Straße"}
        for customer_id, body in bodies.items():
            note_id = customer_id * 1000
            run(
                "INSERT INTO note (id, customer_id, author_id, body, created_at, updated_at,"
                " version) VALUES (?, ?, 1, ?, ?, ?, 1)",
                note_id, customer_id, body, stamp, stamp,
            )  # fmt: skip
            value = "Ærø" if customer_id == 2 else "Azur"
            run(
                "INSERT INTO note_value (note_id, variable_id, value_text, value_key)"
                " VALUES (?, 1, ?, ?)",
                note_id, value, old_fold(value),
            )  # fmt: skip
            if not sqlite:
                name = OLD_CUSTOMERS[customer_id - 1]
                document = " ".join(re.findall(r"\w+", old_fold(f"{body} {name}")))
                run(
                    "INSERT INTO note_search (note_id, document)"
                    " VALUES (?, to_tsvector('simple', ?))",
                    note_id, document,
                )  # fmt: skip
        if sqlite:
            db.execute_sql("INSERT INTO note_fts (note_fts) VALUES ('rebuild')")
            db.execute_sql(
                "CREATE VIRTUAL TABLE temp.old_words USING fts5vocab(main, note_fts, 'row')"
            )
            db.execute_sql("INSERT OR IGNORE INTO search_term (term) SELECT term FROM old_words")


def test_migration_refolds_the_keys_and_the_search_of_an_older_database(
    tmp_path: Path,
) -> None:
    target, old = schema_6_database(tmp_path)
    fill_the_old_way(old)
    old.close()
    take_notices()

    db = connect(target)
    try:
        notices = take_notices()
        keys = dict(Customer.select(Customer.name, Customer.name_key).tuples())
        assert keys == {
            "zèbre & fils": "zebre & fils",
            "Œuvre Boréale": "oeuvre boreale",
            "Odile": "odile",
            "Oeuvre": "oeuvre",
            "Œuvre": "œuvre",  # "Oeuvre" has that key: this one keeps its old key
            "Ødegaard AS": "odegaard as",
        }
        assert notices == [
            "names that now count as the same (Œ as OE, Æ as AE, Ø as O, ß as SS):"
            " customer 'Oeuvre' and 'Œuvre'; rename one of them"
        ]
        assert [row.name for row in customer_block()][:4] == [
            "Ødegaard AS",
            "Odile",
            "Oeuvre",
            "Œuvre Boréale",
        ]
        assert [row.name_key for row in Status.select()] == ["hors-d'oeuvre"]
        values = dict(NoteValue.select(NoteValue.note, NoteValue.value_key).tuples())
        assert values == {1000: "azur", 2000: "aero", 3000: "azur", 6000: "azur"}
        assert _found("oeuvre") == ["Œuvre complète"]
        assert _found("odegaard") == ["Große Straße"]
        assert _found("strasse") == ["Große Straße"]
        assert_index_matches_notes(db)
    finally:
        db.close()
    db = connect(target)  # once: opening it again changes nothing and says nothing
    try:
        assert take_notices() == []
    finally:
        db.close()


def test_migration_of_a_database_without_those_letters_changes_nothing(tmp_path: Path) -> None:
    target, old = schema_6_database(tmp_path)
    with old.atomic():
        old.execute_sql(
            "INSERT INTO customer (name, name_key, email, phone, created_at)"
            f" VALUES ('Émile', 'emile', '', '', {old.param})",
            (dt.datetime(2026, 1, 1),),
        )
    old.close()
    db = connect(target)
    try:
        assert take_notices() == []
        assert list(Customer.select(Customer.name_key).tuples()) == [("emile",)]
    finally:
        db.close()


# --- SQLite's folded word list, whichever way notes were indexed ------------------------------


def assert_folded_words_complete(database: peewee.Database) -> None:
    """Every word FTS5 holds that ``fold`` spells otherwise is listed under that spelling."""
    database.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.all_words USING fts5vocab(main, note_fts, 'row')"
    )
    words = [term for (term,) in database.execute_sql("SELECT term FROM temp.all_words")]
    expected = {(fold(term), term) for term in words if fold(term) != term}
    listed = set(database.execute_sql("SELECT folded, term FROM search_term_folded").fetchall())
    assert expected <= listed
    assert expected  # the test has such words at all


def test_bulk_loads_list_the_folded_words_too(
    sqlite_database: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm_tui.domain import demo
    from crm_tui.i18n import set_language

    monkeypatch.setattr(demo, "BULK_MINIMUM", 100)  # the bulk path: index rebuilt at the end
    set_language("fr")
    try:
        settings.ensure_starter_settings()
        admin = users.create_user(None, "Ana")
        demo.build_demo(admin, notes=600, seed=2, today=dt.date(2026, 11, 29))
    finally:
        set_language("en")
    assert_folded_words_complete(sqlite_database)
    create_note(admin, NoteInput(customer="Ærø Handel", body="Großhändler, cœur de gamme"))
    assert_folded_words_complete(sqlite_database)
    assert _found("grosshandler") == ["Großhändler, cœur de gamme"]
    assert _found("aero coeur") == ["Großhändler, cœur de gamme"]


def test_a_folded_word_that_begins_very_many_words_becomes_prefix_queries(
    sqlite_database: peewee.Database,
) -> None:
    from crm_tui.db import search_index

    admin = users.create_user(None, "Ana")
    many = search_index.MAX_WORDS_PER_PREFIX + 1
    body = " ".join(f"œuvre{number}" for number in range(many))
    create_note(admin, NoteInput(customer="Acme", body=body))
    create_note(admin, NoteInput(customer="Acme", body="oeuvrette"))
    create_note(admin, NoteInput(customer="Acme", body="œil"))
    # Each listed word cut to the search word's length: "œuvr" begins every "œuvreN".
    assert search_index.sqlite_match(sqlite_database, ["oeuv"]) == '("oeuvrette" OR "œuvr"*)'
    found_notes = _found("oeuv")
    assert len(found_notes) == 2 and "oeuvrette" in found_notes
    assert len(_found("oeuvre64")) == 1
