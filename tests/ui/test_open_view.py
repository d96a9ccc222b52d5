"""Issue 11: the app opens on the view given on the command line (``crm-tui --sort …``).

Without a password the checked query is given to the app, which shows the list that way
from its first rows; with a password the query is checked right after sign-in, and a
refused one closes the app before the notes list is built.
"""

from __future__ import annotations

import datetime as dt

from crm_tui.domain import users
from crm_tui.domain.exchange.export import build_query
from crm_tui.domain.query import SortKey
from crm_tui.domain.settings import load_settings
from crm_tui.ui import app as app_module
from crm_tui.ui.screens.notes import NotesScreen
from crm_tui.ui.screens.sign_in import SignInScreen
from tests.ui.conftest import CrmWorld, shown_ids
from tests.ui.pilot import SIZE, make_app, settle, wait_for


def view(sort: str | None = None, where: tuple[str, ...] = (), search: str = ""):
    """The command line's check of a view, as ``crm-tui`` runs it."""
    return lambda: build_query(
        load_settings(), sort=sort, where=where, search=search, today=dt.date(2026, 11, 29)
    )


async def test_the_list_opens_sorted_and_filtered(crm_world: CrmWorld) -> None:
    query = view("-Deal value", ("Status=Prospect",))()
    app = make_app(crm_world.database, crm_world.ana, watch=False, query=query)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        notes = crm_world.notes
        # Prospects by deal value, largest first, the one without a value last.
        assert shown_ids(app) == [notes["acme1"], notes["hooli"], notes["initech"]]
        deal = f"var:{crm_world.variable_id('Deal value')}"
        assert screen.note_query.sort == (SortKey(deal, True),)
        chips = " ".join(str(chip.render()) for chip in screen.query(".filter-chip"))
        assert "Deal value" in chips and "Prospect" in chips
        # Leaving the view works as for any other: x drops the filter.
        await pilot.press("x")
        await settle(pilot)
        assert len(shown_ids(app)) == 12


async def test_the_search_words_are_in_the_search_field(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana, watch=False, query=view(search="acme")())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = crm_world.notes
        assert set(shown_ids(app)) == {notes["acme1"], notes["acme2"], notes["acme3"]}
        assert app.screen.query_one("#notes-search").value == "acme"


async def test_with_a_password_the_view_opens_after_sign_in(crm_world: CrmWorld) -> None:
    users.set_password(crm_world.ana, crm_world.bob.id, users.hash_password("rep-pw"))
    bob = users.get_user(crm_world.bob.id)
    app = make_app(crm_world.database, bob, watch=False, query=view("customer"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"rep-pw", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await settle(pilot)
        assert app.screen.note_query.sort == (SortKey("customer", False),)
        notes = crm_world.notes
        assert shown_ids(app)[:3] == [notes["acme3"], notes["acme2"], notes["acme1"]]


async def test_a_refused_view_closes_the_app_after_sign_in(
    crm_world: CrmWorld, monkeypatch
) -> None:
    built: list[str] = []
    real = app_module.DATA_MODES["notes"]
    monkeypatch.setitem(app_module.DATA_MODES, "notes", lambda: built.append("notes") or real())
    users.set_password(crm_world.ana, crm_world.bob.id, users.hash_password("rep-pw"))
    bob = users.get_user(crm_world.bob.id)
    app = make_app(crm_world.database, bob, watch=False, query=view("Nope"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"rep-pw", "enter")
        await wait_for(pilot, lambda: app.refusal is not None)
    assert app.refusal is not None and app.refusal.startswith("--sort 'Nope': ")
    assert "unknown column" in app.refusal
    assert app.return_code == 1
    assert built == []  # the notes list was never built
