"""Each customer's current state, kept in the same transaction as every note write.

Two tables (migration 10), derived from the notes only:

* ``customer_state``: one row per customer that has notes: its newest note (highest id)
  and that note's assignee; the status of its newest note that has one (and that note);
  the option of the time-zone variable on its newest note that has one (and that note);
* ``customer_value``: per customer and variable, the newest value among its notes (a
  ``note_value`` row is never blank: a blank value is no row), with the note it is on.

``refresh_customers`` recomputes the rows of some customers from their notes (a note
created, edited, deleted, undone: a few index walks per customer); ``refresh_marked``
does it for the customers of the notes in the bulk-edit table; ``rebuild_all`` recomputes
everything set-based (imports and the demo: one statement per table). A refresh never
reads a customer's state to update it: it is replaced, so it cannot drift.

The time-zone variable is the first dropdown (settings order, archived ones skipped)
one of whose options carries a zone (``Settings.time_zone_variable``), read here in SQL;
when settings change which variable that is, ``sync_zones`` sets every customer's zone
again (one statement).

The pipeline's reads (sums by status, cards of one stage, amounts by close month) are
here too: every SQL string of the cockpit's per-customer data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import peewee

from crm_tui.db.database import SqlCursor, is_sqlite
from crm_tui.db.notes_query.plan import DAY, NAMED, Pred, day_range, named_id

VALUE_COLUMNS = ("value_text", "value_key", "value_num", "value_cents", "value_date", "option_id")
"""The typed columns of ``customer_value`` (as ``note_value``'s)."""
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


def _values_sql(sqlite: bool, scope: str) -> str:
    """Insert the newest value of each variable of the customers in ``scope`` (a
    condition on ``n.customer_id``): SQLite takes the bare columns of the row holding
    ``MAX()``; PostgreSQL ``DISTINCT ON``."""
    columns = ", ".join(f"v.{name}" for name in VALUE_COLUMNS)
    head = (
        "INSERT INTO customer_value (customer_id, variable_id, note_id,"
        f" {', '.join(VALUE_COLUMNS)})"
    )
    if sqlite:
        return (
            f"{head} SELECT n.customer_id, v.variable_id, MAX(v.note_id), {columns}"
            f" FROM note n JOIN note_value v ON v.note_id = n.id WHERE {scope}"
            " GROUP BY n.customer_id, v.variable_id"
        )
    return (
        f"{head} SELECT DISTINCT ON (n.customer_id, v.variable_id) n.customer_id,"
        f" v.variable_id, v.note_id, {columns}"
        f" FROM note n JOIN note_value v ON v.note_id = n.id WHERE {scope}"
        " ORDER BY n.customer_id, v.variable_id, v.note_id DESC"
    )


def _states_sql(scope: str, zone_variable: int | None) -> str:
    """Insert the state of the customers in ``scope`` (a condition on ``customer_id``),
    after their values (the zone is read from ``customer_value``)."""
    zone = "NULL" if zone_variable is None else str(int(zone_variable))
    return (
        f"INSERT INTO customer_state ({', '.join(STATE_COLUMNS)})"
        " SELECT c.customer_id, c.note_id, n.assignee_id, s.status_id, s.id,"
        " z.option_id, z.note_id"
        f" FROM (SELECT customer_id, MAX(id) AS note_id FROM note WHERE {scope}"
        " GROUP BY customer_id) c"
        " JOIN note n ON n.id = c.note_id"
        " LEFT JOIN note s ON s.id = (SELECT x.id FROM note x WHERE"
        " x.customer_id = c.customer_id AND x.status_id IS NOT NULL"
        " ORDER BY x.id DESC LIMIT 1)"
        f" LEFT JOIN customer_value z ON z.customer_id = c.customer_id"
        f" AND z.variable_id = {zone}"
    )


def _refresh(database: peewee.Database, scope: str, params: Sequence[object]) -> None:
    """Replace the rows of the customers ``scope`` selects (``{col}`` stands for the
    customer id column of each statement)."""
    sqlite = is_sqlite(database)
    zone = zone_variable_id(database)
    for table in ("customer_value", "customer_state"):
        _run(database, f"DELETE FROM {table} WHERE {scope.format(col='customer_id')}", params)
    _run(database, _values_sql(sqlite, scope.format(col="n.customer_id")), params)
    _run(database, _states_sql(scope.format(col="customer_id"), zone), params)


def _refresh_table(database: peewee.Database) -> None:
    _run(
        database,
        f"CREATE TEMP TABLE IF NOT EXISTS {REFRESH_TABLE} (customer_id INTEGER PRIMARY KEY)",
    )
    _run(database, f"DELETE FROM {REFRESH_TABLE}")


def refresh_customers(database: peewee.Database, customer_ids: Iterable[int]) -> None:
    """Recompute the state and values of these customers from their notes.

    Call inside the transaction that wrote their notes, after the writes.
    """
    ids = sorted({int(customer_id) for customer_id in customer_ids})
    if not ids:
        return
    if len(ids) == 1:
        _refresh(database, "{col} = ?", ids)
        return
    _refresh_table(database)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join(["(?)"] * len(chunk))
        _run(database, f"INSERT INTO {REFRESH_TABLE} (customer_id) VALUES {marks}", chunk)
    _refresh_scoped(database)


def _refresh_scoped(database: peewee.Database) -> None:
    _refresh(database, f"{{col}} IN (SELECT customer_id FROM {REFRESH_TABLE})", ())
    _run(database, f"DELETE FROM {REFRESH_TABLE}")


def refresh_marked(database: peewee.Database) -> None:
    """Recompute the customers of the notes in the bulk-edit table (``crm_marked``)."""
    _refresh_table(database)
    _run(
        database,
        f"INSERT INTO {REFRESH_TABLE} (customer_id) SELECT DISTINCT n.customer_id"
        " FROM crm_marked m JOIN note n ON n.id = m.id",
    )
    _refresh_scoped(database)


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


def rebuild_all(database: peewee.Database) -> None:
    """Recompute every customer's state and values from the notes (imports, the demo):
    one statement per table."""
    sqlite = is_sqlite(database)
    zone = zone_variable_id(database)
    _run(database, "DELETE FROM customer_value")
    _run(database, "DELETE FROM customer_state")
    _run(database, _values_sql(sqlite, "1 = 1"))
    _run(database, _states_sql("1 = 1", zone))


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


def stage_totals(
    database: peewee.Database, scope: CustomerScope, sum_variable_id: int | None
) -> list[tuple[int | None, int, int]]:
    """``(status id, customers, total cents)`` of the customers in ``scope``, by their
    current status (``None``: no status); the total sums ``sum_variable_id``'s newest
    value (currency cents), 0 without one."""
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


def stage_customers(
    database: peewee.Database,
    scope: CustomerScope,
    status_id: int,
    sum_variable_id: int | None,
    offset: int,
    limit: int,
) -> list[CardRow]:
    """The customers at ``status_id``, amount descending (none last), then name."""
    where = _Where(scope)
    where.where.insert(0, "s.status_id = ?")
    where.params.insert(0, status_id)
    amount_join = (
        " LEFT JOIN customer_value a ON a.customer_id = s.customer_id"
        f" AND a.variable_id = {int(sum_variable_id)}"
        if sum_variable_id is not None
        else ""
    )
    amount = "a.value_cents" if sum_variable_id is not None else "NULL"
    close = "NULL"
    close_join = ""
    if scope.close_variable_id is not None:
        close = "cd2.value_date"
        close_join = (
            " LEFT JOIN customer_value cd2 ON cd2.customer_id = s.customer_id"
            f" AND cd2.variable_id = {int(scope.close_variable_id)}"
        )
    sql = (
        f"SELECT s.customer_id, c.name, {amount}, {close}, u.name, s.zone_option_id"
        f" FROM customer_state s JOIN customer c ON c.id = s.customer_id"
        f' LEFT JOIN "user" u ON u.id = s.assignee_id{amount_join}{close_join} {where.sql()}'
        f" ORDER BY {amount} IS NULL, {amount} DESC, c.name_key, s.customer_id"
        " LIMIT ? OFFSET ?"
    )
    rows = _run(database, sql, [*where.params, int(limit), int(offset)]).fetchall()
    return [
        CardRow(
            int(row[0]),
            str(row[1]),
            None if row[2] is None else int(row[2]),
            _date(row[3]),
            row[4] or "",
            None if row[5] is None else int(row[5]),
        )
        for row in rows
    ]


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
    month = "substr(cd3.value_date, 1, 7)" if sqlite else "to_char(cd3.value_date, 'YYYY-MM')"
    amount = "COALESCE(SUM(a.value_cents), 0)" if sum_variable_id is not None else "0"
    amount_join = (
        " LEFT JOIN customer_value a ON a.customer_id = s.customer_id"
        f" AND a.variable_id = {int(sum_variable_id)}"
        if sum_variable_id is not None
        else ""
    )
    sql = (
        f"SELECT {month}, s.status_id, {amount} FROM customer_state s"
        " JOIN customer_value cd3 ON cd3.customer_id = s.customer_id"
        f" AND cd3.variable_id = {int(close_variable_id)}{amount_join} {where.sql()}"
        f" GROUP BY {month}, s.status_id"
    )
    rows = _run(database, sql, where.params).fetchall()
    return [(dt.date.fromisoformat(f"{row[0]}-01"), int(row[1]), int(row[2])) for row in rows]


def hourly_note_counts(
    database: peewee.Database, since: dt.datetime, until: dt.datetime
) -> list[tuple[dt.datetime, int | None, int]]:
    """``(hour, action id, notes)`` of the notes created from ``since`` to before ``until``
    (naive UTC), by the UTC hour they were created in (the caller puts hours in the
    viewer's days and weeks)."""
    sqlite = is_sqlite(database)
    hour = "substr(created_at, 1, 13)" if sqlite else "date_trunc('hour', created_at)"
    sql = (
        f"SELECT {hour}, action_id, COUNT(*) FROM note"
        " WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2"
    )
    low: object = since.isoformat(sep=" ") if sqlite else since
    high: object = until.isoformat(sep=" ") if sqlite else until
    rows = _run(database, sql, [low, high]).fetchall()
    return [(_hour(row[0]), None if row[1] is None else int(row[1]), int(row[2])) for row in rows]


def _hour(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(minute=0, second=0, microsecond=0, tzinfo=None)
    text = str(value)
    return dt.datetime.fromisoformat(f"{text[:10]} {text[11:13]}:00:00")
