"""Users: the first admin, roles, the last admin, passwords, and who runs a command."""

from __future__ import annotations

import peewee
import pytest
from test_db_snapshot import refused

from crm_tui.db.models import User
from crm_tui.domain import history, users
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.records import UserInfo


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


# --- checked now, not when the actor signed in ---------------------------------------


def test_an_admin_demoted_since_signing_in_is_refused(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    bea = users.create_user(admin, "Bea", role="admin")
    users.update_user(bea, admin.id, role="rep")  # ``admin`` still says "admin"
    assert admin.is_admin
    error = refused(database, PermissionDenied, lambda: users.create_user(admin, "Zoé"))
    assert str(error) == "Ana is not an admin: only admins can add users"
    refused(database, PermissionDenied, lambda: users.update_user(admin, rep.id, role="admin"))
    refused(database, PermissionDenied, lambda: users.remove_password(admin, rep.id))


def test_a_deactivated_admin_is_refused(database: peewee.Database, admin: UserInfo) -> None:
    bea = users.create_user(admin, "Bea", role="admin")
    users.update_user(admin, bea.id, active=False)
    refused(database, PermissionDenied, lambda: users.create_user(bea, "Zoé"))
    refused(database, PermissionDenied, lambda: users.update_user(bea, bea.id, active=True))


def test_nobody_deactivates_themself(database: peewee.Database, admin: UserInfo) -> None:
    users.create_user(admin, "Bea", role="admin")
    error = refused(
        database, ValidationError, lambda: users.update_user(admin, admin.id, active=False)
    )
    assert (error.field, error.problem) == ("active", "you cannot deactivate yourself")


def test_a_deactivated_user_is_reactivated(admin: UserInfo, rep: UserInfo) -> None:
    users.update_user(admin, rep.id, active=False)
    assert users.update_user(admin, rep.id, active=True).active is True
    assert users.actor_for("rob").active is True
    assert lines(rep.id)[-2:] == [("Ana", "active", "yes", "no"), ("Ana", "active", "no", "yes")]


# --- a rep is refused every users change ---------------------------------------------


def test_a_rep_is_refused_every_change_to_users_and_others_passwords(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    users.set_password(admin, admin.id, users.hash_password("ana's"))
    history_before = history.history_of_kind(("user",))
    attempts = {
        "add": lambda: users.create_user(rep, "Zoé"),
        "rename": lambda: users.update_user(rep, admin.id, name="Boss"),
        "promote self": lambda: users.update_user(rep, rep.id, role="admin"),
        "demote": lambda: users.update_user(rep, admin.id, role="rep"),
        "deactivate": lambda: users.update_user(rep, admin.id, active=False),
        "set hash": lambda: users.set_password(rep, admin.id, users.hash_password("x")),
        "change": lambda: users.change_password(rep, admin.id, "mine!", "mine!"),
        "remove other": lambda: users.remove_password(rep, admin.id),
        "remove own": lambda: users.remove_password(rep, rep.id),
    }
    for what, attempt in attempts.items():
        with pytest.raises(PermissionDenied):
            attempt()
        assert history.history_of_kind(("user",)) == history_before, what
    assert users.verify_password(admin.id, "ana's")
    assert users.get_user(rep.id).role == "rep"


# --- changing passwords --------------------------------------------------------------


def test_a_rep_changes_their_password_giving_the_current_one(
    database: peewee.Database, admin: UserInfo
) -> None:
    rob = users.create_user(admin, "Rob", password="mine")
    for current, field, problem in [
        (None, "current password", "type your current password"),
        ("nope", "current password", "this is not your current password"),
    ]:
        error = refused(
            database,
            ValidationError,
            lambda current=current: users.change_password(rob, rob.id, "new!", "new!", current),
        )
        assert (error.field, error.problem) == (field, problem)
    changed = users.change_password(rob, rob.id, "new!", "new!", current="mine")
    assert changed.has_password and users.verify_password(rob.id, "new!")
    assert lines(rob.id)[-1] == ("Rob", "password", None, "changed")


def test_a_first_password_needs_no_current_one(rep: UserInfo) -> None:
    assert users.change_password(rep, rep.id, "first", "first").has_password
    assert users.verify_password(rep.id, "first")


@pytest.mark.parametrize(
    ("password", "again", "field", "problem"),
    [
        ("", "", "password", "the password is empty"),
        (" padded", " padded", "password", "the password starts or ends with a space"),
        ("one", "two", "password again", "the two passwords differ"),
    ],
)
def test_a_bad_new_password_is_refused(
    database: peewee.Database,
    admin: UserInfo,
    rep: UserInfo,
    password: str,
    again: str,
    field: str,
    problem: str,
) -> None:
    error = refused(
        database, ValidationError, lambda: users.change_password(admin, rep.id, password, again)
    )
    assert (error.field, error.problem) == (field, problem)


def test_an_admin_resets_and_removes_a_password(admin: UserInfo) -> None:
    rob = users.create_user(admin, "Rob", password="forgotten")
    users.change_password(admin, rob.id, "reset!", "reset!")
    assert users.verify_password(rob.id, "reset!")
    assert users.remove_password(admin, rob.id).has_password is False
    assert lines(rob.id)[-2:] == [
        ("Ana", "password", None, "changed"),
        ("Ana", "password", None, "removed"),
    ]


def test_a_deactivated_user_cannot_change_their_password(
    database: peewee.Database, admin: UserInfo, rep: UserInfo
) -> None:
    users.update_user(admin, rep.id, active=False)
    error = refused(
        database, PermissionDenied, lambda: users.change_password(rep, rep.id, "x1", "x1")
    )
    assert str(error) == "Rob is deactivated and cannot change a password"


# --- sign-in -------------------------------------------------------------------------


def test_sign_in_checks_the_password_and_refuses_the_deactivated(
    database: peewee.Database, admin: UserInfo
) -> None:
    rob = users.create_user(admin, "Rob", password="s3cret")
    assert users.sign_in(rob.id, "wrong") is None
    users.update_user(admin, rob.id, role="admin")
    signed = users.sign_in(rob.id, "s3cret")
    assert signed is not None and signed.role == "admin"  # as the database has him now
    users.update_user(admin, rob.id, active=False)
    error = refused(database, PermissionDenied, lambda: users.sign_in(rob.id, "s3cret"))
    assert str(error) == "Rob is deactivated; an admin can reactivate them"


# --- the command line ----------------------------------------------------------------


@pytest.fixture
def team(tmp_path, capsys, monkeypatch) -> str:
    """A database for ``--db`` with Ana (admin, first user) and Rob (rep, password "rob-pw")."""
    from test_exchange_support import new_target, run_cli

    target = new_target(tmp_path)
    monkeypatch.setenv("CRM_TUI_NEW_PASSWORD", "rob-pw")
    assert run_cli(capsys, "--db", target, "--user", "ana", "users", "list").code == 0
    added = run_cli(capsys, "--db", target, "--user", "ana", "users", "add", "Rob", "--password")
    assert added.code == 0, added
    monkeypatch.delenv("CRM_TUI_NEW_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    return target


def test_cli_admin_edits_users_and_a_deactivated_user_is_refused(
    capsys, monkeypatch, team: str
) -> None:
    from test_exchange_support import one_error, run_cli, snapshot

    ana = ["--db", team, "--user", "ana"]
    result = run_cli(capsys, *ana, "users", "edit", "rob", "--role", "admin", "--name", "Robert")
    assert (result.code, result.out.strip()) == (0, "Saved Robert (admin, active).")
    result = run_cli(capsys, *ana, "users", "edit", "Robert", "--deactivate")
    assert (result.code, result.out.strip()) == (0, "Saved Robert (admin, deactivated).")
    before = snapshot(team)
    monkeypatch.setenv("CRM_TUI_PASSWORD", "rob-pw")  # the right password does not help
    result = run_cli(capsys, "--db", team, "--user", "robert", "users", "list")
    assert (result.code, one_error(result)) == (1, "user: Robert is deactivated")
    assert snapshot(team) == before
    assert run_cli(capsys, *ana, "users", "edit", "Robert").code == 1  # nothing to change
    assert run_cli(capsys, *ana, "users", "edit", "Robert", "--reactivate").code == 0
    assert run_cli(capsys, "--db", team, "--user", "robert", "users", "list").code == 0


def test_cli_a_rep_is_refused_users_changes_and_others_passwords(
    capsys, monkeypatch, team: str
) -> None:
    from test_exchange_support import one_error, run_cli, snapshot

    monkeypatch.setenv("CRM_TUI_PASSWORD", "rob-pw")
    monkeypatch.setenv("CRM_TUI_NEW_PASSWORD", "taken-over")
    rob = ["--db", team, "--user", "rob"]
    before = snapshot(team)
    refusal = "Rob is not an admin: only admins can {}"
    for argv, doing in [
        (["users", "add", "Zoé"], "add users"),
        (["users", "edit", "rob", "--role", "admin"], "change users"),
        (["users", "edit", "ana", "--deactivate"], "change users"),
        (["users", "password", "ana"], "change another user's password"),
        (["users", "password", "ana", "--remove"], "remove passwords"),
    ]:
        message = refusal.format(doing)
        result = run_cli(capsys, *rob, *argv)
        assert (result.code, one_error(result)) == (1, message), argv
        assert snapshot(team) == before, argv
    # His own password, he may change.
    result = run_cli(capsys, *rob, "users", "password")
    assert (result.code, result.out.strip()) == (0, "New password for Rob.")
    monkeypatch.setenv("CRM_TUI_PASSWORD", "taken-over")
    assert run_cli(capsys, *rob, "users", "list").code == 0


def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    database: peewee.Database, admin: UserInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both check "another admin remains" at the same moment: only one change may win."""
    import contextlib
    import threading

    bea = users.create_user(admin, "Bea", role="admin")
    barrier = threading.Barrier(2)
    check = users._keep_an_admin

    def checked_together(changed, field) -> None:
        # PostgreSQL: both meet here, then race; SQLite lets one writer in at a time.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=0.5)
        check(changed, field)

    monkeypatch.setattr(users, "_keep_an_admin", checked_together)
    outcomes: dict[str, str] = {}

    def demote(name: str, actor: UserInfo, target: UserInfo) -> None:
        try:
            users.update_user(actor, target.id, role="rep")
            outcomes[name] = "done"
        except (ValidationError, PermissionDenied) as error:
            outcomes[name] = type(error).__name__
        finally:
            database.close()

    threads = [
        threading.Thread(target=demote, args=("ana demotes bea", admin, bea)),
        threading.Thread(target=demote, args=("bea demotes ana", bea, admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and list(outcomes.values()).count("done") == 1, outcomes
    admins = [u.name for u in users.list_users() if u.role == "admin" and u.active]
    assert len(admins) == 1


def test_a_first_user_made_by_another_process_meanwhile_is_the_actor(
    database: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two commands open a new database as ``admin`` at once: the one that finds the
    database empty, then sees the other's admin appear before it writes, acts as that admin
    instead of being refused "only admins can add users" (seen on PostgreSQL in CI)."""
    made_elsewhere = users.create_user(None, "admin")
    real_find, real_has = users.find_user, users.has_users
    calls = {"find": 0, "has": 0}

    def find_user(name: str) -> UserInfo | None:  # the first look came before the other's write
        calls["find"] += 1
        return None if calls["find"] == 1 else real_find(name)

    def has_users() -> bool:
        calls["has"] += 1
        return calls["has"] > 1 and real_has()

    monkeypatch.setattr(users, "find_user", find_user)
    monkeypatch.setattr(users, "has_users", has_users)

    actor = users.actor_for("admin")

    assert actor.id == made_elsewhere.id and actor.role == "admin"
    assert User.select().count() == 1


def test_a_new_database_taken_by_another_first_user_names_the_missing_user(
    database: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.create_user(None, "ana")  # the other process's first user, made meanwhile
    real_has = users.has_users
    calls = {"has": 0}

    def has_users() -> bool:  # the first look came before the other's write
        calls["has"] += 1
        return calls["has"] > 1 and real_has()

    monkeypatch.setattr(users, "has_users", has_users)

    with pytest.raises(NotFound, match="no user named 'bob'"):
        users.actor_for("bob")
    assert [u.name for u in User.select()] == ["ana"]
