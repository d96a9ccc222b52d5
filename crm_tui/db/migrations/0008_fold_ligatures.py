"""Version 8: Œ, Æ, Ø and ß fold as oe, ae, o and ss, in every stored key.

``fold`` (``crm_tui/db/folding.py``) now spells the letters Unicode does not decompose
as French readers expect (``FOLDED_LETTERS``): "Œuvre Boréale" has the key
``oeuvre boreale`` and sorts between "Odile" and "Ouest", where ``œuvre boreale`` sorted
after "zèbre". ``ß`` already folded to ``ss``; the keys that change are those holding
``œ``, ``æ`` or ``ø``, and only those rows are read back and rewritten, in batches:

* ``name_key`` of users, customers, statuses, actions, variables, options, saved views;
* ``value_key`` of text values;
* PostgreSQL: the search document of the notes that hold such a word;
* SQLite: ``search_term_folded`` is made, the indexed words ``fold`` spells otherwise
  (``œuvre`` → ``oeuvre``), so a search finds them by their folded spelling. FTS5 itself
  indexes as before: nothing to rebuild.

Two names that now fold alike ("Oeuvre" and "Œuvre", both customers) are not merged: the
one whose key would change keeps its old key (it still sorts as before), and the
migration says so on stderr (``crm_tui.db.schema.NOTICES``) so that one can be renamed.
"""

from peewee import SqliteDatabase

from crm_tui.i18n import N_

BATCH = 1000
CHANGED_LETTERS = ("œ", "æ", "ø")
"""What a key held before this version that it spells otherwise now (old keys were
casefolded, accents removed: "Ǿ" and "ꟹ" left ``ø`` and ``œ`` too; ``ß`` was already
``ss``). Each is now spelt as ``FOLDED_LETTERS`` says."""
# (table, column of the name, column of its key, column the name is unique within, kind)
NAMED = (
    ("user", "name", "name_key", None, N_("user")),
    ("customer", "name", "name_key", None, N_("customer")),
    ("status", "name", "name_key", None, N_("status")),
    ("action", "name", "name_key", None, N_("action")),
    ("variable", "name", "name_key", None, N_("variable")),
    ("option", "name", "name_key", "variable_id", N_("option")),
    ("saved_view", "name", "name_key", "user_id", N_("saved view")),
)


def _holds_changed_letter(column, sqlite):
    position = "instr" if sqlite else "strpos"
    held = " OR ".join(f"{position}({column}, '{letter}') > 0" for letter in CHANGED_LETTERS)
    return f"({held})"


def _mark(sqlite):
    return "?" if sqlite else "%s"


def _refold_names(db, sqlite, table, name_column, key_column, scope, kind, fold, clashes):
    """New keys for the rows of ``table`` whose key changes; a taken key is kept old."""
    mark = _mark(sqlite)
    scoped = f"{scope}, " if scope else "NULL, "
    changes = _holds_changed_letter(key_column, sqlite)
    select = (
        f'SELECT id, {scoped}{name_column}, {key_column} FROM "{table}"'
        f" WHERE {changes} AND id > {mark} ORDER BY id LIMIT {BATCH}"
    )
    taken_sql = f'SELECT {name_column} FROM "{table}" WHERE {key_column} = {mark} AND id <> {mark}'
    if scope:
        taken_sql += f" AND {scope} = {mark}"
    update = f'UPDATE "{table}" SET {key_column} = {mark} WHERE id = {mark}'
    last = 0
    while True:
        rows = db.execute_sql(select, (last,)).fetchall()
        if not rows:
            return
        for row_id, scope_id, name, old_key in rows:
            last = row_id
            key = fold(name)
            if key == old_key:
                continue
            params = (key, row_id, scope_id) if scope else (key, row_id)
            other = db.execute_sql(taken_sql, params).fetchone()
            if other is not None:
                clashes.append((kind, other[0], name))
                continue
            db.execute_sql(update, (key, row_id))


def _refold_values(db, sqlite, fold):
    """New ``value_key`` for the text values whose key changes (not unique: all change)."""
    mark = _mark(sqlite)
    select = (
        "SELECT note_id, variable_id, value_text FROM note_value"
        f" WHERE value_key IS NOT NULL AND {_holds_changed_letter('value_key', sqlite)}"
        f" AND (note_id, variable_id) > ({mark}, {mark})"
        f" ORDER BY note_id, variable_id LIMIT {BATCH}"
    )
    update = (
        f"UPDATE note_value SET value_key = {mark} WHERE note_id = {mark} AND variable_id = {mark}"
    )
    last = (-(2**62), 0)
    while True:
        rows = db.execute_sql(select, last).fetchall()
        if not rows:
            return
        db.cursor().executemany(
            update,
            [(fold(text or ""), note_id, variable_id) for note_id, variable_id, text in rows],
        )
        last = rows[-1][:2]


def _refold_postgres_documents(db, folded_letters):
    """New search documents for the notes whose document holds a word that changes.

    A document is the folded words of the note (with their positions): the new one is the
    old one with each changed letter spelt as ``folded_letters`` says, merged by
    PostgreSQL where two words became one (``œuvre`` and ``oeuvre``). One statement: no
    note text is read back (a tenth of the time at 200,000 notes).
    """
    respelt = "document::text"
    for letter in CHANGED_LETTERS:
        respelt = f"replace({respelt}, '{letter}', '{folded_letters[letter]}')"
    db.execute_sql(
        f"UPDATE note_search SET document = {respelt}::tsvector"
        f" WHERE {_holds_changed_letter('document::text', sqlite=False)}"
    )


def _fold_sqlite_search_words(db):
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS search_term_folded (folded TEXT NOT NULL, term TEXT NOT NULL,"
        " PRIMARY KEY (folded, term)) WITHOUT ROWID"
    )
    from crm_tui.db.search_index import remember_folded_terms

    remember_folded_terms(db, "search_term")


def up(migrator, db):
    from crm_tui.db.folding import FOLDED_LETTERS, fold
    from crm_tui.db.schema import NOTICES
    from crm_tui.i18n import _

    sqlite = isinstance(db, SqliteDatabase)
    clashes: list[tuple[str, str, str]] = []
    for table, name_column, key_column, scope, kind in NAMED:
        _refold_names(db, sqlite, table, name_column, key_column, scope, kind, fold, clashes)
    _refold_values(db, sqlite, fold)
    if sqlite:
        _fold_sqlite_search_words(db)
    else:
        _refold_postgres_documents(db, FOLDED_LETTERS)
    for kind, first, second in clashes:
        NOTICES.append(
            _(
                "names that now count as the same (Œ as OE, Æ as AE, Ø as O, ß as SS):"
                " {kind} {first!r} and {second!r}; rename one of them"
            ).format(kind=_(kind), first=first, second=second)
        )


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TABLE IF EXISTS search_term_folded")
