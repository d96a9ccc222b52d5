"""Sign-in: a user with a password sees nothing before typing it right."""

from __future__ import annotations

from textual.widgets import Input

from crm_tui.domain.users import create_user
from crm_tui.ui.screens.sign_in import SignInScreen, retry_delay
from tests.ui.pilot import DRIVEN, SIZE, make_app, settle, wait_for


def test_retry_delay_doubles_after_three_free_mistakes_and_is_capped() -> None:
    assert [retry_delay(n) for n in range(0, 8)] == [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0]
    assert retry_delay(50) == 30.0


async def test_wrong_password_is_refused_and_right_one_opens_notes(sqlite_database) -> None:
    user = create_user(None, "ana", password="s3cret")
    app = make_app(sqlite_database, user, timing=DRIVEN)  # no retry timer runs by itself
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"wrong", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#sign-in-status").render())
        assert "Wrong password" in status
        assert app.current_mode == "sign_in"
        field = app.screen.query_one(Input)
        # A first mistake costs no wait (the back-off starts after the third).
        assert not field.disabled and field.has_focus and field.value == ""
        await pilot.press(*"s3cret", "enter")
        # the check's answer, then SignedIn to the app: two messages
        await wait_for(pilot, lambda: app.current_mode == "notes")
        assert not isinstance(app.screen, SignInScreen)


async def test_user_without_password_goes_straight_to_notes(sqlite_database) -> None:
    user = create_user(None, "ana")
    app = make_app(sqlite_database, user)
    async with app.run_test(size=SIZE):
        assert app.current_mode == "notes"
