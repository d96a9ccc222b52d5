"""Signing in on the command line: the acting user, their password and new passwords."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable

from crm_tui.cli.output import CommandError
from crm_tui.cli.parser import ENV_NEW_PASSWORD, ENV_PASSWORD
from crm_tui.domain import users
from crm_tui.domain.settings import ensure_starter_settings
from crm_tui.domain.text import visible
from crm_tui.i18n import _
from crm_tui.records import UserInfo

sleep: Callable[[float], None] = time.sleep
"""How the command line waits out the back-off after wrong passwords (tests replace it)."""

MAX_PASSWORD_WAITS = 5
"""Back-offs waited for one check at most (others' wrong passwords may prolong it)."""


def check_password(actor: UserInfo) -> None:
    """Refuse unless the password is right, after the wait wrong ones in a row cost.

    The wrong passwords are counted in the database, so every process (the app, each
    run of the command line) waits the same back-off; the wait is said on stderr.
    """
    if not actor.has_password:
        return
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(
                _("{name} has a password: set {env}, or run the command in a terminal").format(
                    name=actor.name, env=ENV_PASSWORD
                )
            )
        password = getpass.getpass(_("Password for {name}: ").format(name=actor.name))
    for _attempt in range(MAX_PASSWORD_WAITS):
        wait = users.password_wait(actor.id)
        if wait > 0:
            print(visible(str(users.PasswordWait(actor.name, wait))), file=sys.stderr, flush=True)
            sleep(wait)
        try:
            right = users.check_password(actor.id, password)
        except users.PasswordWait:  # another process typed a wrong password meanwhile
            continue
        if not right:
            raise CommandError(_("wrong password for {name}").format(name=actor.name))
        return
    raise CommandError(
        _("too many wrong passwords for {name}: try again later").format(name=actor.name)
    )


def new_password(name: str) -> str:
    """A new password for ``name``: from ``CRM_TUI_NEW_PASSWORD``, else typed twice."""
    password = os.environ.get(ENV_NEW_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(
                _("set {env} to give {name} a password, or run the command in a terminal").format(
                    env=ENV_NEW_PASSWORD, name=name
                )
            )
        password = getpass.getpass(_("New password for {name}: ").format(name=name))
        if getpass.getpass(_("Again: ")) != password:
            raise CommandError(_("the two passwords differ"))
    if not password:
        raise CommandError(_("the password is empty"))
    return password


def sign_in(args: argparse.Namespace, *, starter: bool = True) -> UserInfo:
    """The acting user, password checked; adds the starter settings to a new database."""
    if starter:
        ensure_starter_settings()
    actor = users.actor_for(args.user)
    check_password(actor)
    return actor
