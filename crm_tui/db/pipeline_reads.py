"""The pipeline's reads of each customer's kept state (``customer_state``).

Sums by status, the cards of one stage, amounts by close month and notes by week: every
SQL string of the cockpit's per-customer reads, over the tables ``customer_state``
keeps in the same transaction as every note write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import peewee

from crm_tui.db.customer_state import (
    pipeline_variables,
    run_sql,
)
from crm_tui.db.database import is_sqlite
from crm_tui.db.notes_query.plan import DAY, NAMED, Pred, day_range, named_id


def current_status(database: peewee.Database, customer_id: int) -> int | None:
    """The customer's current status (of its newest note that has one), if any."""
    row = run_sql(
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
        counts = run_sql(
            database, "SELECT status_id, COUNT(*) FROM customer_state GROUP BY status_id"
        ).fetchall()
        sums: dict[int | None, int] = {}
        if sum_variable_id is not None:
            rows = run_sql(
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
    rows = run_sql(database, sql, where.params).fetchall()
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
    cursor = run_sql(
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
    return list(run_sql(database, sql, [*params, int(limit), int(offset)]).fetchall())


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
    row = run_sql(database, sql, [*where.params, int(sum_variable_id), int(status_id)]).fetchone()
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
    rows = run_sql(database, sql, where.params).fetchall()
    return [(dt.date.fromisoformat(f"{row[0]}-01"), int(row[1]), int(row[2])) for row in rows]


def _close_months_kept(
    database: peewee.Database, where: _Where, with_amount: bool
) -> list[tuple[dt.date, int, int]]:
    """``close_month_totals`` from the close month and amount kept beside each customer's
    status: one GROUP BY (unfiltered, a walk of ``customer_state_close_month``)."""
    amount = "COALESCE(SUM(s.amount_cents), 0)" if with_amount else "0"
    where.where.append("s.close_month IS NOT NULL")
    rows = run_sql(
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
        cursor = run_sql(
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
        cursor = run_sql(
            database,
            "SELECT customer_id, value_cents FROM customer_value WHERE variable_id = ?"
            f" AND status_id IN ({marks}) AND value_cents IS NOT NULL",
            [int(sum_variable_id), *wanted],
        )
        amounts = {int(row[0]): int(row[1]) for row in cursor.fetchall()}
    cursor = run_sql(
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
        row = run_sql(database, f"SELECT {counts}", params).fetchone()
        found.extend(
            (period, action_id, int(count)) for period, count in enumerate(row) if int(count)
        )
    return found
