"""Users: the team, their roles and passwords (argon2id)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import shlex
from typing import Any

import peewee

from crm_tui.db.models import ROLES, User, database_proxy
from crm_tui.domain import history
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.text import check_name, fold, storable
from crm_tui.i18n import _
from crm_tui.records import UserInfo


def role_label(role: str) -> str:
    """The user's word for a role (``rep``: ``représentant`` in French); typed roles stay
    ``admin`` / ``rep``."""
    return {"admin": _("admin"), "rep": _("rep")}.get(role, role)


@functools.cache
def _hasher() -> Any:
    """argon2's hasher, imported on first use: most starts never hash a password."""
    from argon2 import PasswordHasher

    return PasswordHasher()


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
    if not storable(name or ""):  # no stored name holds NUL, nor can PostgreSQL compare one
        return None
    user = User.get_or_none(User.name_key == fold(name))
    return _info(user) if user else None


def user_named(name: str) -> UserInfo:
    """The user called ``name``; refused if there is none."""
    user = find_user(name)
    if user is None:
        raise NotFound(_("no user named {name!r}").format(name=name))
    return user


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
    return _hasher().hash(password)


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(
            _("role"), _("{role!r} is not a role; use admin or rep").format(role=role)
        )
    return role


def _now(actor: UserInfo | None) -> UserInfo | None:
    """``actor`` as the database has them now (a role or activity may have changed since)."""
    if actor is None:
        return None
    user = User.get_or_none(User.id == actor.id)
    return _info(user) if user is not None else None


def _require_admin_now(actor: UserInfo | None, doing: str) -> None:
    """Refuse unless ``actor`` is an active admin now, not only when they signed in."""
    current = _now(actor)
    if current is None and actor is not None:
        current = UserInfo(actor.id, actor.name, actor.role, active=False)
    require_admin(current, doing)


def create_user(
    actor: UserInfo | None, name: str, role: str = "rep", password: str | None = None
) -> UserInfo:
    """Add a user. The first user of a database needs no actor and is always an admin."""
    if password is not None:
        password = checked_password(password)
    with database_proxy.atomic():
        first = not has_users()
        if not first:
            _require_admin_now(actor, _("add users"))
        display = check_name(name, _("name"))
        if not display:
            raise ValidationError(_("name"), _("a user needs a name"))
        if User.select().where(User.name_key == fold(display)).exists():
            raise ValidationError(
                _("name"), _("a user named {name!r} exists already").format(name=display)
            )
        role = "admin" if first else _checked_role(role)
        try:
            with database_proxy.atomic():  # a savepoint: the race below leaves no trace
                user = User.create(
                    name=display,
                    name_key=fold(display),
                    role=role,
                    password_hash=hash_password(password) if password else None,
                    active=True,
                    created_at=history.now(),
                )
        except peewee.IntegrityError:  # another writer added the name since the check
            raise ValidationError(
                _("name"), _("a user named {name!r} exists already").format(name=display)
            ) from None
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
        _require_admin_now(actor, _("change users"))
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(_("no user #{id}").format(id=user_id))
        changes: list[tuple[str, object, object]] = []
        if name is not None:
            display = check_name(name, _("name"))
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
        if active is False and actor.id == user_id:
            raise ValidationError(_("active"), _("you cannot deactivate yourself"))
        user.save()
        history.record(actor, "user", user.id, changes)
        return _info(user)


def _keep_an_admin(changed: User, field: str) -> None:
    """Refuse (naming ``field``) a change that would leave no active admin.

    On PostgreSQL the admins' rows are locked first, so two admins demoting each other at
    the same moment cannot both succeed (SQLite lets only one writer in at a time anyway).
    """
    admins = User.select(User.id).where((User.role == "admin") & (User.active == True))  # noqa: E712
    if getattr(database_proxy.obj, "for_update", False):
        admins = admins.for_update()
    others = [row.id for row in admins if row.id != changed.id]
    if changed.role == "admin" and changed.active:
        return
    if not others:
        raise ValidationError(field, _("the team must keep at least one active admin"))


def checked_password(password: str, again: str | None = None) -> str:
    """``password`` if it may be used (not empty; typed the same twice when ``again`` is given)."""
    if not password:
        raise ValidationError(_("password"), _("the password is empty"))
    if password != password.strip():
        raise ValidationError(_("password"), _("the password starts or ends with a space"))
    if again is not None and again != password:
        raise ValidationError(_("password again"), _("the two passwords differ"))
    return password


def check_password_right(actor: UserInfo, user_id: int) -> None:
    """Refuse unless ``actor`` may set this user's password: admins anyone's, a user their own."""
    if actor.id != user_id:
        _require_admin_now(actor, _("change another user's password"))
        return
    current = _now(actor)
    if current is None or not current.active:
        raise PermissionDenied(
            _("{name} is deactivated and cannot change a password").format(name=actor.name)
        )


def set_password(actor: UserInfo, user_id: int, password_hash: str | None) -> None:
    """Set (or clear, with ``None``) a user's password hash: admins, or the user themself."""
    with database_proxy.atomic():
        check_password_right(actor, user_id)
        updated = User.update(password_hash=password_hash).where(User.id == user_id).execute()
        if not updated:
            raise NotFound(_("no user #{id}").format(id=user_id))
        new = _("changed") if password_hash else _("removed")
        history.record(actor, "user", user_id, [("password", None, new)])


def change_password(
    actor: UserInfo,
    user_id: int,
    password: str,
    again: str,
    current: str | None = None,
) -> UserInfo:
    """Give a user a new password, typed twice (slow: hashes; call it off the UI thread).

    Admins set or reset anyone's; a rep only their own. Who changes their own password
    gives the ``current`` one first, if they have one.
    """
    check_password_right(actor, user_id)  # refuse before saying anything about the passwords
    target = get_user(user_id)
    if actor.id == user_id and target.has_password:
        if not current:
            raise ValidationError(_("current password"), _("type your current password"))
        if not verify_password(user_id, current):
            raise ValidationError(_("current password"), _("this is not your current password"))
    new_hash = hash_password(checked_password(password, again))
    set_password(actor, user_id, new_hash)  # checks the permission again, in the transaction
    return get_user(user_id)


def remove_password(actor: UserInfo, user_id: int) -> UserInfo:
    """Clear a user's password: they sign in with ``--user`` alone. Admins only."""
    _require_admin_now(actor, _("remove passwords"))
    set_password(actor, user_id, None)
    return get_user(user_id)


FREE_WRONG_PASSWORDS = 3
"""Wrong passwords in a row that cost no wait: typos happen."""
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 30.0


class PasswordWait(PermissionDenied):
    """Too many wrong passwords in a row: no check before ``seconds`` have passed."""

    def __init__(self, name: str, seconds: float) -> None:
        self.name = name
        self.seconds = seconds
        super().__init__(
            _("Wait {seconds} s: too many wrong passwords for {name}.").format(
                seconds=whole_seconds(seconds), name=name
            )
        )


def whole_seconds(seconds: float) -> int:
    """``seconds`` as said to a person: rounded up, so that waiting that long is enough."""
    return max(0, math.ceil(seconds - 1e-9))


def retry_delay(failures: int) -> float:
    """Seconds between the last of ``failures`` wrong passwords in a row and the next check.

    None for the first three; then 1 s, 2 s, 4 s … doubling up to 30 s. The same rule
    for the app and the command line.
    """
    extra = failures - FREE_WRONG_PASSWORDS
    if extra <= 0:
        return 0.0
    return min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** min(extra - 1, 16))


def utc_now() -> dt.datetime:
    """Now in UTC, without a zone (as failures are stored); tests replace it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _as_utc(moment: dt.datetime | str | None) -> dt.datetime | None:
    """A stored time as naive UTC (an aware or text value from either engine too)."""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment)
        except ValueError:
            return None
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def password_wait(user_id: int) -> float:
    """Seconds before this user's password may be checked again (``0.0``: now).

    Read from the database, so that every process (the app, each command line run)
    counts the same wrong passwords. A clock set back never makes the wait longer than
    the rule's delay.
    """
    row = (
        User.select(User.failed_sign_ins, User.last_failed_sign_in)
        .where(User.id == user_id)
        .tuples()
        .first()
    )
    if row is None:
        return 0.0
    delay = retry_delay(row[0] or 0)
    last = _as_utc(row[1])
    if delay <= 0 or last is None:
        return delay
    elapsed = (utc_now() - last).total_seconds()
    return min(delay, max(0.0, delay - elapsed))


def _count_check(user_id: int, right: bool) -> None:
    """Count a wrong password (with its time), or forget the count after a right one."""
    if right:
        User.update(failed_sign_ins=0, last_failed_sign_in=None).where(
            (User.id == user_id) & (User.failed_sign_ins != 0)
        ).execute()
        return
    User.update(failed_sign_ins=User.failed_sign_ins + 1, last_failed_sign_in=utc_now()).where(
        User.id == user_id
    ).execute()


def check_password(user_id: int, password: str) -> bool:
    """Whether ``password`` is the user's, counting wrong ones (slow: hashes).

    Refuses with ``PasswordWait`` while the back-off after wrong passwords runs, before
    looking at the password. A right password resets the count.
    """
    user = get_user(user_id)
    wait = password_wait(user_id)
    if wait > 0:
        raise PasswordWait(user.name, wait)
    right = verify_password(user_id, password)
    with database_proxy.atomic():
        _count_check(user_id, right)
    return right


def sign_in(user_id: int, password: str) -> UserInfo | None:
    """The user, as they are now, if ``password`` is theirs; ``None`` if it is wrong.

    A deactivated user is refused whatever the password; while the back-off after wrong
    passwords runs, ``PasswordWait`` says how long (slow: call it off the UI thread).
    """
    user = get_user(user_id)
    if not user.active:
        raise PermissionDenied(
            _("{name} is deactivated; an admin can reactivate them").format(name=user.name)
        )
    if not check_password(user_id, password):
        return None
    return get_user(user_id)


def verify_password(user_id: int, password: str) -> bool:
    """Whether ``password`` is the user's password (slow: call it off the UI thread)."""
    user = User.get_or_none(User.id == user_id)
    if user is None or not user.password_hash:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(user.password_hash, password)
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
            except PermissionDenied:
                pass  # another process made the first user since the check: name them below
            except (peewee.IntegrityError, ValidationError):
                if find_user(name) is None:  # not created meanwhile by another process
                    raise
        found = find_user(name)
        if found is None:
            raise NotFound(
                _(
                    "no user named {name!r}; an admin can add one with: crm-tui users add {name}"
                ).format(name=name)
            )
        return found


# --- signing in by name (a browser session: nobody is known before the name is typed) ---


def anyone_has_password() -> bool:
    """Whether some active user has a password (else nobody can sign in by name)."""
    return (
        User.select()
        .where(
            (User.active == True)  # noqa: E712  (a peewee expression)
            & User.password_hash.is_null(False)
            & (User.password_hash != "")
        )
        .exists()
    )


def nobody_can_sign_in_message() -> str:
    """What a browser session says while no user has a password."""
    return _(
        "No one can sign in from a browser yet: an admin gives a user a password "
        "with: crm-tui users password NAME"
    )


@functools.cache
def _decoy_hash() -> str:
    """An argon2id hash with the hasher's costs that no password matches: checking a password
    for an unknown name costs what a wrong one does (built, not hashed: each browser
    session is a new process, whose first unknown name must not take longer)."""
    import base64

    hasher = _hasher()

    def b64(size: int) -> str:
        return base64.b64encode(bytes(size)).decode("ascii").rstrip("=")

    return (
        f"$argon2id$v=19$m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
        f"${b64(hasher.salt_len)}${b64(hasher.hash_len)}"
    )


def _spend_a_check(password: str) -> None:
    from argon2.exceptions import InvalidHashError, VerificationError

    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher().verify(_decoy_hash(), password)


def sign_in_by_name(name: str, password: str) -> UserInfo | None:
    """The user called ``name``, as they are now, if ``password`` is theirs; else ``None``.

    An unknown name and a wrong password both give ``None`` (a name's existence is not
    told); wrong passwords count and back off per user as for ``sign_in``
    (``PasswordWait``). Refused with ``PermissionDenied``: a user without a password (the
    message says how an admin sets one), nobody with a password at all, and a deactivated
    user once their password is right. Slow (hashes): call it off the UI thread.
    """
    user = find_user(name)
    if user is None:
        if not anyone_has_password():
            raise PermissionDenied(nobody_can_sign_in_message())
        _spend_a_check(password)
        return None
    if not user.has_password:
        raise PermissionDenied(
            _(
                "{name} has no password, so cannot sign in from a browser; an admin sets one "
                "with: crm-tui users password {quoted_name}"
            ).format(name=user.name, quoted_name=shlex.quote(user.name))  # copied into a shell
        )
    if not check_password(user.id, password):
        return None
    if not user.active:
        raise PermissionDenied(
            _("{name} is deactivated; an admin can reactivate them").format(name=user.name)
        )
    return get_user(user.id)


def wait_for_name(name: str) -> float:
    """Seconds before a password typed for ``name`` is checked (``0.0``: now, or unknown)."""
    user = find_user(name)
    return password_wait(user.id) if user is not None else 0.0
