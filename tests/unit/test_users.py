"""Users: the first admin, roles, the last admin, passwords, and who runs a command."""

from __future__ import annotations

import peewee
import pytest
from test_db_snapshot import refused

from crm_tui.db.models import User
from crm_tui.domain import history, users
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.domain.records import UserInfo


@pytest.fixture
def admin(database: peewee.Database) -> UserInfo:
    """The first user, hence an admin."""
    return users.create_user(None, "Ana")


@pytest.fixture
def rep(admin: UserInfo) -> UserInfo:
    """A sales rep."""
    return users.create_user(admin, "Rob", role="rep")


def lines(user_id: int) -> list[tuple[str, str, str | None, str | None]]:
    """The history of one user, oldest first."""
    return [(c.user, c.field, c.old, c.new) for c in reversed(history.history_of("user", user_id))]


# --- first user, roles, names -------------------------------------------------------


@pytest.mark.parametrize("asked", ["rep", "admin", "superuser"])
def test_the_first_user_is_an_admin_whatever_role_was_asked(
    database: peewee.Database, asked: str
) -> None:
    first = users.create_user(None, "  Ana  ", role=asked)
    assert (first.name, first.role, first.is_admin, first.active) == ("Ana", "admin", True, True)
    row = User.get_by_id(first.id)
    assert (row.name, row.name_key, row.role) == ("Ana", "ana", "admin")
    assert lines(first.id) == [("", "name", None, "Ana"), ("", "role", None, "admin")]


def test_later_users_need_an_admin(database: peewee.Database, admin: UserInfo, rep: UserInfo):
    error = refused(database, PermissionDenied, lambda: users.create_user(None, "Bea"))
    assert str(error) == "nobody is not an admin: only admins can add users"
    error = refused(database, PermissionDenied, lambda: users.create_user(rep, "Bea"))
    assert str(error) == "Rob is not an admin: only admins can add users"


def test_an_admin_adds_reps_and_admins(admin: UserInfo) -> None:
    rep = users.create_user(admin, "Rob")
    second = users.create_user(admin, "Bea", role="admin")
    assert (rep.role, second.role) == ("rep", "admin")
    assert [u.name for u in users.list_users()] == ["Ana", "Bea", "Rob"]
    assert lines(rep.id) == [("Ana", "name", None, "Rob"), ("Ana", "role", None, "rep")]


@pytest.mark.parametrize("role", ["boss", "Admin", "", "REP"])
def test_roles_are_checked(database: peewee.Database, admin: UserInfo, role: str) -> None:
    error = refused(database, ValidationError, lambda: users.create_user(admin, "Bea", role=role))
    assert (error.field, error.problem) == ("role", f"{role!r} is not a role; use admin or rep")


@pytest.mark.parametrize("clash", ["ana", " ANA ", "Âna"])
def test_duplicate_names_are_refused(
    database: peewee.Database, admin: UserInfo, rep: UserInfo, clash: str
) -> None:
    error = refused(database, ValidationError, lambda: users.create_user(admin, clash))
    assert (error.field, error.problem) == (
        "name",
        f"a user named {clash.strip()!r} exists already",
    )
    error = refused(database, ValidationError, lambda: users.update_user(admin, rep.id, name=clash))
    assert error.field == "name"


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_user_needs_a_name(database: peewee.Database, admin: UserInfo, blank: str) -> None:
    error = refused(database, ValidationError, lambda: users.create_user(admin, blank))
    assert (error.field, error.problem) == ("name", "a user needs a name")


def test_find_user_ignores_case_accents_and_spacing(admin: UserInfo) -> None:
    users.create_user(admin, "Ana María")
    for typed in ("ana maria", " ANA MARÍA ", "Ana   María"):
        found = users.find_user(typed)
        assert found is not None and found.name == "Ana María"
    assert users.find_user("Maria") is None


# --- updates and the last admin ----------------------------------------------------


def test_an_admin_renames_and_changes_roles(admin: UserInfo, rep: UserInfo) -> None:
    changed = users.update_user(admin, rep.id, name="Robert", role="admin")
    assert (changed.name, changed.role) == ("Robert", "admin")
    assert User.get_by_id(rep.id).name_key == "robert"
    assert lines(rep.id)[-2:] == [
        ("Ana", "name", "Rob", "Robert"),
        ("Ana", "role", "rep", "admin"),
    ]


def test_a_rep_cannot_change_users(database: peewee.Database, rep: UserInfo) -> None:
    error = refused(
        database, PermissionDenied, lambda: users.update_user(rep, rep.id, role="admin")
    )
    assert str(error) == "Rob is not an admin: only admins can change users"


def test_an_unknown_role_is_refused_on_update(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    error = refused(
        database, ValidationError, lambda: users.update_user(admin, rep.id, role="owner")
    )
    assert error.field == "role"


def test_the_last_active_admin_cannot_be_demoted(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    error = refused(
        database, ValidationError, lambda: users.update_user(admin, admin.id, role="rep")
    )
    assert (error.field, error.problem) == ("role", "the team must keep at least one active admin")


def test_the_last_active_admin_cannot_be_deactivated(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    error = refused(
        database, ValidationError, lambda: users.update_user(admin, admin.id, active=False)
    )
    assert (error.field, error.problem) == (
        "active",
        "the team must keep at least one active admin",
    )


def test_an_inactive_admin_does_not_count_as_the_team_admin(
    database: peewee.Database, admin: UserInfo
) -> None:
    bea = users.create_user(admin, "Bea", role="admin")
    users.update_user(admin, bea.id, active=False)
    refused(database, ValidationError, lambda: users.update_user(admin, admin.id, role="rep"))


def test_an_admin_can_step_down_when_another_admin_remains(admin: UserInfo) -> None:
    bea = users.create_user(admin, "Bea", role="admin")
    assert users.update_user(admin, admin.id, role="rep").role == "rep"
    assert users.update_user(bea, admin.id, active=False).active is False
    assert lines(admin.id)[-2:] == [
        ("Ana", "role", "admin", "rep"),
        ("Bea", "active", "yes", "no"),
    ]


def test_update_of_an_unknown_user_is_not_found(admin: UserInfo) -> None:
    with pytest.raises(NotFound, match="no user #999"):
        users.update_user(admin, 999, name="X")


# --- passwords ---------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id(admin: UserInfo) -> None:
    rep = users.create_user(admin, "Rob", password="s3cret!")
    stored = User.get_by_id(rep.id).password_hash
    assert stored.startswith("$argon2id$")
    assert "s3cret!" not in stored
    assert rep.has_password is True
    assert users.verify_password(rep.id, "s3cret!") is True
    assert users.verify_password(rep.id, "s3cret") is False
    assert users.verify_password(rep.id, "") is False


def test_a_user_without_a_password_never_verifies(admin: UserInfo) -> None:
    assert admin.has_password is False
    assert users.verify_password(admin.id, "") is False
    assert users.verify_password(999, "anything") is False


def test_users_set_their_own_password_and_admins_anyones(admin: UserInfo, rep: UserInfo) -> None:
    users.set_password(rep, rep.id, users.hash_password("mine"))
    assert users.verify_password(rep.id, "mine") is True
    users.set_password(admin, rep.id, users.hash_password("reset"))
    assert users.verify_password(rep.id, "reset") is True
    assert users.verify_password(rep.id, "mine") is False
    assert lines(rep.id)[-2:] == [
        ("Rob", "password", None, "changed"),
        ("Ana", "password", None, "changed"),
    ]
    users.set_password(admin, rep.id, None)
    assert users.get_user(rep.id).has_password is False
    assert users.verify_password(rep.id, "reset") is False


def test_a_rep_cannot_set_another_users_password(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    new_hash = users.hash_password("taken over")
    error = refused(database, PermissionDenied, lambda: users.set_password(rep, admin.id, new_hash))
    assert str(error) == "Rob is not an admin: only admins can change another user's password"
    assert users.verify_password(admin.id, "taken over") is False


def test_setting_the_password_of_an_unknown_user_is_not_found(
    database: peewee.Database, admin: UserInfo
) -> None:
    refused(database, NotFound, lambda: users.set_password(admin, 999, users.hash_password("x")))


# --- actor_for ---------------------------------------------------------------------


def test_actor_for_makes_the_first_user_an_admin(database: peewee.Database) -> None:
    actor = users.actor_for("ana")
    assert (actor.name, actor.role) == ("ana", "admin")
    assert users.actor_for("ANA") == actor
    assert [u.name for u in users.list_users()] == ["ana"]


def test_actor_for_returns_an_existing_user(admin: UserInfo, rep: UserInfo) -> None:
    assert users.actor_for(" rob ") == rep


def test_actor_for_an_unknown_name_explains_how_to_add_it(
    database: peewee.Database, admin: UserInfo
) -> None:
    error = refused(database, NotFound, lambda: users.actor_for("zoe"))
    assert str(error) == "no user named 'zoe'; an admin can add one with: crm-tui users add zoe"


def test_actor_for_a_deactivated_user_is_refused(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    users.update_user(admin, rep.id, active=False)
    error = refused(database, ValidationError, lambda: users.actor_for("Rob"))
    assert (error.field, error.problem) == ("user", "Rob is deactivated")
