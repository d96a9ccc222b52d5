"""Version 12: each customer's close month and amount beside its current status.

``customer_state`` gains ``close_month`` (the first day of the month of the customer's
newest value of the pipeline's close-date variable) and ``amount_cents`` (its newest value
of the pipeline's currency variable); ``pipeline_kept`` (one row) names those two
variables. The charts' amount by close month is then one indexed GROUP BY
(``customer_state_close_month``), with no per-customer lookup. Kept in the same
transaction as every note write (``crm_tui/db/customer_state.py``); the variables follow
the settings (``crm_tui/domain/cockpit/zone_sync.py``). Both engines.

Filled here for the variables the settings give by default, as far as SQL can tell (the
first date variable whose name says "close" or "clôture", else the first date variable;
the first currency variable); the next settings write names them exactly.
"""

from peewee import BigIntegerField, DateField, SqliteDatabase

VARIABLES = (
    "SELECT id FROM variable WHERE type = '{kind}' AND NOT archived"
    " ORDER BY {first}position, id LIMIT 1"
)
CLOSE_WORDS = ("close", "clôture", "cloture")


def _close_first(sqlite):
    """Date variables whose name says "close" first (no ``%``: psycopg's placeholders)."""
    find = "instr({name}, '{word}')" if sqlite else "strpos({name}, '{word}')"
    says = " OR ".join(find.format(name="lower(name)", word=w) + " > 0" for w in CLOSE_WORDS)
    return f"CASE WHEN {says} THEN 0 ELSE 1 END, "


def _month(sqlite, column):
    if sqlite:
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS DATE)"


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    migrator.migrate(
        migrator.add_column("customer_state", "close_month", DateField(null=True)),
        migrator.add_column("customer_state", "amount_cents", BigIntegerField(null=True)),
    )
    db.execute_sql(
        "CREATE TABLE pipeline_kept (close_variable_id INTEGER, sum_variable_id INTEGER)"
    )
    close = db.execute_sql(VARIABLES.format(kind="date", first=_close_first(sqlite))).fetchone()
    amount = db.execute_sql(VARIABLES.format(kind="currency", first="")).fetchone()
    close_id = int(close[0]) if close else None
    amount_id = int(amount[0]) if amount else None
    marks = "?, ?" if sqlite else "%s, %s"
    db.execute_sql(
        f"INSERT INTO pipeline_kept (close_variable_id, sum_variable_id) VALUES ({marks})",
        [close_id, amount_id],
    )
    value = (
        "SELECT {col} FROM customer_value v WHERE v.customer_id = customer_state.customer_id"
        " AND v.variable_id = {variable}"
    )
    if close_id is not None or amount_id is not None:
        close_value = value.format(col=_month(sqlite, "v.value_date"), variable=close_id or 0)
        amount_value = value.format(col="v.value_cents", variable=amount_id or 0)
        db.execute_sql(
            f"UPDATE customer_state SET close_month = ({close_value}),"
            f" amount_cents = ({amount_value})"
        )
    db.execute_sql(
        "CREATE INDEX customer_state_close_month ON customer_state"
        " (status_id, close_month, amount_cents) WHERE close_month IS NOT NULL"
    )
    if not sqlite:
        db.execute_sql("ANALYZE customer_state")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS customer_state_close_month")
    db.execute_sql("DROP TABLE IF EXISTS pipeline_kept")
    migrator.migrate(
        migrator.drop_column("customer_state", "amount_cents"),
        migrator.drop_column("customer_state", "close_month"),
    )
