"""SQL of one segment of the walk, for SQLite and PostgreSQL.

Each segment is driven by exactly one index, chosen here rather than by the planner:

* ``note`` driver: ``note n`` by id, or by an index ``(col, id)`` of ``note``;
* ``value`` driver: ``note_value d`` by ``(variable_id, col, note_id)``;
* ``named`` driver: ``customer``/``user`` ``k`` by ``name_key``, joined to its notes;
* ``fts`` driver (SQLite search, newest first): ``note_fts f`` by rowid.

Every other condition filters the rows walked. On SQLite the walk is spelt out, so
that no statistics (``ANALYZE`` with ``analysis_limit``, say) can turn it into a scan
and a sort: the driver comes first in a ``CROSS JOIN`` (fixing the join order), each
table names its index (``INDEXED BY``, or ``NOT INDEXED`` for the rowid), and ``note``
columns that must not drive get a unary ``+``. Variable conditions are ``EXISTS``
probes of the ``(note_id, variable_id)`` primary key. Variable ids are inlined (they are
ints from settings); every value is a parameter.

PostgreSQL has no index hints; three spellings keep its plans on the walk (each measured
at 200k notes, from 17–116 ms down to under 4 ms): ``EXISTS`` probes end in
``OFFSET 0`` (else it hashes them into a semi-join and sorts), the id bound of a
``note_value``-driven segment is repeated on ``note`` (else a merge join reads ``note``
from its newest row), and a customer/assignee walk takes each name's notes through
``LATERAL (… ORDER BY id LIMIT n)`` (else it sorts all of a name's notes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crm_tui.db.notes_query.plan import (
    DAY,
    GROUP,
    IN,
    NAMED,
    ZONE,
    Column,
    Fix,
    Level,
    Plan,
    Pred,
    Segment,
    day_range,
    named_id,
    named_key,
)

# The indexes of migration 0001 that serve the walks.
NOTE_INDEX = {
    "status_id": "note_status",
    "action_id": "note_action",
    "assignee_id": "note_assignee",
    "customer_id": "note_customer",
    "follow_up": "note_follow_up",
    "created_at": "note_created_newest",
}
ASSIGNEE_FOLLOW_UP = "note_assignee_follow_up"
"""Migration 0011's index ``(assignee_id, follow_up, id DESC)`` of notes with a follow-up:
one user's follow-ups in agenda order (an assignee pinned, follow-up ascending or one day)."""
NAME_TABLE = {"customer": "customer", "user": '"user"'}
"""The customer/user tables of ``NAMED`` columns, as SQL names them."""
NAME_INDEX = {"customer": "customer_name_key", "user": "user_name_key"}
MAX_ID = (1 << 63) - 1
EARLIEST = dt.datetime(1, 1, 1)
SUMMARY_CHARS = 200
"""Characters of a note's text a list row reads: enough for its first line on screen."""
ROW_COLUMNS = (
    "n.id, n.created_at, n.customer_id,"
    " (SELECT c.name FROM customer c WHERE c.id = n.customer_id),"
    " n.action_id, n.status_id, n.assignee_id,"
    ' (SELECT u.name FROM "user" u WHERE u.id = n.assignee_id),'
    f" n.follow_up, substr(n.body, 1, {SUMMARY_CHARS}),"
    " (SELECT s.zone_option_id FROM customer_state s WHERE s.customer_id = n.customer_id)"
)
ROWS, KEYS = "rows", "keys"
SEARCH_DRIVES = -1


@dataclass(slots=True)
class _Query:
    """A statement being assembled: its driver, filters and parameters."""

    driver: str = "note n"
    note_join: str = ""
    note_hint: str = ""
    id_expr: str = "n.id"
    uses_note: bool = False
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, sql: str, *params: object, note: bool = False) -> None:
        self.where.append(sql)
        self.params.extend(params)
        self.uses_note = self.uses_note or note

    def source(self, join: str) -> str:
        if self.note_join and self.uses_note:
            return f"{self.driver} {join} note n{self.note_hint} ON {self.note_join}"
        return self.driver

    def where_sql(self) -> str:
        return " WHERE " + " AND ".join(self.where) if self.where else ""


def _compare(expr: str, pred: Pred) -> tuple[str, list[object]]:
    """``expr`` compared with a predicate's (non-blank) value, positive form."""
    if pred.op == DAY:
        low, high = day_range(pred.value)
        return f"({expr} >= ? AND {expr} < ?)", [low, high]
    return f"{expr} {pred.op} ?", [pred.value]


class SegmentSql:
    """Builds the statements of one compiled plan for one engine."""

    def __init__(self, plan: Plan, sqlite: bool, match: str | None = None) -> None:
        """``match``: SQLite's ``MATCH`` text for the search words, when already spelt out
        (``search_index.sqlite_match``); else each word is a prefix query."""
        self.plan = plan
        self.sqlite = sqlite
        self.plus = "+" if sqlite else ""
        self.sqlite_hints = sqlite
        self.fence = "" if sqlite else " OFFSET 0"
        self.join = "CROSS JOIN" if sqlite else "JOIN"
        self.unordered = False
        """Statements whose rows need no order (counts, ids): an index range may drive."""
        if match is not None:
            self.match = match
        elif sqlite:
            self.match = " AND ".join(f'"{token}"*' for token in plan.tokens)
        else:
            self.match = " & ".join(f"'{token}':*" for token in plan.tokens)

    # --- filters --------------------------------------------------------------------

    def _note_expr(self, column: Column, bare: bool) -> str:
        return f"{'' if bare else self.plus}n.{column.note_column}"

    def _exists(self, query: _Query, column: Column, test: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM note_value x WHERE x.note_id = {query.id_expr}"
            f" AND x.variable_id = {int(column.variable_id or 0)} AND {test}{self.fence})"
        )

    def _zone_in(self, option_ids: object) -> str:
        """Whether the note's customer's zone option is one of ``option_ids`` (an
        ``EXISTS`` probe of ``customer_state`` by its key; ids are ints from settings)."""
        if not isinstance(option_ids, tuple | frozenset | set | list):
            raise TypeError(f"zone options are a collection of ids, not {option_ids!r}")
        if not option_ids:
            return "1 = 0"
        listed = ", ".join(str(int(option_id)) for option_id in sorted(option_ids))
        return (
            "EXISTS (SELECT 1 FROM customer_state s WHERE s.customer_id = n.customer_id"
            f" AND s.zone_option_id IN ({listed}){self.fence})"
        )

    def _fix(self, query: _Query, fix: Fix, bare: bool) -> None:
        level, key = fix
        column = level.column
        if column.type == ZONE:
            if key is None:  # no zone known: no zone option, or one the settings lost
                query.add(f"NOT {self._zone_in(column.groups)}", note=True)
            else:
                query.add(self._zone_in((key,)), note=True)
            return
        if column.note_column is not None:
            expr = self._note_expr(column, bare)
            if key is None:
                query.add(f"{expr} IS NULL", note=True)
            else:
                value = named_id(key) if column.kind == NAMED else key
                query.add(f"{expr} = ?", value, note=True)
            return
        test = f"x.{column.value_column}"
        if key is None:
            query.add("NOT " + self._exists(query, column, f"{test} IS NOT NULL"))
        else:
            query.add(self._exists(query, column, f"{test} = ?"), key)

    def _pred(self, query: _Query, pred: Pred, bare: bool) -> None:
        column = pred.column
        if column.type == ZONE:  # ``IN`` the open zones (callable), or a zone ``=``
            ids = pred.value if pred.op == IN else (pred.value,)
            if pred.value is None:
                ids = column.groups
            sql = self._zone_in(ids)
            positive = pred.value is not None
            query.add(sql if positive != pred.negate else f"NOT {sql}", note=True)
            return
        if column.note_column is not None:
            expr = self._note_expr(column, bare)
            if pred.value is None:
                query.add(f"{expr} IS {'NOT ' if pred.negate else ''}NULL", note=True)
                return
            sql, params = _compare(expr, pred)
            if pred.negate:
                sql = f"({expr} IS NULL OR NOT {sql})" if column.nullable else f"NOT {sql}"
            query.add(sql, *params, note=True)
            return
        value = f"x.{column.value_column}"
        if pred.value is None:
            sql = self._exists(query, column, f"{value} IS NOT NULL")
            query.add(sql if pred.negate else "NOT " + sql)
            return
        test, params = _compare(value, pred)
        query.add(("NOT " if pred.negate else "") + self._exists(query, column, test), *params)

    def _search(self, query: _Query, id_bound: tuple[str, object] | None = None) -> None:
        """Only notes found by the search words; ``id_bound`` (PostgreSQL) bounds the
        search index read too (``note_id < ?``), as the planner would not infer it."""
        if not self.plan.tokens:
            return
        if self.sqlite:
            sql = "SELECT rowid FROM note_fts WHERE note_fts MATCH ?"
            query.add(f"{self.plus}{query.id_expr} IN ({sql})", self.match)
            return
        sql = "SELECT note_id FROM note_search WHERE document @@ to_tsquery('simple', ?)"
        if id_bound is None:
            query.add(f"{query.id_expr} IN ({sql})", self.match)
        else:
            operator, bound = id_bound
            query.add(f"{query.id_expr} IN ({sql} AND note_id {operator} ?)", self.match, bound)

    def _filters(
        self,
        query: _Query,
        segment: Segment,
        applied: set[int],
        id_bound: tuple[str, object] | None = None,
    ) -> None:
        """Every predicate not settled by the segment's fixes or span, nor ``applied``."""
        settled = {level.column.id for level, _key in segment.fixes}
        if segment.span is not None:
            settled.add(segment.span.column.id)
        for pred in self.plan.preds:
            if id(pred) not in applied and pred.column.id not in settled:
                self._pred(query, pred, bare=False)
        if SEARCH_DRIVES not in applied:
            self._search(query, id_bound)

    # --- drivers --------------------------------------------------------------------

    def _hint(self, index: str | None) -> str:
        """SQLite: walk this index (``None``: the rowid). PostgreSQL: the planner's choice."""
        if not self.sqlite_hints:
            return ""
        return f" INDEXED BY {index}" if index else " NOT INDEXED"

    def _drive_by_value(self, query: _Query, column: Column, index: str, value: object) -> None:
        query.driver = f"note_value d{self._hint(index)}"
        query.note_join = "n.id = d.note_id"
        query.note_hint = self._hint(None)
        query.id_expr = "d.note_id"
        query.add(f"d.variable_id = {int(column.variable_id or 0)}")
        if value is not None:
            query.add(f"d.{column.value_column} = ?", value)

    def _pinned(self, column_id: str) -> Pred | None:
        """The ``=`` condition pinning the ``note`` column ``column_id`` to a value, if any."""
        return next(
            (
                p
                for p in self.plan.preds
                if p.pins and p.column.id == column_id and p.value is not None
            ),
            None,
        )

    def _due(self) -> list[Pred]:
        """The range conditions on the follow-up (``<``, ``<=``, ``>``, ``>=`` a day)."""
        return [
            p
            for p in self.plan.preds
            if p.column.id == "follow_up"
            and p.op in ("<", "<=", ">", ">=")
            and not p.negate
            and p.value is not None
        ]

    def _drive_by_note(self, query: _Query, column: Column | None) -> None:
        """``note`` by the ``(col, id)`` index of ``column``, or by id."""
        index = NOTE_INDEX[column.note_column] if column and column.note_column else None
        query.driver = f"note n{self._hint(index)}"

    def _id_driver(self, query: _Query, fixes: tuple[Fix, ...]) -> set[int]:
        """Choose the index of an id segment (newest first); returns what it applies.

        In order: the innermost variable fixed to a value; else the ``note`` index of the
        first fixed column of ``note``; else (SQLite) the full-text index; else the index
        of an ``=`` condition (a variable's, else a ``note`` column's); else the rowid.
        Each of them lists a value's notes by id.
        """
        applied: set[int] = set()
        value_fix = next(
            (
                f
                for f in reversed(fixes)
                if f[0].column.variable_id is not None and f[1] is not None
            ),
            None,
        )
        note_fix = next((f for f in fixes if f[0].column.note_column is not None), None)
        equal = [p for p in self.plan.preds if p.pins]
        value_pred = next((p for p in equal if p.column.variable_id and p.value is not None), None)
        note_pred = next((p for p in equal if p.column.note_column), None)
        if value_fix is not None:
            column = value_fix[0].column
            self._drive_by_value(query, column, _value_index(column), value_fix[1])
            note_fix = None
        elif note_fix is not None:
            self._drive_by_note(query, note_fix[0].column)
            self._fix(query, note_fix, bare=True)
        elif self.sqlite and self.plan.tokens:
            query.driver = "note_fts f"
            query.note_join = "n.id = f.rowid"
            query.note_hint = self._hint(None)
            query.id_expr = "f.rowid"
            query.add("note_fts MATCH ?", self.match)
            applied.add(SEARCH_DRIVES)
        elif (assignee := self._pinned("assignee")) and (day := self._pinned("follow_up")):
            query.driver = f"note n{self._hint(ASSIGNEE_FOLLOW_UP)}"  # one user's day
            self._pred(query, assignee, bare=True)
            self._pred(query, day, bare=True)
            applied.update((id(assignee), id(day)))
        elif self.unordered and (assignee := self._pinned("assignee")) and (due := self._due()):
            self._drive_by_note(query, None)  # one user's follow-ups in a range: count them
            for pred in (assignee, *due):  # from the index, unordered
                self._pred(query, pred, bare=True)
                applied.add(id(pred))
        elif value_pred is not None:
            column = value_pred.column
            self._drive_by_value(query, column, _value_index(column), value_pred.value)
            applied.add(id(value_pred))
        elif note_pred is not None:
            self._drive_by_note(query, note_pred.column)
            self._pred(query, note_pred, bare=True)
            applied.add(id(note_pred))
        else:
            self._drive_by_note(query, None)
        for fix in fixes:
            if fix is not value_fix and fix is not note_fix:
                self._fix(query, fix, bare=False)
        return applied

    def _span_driver(self, query: _Query, level: Level) -> tuple[str, str]:
        """Set up the driver of a span; returns its key expression and selected key columns."""
        column = level.column
        if column.kind == NAMED:
            table = str(column.table)
            query.driver = (
                f"{NAME_TABLE[table]} k{self._hint(NAME_INDEX[table])} {self.join}"
                f" note n{self._hint(NOTE_INDEX[str(column.note_column)])}"
                f" ON n.{column.note_column} = k.id"
            )
            query.uses_note = True
            return "k.name_key", "k.name_key, k.id"
        if column.variable_id is not None:
            index = f"note_value_{column.value_column}{'' if level.descending else '_newest'}"
            self._drive_by_value(query, column, index, None)
            key = f"d.{column.value_column}"
        else:
            index = NOTE_INDEX[str(column.note_column)]
            assignee = self._pinned("assignee") if column.note_column == "follow_up" else None
            if column.note_column == "follow_up" and not level.descending:
                index = "note_follow_up_newest" if assignee is None else ASSIGNEE_FOLLOW_UP
            query.driver = f"note n{self._hint(index)}"
            key = f"n.{column.note_column}"
            query.uses_note = True
            if index == ASSIGNEE_FOLLOW_UP and assignee is not None:  # one user's follow-ups
                self._pred(query, assignee, bare=True)
        if column.nullable:
            query.add(f"{key} IS NOT NULL")
        else:  # SQLite drops IS NOT NULL on a NOT NULL column: bound the walk instead
            query.add(f"{key} >= ?", EARLIEST)
        return key, key

    def _span_preds(self, query: _Query, level: Level, key: str) -> None:
        """Conditions on the walked column itself: bounds of the walk (rows are never blank)."""
        for pred in self.plan.preds:
            if pred.column.id != level.column.id or pred.value is None:
                continue
            if level.column.kind == NAMED:
                self._pred(query, pred, bare=False)
                continue
            sql, params = _compare(key, pred)
            query.add(f"NOT {sql}" if pred.negate else sql, *params)

    # --- statements -----------------------------------------------------------------

    def segment(self, segment: Segment, mode: str, limit: int) -> tuple[str, list[object]]:
        """The statement of ``segment``: at most ``limit`` rows (``ROWS``) or keys (``KEYS``).

        A ``ROWS`` statement selects ``ROW_COLUMNS``, a ``KEYS`` one the note id; both
        then the span's key columns.
        """
        query = _Query()
        newest_first = segment.forward
        id_order = "DESC" if newest_first else "ASC"
        selected = ""
        bound_sql, bound_params = "", []
        if segment.span is None:
            applied = self._id_driver(query, segment.fixes)
            bound = segment.bound
            if bound is None:
                bound = MAX_ID if newest_first else -MAX_ID
                operator = "<=" if newest_first else ">="
            else:
                operator = "<" if newest_first else ">"
            self._filters(query, segment, applied, None if self.sqlite else (operator, bound))
            query.add(f"{query.id_expr} {operator} ?", bound)
            joins_note = query.uses_note or mode == ROWS
            if not self.sqlite and query.id_expr != "n.id" and joins_note:
                query.add(f"n.id {operator} ?", bound)  # lets PostgreSQL start ``note`` there
            order = f"{query.id_expr} {id_order}"
        else:
            level = segment.span
            key, selected = self._span_driver(query, level)
            for fix in segment.fixes:
                self._fix(query, fix, bare=False)
            self._span_preds(query, level, key)
            self._filters(query, segment, set())
            ascending = segment.forward != level.descending
            if segment.bound is not None:
                bound = segment.bound
                if level.column.kind == NAMED:
                    bound = named_key(bound)
                bound_sql, bound_params = f"{key} {'>' if ascending else '<'} ?", [bound]
            order = f"{key} {'ASC' if ascending else 'DESC'}, {query.id_expr} {id_order}"
        if mode == ROWS:
            query.uses_note = True
            columns = ROW_COLUMNS
        else:
            columns = query.id_expr
        if selected:
            columns = f"{columns}, {selected}"
        if segment.span is not None and segment.span.column.kind == NAMED and not self.sqlite:
            bounded = (bound_sql, bound_params)
            return self._lateral(query, segment.span, columns, order, id_order, bounded, limit)
        if bound_sql:
            query.add(bound_sql, *bound_params)
        sql = (
            f"SELECT {columns} FROM {query.source(self.join)}{query.where_sql()}"
            f" ORDER BY {order} LIMIT ?"
        )
        return self._placeholders(sql), [*query.params, limit]

    def _lateral(
        self,
        query: _Query,
        level: Level,
        columns: str,
        order: str,
        id_order: str,
        bounded: tuple[str, list[object]],
        limit: int,
    ) -> tuple[str, list[object]]:
        """PostgreSQL: a customer/assignee span, each name's notes by a bounded index walk."""
        column = level.column
        bound_sql, bound_params = bounded
        inner = " AND ".join([f"n.{column.note_column} = k.id", *query.where])
        outer = f" WHERE {bound_sql}" if bound_sql else ""
        sql = (
            f"SELECT {columns} FROM {NAME_TABLE[str(column.table)]} k CROSS JOIN LATERAL"
            f" (SELECT n.* FROM note n WHERE {inner} ORDER BY n.id {id_order} LIMIT ?) n"
            f"{outer} ORDER BY {order} LIMIT ?"
        )
        return self._placeholders(sql), [*query.params, limit, *bound_params, limit]

    def next_key(
        self, level: Level, fixes: tuple[Fix, ...], after: object, forward: bool
    ) -> tuple[str, list[object]]:
        """The statement of the first non-blank key of ``level`` after ``after`` (a ``KEYS``
        statement of one row)."""
        return self.segment(Segment(fixes, level, after, forward), KEYS, 1)

    def _every_match(self, fence: bool) -> _Query:
        """Every matching note, newest first by the first suitable index, without SQLite's
        index hints (the planner chooses); ``fence`` keeps PostgreSQL's probes fenced."""
        matching = SegmentSql(self.plan, self.sqlite, self.match)
        matching.sqlite_hints = False
        matching.unordered = True
        if not fence:
            matching.fence = ""
        query = _Query()
        applied = matching._id_driver(query, ())
        matching._filters(query, Segment((), None, None, True), applied)
        return query

    def count(self) -> tuple[str, list[object]]:
        """The statement counting every matching note (indexes left to the planner)."""
        query = self._every_match(fence=False)  # reads every match: let PostgreSQL hash probes
        sql = f"SELECT COUNT(*) FROM {query.source(self.join)}{query.where_sql()}"
        return self._placeholders(sql), query.params

    def ids(self) -> tuple[str, list[object]]:
        """One statement selecting the id of every matching note (column ``id``), unordered.

        The same statement as ``count``, selecting ids instead of counting them.
        """
        query = self._every_match(fence=False)
        sql = f"SELECT {query.id_expr} AS id FROM {query.source(self.join)}{query.where_sql()}"
        return self._placeholders(sql), query.params

    def member(self, note_id: int) -> tuple[str, list[object]]:
        """The statement selecting one row when note ``note_id`` matches the query."""
        query = self._every_match(fence=True)
        query.add(f"{query.id_expr} = ?", note_id)
        sql = f"SELECT 1 FROM {query.source(self.join)}{query.where_sql()} LIMIT 1"
        return self._placeholders(sql), query.params

    def full_scan(self) -> tuple[str, list[object]]:
        """One statement listing every matching note's keys, in list order (checkpoints).

        It reads and sorts everything: meant for a worker building the jump list of a
        sort of several keys, whose segment walk would probe each group's values again.
        Selects the note id, then each level's key (two columns for customers/assignees).
        Notes whose status/action/option is missing from the settings snapshot are left
        out, as the walk leaves them out.
        """
        query = _Query(driver="note n", uses_note=True)
        joins: list[str] = []
        columns = ["n.id"]
        order: list[str] = []
        for level in self.plan.levels:
            column = level.column
            direction = "DESC" if level.descending else "ASC"
            alias = f"v{level.index}"
            if column.kind == NAMED:
                table = str(column.table)
                joins.append(
                    f"LEFT JOIN {NAME_TABLE[table]} {alias} ON {alias}.id = n.{column.note_column}"
                )
                columns.append(f"{alias}.name_key, {alias}.id")
                order.append(f"{alias}.id IS NULL, {alias}.name_key {direction}")
                continue
            if column.type == ZONE:
                joins.append(
                    f"LEFT JOIN customer_state {alias} ON {alias}.customer_id = n.customer_id"
                )
                zoned = ", ".join(str(int(group)) for group in column.groups) or "NULL"
                key = (
                    f"(CASE WHEN {alias}.zone_option_id IN ({zoned})"
                    f" THEN {alias}.zone_option_id END)"
                )
            elif column.variable_id is not None:
                joins.append(
                    f"LEFT JOIN note_value {alias} ON {alias}.note_id = n.id"
                    f" AND {alias}.variable_id = {int(column.variable_id)}"
                )
                key = f"{alias}.{column.value_column}"
            else:
                key = f"n.{column.note_column}"
            columns.append(key)
            if column.kind == GROUP:
                known = ", ".join(str(int(group)) for group in column.groups) or "NULL"
                query.add(f"({key} IS NULL OR {key} IN ({known}))")
                ranks = " ".join(
                    f"WHEN {int(group)} THEN {rank}" for rank, group in enumerate(column.groups)
                )
                rank = f"CASE {key} {ranks} END" if ranks else "0"
                order.append(f"{key} IS NULL, {rank} {direction}")
            else:
                order.append(f"{key} IS NULL, {key} {direction}")
        unfenced = SegmentSql(self.plan, self.sqlite, self.match)
        unfenced.fence = ""  # a full read: let PostgreSQL hash the probes
        unfenced._filters(query, Segment((), None, None, True), set())
        order.append("n.id DESC")
        sql = (
            f"SELECT {', '.join(columns)} FROM note n {' '.join(joins)}{query.where_sql()}"
            f" ORDER BY {', '.join(order)}"
        )
        return self._placeholders(sql), query.params

    def _placeholders(self, sql: str) -> str:
        return sql if self.sqlite else sql.replace("?", "%s")


def _value_index(column: Column) -> str:
    """The ``note_value`` index listing one value's notes by id."""
    if column.value_column == "option_id":
        return "note_value_option"
    return f"note_value_{column.value_column}"
