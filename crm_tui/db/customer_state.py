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

The pipeline's reads (sums by status, cards of one stage, amounts by close month) are
here too: every SQL string of the cockpit's per-customer data.

Migration 12 keeps, beside each customer's status in ``customer_state``, its close month
and amount (``close_month``, ``amount_cents``): the newest values of the two variables
``pipeline_kept`` names (the pipeline's default close date and currency, set by the
domain as settings change, ``keep_pipeline_variables``). Amounts by close month of those
variables are then one GROUP BY of one index; of other variables, the lookups as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import peewee

from crm_tui.db.database import SqlCursor, is_sqlite
from crm_tui.db.notes_query.plan import DAY, NAMED, Pred, day_range, named_id

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


def _sql(database: peewee.Database, sql: str) -> str:
    """``sql`` written with ``?`` placeholders, for ``database``."""
    return sql if is_sqlite(database) else sql.replace("?", "%s")


def _run(database: peewee.Database, sql: str, params: Sequence[object] = ()) -> SqlCursor:
    return database.execute_sql(_sql(database, sql), params)


def zone_variable_id(database: peewee.Database) -> int | None:
    """The id of the time-zone variable, as the settings in the database say now."""
    row = _run(database, ZONE_VARIABLE_SQL).fetchone()
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


def _month(database_or_sqlite: peewee.Database | bool, column: str) -> str:
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
    row = _run(
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
    close = value.format(col=_month(database, "v.value_date"), variable=int(close_variable_id or 0))
    amount = value.format(col="v.value_cents", variable=int(sum_variable_id or 0))
    _run(database, f"UPDATE customer_state SET close_month = ({close}), amount_cents = ({amount})")


def _name_pipeline_variables(
    database: peewee.Database, variables: tuple[int | None, int | None]
) -> None:
    _run(database, f"DELETE FROM {PIPELINE_TABLE}")
    _run(
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
        f" z.option_id, z.note_id, {_month(sqlite, 'cm.value_date')}, am.value_cents"
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
        _run(database, sql)
    for table in (REFRESH_TABLE, TOUCHED_TABLE, WALK_TABLE):
        _run(database, f"DELETE FROM {table}")


def _insert_ids(database: peewee.Database, table: str, column: str, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join(["(?)"] * len(chunk))
        _run(database, f"INSERT INTO {table} ({column}) VALUES {marks}", chunk)


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
    _run(database, f"INSERT INTO {TOUCHED_TABLE} (note_id) SELECT id FROM crm_marked")
    _run(
        database,
        f"INSERT INTO {REFRESH_TABLE} (customer_id) SELECT DISTINCT n.customer_id"
        " FROM crm_marked m JOIN note n ON n.id = m.id",
    )
    _refresh_touched(database)


def _analyze(database: peewee.Database, *tables: str) -> None:
    """PostgreSQL: the statistics of freshly filled temporary tables (without them the
    planner guesses thousands of rows and scans ``customer_value`` whole)."""
    if not is_sqlite(database):
        _run(database, f"ANALYZE {', '.join(tables)}")


def _refresh_touched(database: peewee.Database) -> None:
    sqlite = is_sqlite(database)
    scope = f"customer_id IN (SELECT customer_id FROM {REFRESH_TABLE})"
    sourced = f"{scope} AND note_id IN (SELECT note_id FROM {TOUCHED_TABLE})"
    _analyze(database, REFRESH_TABLE, TOUCHED_TABLE)
    _run(
        database,
        f"INSERT INTO {WALK_TABLE} (customer_id, variable_id)"
        f" SELECT customer_id, variable_id FROM customer_value WHERE {sourced}",
    )
    _analyze(database, WALK_TABLE)
    _run(database, f"DELETE FROM customer_value WHERE {sourced}")
    _run(database, _touched_values_sql(sqlite))
    _run(database, WALKED_VALUES_SQL)
    _run(database, f"DELETE FROM customer_state WHERE {scope}")
    _run(
        database,
        _states_sql(
            REFRESHED_NEWEST, zone_variable_id(database), pipeline_variables(database), sqlite
        ),
    )
    _run(database, _status_sync_sql(scope))
    for table in (REFRESH_TABLE, TOUCHED_TABLE, WALK_TABLE):
        _run(database, f"DELETE FROM {table}")


def customers_of_notes(database: peewee.Database, note_ids: Sequence[int]) -> set[int]:
    """The customers of those of ``note_ids`` that exist."""
    found: set[int] = set()
    ids = list(note_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        cursor = _run(
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
    _run(database, "DELETE FROM customer_value")
    _run(database, "DELETE FROM customer_state")
    _run(database, _all_values_sql(sqlite))
    _run(database, _states_sql(ALL_NEWEST, zone, pipeline_variables(database), sqlite))
    _run(database, _status_sync_sql("1 = 1"))


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
    _run(
        database,
        f"UPDATE customer_state SET zone_option_id = ({value.format(col='z.option_id')}),"
        f" zone_note_id = ({value.format(col='z.note_id')})"
        " WHERE zone_option_id IS NOT NULL OR EXISTS"
        f" ({value.format(col='1')})",
    )


# --- reading ---------------------------------------------------------------------------


def current_status(database: peewee.Database, customer_id: int) -> int | None:
    """The customer's current status (of its newest note that has one), if any."""
    row = _run(
        database, "SELECT status_id FROM customer_state WHERE customer_id = ?", [customer_id]
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


@dataclass(frozen=True, slots=True)
class CustomerScope:
    """Which customers a pipeline read takes: by their current values.

    ``close_variable_id`` with ``close_from``/``close_to`` (inclusive): the customer's
    newest value of that date variable in the range (customers without one are left out
    when a bound is given). ``preds``: conditions on the customer's current values, as
    compiled for the notes list (``status``, ``assignee``, ``customer``, variables, and
    ``action``/``follow_up``/``created_at`` of its newest note).
    """

    close_variable_id: int | None = None
    close_from: dt.date | None = None
    close_to: dt.date | None = None
    assignee_id: int | None = None
    preds: tuple[Pred, ...] = ()


STATE_COLUMN = {"status_id": "s.status_id", "assignee_id": "s.assignee_id"}
NEWEST_NOTE_COLUMN = {"action_id": "n.action_id", "follow_up": "n.follow_up",
                      "created_at": "n.created_at"}  # fmt: skip


class _Where:
    """The joins and conditions selecting customers (``customer_state s``)."""

    def __init__(self, scope: CustomerScope) -> None:
        self.joins: list[str] = []
        self.where: list[str] = []
        self.params: list[object] = []
        self.newest_note = False
        if scope.close_variable_id is not None and (scope.close_from or scope.close_to):
            test = []
            if scope.close_from is not None:
                test.append("cd.value_date >= ?")
                self.params.append(scope.close_from)
            if scope.close_to is not None:
                test.append("cd.value_date <= ?")
                self.params.append(scope.close_to)
            self.where.append(
                "EXISTS (SELECT 1 FROM customer_value cd WHERE cd.customer_id = s.customer_id"
                f" AND cd.variable_id = {int(scope.close_variable_id)}"
                f" AND {' AND '.join(test)})"
            )
        if scope.assignee_id is not None:
            self.where.append("s.assignee_id = ?")
            self.params.append(scope.assignee_id)
        for pred in scope.preds:
            self._pred(pred)
        if self.newest_note:
            self.joins.append("JOIN note n ON n.id = s.note_id")

    def _compare(self, expr: str, pred: Pred) -> str:
        if pred.op == DAY:
            low, high = day_range(pred.value)
            self.params += [low, high]
            return f"({expr} >= ? AND {expr} < ?)"
        value = (
            named_id(pred.value)
            if pred.column.kind == NAMED and isinstance(pred.value, tuple)
            else pred.value
        )
        self.params.append(value)
        return f"{expr} {pred.op} ?"

    def _pred(self, pred: Pred) -> None:
        column = pred.column
        if column.note_column is not None:
            if column.note_column == "customer_id":
                expr, nullable = "s.customer_id", False
            elif column.note_column in STATE_COLUMN:
                expr, nullable = STATE_COLUMN[column.note_column], True
            else:
                expr, nullable = NEWEST_NOTE_COLUMN[column.note_column], True
                self.newest_note = True
            if pred.value is None:
                self.where.append(f"{expr} IS {'NOT ' if pred.negate else ''}NULL")
                return
            test = self._compare(expr, pred)
            if pred.negate:
                test = f"({expr} IS NULL OR NOT {test})" if nullable else f"NOT {test}"
            self.where.append(test)
            return
        value = f"x.{column.value_column}"
        probe = (
            "EXISTS (SELECT 1 FROM customer_value x WHERE x.customer_id = s.customer_id"
            f" AND x.variable_id = {int(column.variable_id or 0)} AND {{test}})"
        )
        if pred.value is None:
            sql = probe.format(test=f"{value} IS NOT NULL")
            self.where.append(sql if pred.negate else "NOT " + sql)
            return
        test = self._compare(value, pred)
        self.where.append(("NOT " if pred.negate else "") + probe.format(test=test))

    def sql(self) -> str:
        joins = " ".join(self.joins)
        where = " WHERE " + " AND ".join(self.where) if self.where else ""
        return f"{joins}{where}"


def _unfiltered(scope: CustomerScope) -> bool:
    where = _Where(scope)
    return not where.where and not where.joins


def stage_totals(
    database: peewee.Database, scope: CustomerScope, sum_variable_id: int | None
) -> list[tuple[int | None, int, int]]:
    """``(status id, customers, total cents)`` of the customers in ``scope``, by their
    current status (``None``: no status); the total sums ``sum_variable_id``'s newest
    value (currency cents), 0 without one.

    Unfiltered, two index scans: the counts from ``customer_state_status``, the sums from
    ``customer_value_stage`` (each value carries its customer's status).
    """
    if _unfiltered(scope):
        counts = _run(
            database, "SELECT status_id, COUNT(*) FROM customer_state GROUP BY status_id"
        ).fetchall()
        sums: dict[int | None, int] = {}
        if sum_variable_id is not None:
            rows = _run(
                database,
                "SELECT status_id, SUM(value_cents) FROM customer_value"
                " WHERE variable_id = ? AND value_cents IS NOT NULL GROUP BY status_id",
                [int(sum_variable_id)],
            ).fetchall()
            sums = {row[0]: int(row[1]) for row in rows}
        return [(row[0], int(row[1]), sums.get(row[0], 0)) for row in counts]
    where = _Where(scope)
    if sum_variable_id is None:
        amount, join = "0", ""
    else:
        amount = "COALESCE(SUM(a.value_cents), 0)"
        join = (
            " LEFT JOIN customer_value a ON a.customer_id = s.customer_id"
            f" AND a.variable_id = {int(sum_variable_id)}"
        )
    sql = (
        f"SELECT s.status_id, COUNT(*), {amount} FROM customer_state s{join} {where.sql()}"
        " GROUP BY s.status_id"
    )
    rows = _run(database, sql, where.params).fetchall()
    return [(row[0], int(row[1]), int(row[2])) for row in rows]


@dataclass(frozen=True, slots=True)
class CardRow:
    """One customer of a stage, as read: id, name, amount, close date, assignee, zone."""

    customer_id: int
    customer: str
    amount_cents: int | None
    close_date: dt.date | None
    assignee: str
    zone_option_id: int | None


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


_CARD_COLUMNS = "s.customer_id, c.name, {amount}, {close}, u.name, s.zone_option_id"


def stage_customers(
    database: peewee.Database,
    scope: CustomerScope,
    status_id: int,
    sum_variable_id: int | None,
    offset: int,
    limit: int,
) -> list[CardRow]:
    """The customers at ``status_id``, amount descending (none last), then name.

    Two walks: the customers with an amount down the ``customer_value_stage`` index, then
    those without one by name; a page that starts past the first counts them.
    """
    rows: list[tuple] = []
    skipped = 0
    if sum_variable_id is not None:
        rows = _cards(database, scope, status_id, sum_variable_id, True, offset, limit)
        if len(rows) < limit and offset > 0:
            skipped = _count_with_amount(database, scope, status_id, sum_variable_id)
        elif len(rows) == limit:
            return [_card(row) for row in rows]
        else:
            skipped = offset
    rest = limit - len(rows)
    if rest > 0:
        start = max(0, offset - skipped) if sum_variable_id is not None else offset
        rows += _cards(database, scope, status_id, sum_variable_id, False, start, rest)
    return [_card(row) for row in rows]


def newest_options(
    database: peewee.Database, variable_id: int, customer_ids: Sequence[int]
) -> dict[int, int]:
    """Each customer's newest option of a dropdown variable (those that have one)."""
    ids = [int(customer_id) for customer_id in customer_ids]
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    cursor = _run(
        database,
        "SELECT customer_id, option_id FROM customer_value WHERE variable_id = ?"
        f" AND customer_id IN ({marks}) AND option_id IS NOT NULL",
        [int(variable_id), *ids],
    )
    return {int(row[0]): int(row[1]) for row in cursor.fetchall()}


def _card(row: Sequence[object]) -> CardRow:
    return CardRow(
        int(str(row[0])),
        str(row[1]),
        None if row[2] is None else int(str(row[2])),
        _date(row[3]),
        str(row[4] or ""),
        None if row[5] is None else int(str(row[5])),
    )


def _close_join(scope: CustomerScope) -> tuple[str, str]:
    if scope.close_variable_id is None:
        return "NULL", ""
    return "cd2.value_date", (
        " LEFT JOIN customer_value cd2 ON cd2.customer_id = s.customer_id"
        f" AND cd2.variable_id = {int(scope.close_variable_id)}"
    )


def _cards(
    database: peewee.Database,
    scope: CustomerScope,
    status_id: int,
    sum_variable_id: int | None,
    with_amount: bool,
    offset: int,
    limit: int,
) -> list[tuple]:
    where = _Where(scope)
    close, close_join = _close_join(scope)
    users = ' LEFT JOIN "user" u ON u.id = s.assignee_id'
    if with_amount:
        columns = _CARD_COLUMNS.format(amount="a.value_cents", close=close)
        sql = (
            f"SELECT {columns} FROM customer_value a"
            " JOIN customer_state s ON s.customer_id = a.customer_id"
            f" JOIN customer c ON c.id = s.customer_id{users}{close_join} {where.sql()}"
        )
        sql += " AND " if where.where else " WHERE "
        sql += (
            "a.variable_id = ? AND a.status_id = ? AND a.value_cents IS NOT NULL"
            " ORDER BY a.value_cents DESC, c.name_key, s.customer_id LIMIT ? OFFSET ?"
        )
        params = [*where.params, int(sum_variable_id or 0), int(status_id)]
    else:
        columns = _CARD_COLUMNS.format(amount="NULL", close=close)
        no_amount = ""
        if sum_variable_id is not None:
            no_amount = (
                " AND NOT EXISTS (SELECT 1 FROM customer_value a WHERE"
                f" a.customer_id = s.customer_id AND a.variable_id = {int(sum_variable_id)})"
            )
        sql = (
            f"SELECT {columns} FROM customer c JOIN customer_state s ON s.customer_id = c.id"
            f"{users}{close_join} {where.sql()}"
        )
        sql += " AND " if where.where else " WHERE "
        sql += f"s.status_id = ?{no_amount} ORDER BY c.name_key, s.customer_id LIMIT ? OFFSET ?"
        params = [*where.params, int(status_id)]
    return list(_run(database, sql, [*params, int(limit), int(offset)]).fetchall())


def _count_with_amount(
    database: peewee.Database, scope: CustomerScope, status_id: int, sum_variable_id: int
) -> int:
    where = _Where(scope)
    sql = (
        "SELECT COUNT(*) FROM customer_value a JOIN customer_state s"
        f" ON s.customer_id = a.customer_id {where.sql()}"
    )
    sql += " AND " if where.where else " WHERE "
    sql += "a.variable_id = ? AND a.status_id = ? AND a.value_cents IS NOT NULL"
    row = _run(database, sql, [*where.params, int(sum_variable_id), int(status_id)]).fetchone()
    return int(row[0])


def close_month_totals(
    database: peewee.Database,
    scope: CustomerScope,
    close_variable_id: int,
    sum_variable_id: int | None,
    status_ids: Sequence[int],
) -> list[tuple[dt.date, int, int]]:
    """``(first day of the close month, status id, total cents)`` of the customers in
    ``scope`` at one of ``status_ids`` that have a close date."""
    if not status_ids:
        return []
    sqlite = is_sqlite(database)
    where = _Where(scope)
    marks = ", ".join("?" * len(status_ids))
    where.where.insert(0, f"s.status_id IN ({marks})")
    where.params[0:0] = [int(status_id) for status_id in status_ids]
    close_kept, sum_kept = pipeline_variables(database)
    if close_kept == close_variable_id and sum_variable_id in (None, sum_kept):
        return _close_months_kept(database, where, sum_variable_id is not None)
    month = "substr(cd3.value_date, 1, 7)" if sqlite else "to_char(cd3.value_date, 'YYYY-MM')"
    amount = "COALESCE(SUM(a.value_cents), 0)" if sum_variable_id is not None else "0"
    amount_join = (
        " LEFT JOIN customer_value a ON a.customer_id = s.customer_id"
        f" AND a.variable_id = {int(sum_variable_id)}"
        if sum_variable_id is not None
        else ""
    )
    if _unfiltered(scope):
        return _close_months_by_index(database, close_variable_id, sum_variable_id, status_ids)
    sql = (
        f"SELECT {month}, s.status_id, {amount} FROM customer_state s"
        " JOIN customer_value cd3 ON cd3.customer_id = s.customer_id"
        f" AND cd3.variable_id = {int(close_variable_id)}{amount_join} {where.sql()}"
        f" GROUP BY {month}, s.status_id"
    )
    rows = _run(database, sql, where.params).fetchall()
    return [(dt.date.fromisoformat(f"{row[0]}-01"), int(row[1]), int(row[2])) for row in rows]


def _close_months_kept(
    database: peewee.Database, where: _Where, with_amount: bool
) -> list[tuple[dt.date, int, int]]:
    """``close_month_totals`` from the close month and amount kept beside each customer's
    status: one GROUP BY (unfiltered, a walk of ``customer_state_close_month``)."""
    amount = "COALESCE(SUM(s.amount_cents), 0)" if with_amount else "0"
    where.where.append("s.close_month IS NOT NULL")
    rows = _run(
        database,
        f"SELECT s.close_month, s.status_id, {amount} FROM customer_state s {where.sql()}"
        " GROUP BY s.status_id, s.close_month",
        where.params,
    ).fetchall()
    return [(_date(row[0]) or dt.date.min, int(row[1]), int(row[2])) for row in rows]


def _close_months_by_index(
    database: peewee.Database,
    close_variable_id: int,
    sum_variable_id: int | None,
    status_ids: Sequence[int],
) -> list[tuple[dt.date, int, int]]:
    """``close_month_totals`` of every customer: two covering index reads (the close
    dates by status, the amounts by status), matched here by customer (a join in SQL
    would seek each customer's amount)."""
    marks = ", ".join("?" * len(status_ids))
    wanted = [int(status_id) for status_id in status_ids]
    if not is_sqlite(database):  # PostgreSQL hashes the join: faster than reading it out
        amount = "0" if sum_variable_id is None else "COALESCE(SUM(a.value_cents), 0)"
        join = (
            ""
            if sum_variable_id is None
            else " LEFT JOIN customer_value a ON a.customer_id = d.customer_id"
            f" AND a.variable_id = {int(sum_variable_id)}"
        )
        cursor = _run(
            database,
            f"SELECT to_char(d.value_date, 'YYYY-MM'), d.status_id, {amount}"
            f" FROM customer_value d{join} WHERE d.variable_id = ? AND d.status_id IN ({marks})"
            " AND d.value_date IS NOT NULL GROUP BY 1, 2",
            [int(close_variable_id), *wanted],
        )
        return [
            (dt.date.fromisoformat(f"{row[0]}-01"), int(row[1]), int(row[2]))
            for row in cursor.fetchall()
        ]
    amounts: dict[int, int] = {}
    if sum_variable_id is not None:
        cursor = _run(
            database,
            "SELECT customer_id, value_cents FROM customer_value WHERE variable_id = ?"
            f" AND status_id IN ({marks}) AND value_cents IS NOT NULL",
            [int(sum_variable_id), *wanted],
        )
        amounts = {int(row[0]): int(row[1]) for row in cursor.fetchall()}
    cursor = _run(
        database,
        "SELECT customer_id, status_id, value_date FROM customer_value WHERE variable_id = ?"
        f" AND status_id IN ({marks}) AND value_date IS NOT NULL",
        [int(close_variable_id), *wanted],
    )
    totals: dict[tuple[str, int], int] = {}
    for customer_id, status_id, day in cursor.fetchall():
        key = (str(day)[:7], int(status_id))
        totals[key] = totals.get(key, 0) + amounts.get(int(customer_id), 0)
    return [
        (dt.date.fromisoformat(f"{month}-01"), status_id, cents)
        for (month, status_id), cents in totals.items()
    ]


def note_counts_between(
    database: peewee.Database, bounds: Sequence[int], action_ids: Sequence[int]
) -> list[tuple[int, int | None, int]]:
    """``(period, action id, notes)``: how many notes of each action (and of none) have
    an id from ``bounds[period]`` to before ``bounds[period + 1]`` (a note id is its
    creation second shifted left by 20 bits, so bounds are times). Counted on the
    ``note_action`` index (``action_id, id``): one range count per action and period, no
    row read; periods without notes are left out."""
    if len(bounds) < 2:
        return []
    found: list[tuple[int, int | None, int]] = []
    pairs = list(pairwise(bounds))
    for action_id in [*action_ids, None]:
        test = "action_id IS NULL" if action_id is None else f"action_id = {int(action_id)}"
        counts = ", ".join(
            f"(SELECT COUNT(*) FROM note WHERE {test} AND id >= ? AND id < ?)" for _pair in pairs
        )
        params = [int(bound) for pair in pairs for bound in pair]
        row = _run(database, f"SELECT {counts}", params).fetchone()
        found.extend(
            (period, action_id, int(count)) for period, count in enumerate(row) if int(count)
        )
    return found
