"""Users: the team, their roles and passwords (argon2id)."""

from __future__ import annotations

import peewee
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm_tui.db.models import ROLES, User, database_proxy
from crm_tui.domain import history
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.records import UserInfo
from crm_tui.domain.text import clean_name, fold
from crm_tui.i18n import _

_hasher = PasswordHasher()


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        name=user.name,
        role=user.role,
        active=bool(user.active),
        has_password=bool(user.password_hash),
    )


def list_users() -> list[UserInfo]:
    """Every user, by name."""
    return [_info(user) for user in User.select().order_by(User.name_key)]


def find_user(name: str) -> UserInfo | None:
    """The user called ``name`` (case- and accent-insensitive), or ``None``."""
    user = User.get_or_none(User.name_key == fold(name))
    return _info(user) if user else None


def get_user(user_id: int) -> UserInfo:
    """The user with this id."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(_("no user #{id}").format(id=user_id))
    return _info(user)


def has_users() -> bool:
    """Whether the database has any user yet."""
    return User.select().exists()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (slow on purpose: call it off the UI thread)."""
    return _hasher.hash(password)


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(
            _("role"), _("{role!r} is not a role; use admin or rep").format(role=role)
        )
    return role


def create_user(
    actor: UserInfo | None, name: str, role: str = "rep", password: str | None = None
) -> UserInfo:
    """Add a user. The first user of a database needs no actor and is always an admin."""
    with database_proxy.atomic():
        first = not has_users()
        if not first:
            require_admin(actor, _("add users"))
        display = clean_name(name)
        if not display:
            raise ValidationError(_("name"), _("a user needs a name"))
        if User.select().where(User.name_key == fold(display)).exists():
            raise ValidationError(
                _("name"), _("a user named {name!r} exists already").format(name=display)
            )
        role = "admin" if first else _checked_role(role)
        user = User.create(
            name=display,
            name_key=fold(display),
            role=role,
            password_hash=hash_password(password) if password else None,
            active=True,
            created_at=history.now(),
        )
        history.record(actor, "user", user.id, [("name", None, display), ("role", None, role)])
        return _info(user)


def update_user(
    actor: UserInfo,
    user_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> UserInfo:
    """Rename, change the role of, or (de)activate a user. Admins only."""
    with database_proxy.atomic():
        require_admin(actor, _("change users"))
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(_("no user #{id}").format(id=user_id))
        changes: list[tuple[str, object, object]] = []
        if name is not None:
            display = clean_name(name)
            if not display:
                raise ValidationError(_("name"), _("a user needs a name"))
            clash = User.get_or_none((User.name_key == fold(display)) & (User.id != user_id))
            if clash is not None:
                raise ValidationError(
                    _("name"), _("a user named {name!r} exists already").format(name=display)
                )
            changes.append(("name", user.name, display))
            user.name, user.name_key = display, fold(display)
        if role is not None:
            changes.append(("role", user.role, _checked_role(role)))
            user.role = role
        if active is not None:
            changes.append(("active", bool(user.active), active))
            user.active = active
        _keep_an_admin(user, _("active") if active is False else _("role"))
        user.save()
        history.record(actor, "user", user.id, changes)
        return _info(user)


def _keep_an_admin(changed: User, field: str) -> None:
    """Refuse (naming ``field``) a change that would leave no active admin."""
    if changed.role == "admin" and changed.active:
        return
    others = User.select().where(
        (User.role == "admin") & (User.active == True) & (User.id != changed.id)  # noqa: E712
    )
    if not others.exists():
        raise ValidationError(field, _("the team must keep at least one active admin"))


def set_password(actor: UserInfo, user_id: int, password_hash: str | None) -> None:
    """Set (or clear, with ``None``) a user's password hash: admins, or the user themself."""
    with database_proxy.atomic():
        if actor.id != user_id:
            require_admin(actor, _("change another user's password"))
        updated = User.update(password_hash=password_hash).where(User.id == user_id).execute()
        if not updated:
            raise NotFound(_("no user #{id}").format(id=user_id))
        history.record(actor, "user", user_id, [("password", None, _("changed"))])


def verify_password(user_id: int, password: str) -> bool:
    """Whether ``password`` is the user's password (slow: call it off the UI thread)."""
    user = User.get_or_none(User.id == user_id)
    if user is None or not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for(name: str) -> UserInfo:
    """The user who runs a command as ``name``; in an empty database, creates them as admin."""
    with database_proxy.atomic():
        user = find_user(name)
        if user is not None:
            if not user.active:
                raise ValidationError(_("user"), _("{name} is deactivated").format(name=user.name))
            return user
        if not has_users():
            try:
                return create_user(None, name)
            except peewee.IntegrityError:
                pass
        found = find_user(name)
        if found is None:
            raise NotFound(
                _(
                    "no user named {name!r}; an admin can add one with: crm-tui users add {name}"
                ).format(name=name)
            )
        return found
