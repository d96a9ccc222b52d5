"""Who may do what: settings and users are for admins only."""

from __future__ import annotations

from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.records import UserInfo
from crm_tui.i18n import _


def require_admin(actor: UserInfo | None, doing: str | None = None) -> None:
    """Refuse unless ``actor`` is an active admin."""
    if actor is None or not actor.is_admin or not actor.active:
        name = actor.name if actor else _("nobody")
        raise PermissionDenied(
            _("{name} is not an admin: only admins can {doing}").format(
                name=name, doing=doing or _("change settings")
            )
        )


def can_change_settings(actor: UserInfo | None) -> bool:
    """Whether ``actor`` may open Settings and the Users screen."""
    return actor is not None and actor.is_admin and actor.active
