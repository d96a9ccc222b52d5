"""Each customer's current state, kept in the same transaction as every note write.

Two tables (migration 10), derived from the notes only:

* ``customer_state``: one row per customer that has notes: its newest note (highest id)
  and that note's assignee; the status of its newest note that has one (and that note);
  the option of the time-zone variable on its newest note that has one (and that note);
* ``customer_value``: per customer and variable, the newest value among its notes (a
  ``note_value`` row is never blank: a blank value is no row), with the note it is on,
  and the customer's current status copied beside it (``status_id``): the sums by status
  and the board's pages read one index (``customer_value_stage``), no join.

``refresh_customers`` brings some customers up to date after a write that touched some
notes (created, edited, deleted, undone): the touched notes' values are upserted where
they are newer than the kept ones, and only a value whose note was touched is looked for
again, walking that customer's notes newest first to the first that has one (a save on a
customer with 5,000 notes reads a few rows, not 5,000); the state row is recomputed
(a few index seeks). ``refresh_marked`` does it for a bulk edit's notes (its temporary
table); ``rebuild_all`` recomputes everything set-based (big imports and the demo: one
statement per table). The property test (tests/unit/test_customer_state.py) checks the
kept tables against a recomputation from the notes after random writes.

The time-zone variable is the first dropdown (settings order, archived ones skipped)
one of whose options carries a zone (``Settings.time_zone_variable``), read here in SQL;
when settings change which variable that is, ``sync_zones`` sets every customer's zone
again (one statement).

The pipeline's reads of these tables (sums by status, cards of one stage, amounts by
close month) are in ``pipeline_reads``.

Migration 12 keeps, beside each customer's status in ``customer_state``, its close month
and amount (``close_month``, ``amount_cents``): the newest values of the two variables
``pipeline_kept`` names (the pipeline's default close date and currency, set by the
domain as settings change, ``keep_pipeline_variables``). Amounts by close month of those
variables are then one GROUP BY of one index; of other variables, the lookups as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import peewee

from crm_tui.db.database import SqlCursor, is_sqlite

VALUE_COLUMNS = ("value_text", "value_key", "value_num", "value_cents", "value_date", "option_id")
"""The typed columns of ``customer_value`` (as ``note_value``'s); ``status_id`` besides
them is the customer's current status, copied there so that the sums by status read one
index (``customer_value_stage``)."""
STATE_COLUMNS = (
    "customer_id",
    "note_id",
    "assignee_id",
    "status_id",
    "status_note_id",
    "zone_option_id",
    "zone_note_id",
)
REFRESH_TABLE = "crm_refresh"
"""The temporary table of the customers a refresh works on (this connection's)."""
_CHUNK = 500
ZONE_VARIABLE_SQL = (
    "SELECT v.id FROM variable v WHERE v.type = 'dropdown' AND NOT v.archived"
    " AND EXISTS (SELECT 1 FROM option o WHERE o.variable_id = v.id"
    " AND o.time_zone IS NOT NULL AND o.time_zone <> '')"
    " ORDER BY v.position, v.id LIMIT 1"
)


def engine_sql(database: peewee.Database, sql: str) -> str:
    """``sql`` written with ``?`` placeholders, for ``database``."""
    return sql if is_sqlite(database) else sql.replace("?", "%s")


def run_sql(database: peewee.Database, sql: str, params: Sequence[object] = ()) -> SqlCursor:
    return database.execute_sql(engine_sql(database, sql), params)


def zone_variable_id(database: peewee.Database) -> int | None:
    """The id of the time-zone variable, as the settings in the database say now."""
    row = run_sql(database, ZONE_VARIABLE_SQL).fetchone()
    return int(row[0]) if row else None


# --- writing ---------------------------------------------------------------------------

TOUCHED_TABLE = "crm_touched"
"""The temporary table of the notes a write touched (created, changed, deleted)."""
WALK_TABLE = "crm_walk"
"""The temporary table of the (customer, variable) pairs whose newest value must be found
again: the note it was on was touched."""
_SET_VALUES = ", ".join(f"{name} = excluded.{name}" for name in ("note_id", *VALUE_COLUMNS))
_NEWER = f" ON CONFLICT (customer_id, variable_id) DO UPDATE SET {_SET_VALUES}" + (
    " WHERE excluded.note_id > customer_value.note_id"
)
_VALUE_HEAD = (
    f"INSERT INTO customer_value (customer_id, variable_id, note_id, {', '.join(VALUE_COLUMNS)})"
)
_V_COLUMNS = ", ".join(f"v.{name}" for name in VALUE_COLUMNS)


def _all_values_sql(sqlite: bool) -> str:
    """Insert every customer's newest value of each variable (the rebuild): SQLite takes
    the bare columns of the row holding ``MAX()``; PostgreSQL ``DISTINCT ON``."""
    if sqlite:
        return (
            f"{_VALUE_HEAD} SELECT n.customer_id, v.variable_id, MAX(v.note_id), {_V_COLUMNS}"
            " FROM note n JOIN note_value v ON v.note_id = n.id"
            " GROUP BY n.customer_id, v.variable_id"
        )
    return (
        f"{_VALUE_HEAD} SELECT DISTINCT ON (n.customer_id, v.variable_id) n.customer_id,"
        f" v.variable_id, v.note_id, {_V_COLUMNS}"
        " FROM note n JOIN note_value v ON v.note_id = n.id"
        " ORDER BY n.customer_id, v.variable_id, v.note_id DESC"
    )


def _touched_values_sql(sqlite: bool) -> str:
    """Upsert the values of the touched notes where they are newer than the kept ones."""
    join = "CROSS JOIN" if sqlite else "JOIN"  # SQLite: from the few touched notes out
    source = (
        f" FROM {TOUCHED_TABLE} t {join} note n ON n.id = t.note_id"
        f" {join} note_value v ON v.note_id = n.id"
    )
    if sqlite:  # rows are applied in order: the newest note's value wins
        return (
            f"{_VALUE_HEAD} SELECT n.customer_id, v.variable_id, v.note_id, {_V_COLUMNS}"
            f"{source} WHERE 1 = 1 ORDER BY v.note_id{_NEWER}"
        )
    return (  # PostgreSQL takes one row per key in one statement
        f"{_VALUE_HEAD} SELECT DISTINCT ON (n.customer_id, v.variable_id) n.customer_id,"
        f" v.variable_id, v.note_id, {_V_COLUMNS}{source}"
        f" ORDER BY n.customer_id, v.variable_id, v.note_id DESC{_NEWER}"
    )


WALKED_VALUES_SQL = (
    f"{_VALUE_HEAD} SELECT w.customer_id, w.variable_id, v.note_id, {_V_COLUMNS}"
    f" FROM {WALK_TABLE} w JOIN note_value v ON v.variable_id = w.variable_id"
    " AND v.note_id = (SELECT n.id FROM note n JOIN note_value x ON x.note_id = n.id"
    " AND x.variable_id = w.variable_id WHERE n.customer_id = w.customer_id"
    f" ORDER BY n.id DESC LIMIT 1) WHERE 1 = 1{_NEWER}"
)
"""Each walked pair's newest value: the customer's notes newest first, to the first that
has the variable."""


ALL_NEWEST = "SELECT customer_id, MAX(id) AS note_id FROM note GROUP BY customer_id"
"""Every customer's newest note (one walk of ``note_customer``)."""
REFRESHED_NEWEST = (
    "SELECT customer_id, note_id FROM (SELECT r.customer_id, (SELECT MAX(x.id) FROM note x"
    f" WHERE x.customer_id = r.customer_id) AS note_id FROM {REFRESH_TABLE} r) m"
    " WHERE note_id IS NOT NULL"
)
"""The newest note of each refreshed customer that still has notes (one seek each)."""


PIPELINE_TABLE = "pipeline_kept"
"""One row: the close-date and currency variables whose values ``customer_state`` keeps
beside each customer's status (``close_month``, ``amount_cents``; migration 12)."""
PIPELINE_COLUMNS = ("close_month", "amount_cents")


def month_start_sql(database_or_sqlite: peewee.Database | bool, column: str) -> str:
    """The first day of ``column``'s month, as a date."""
    sqlite = (
        database_or_sqlite
        if isinstance(database_or_sqlite, bool)
        else is_sqlite(database_or_sqlite)
    )
    if sqlite:
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS DATE)"


def pipeline_variables(database: peewee.Database) -> tuple[int | None, int | None]:
    """The close-date and currency variables ``customer_state`` keeps the values of."""
    row = run_sql(
        database, f"SELECT close_variable_id, sum_variable_id FROM {PIPELINE_TABLE}"
    ).fetchone()
    if row is None:
        return None, None
    return (
        None if row[0] is None else int(row[0]),
        None if row[1] is None else int(row[1]),
    )


def keep_pipeline_variables(
    database: peewee.Database, close_variable_id: int | None, sum_variable_id: int | None
) -> None:
    """Keep the values of these variables beside each customer's status from now on
    (every customer's set again, one statement, when they are not the kept ones)."""
    wanted = (close_variable_id, sum_variable_id)
    if pipeline_variables(database) == wanted:
        return
    _name_pipeline_variables(database, wanted)
    value = (
        "SELECT {col} FROM customer_value v WHERE v.customer_id = customer_state.customer_id"
        " AND v.variable_id = {variable}"
    )
    close = value.format(
        col=month_start_sql(database, "v.value_date"), variable=int(close_variable_id or 0)
    )
    amount = value.format(col="v.value_cents", variable=int(sum_variable_id or 0))
    run_sql(
        database, f"UPDATE customer_state SET close_month = ({close}), amount_cents = ({amount})"
    )


def _name_pipeline_variables(
    database: peewee.Database, variables: tuple[int | None, int | None]
) -> None:
    run_sql(database, f"DELETE FROM {PIPELINE_TABLE}")
    run_sql(
        database,
        f"INSERT INTO {PIPELINE_TABLE} (close_variable_id, sum_variable_id) VALUES (?, ?)",
        list(variables),
    )


def _states_sql(
    newest: str, zone_variable: int | None, pipeline: tuple[int | None, int | None], sqlite: bool
) -> str:
    """Insert the state of the customers whose newest notes ``newest`` selects, after
    their values (the zone, close month and amount are read from ``customer_value``)."""
    zone = "NULL" if zone_variable is None else str(int(zone_variable))
    close, amount = (str(int(variable or 0)) for variable in pipeline)
    return (
        f"INSERT INTO customer_state ({', '.join((*STATE_COLUMNS, *PIPELINE_COLUMNS))})"
        " SELECT c.customer_id, c.note_id, n.assignee_id, s.status_id, s.id,"
        f" z.option_id, z.note_id, {month_start_sql(sqlite, 'cm.value_date')}, am.value_cents"
        f" FROM ({newest}) c"
        " JOIN note n ON n.id = c.note_id"
        " LEFT JOIN note s ON s.id = (SELECT x.id FROM note x WHERE"
        " x.customer_id = c.customer_id AND x.status_id IS NOT NULL"
        " ORDER BY x.id DESC LIMIT 1)"
        f" LEFT JOIN customer_value z ON z.customer_id = c.customer_id"
        f" AND z.variable_id = {zone}"
        f" LEFT JOIN customer_value cm ON cm.customer_id = c.customer_id"
        f" AND cm.variable_id = {close}"
        f" LEFT JOIN customer_value am ON am.customer_id = c.customer_id"
        f" AND am.variable_id = {amount}"
    )


def _status_sync_sql(scope: str) -> str:
    """Copy each customer's current status onto its values (the sums read it there)."""
    return (
        "UPDATE customer_value SET status_id = (SELECT s.status_id FROM customer_state s"
        " WHERE s.customer_id = customer_value.customer_id)"
        f" WHERE {scope}"
    )


def _temp_tables(database: peewee.Database) -> None:
    big = "INTEGER" if is_sqlite(database) else "BIGINT"
    for sql in (
        f"CREATE TEMP TABLE IF NOT EXISTS {REFRESH_TABLE} (customer_id INTEGER PRIMARY KEY)",
        f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED_TABLE} (note_id {big} PRIMARY KEY)",
        f"CREATE TEMP TABLE IF NOT EXISTS {WALK_TABLE} (customer_id INTEGER NOT NULL,"
        " variable_id INTEGER NOT NULL, PRIMARY KEY (customer_id, variable_id))",
    ):
        run_sql(database, sql)
    for table in (REFRESH_TABLE, TOUCHED_TABLE, WALK_TABLE):
        run_sql(database, f"DELETE FROM {table}")


def _insert_ids(database: peewee.Database, table: str, column: str, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join(["(?)"] * len(chunk))
        run_sql(database, f"INSERT INTO {table} ({column}) VALUES {marks}", chunk)


def refresh_customers(
    database: peewee.Database, customer_ids: Iterable[int], note_ids: Iterable[int]
) -> None:
    """Bring the state and values of ``customer_ids`` up to date after a write that
    touched (created, changed or deleted) ``note_ids``, all of them notes of those
    customers before or after the write.

    Call inside the transaction that wrote the notes, after the writes. Only the touched
    notes are read, unless one of them held a customer's newest value of a variable:
    that customer's notes are then walked, newest first, to the first that has one.
    """
    customers = sorted({int(customer_id) for customer_id in customer_ids})
    notes = sorted({int(note_id) for note_id in note_ids})
    if not customers:
        return
    _temp_tables(database)
    _insert_ids(database, REFRESH_TABLE, "customer_id", customers)
    _insert_ids(database, TOUCHED_TABLE, "note_id", notes)
    _refresh_touched(database)


def refresh_marked(database: peewee.Database) -> None:
    """``refresh_customers`` for the notes of the bulk-edit table (``crm_marked``) and
    their customers (a bulk edit never moves a note to another customer)."""
    _temp_tables(database)
    run_sql(database, f"INSERT INTO {TOUCHED_TABLE} (note_id) SELECT id FROM crm_marked")
    run_sql(
        database,
        f"INSERT INTO {REFRESH_TABLE} (customer_id) SELECT DISTINCT n.customer_id"
        " FROM crm_marked m JOIN note n ON n.id = m.id",
    )
    _refresh_touched(database)


def _analyze(database: peewee.Database, *tables: str) -> None:
    """PostgreSQL: the statistics of freshly filled temporary tables (without them the
    planner guesses thousands of rows and scans ``customer_value`` whole)."""
    if not is_sqlite(database):
        run_sql(database, f"ANALYZE {', '.join(tables)}")


def _refresh_touched(database: peewee.Database) -> None:
    sqlite = is_sqlite(database)
    scope = f"customer_id IN (SELECT customer_id FROM {REFRESH_TABLE})"
    sourced = f"{scope} AND note_id IN (SELECT note_id FROM {TOUCHED_TABLE})"
    _analyze(database, REFRESH_TABLE, TOUCHED_TABLE)
    run_sql(
        database,
        f"INSERT INTO {WALK_TABLE} (customer_id, variable_id)"
        f" SELECT customer_id, variable_id FROM customer_value WHERE {sourced}",
    )
    _analyze(database, WALK_TABLE)
    run_sql(database, f"DELETE FROM customer_value WHERE {sourced}")
    run_sql(database, _touched_values_sql(sqlite))
    run_sql(database, WALKED_VALUES_SQL)
    run_sql(database, f"DELETE FROM customer_state WHERE {scope}")
    run_sql(
        database,
        _states_sql(
            REFRESHED_NEWEST, zone_variable_id(database), pipeline_variables(database), sqlite
        ),
    )
    run_sql(database, _status_sync_sql(scope))
    for table in (REFRESH_TABLE, TOUCHED_TABLE, WALK_TABLE):
        run_sql(database, f"DELETE FROM {table}")


def customers_of_notes(database: peewee.Database, note_ids: Sequence[int]) -> set[int]:
    """The customers of those of ``note_ids`` that exist."""
    found: set[int] = set()
    ids = list(note_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        cursor = run_sql(
            database, f"SELECT DISTINCT customer_id FROM note WHERE id IN ({marks})", chunk
        )
        found.update(int(row[0]) for row in cursor.fetchall())
    return found


def rebuild_all(
    database: peewee.Database, pipeline: tuple[int | None, int | None] | None = None
) -> None:
    """Recompute every customer's state and values from the notes (imports, the demo):
    one statement per table, then each customer's status copied onto its values.
    ``pipeline``: the close-date and currency variables to keep from now on (else the
    kept ones)."""
    sqlite = is_sqlite(database)
    if pipeline is not None and pipeline != pipeline_variables(database):
        _name_pipeline_variables(database, pipeline)
    zone = zone_variable_id(database)
    run_sql(database, "DELETE FROM customer_value")
    run_sql(database, "DELETE FROM customer_state")
    run_sql(database, _all_values_sql(sqlite))
    run_sql(database, _states_sql(ALL_NEWEST, zone, pipeline_variables(database), sqlite))
    run_sql(database, _status_sync_sql("1 = 1"))


def sync_zones(database: peewee.Database) -> None:
    """Set every customer's zone from the time-zone variable the settings name now.

    One statement; call after a settings change that may change which variable that is
    (zones given to or taken from options, variables reordered or archived).
    """
    zone = zone_variable_id(database)
    value = (
        "SELECT {col} FROM customer_value z WHERE z.customer_id = customer_state.customer_id"
        f" AND z.variable_id = {'NULL' if zone is None else int(zone)}"
    )
    run_sql(
        database,
        f"UPDATE customer_state SET zone_option_id = ({value.format(col='z.option_id')}),"
        f" zone_note_id = ({value.format(col='z.note_id')})"
        " WHERE zone_option_id IS NOT NULL OR EXISTS"
        f" ({value.format(col='1')})",
    )
