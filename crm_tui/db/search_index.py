"""Full-text index upkeep: SQLite FTS5 (external content) or a PostgreSQL tsvector.

Both index the words of the note body and the customer name, case- and accent-folded
(SQLite by FTS5's ``unicode61 remove_diacritics 2`` tokenizer, PostgreSQL from the
document the domain makes of them, ``domain.search.search_document``). FTS5 leaves some
letters as they are (``œuvre``, ``ødegaard``, ``straße``) that ``fold`` spells out
(``oeuvre``, ``odegaard``, ``strasse``): SQLite keeps those words under their folded
spelling too (``search_term_folded``), so a search gives the same notes on both engines.
The notes query reads these indexes; this module writes them, inside the caller's
transaction, and spells search words as SQLite's ``MATCH`` text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import peewee

from crm_tui.db.database import is_sqlite
from crm_tui.db.folding import fold

Documenter = Callable[[str, str], str]
"""``(body, customer_name)`` → the folded words a note is found by (PostgreSQL's document)."""

# The tokenizer of ``note_fts`` (migration 0001).
TOKENIZER = "unicode61 remove_diacritics 2"
_FTS_INSERT = "INSERT INTO note_fts (rowid, body, customer) VALUES (?, ?, ?)"
_FTS_DELETE = "INSERT INTO note_fts (note_fts, rowid, body, customer) VALUES ('delete', ?, ?, ?)"
_PG_UPSERT = (
    "INSERT INTO note_search (note_id, document) VALUES (%s, to_tsvector('simple', %s)) "
    "ON CONFLICT (note_id) DO UPDATE SET document = EXCLUDED.document"
)


def index_notes(
    database: peewee.Database, rows: Iterable[tuple[int, str, str]], document: Documenter
) -> None:
    """Add ``(note_id, body, customer_name)`` rows to the index (new notes)."""
    if is_sqlite(database):
        rows = list(rows)
        database.cursor().executemany(_FTS_INSERT, rows)
        _remember_terms(database, [(body, name) for _nid, body, name in rows])
    else:
        database.cursor().executemany(
            _PG_UPSERT, [(nid, document(body, name)) for nid, body, name in rows]
        )


def unindex_notes(database: peewee.Database, rows: Iterable[tuple[int, str, str]]) -> None:
    """Remove notes from the index, given the body and customer name they were indexed with."""
    if is_sqlite(database):
        database.cursor().executemany(_FTS_DELETE, list(rows))
    else:
        ids = [(nid,) for nid, _body, _name in rows]
        database.cursor().executemany("DELETE FROM note_search WHERE note_id = %s", ids)


def reindex_note(
    database: peewee.Database,
    note_id: int,
    old: tuple[str, str],
    new: tuple[str, str],
    document: Documenter,
) -> None:
    """Replace one note's entry after its body or customer changed."""
    if old == new:
        return
    if is_sqlite(database):
        unindex_notes(database, [(note_id, *old)])
    index_notes(database, [(note_id, *new)], document)


def rebuild_sqlite_index(database: peewee.Database) -> None:
    """Rebuild the whole SQLite FTS index from the notes (after a bulk load)."""
    database.execute_sql("INSERT INTO note_fts (note_fts) VALUES ('rebuild')")
    remember_all_terms(database)


# The new notes with their customer's name, walked from the ids (``CROSS JOIN`` fixes the
# order: left to the planner, it scanned every note to probe the few new ids).
_NEW_NOTES = (
    "bulk_note_ids b CROSS JOIN note n ON n.id = b.id JOIN customer c ON c.id = n.customer_id"
)


def bulk_index_sqlite(database: peewee.Database, note_ids: Iterable[int]) -> None:
    """Index many new notes with one ``INSERT … SELECT`` (bulk import, demo)."""
    database.execute_sql("CREATE TEMP TABLE IF NOT EXISTS bulk_note_ids (id INTEGER PRIMARY KEY)")
    database.execute_sql("DELETE FROM bulk_note_ids")
    database.cursor().executemany(
        "INSERT INTO bulk_note_ids (id) VALUES (?)", [(nid,) for nid in note_ids]
    )
    database.execute_sql(
        "INSERT INTO note_fts (rowid, body, customer) SELECT n.id, n.body, c.name "
        f"FROM {_NEW_NOTES}"
    )
    _scratch_index(database)
    database.execute_sql(
        f"INSERT INTO temp.term_scratch (body, customer) SELECT n.body, c.name FROM {_NEW_NOTES}"
    )
    _keep_scratch_terms(database)
    database.execute_sql("DELETE FROM bulk_note_ids")


# --- the SQLite word list -----------------------------------------------------------
# FTS5 answers a prefix query (``"sampl"*``) by merging the whole list of every word that
# begins so before returning a row: 14 ms for a common word at 1,000,000 notes. The same
# words spelt out (``"sample" OR "samples"``) are read lazily, newest first: 0.4 ms. So
# ``search_term`` keeps every word the index has ever held, as FTS5 itself tokenised it
# (read back through ``fts5vocab``, never re-tokenised in Python), and a search word
# becomes the words it begins. Words of deleted notes stay: they only match nothing.
# ``search_term_folded`` (migration 0008) keeps, for the few words ``fold`` spells
# otherwise (``œuvre`` → ``oeuvre``; only words with a letter outside ASCII can), the
# folded spelling next to the indexed one: a search word (always folded) is also looked
# up there, so "oeuvre" and "œuvre" both find "Œuvre".

# A search word that begins more words than this stays a prefix query.
MAX_WORDS_PER_PREFIX = 64


def sqlite_match(database: peewee.Database, tokens: Sequence[str]) -> str:
    """The FTS5 ``MATCH`` text finding notes with a word beginning with each of ``tokens``.

    ``tokens`` are folded search words; a word the index holds in another spelling
    (``œuvre`` for ``oeuvre``) is found through ``search_term_folded``.
    """
    parts = []
    for token in tokens:
        following = token[:-1] + chr(ord(token[-1]) + 1)
        bounds = (token, following, MAX_WORDS_PER_PREFIX + 1)
        words = [
            row[0]
            for row in database.execute_sql(
                "SELECT term FROM search_term WHERE term >= ? AND term < ? LIMIT ?", bounds
            )
        ]
        spelt = [
            row[0]
            for row in database.execute_sql(
                "SELECT DISTINCT term FROM search_term_folded WHERE folded >= ? AND folded < ?"
                " LIMIT ?",
                bounds,
            )
        ]
        queries = [_quoted(word) for word in words]
        if len(words) > MAX_WORDS_PER_PREFIX:
            queries = [f"{_quoted(token)}*"]
        if len(spelt) > MAX_WORDS_PER_PREFIX:
            queries += [f"{_quoted(start)}*" for start in _spelt_starts(database, token, following)]
        else:
            queries += [_quoted(word) for word in spelt if word not in words]
        if not queries:
            parts.append(_quoted(token))  # a word the index has never held: nothing matches
        elif len(queries) == 1 and queries[0].endswith("*"):
            parts.append(queries[0])
        else:
            parts.append("(" + " OR ".join(queries) + ")")
    return " AND ".join(parts)


def _spelt_starts(database: peewee.Database, token: str, following: str) -> list[str]:
    """The beginnings, as indexed, of the words whose folded spelling begins with ``token``.

    Each is the indexed word cut to ``token``'s length: folding never shortens a word,
    so every word beginning so folds to a word beginning with ``token``.
    """
    return [
        row[0]
        for row in database.execute_sql(
            "SELECT DISTINCT substr(term, 1, ?) FROM search_term_folded"
            " WHERE folded >= ? AND folded < ?",
            (len(token), token, following),
        )
    ]


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def remember_all_terms(database: peewee.Database) -> None:
    """Add every word of the SQLite index to ``search_term`` (after a rebuild)."""
    database.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.note_fts_words"
        " USING fts5vocab(main, note_fts, 'row')"
    )
    database.execute_sql(
        "INSERT OR IGNORE INTO search_term (term) SELECT term FROM temp.note_fts_words"
    )
    remember_folded_terms(database, "temp.note_fts_words")


# A word with a character outside printable ASCII: only such a word can fold otherwise.
_NOT_ASCII = "term GLOB '*[^ -~]*'"


def remember_folded_terms(database: peewee.Database, words: str) -> None:
    """Keep in ``search_term_folded`` the words of the table ``words`` (a ``term`` column)
    that ``fold`` spells otherwise, under that spelling."""
    folded = []
    for (term,) in database.execute_sql(f"SELECT term FROM {words} WHERE {_NOT_ASCII}"):
        spelling = fold(term)
        if spelling != term:
            folded.append((spelling, term))
    if folded:
        database.cursor().executemany(
            "INSERT OR IGNORE INTO search_term_folded (folded, term) VALUES (?, ?)", folded
        )


def _scratch_index(database: peewee.Database) -> None:
    """An empty in-memory index tokenising as ``note_fts`` does, to read a few notes' words."""
    database.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.term_scratch USING fts5(body, customer,"
        f" tokenize='{TOKENIZER}')"
    )
    database.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.term_scratch_words"
        " USING fts5vocab(temp, term_scratch, 'row')"
    )
    database.execute_sql("DELETE FROM temp.term_scratch")


def _keep_scratch_terms(database: peewee.Database) -> None:
    database.execute_sql(
        "INSERT OR IGNORE INTO search_term (term) SELECT term FROM temp.term_scratch_words"
    )
    remember_folded_terms(database, "temp.term_scratch_words")
    database.execute_sql("DELETE FROM temp.term_scratch")


def _remember_terms(database: peewee.Database, documents: Sequence[tuple[str, str]]) -> None:
    """Add the words of ``(body, customer_name)`` documents to ``search_term``."""
    if not documents:
        return
    _scratch_index(database)
    database.cursor().executemany(
        "INSERT INTO temp.term_scratch (body, customer) VALUES (?, ?)", documents
    )
    _keep_scratch_terms(database)
