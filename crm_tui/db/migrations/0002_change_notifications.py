"""Version 2: PostgreSQL tells listening apps about every committed change.

A statement trigger on each table the lists show sends ``NOTIFY crm_changes`` with the
table's name and the writer's transaction id (delivered on commit, once per table and
transaction), whoever writes: the app, the command line or psql. SQLite needs nothing:
the app polls ``PRAGMA data_version`` (see ``crm_tui/db/change_watch.py``).
"""

from peewee import SqliteDatabase

TABLES = ("note", "note_value", "customer", "user", "status", "action", "variable", "option")

FUNCTION = """
CREATE OR REPLACE FUNCTION crm_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('crm_changes', TG_TABLE_NAME || ':' || pg_current_xact_id()::text);
    RETURN NULL;
END
$$
"""


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        return
    db.execute_sql(FUNCTION)
    for table in TABLES:
        db.execute_sql(
            f"CREATE TRIGGER crm_announce_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f' ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION crm_announce_change()'
        )


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        return
    for table in TABLES:
        db.execute_sql(f'DROP TRIGGER IF EXISTS crm_announce_{table} ON "{table}"')
    db.execute_sql("DROP FUNCTION IF EXISTS crm_announce_change()")
