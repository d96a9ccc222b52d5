"""``crm-tui agenda``: the acting user's open follow-ups, as ``export notes`` writes notes."""

from __future__ import annotations

import argparse
import sys

from crm_tui import clock
from crm_tui.cli.sign_in import sign_in
from crm_tui.domain.errors import NotFound
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.users import find_user
from crm_tui.i18n import _
from crm_tui.records import UserInfo


def _for_user(actor: UserInfo, name: str | None) -> UserInfo | None:
    """The user ``--for`` names; someone else than the actor is for admins only (said
    before whether that user exists)."""
    if name is None:
        return None
    user = find_user(name)
    if user is not None and user.id == actor.id:
        return actor
    require_admin(actor, _("look at someone else's agenda"))
    if user is None:
        raise NotFound(_("no user named {name!r}").format(name=name))
    return user


def run_agenda(args: argparse.Namespace) -> int:
    """Write the notes assigned to the acting user (or ``--for``'s), not done, with a
    follow-up on or before today + ``--days``: follow-up ascending, ties newest first.
    Today is the day in this process's zone, as everywhere on the command line."""
    from crm_tui.domain.cockpit.agenda import agenda_pager
    from crm_tui.domain.exchange.export import export_notes

    actor = sign_in(args)
    today = clock.to_local(clock.utc_now()).date()
    pager = agenda_pager(actor, _for_user(actor, args.for_user), args.days, today)
    export_notes(sys.stdout, pager.settings, pager.query, format=args.format, today=today)
    sys.stdout.flush()
    return 0
