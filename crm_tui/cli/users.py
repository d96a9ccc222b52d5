"""The ``users`` commands: list, add, edit, and passwords."""

from __future__ import annotations

import argparse

from rich.cells import cell_len

from crm_tui.cli.output import CommandError, say
from crm_tui.cli.sign_in import new_password, sign_in
from crm_tui.domain import users
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.text import visible
from crm_tui.i18n import _
from crm_tui.records import UserInfo


def run_users(args: argparse.Namespace) -> int:
    actor = sign_in(args)
    if args.action == "list":
        rows: list[tuple[str, ...]] = [(_("NAME"), _("ROLE"), _("PASSWORD"), _("ACTIVE"))]
        for user in users.list_users():
            rows.append(
                (
                    user.name,
                    users.role_label(user.role),
                    _("yes") if user.has_password else _("no"),
                    _("yes") if user.active else _("no"),
                )
            )
        rows = [tuple(visible(cell) for cell in row) for row in rows]  # names: ESC as ␛
        widths = [max(cell_len(row[column]) for row in rows) for column in range(3)]
        for *padded, last in rows:
            cells = [c + " " * (w - cell_len(c)) for c, w in zip(padded, widths, strict=True)]
            say("  ".join([*cells, last]))
        return 0
    if args.action == "edit":
        return _users_edit(actor, args)
    if args.action == "password":
        return _users_password(actor, args)
    require_admin(actor, _("add users"))
    password = new_password(args.name) if args.password else None
    added = users.create_user(actor, args.name, role=args.role, password=password)
    say(_("Added {name} ({role}).").format(name=added.name, role=users.role_label(added.role)))
    return 0


def _users_edit(actor: UserInfo, args: argparse.Namespace) -> int:
    require_admin(actor, _("change users"))
    if args.new_name is None and args.role is None and args.active is None:
        raise CommandError(
            _("nothing to change: give --name, --role, --deactivate or --reactivate")
        )
    target = users.user_named(args.name)
    changed = users.update_user(
        actor, target.id, name=args.new_name, role=args.role, active=args.active
    )
    state = _("active") if changed.active else _("deactivated")
    say(
        _("Saved {name} ({role}, {state}).").format(
            name=changed.name, role=users.role_label(changed.role), state=state
        )
    )
    return 0


def _users_password(actor: UserInfo, args: argparse.Namespace) -> int:
    target = actor if args.name is None else users.user_named(args.name)
    if args.remove:
        users.remove_password(actor, target.id)
        say(_("{name} has no password now.").format(name=target.name))
        return 0
    users.check_password_right(actor, target.id)  # refuse before asking for a password
    password = users.checked_password(new_password(target.name))
    users.set_password(actor, target.id, users.hash_password(password))
    say(_("New password for {name}.").format(name=target.name))
    return 0
