"""Version 10: each customer's current state, kept beside the notes (issue 14).

* ``customer_state``: one row per customer that has notes: its newest note and that
  note's assignee, the status of its newest note that has one (and that note), and the
  option of the time-zone variable on its newest note that has one (and that note);
* ``customer_value``: per customer and variable, the newest value among its notes (the
  note it is on, and the typed columns of ``note_value``), with the customer's current
  status copied beside it (the sums by status read one index, ``customer_value_stage``;
  the close months ``customer_value_stage_date``).

Every note write keeps both up to date in its own transaction
(``crm_tui/db/customer_state.py``): the pipeline sums 100,000 customers from here instead
of from a million notes. Both engines; filled from the notes (a frozen copy of
``rebuild_all``'s statements: later versions may change the tables).
"""

from peewee import SqliteDatabase

VALUE_COLUMNS = "value_text, value_key, value_num, value_cents, value_date, option_id"


def _tables(sqlite):
    big = "INTEGER" if sqlite else "BIGINT"
    real = "REAL" if sqlite else "DOUBLE PRECISION"
    key_type = "TEXT" if sqlite else 'TEXT COLLATE "C"'
    without_rowid = " WITHOUT ROWID" if sqlite else ""
    return [
        "CREATE TABLE customer_state ("
        " customer_id INTEGER NOT NULL PRIMARY KEY REFERENCES customer (id),"
        f" note_id {big} NOT NULL,"
        " assignee_id INTEGER,"
        " status_id INTEGER,"
        f" status_note_id {big},"
        " zone_option_id INTEGER,"
        f" zone_note_id {big})",
        "CREATE TABLE customer_value ("
        " customer_id INTEGER NOT NULL,"
        " variable_id INTEGER NOT NULL,"
        f" note_id {big} NOT NULL,"
        " value_text TEXT,"
        f" value_key {key_type},"
        f" value_num {real},"
        f" value_cents {big},"
        " value_date DATE,"
        " option_id INTEGER,"
        " status_id INTEGER,"
        f" PRIMARY KEY (customer_id, variable_id)){without_rowid}",
        "CREATE INDEX customer_state_status ON customer_state (status_id, customer_id)",
        "CREATE INDEX customer_state_assignee ON customer_state (assignee_id, customer_id)",
        "CREATE INDEX customer_state_zone ON customer_state (zone_option_id, customer_id)",
        "CREATE INDEX customer_value_stage ON customer_value"
        " (variable_id, status_id, value_cents, customer_id) WHERE value_cents IS NOT NULL",
        "CREATE INDEX customer_value_stage_date ON customer_value"
        " (variable_id, status_id, value_date, customer_id) WHERE value_date IS NOT NULL",
        *[
            f"CREATE INDEX customer_value_{column} ON customer_value"
            f" (variable_id, {column}, customer_id) WHERE {column} IS NOT NULL"
            for column in ("value_key", "value_num", "value_cents", "value_date", "option_id")
        ],
    ]


def _newest_values(sqlite):
    """Each customer's newest value of each variable (frozen copy of ``rebuild_all``)."""
    if sqlite:  # the bare columns of a MAX() aggregate come from the row holding the max
        return (
            f"INSERT INTO customer_value (customer_id, variable_id, note_id, {VALUE_COLUMNS})"
            f" SELECT n.customer_id, v.variable_id, MAX(v.note_id), {VALUE_COLUMNS}"
            " FROM note n JOIN note_value v ON v.note_id = n.id"
            " GROUP BY n.customer_id, v.variable_id"
        )
    return (
        f"INSERT INTO customer_value (customer_id, variable_id, note_id, {VALUE_COLUMNS})"
        f" SELECT DISTINCT ON (n.customer_id, v.variable_id) n.customer_id, v.variable_id,"
        f" v.note_id, {', '.join('v.' + c.strip() for c in VALUE_COLUMNS.split(','))}"
        " FROM note n JOIN note_value v ON v.note_id = n.id"
        " ORDER BY n.customer_id, v.variable_id, v.note_id DESC"
    )


ZONE_VARIABLE = (
    "SELECT v.id FROM variable v WHERE v.type = 'dropdown' AND NOT v.archived"
    " AND EXISTS (SELECT 1 FROM option o WHERE o.variable_id = v.id"
    " AND o.time_zone IS NOT NULL AND o.time_zone <> '')"
    " ORDER BY v.position, v.id LIMIT 1"
)


def _states(zone_variable):
    zone = "NULL" if zone_variable is None else str(int(zone_variable))
    return (
        "INSERT INTO customer_state (customer_id, note_id, assignee_id, status_id,"
        " status_note_id, zone_option_id, zone_note_id)"
        " SELECT c.customer_id, c.note_id, n.assignee_id, s.status_id, s.id,"
        " z.option_id, z.note_id"
        " FROM (SELECT customer_id, MAX(id) AS note_id FROM note GROUP BY customer_id) c"
        " JOIN note n ON n.id = c.note_id"
        " LEFT JOIN note s ON s.id = (SELECT x.id FROM note x WHERE"
        " x.customer_id = c.customer_id AND x.status_id IS NOT NULL ORDER BY x.id DESC LIMIT 1)"
        f" LEFT JOIN customer_value z ON z.customer_id = c.customer_id AND z.variable_id = {zone}"
    )


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    for statement in _tables(sqlite):
        db.execute_sql(statement)
    db.execute_sql(_newest_values(sqlite))
    row = db.execute_sql(ZONE_VARIABLE).fetchone()
    db.execute_sql(_states(row[0] if row else None))
    db.execute_sql(
        "UPDATE customer_value SET status_id = (SELECT s.status_id FROM customer_state s"
        " WHERE s.customer_id = customer_value.customer_id)"
    )
    if not sqlite:  # the planner's statistics of the new tables, at once
        db.execute_sql("ANALYZE customer_state")
        db.execute_sql("ANALYZE customer_value")


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS customer_value")
    db.execute_sql("DROP TABLE IF EXISTS customer_state")
