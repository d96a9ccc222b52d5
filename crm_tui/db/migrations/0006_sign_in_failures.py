"""Version 6: each user's wrong passwords in a row, shared by every process.

``failed_sign_ins`` counts the wrong passwords typed since the last right one and
``last_failed_sign_in`` is when the latest was typed (UTC). The app and the command
line read both before checking a password and wait longer after each failure past the
third (see ``crm_tui.domain.users.password_wait``), so separate processes cannot try
passwords faster than one. Both engines; existing users start at no failure.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column(
            "user",
            "failed_sign_ins",
            IntegerField(default=0, constraints=[SQL("DEFAULT 0")]),
            allow_not_null=True,
        ),
        migrator.add_column("user", "last_failed_sign_in", DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("user", "last_failed_sign_in"),
        migrator.drop_column("user", "failed_sign_ins"),
    )
