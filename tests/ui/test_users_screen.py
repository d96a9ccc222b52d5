"""The Users screen (admins only), driven by keys; a rep's own password from the palette."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from crm_tui.db.models import Change
from crm_tui.domain import users
from crm_tui.ui.screens.sign_in import SignInScreen
from crm_tui.ui.screens.users import UsersScreen
from crm_tui.ui.screens.users_form import PasswordFormScreen, UserFormScreen
from tests.ui.pilot import SIZE, make_app, settle, wait_for


def table_rows(screen: UsersScreen) -> list[list[str]]:
    """The users table as shown: name, role, active, password."""
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def text_of(screen, selector: str) -> str:
    """The text a Static shows."""
    return str(screen.query_one(selector, Static).render())


async def open_users(pilot: Pilot) -> UsersScreen:
    """F5, then wait for the table."""
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UsersScreen))
    screen = pilot.app.screen
    assert isinstance(screen, UsersScreen)
    await wait_for(pilot, lambda: screen.query_one(DataTable).row_count > 0)
    return screen


async def test_admin_adds_a_user_sets_the_role_and_deactivates(sqlite_database) -> None:
    ana = users.create_user(None, "Ana")
    users.create_user(ana, "Bob")
    app = make_app(sqlite_database, ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_users(pilot)
        assert table_rows(screen) == [["Ana", "admin", "yes", "no"], ["Bob", "rep", "yes", "no"]]

        # Add Zoé with a password typed twice; a mistyped second one is refused under it.
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen))
        form = app.screen
        await pilot.press(*"Zoé", "tab", "tab", *"pw1", "tab", *"pw2", "ctrl+s")
        await wait_for(pilot, lambda: form.query_one("#error-user-again").display)
        assert "the two passwords differ" in text_of(form, "#error-user-again")
        assert form.query_one("#user-name", Input).value == "Zoé"  # kept what was typed
        assert users.find_user("Zoé") is None  # nothing saved
        form.query_one("#user-again", Input).value = ""
        await pilot.press(*"pw1", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: screen.query_one(DataTable).row_count == 3)
        assert table_rows(screen)[2] == ["Zoé", "rep", "yes", "yes"]
        assert "Added 'Zoé'." in text_of(screen, "#users-status")

        # Edit (Zoé is highlighted): the role becomes admin, by keys.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen))
        await pilot.press("tab", "right", "space", "ctrl+s")
        await wait_for(pilot, lambda: table_rows(screen)[2][1] == "admin")

        # Deactivate her.
        await pilot.press("d")
        await wait_for(pilot, lambda: table_rows(screen)[2][2] == "no")

    zoe = users.find_user("zoe")
    assert zoe is not None
    assert (zoe.role, zoe.active, zoe.has_password) == ("admin", False, True)
    assert users.verify_password(zoe.id, "pw1")
    lines = [(c.user, c.field, c.old, c.new) for c in users_history(zoe.id)]
    assert lines == [
        ("Ana", "name", None, "Zoé"),
        ("Ana", "role", None, "rep"),
        ("Ana", "role", "rep", "admin"),
        ("Ana", "active", "yes", "no"),
    ]


def users_history(user_id: int):
    """The history of one user, oldest first."""
    from crm_tui.domain.history import history_of

    return list(reversed(history_of("user", user_id)))


async def test_admin_resets_a_password_and_the_last_admin_stays(sqlite_database) -> None:
    ana = users.create_user(None, "Ana")
    bob = users.create_user(ana, "Bob", password="old-one")
    app = make_app(sqlite_database, ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_users(pilot)
        # Ana, the only admin, cannot be deactivated: said on the status line.
        await pilot.press("d")
        await wait_for(pilot, lambda: "active admin" in text_of(screen, "#users-status"))
        assert table_rows(screen)[0] == ["Ana", "admin", "yes", "no"]
        # Bob's password, reset: no current password asked of an admin; both typed hidden.
        await pilot.press("down", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordFormScreen))
        form = app.screen
        assert not form.query("#password-current")
        assert all(field.password for field in form.query(Input))
        await pilot.press(*"n1", "tab", *"n1", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert "New password for 'Bob'." in text_of(screen, "#users-status")
    assert users.get_user(ana.id).active is True
    assert users.verify_password(bob.id, "n1") and not users.verify_password(bob.id, "old-one")


async def test_a_deactivated_user_cannot_sign_in(sqlite_database) -> None:
    ana = users.create_user(None, "Ana")
    rob = users.create_user(ana, "Rob", password="s3cret")
    app = make_app(sqlite_database, rob)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        users.update_user(ana, rob.id, active=False)  # meanwhile, an admin deactivates Rob
        await pilot.press(*"s3cret", "enter")
        await wait_for(pilot, lambda: "deactivated" in text_of(app.screen, "#sign-in-status"))
        assert app.current_mode == "sign_in"
        assert app.screen.query_one(Input).disabled


async def test_sign_in_takes_the_role_the_user_has_now(sqlite_database) -> None:
    ana = users.create_user(None, "Ana", password="pw")
    bea = users.create_user(ana, "Bea", role="admin")
    app = make_app(sqlite_database, ana)
    async with app.run_test(size=SIZE) as pilot:
        users.update_user(bea, ana.id, role="rep")  # demoted before she typed her password
        await pilot.press(*"pw", "enter")
        await wait_for(pilot, lambda: app.current_mode == "notes")
        assert app.session.user.role == "rep"
        await pilot.press("f5")
        await settle(pilot)
        assert app.current_mode == "notes"


async def test_a_rep_has_no_users_screen_and_changes_only_their_password(sqlite_database) -> None:
    ana = users.create_user(None, "Ana")
    rob = users.create_user(ana, "Rob", password="mine")
    changes_before = Change.select().count()
    app = make_app(sqlite_database, rob)
    async with app.run_test(size=SIZE) as pilot:
        app.session.user = users.get_user(rob.id)
        app.switch_mode("notes")  # as signed in
        await settle(pilot)
        assert app.check_action("open_users", ()) is False
        await pilot.press("f5")
        await settle(pilot)
        assert app.current_mode == "notes"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Users" not in titles and "Settings" not in titles
        # Reached anyway (a stale palette entry): the screen refuses and leaves.
        app.switch_mode("users")
        await settle(pilot)
        assert app.current_mode == "notes"
        assert Change.select().count() == changes_before

        # Change my password, from the palette: the current one first.
        await pilot.press("ctrl+p", *"my pass")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordFormScreen))
        form = app.screen
        await pilot.press("x", "tab", *"b2", "tab", *"b2", "enter")
        await wait_for(pilot, lambda: form.query_one("#error-password-current").display)
        assert "not your current password" in text_of(form, "#error-password-current")
        assert users.verify_password(rob.id, "mine")
        form.query_one("#password-current", Input).value = "mine"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, PasswordFormScreen))
    assert users.verify_password(rob.id, "b2")
    assert [(c.user, c.field, c.new) for c in users_history(rob.id)][-1] == (
        "Rob",
        "password",
        "changed",
    )
