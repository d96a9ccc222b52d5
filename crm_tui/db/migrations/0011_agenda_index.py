"""Version 11: an index for each user's follow-ups (the agenda and My day).

``note_assignee_follow_up`` lists one assignee's notes by follow-up, ties newest first:
the agenda ("my notes due by a day, earliest first") and each day of My day ("due that
day, newest first") are then one walk of it, whoever has how many notes. Notes without a
follow-up are left out of it (most of them). Both engines; nothing to fill.
"""

from peewee import *

INDEX = (
    "CREATE INDEX IF NOT EXISTS note_assignee_follow_up ON note (assignee_id, follow_up, id DESC)"
    " WHERE follow_up IS NOT NULL"
)


def up(migrator, db):
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS note_assignee_follow_up")
