"""Who may do what: nothing without a signed-in user; settings and users for admins only."""

from __future__ import annotations

from crm_tui.db.models import User
from crm_tui.domain.errors import PermissionDenied
from crm_tui.i18n import _
from crm_tui.records import UserInfo


def _stored_rights(actor: UserInfo) -> tuple[bool, bool]:
    """``(is_admin, active)`` as the database has them now (both ``False`` if deleted)."""
    row = User.select(User.role, User.active).where(User.id == actor.id).tuples().first()
    return (row[0] == "admin", bool(row[1])) if row else (False, False)


def require_signed_in(actor: UserInfo | None) -> UserInfo:
    """``actor``, or refuse: every change needs someone signed in.

    The app has no user before the password is right; a screen or command reached
    before sign-in by mistake is refused here instead of writing as nobody.
    """
    if actor is None:
        raise PermissionDenied(_("nobody is signed in: sign in first"))
    return actor


def require_admin(actor: UserInfo | None, doing: str | None = None) -> None:
    """Refuse unless ``actor`` is an active admin, now: not only when they signed in.

    A role or a deactivation changed by another admin counts at once, even in an app
    that was opened before.
    """
    allowed = actor is not None and actor.is_admin and actor.active
    if actor is None or not allowed or _stored_rights(actor) != (True, True):
        name = actor.name if actor else _("nobody")
        raise PermissionDenied(
            _("{name} is not an admin: only admins can {doing}").format(
                name=name, doing=doing or _("change settings")
            )
        )


def can_change_settings(actor: UserInfo | None) -> bool:
    """Whether ``actor`` may open Settings and the Users screen."""
    return actor is not None and actor.is_admin and actor.active
