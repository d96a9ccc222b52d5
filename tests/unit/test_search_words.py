"""SQLite search spells a search word out as the indexed words it begins (``search_term``)."""

from __future__ import annotations

from pathlib import Path

import peewee
from test_db_snapshot import assert_index_matches_notes

from crm_tui.db import search_index
from crm_tui.db.database import connect
from crm_tui.db.notes_query.statements import SUMMARY_CHARS
from crm_tui.domain import users
from crm_tui.domain.notes import NoteInput, create_note, delete_note, update_note
from crm_tui.domain.query import NotePager, NoteQuery
from crm_tui.domain.settings import load_settings


def _listed(search_words: str) -> list[str]:
    """The bodies the notes list shows for a search, newest first."""
    page = NotePager(NoteQuery(search=search_words), load_settings()).page(None, 100)
    return [row.summary for row in page.rows]


def test_a_search_word_becomes_the_words_it_begins(sqlite_database: peewee.Database) -> None:
    admin = users.create_user(None, "Ana")
    create_note(admin, NoteInput(customer="Acme", body="one sample"))
    create_note(admin, NoteInput(customer="Globex", body="two samples, sampling"))
    create_note(admin, NoteInput(customer="Initech", body="no match: salmon"))

    assert search_index.sqlite_match(sqlite_database, ["sampl"]) == (
        '("sample" OR "samples" OR "sampling")'
    )
    assert _listed("sampl") == ["two samples, sampling", "one sample"]
    assert _listed("SAMPLES") == ["two samples, sampling"]
    assert _listed("sampl glob") == ["two samples, sampling"]
    assert_index_matches_notes(sqlite_database)


def test_accented_words_are_found_by_their_plain_start(sqlite_database: peewee.Database) -> None:
    admin = users.create_user(None, "Ana")
    create_note(admin, NoteInput(customer="Épicerie Côté", body="Échantillon envoyé"))
    assert search_index.sqlite_match(sqlite_database, ["echant"]) == '("echantillon")'
    assert _listed("ÉCHANT") == ["Échantillon envoyé"]
    assert _listed("cote") == ["Échantillon envoyé"]


def test_a_word_never_indexed_matches_nothing(sqlite_database: peewee.Database) -> None:
    admin = users.create_user(None, "Ana")
    create_note(admin, NoteInput(customer="Acme", body="hello"))
    assert search_index.sqlite_match(sqlite_database, ["zebra"]) == '"zebra"'
    assert _listed("zebra") == []


def test_words_of_edited_and_deleted_notes_stay_but_find_nothing(
    sqlite_database: peewee.Database,
) -> None:
    admin = users.create_user(None, "Ana")
    note_id = create_note(admin, NoteInput(customer="Acme", body="giraffe"))
    update_note(admin, note_id, NoteInput(customer="Acme", body="okapi"))
    assert _listed("gira") == []
    assert _listed("oka") == ["okapi"]
    delete_note(admin, note_id)
    assert _listed("oka") == []
    assert_index_matches_notes(sqlite_database)


def test_a_word_that_begins_very_many_words_stays_a_prefix_query(
    sqlite_database: peewee.Database,
) -> None:
    admin = users.create_user(None, "Ana")
    many = search_index.MAX_WORDS_PER_PREFIX + 1
    body = " ".join(f"wa{number}" for number in range(many))
    create_note(admin, NoteInput(customer="Acme", body=body))
    create_note(admin, NoteInput(customer="Acme", body="wb"))
    assert search_index.sqlite_match(sqlite_database, ["wa"]) == '"wa"*'
    assert _listed("wa") == [body[:SUMMARY_CHARS].rstrip()]  # a list row reads that much
    words = " ".join(f"wc{number}" for number in range(many - 1))
    create_note(admin, NoteInput(customer="Acme", body=words))
    assert search_index.sqlite_match(sqlite_database, ["wc"]).count(" OR ") == many - 2


def test_upgrading_fills_the_word_list_from_the_index(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    database = connect(str(path))
    admin = users.create_user(None, "Ana")
    create_note(admin, NoteInput(customer="Acme", body="Quarterly forecast"))
    with database.atomic():  # back to version 3: no word list
        database.execute_sql("DROP TABLE search_term")
        database.execute_sql("DELETE FROM schema_migration WHERE name = '0004_search_terms'")
    database.close()

    upgraded = connect(str(path))
    try:
        words = [row[0] for row in upgraded.execute_sql("SELECT term FROM search_term")]
        assert words == ["acme", "forecast", "quarterly"]
        assert _listed("quart") == ["Quarterly forecast"]
    finally:
        upgraded.close()


def test_indexing_new_notes_walks_from_their_ids(sqlite_database: peewee.Database) -> None:
    # Left to the planner, a 1,000,000-note database scanned every note to index one.
    sqlite_database.execute_sql(
        "CREATE TEMP TABLE IF NOT EXISTS bulk_note_ids (id INTEGER PRIMARY KEY)"
    )
    plan = [
        row[3]
        for row in sqlite_database.execute_sql(
            f"EXPLAIN QUERY PLAN SELECT n.body, c.name FROM {search_index._NEW_NOTES}"
        )
    ]
    assert plan[0] == "SCAN b"
    assert all(not step.startswith("SCAN") for step in plan[1:])
