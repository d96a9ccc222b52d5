"""The storage layer: opening, models, schema migrations, and every SQL statement.

Engine checks (SQLite or PostgreSQL) and dialect SQL live here only. Reading side:
``notes_query`` (the notes list's compiled query, walked by keyset), ``search_index``
(FTS5 / tsvector), ``change_watch`` (what other processes changed), ``customer_pages``.
``folding``: the folded text every stored sort key, uniqueness key and search word is.
This package imports no ``crm_tui.domain`` and no ``textual``.
"""
