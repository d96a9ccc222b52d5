"""Version 9: the sales cockpit's settings (issue 14).

* ``status.done``: a note in a done status needs no follow-up (default: not done);
* ``action.follow_up_days``: the follow-up delay, in days, a note with this action gets
  by default (none: no default);
* ``option.time_zone``: the IANA time zone of the customers with this dropdown option
  (none: the option says nothing of where they are).

Business hours are a database-wide setting (``app_setting``, key ``business_hours``):
no column. Both engines; existing rows get the defaults, nothing to fill.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column(
            "status",
            "done",
            BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]),
            allow_not_null=True,
        ),
        migrator.add_column("action", "follow_up_days", IntegerField(null=True)),
        migrator.add_column("option", "time_zone", TextField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("option", "time_zone"),
        migrator.drop_column("action", "follow_up_days"),
        migrator.drop_column("status", "done"),
    )
