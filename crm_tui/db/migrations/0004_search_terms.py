"""Version 4: SQLite keeps the list of words its full-text index holds.

``search_term`` holds every word FTS5 has indexed, as FTS5 tokenised it. A search word
is looked up there and spelt out as the words it begins, which FTS5 reads lazily,
newest first, instead of merging every matching list as a prefix query does (see
``crm_tui/db/search_index.py``). Filled from the index's vocabulary: under a second at
1,000,000 notes. PostgreSQL needs nothing.
"""

from peewee import SqliteDatabase


def up(migrator, db):
    if not isinstance(db, SqliteDatabase):
        return
    db.execute_sql("CREATE TABLE IF NOT EXISTS search_term (term TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.note_fts_words"
        " USING fts5vocab(main, note_fts, 'row')"
    )
    db.execute_sql("INSERT OR IGNORE INTO search_term (term) SELECT term FROM temp.note_fts_words")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TABLE IF EXISTS search_term")
