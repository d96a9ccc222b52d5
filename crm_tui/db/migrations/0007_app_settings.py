"""Version 7: database-wide settings, one JSON value per key.

``app_setting`` holds settings of the whole database rather than of one user, such as the
currency amounts are shown in (``"currency"``: an ISO 4217 code). A key not set has its
default (the currency: the viewer's locale's). Both engines; nothing to fill. Depends on
no other migration's content but the first's (a table of its own, no foreign key).
"""

from peewee import *


def up(migrator, db):
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS app_setting"
        " (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"
    )


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS app_setting")
