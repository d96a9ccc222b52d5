"""The pipeline board by Pilot: stages, cards, sums, moves, filters and live refresh."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain import preferences
from crm_tui.domain.cockpit import pipeline as pipeline_module
from crm_tui.domain.customers import find_customer
from crm_tui.ui.screens.pipeline_board import PipelineBoardScreen
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import SIZE, make_app, screen_text, settle
from tests.ui.pipeline_fake import FakeCustomer, FakePipeline


def customer_id(name: str) -> int:
    """The id of the world's customer called ``name``."""
    found = find_customer(name)
    assert found is not None
    return found.id


def world_pipeline(world: CrmWorld) -> FakePipeline:
    """The world's in-sequence statuses and its customers' states (the ids are theirs)."""
    stages = [s for s in world.settings.statuses if s.in_sequence]
    prospect, active, client, awaiting = (s.id for s in stages)
    on_hold = world.status_id("On hold")
    users = {"ana": world.ana, "bob": world.bob}
    rows = (  # name, status, cents, close date, assignee
        ("Acme Corp", prospect, 150000, dt.date(2026, 12, 15), "ana"),
        ("Hooli", prospect, 77700, dt.date(2027, 1, 10), "bob"),
        ("Initech", prospect, None, None, "bob"),
        ("Emilie Bakery", active, 9900, dt.date(2026, 12, 20), None),
        ("Zeta Farms", client, 12345, None, "ana"),
        ("Dubois SARL", awaiting, 42050, None, "bob"),
        ("Globex", on_hold, None, dt.date(2027, 3, 1), "ana"),
    )
    customers = [
        FakeCustomer(
            customer_id(name),
            name,
            status,
            cents,
            close,
            users[assignee].id if assignee else None,
            assignee or "",
        )
        for name, status, cents, close, assignee in rows
    ]
    return FakePipeline(stages, customers)


async def open_board(pilot) -> PipelineBoardScreen:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PipelineBoardScreen)
    return screen


async def test_the_board_shows_stages_counts_sums_and_cards(crm_world, monkeypatch) -> None:
    world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        text = screen_text(app)
        for words in ("Prospect", "Active", "Client", "Awaiting approval"):
            assert words in text
        assert "3 customers" in text
        assert "$2,277.00" in text  # 1,500.00 + 777.00, exact
        assert "Acme Corp" in text and "$1,500.00" in text and "2026-12-15" in text
        assert "1 customer in a status outside the sequence" in text
        assert "Amount: Deal value" in text
        assert "Close date: Estimated close date" in text


def notifications(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def current_card(screen: PipelineBoardScreen) -> str | None:
    cards = screen.current_cards
    card = cards.highlighted_card if cards else None
    return card.customer if card else None


async def test_keys_move_the_cursor_between_stages_and_cards(crm_world, monkeypatch) -> None:
    world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        assert current_card(screen) == "Acme Corp"  # biggest amount first
        await pilot.press("down")
        assert current_card(screen) == "Hooli"
        await pilot.press("down", "down")
        assert current_card(screen) == "Initech"  # no amount: last
        await pilot.press("right")
        assert current_card(screen) == "Emilie Bakery"
        await pilot.press("right", "right")
        assert current_card(screen) == "Dubois SARL"
        await pilot.press("right")  # the last stage: stays
        assert current_card(screen) == "Dubois SARL"
        await pilot.press("left", "left", "left")
        assert current_card(screen) == "Acme Corp"


async def test_enter_opens_the_customers_notes(crm_world, monkeypatch) -> None:
    world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerNotesScreen"
        assert "crm-tui — Hooli" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PipelineBoardScreen)


async def test_moving_a_card_writes_its_new_stage_and_follows_it(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world).install(monkeypatch)
    active = crm_world.status_id("Active")
    prospect = crm_world.status_id("Prospect")
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("down", "shift+right")
        await settle(pilot)
        assert fake.moves == [(crm_world.ana.id, customer_id("Hooli"), active)]
        assert "Hooli: Prospect → Active (u undoes)" in notifications(app)
        cards = screen.current_cards
        assert cards is not None and cards.status_id == active  # the cursor followed it
        assert current_card(screen) == "Hooli"
        text = screen_text(app)
        assert "2 customers" in text and "$876.00" in text  # Active: 99.00 + 777.00
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert fake.moves[-1] == (crm_world.ana.id, customer_id("Hooli"), prospect)
        assert current_card(screen) == "Hooli"
        await pilot.press("shift+left")  # already the first stage: nothing moves
        await settle(pilot)
        assert len(fake.moves) == 2
        assert "This is the first stage." in notifications(app)


async def test_close_dates_and_assignee_filter_the_board(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # this quarter (today 2026-11-29)
        await settle(pilot)
        flt = fake.filters[-1]
        assert (flt.close_from, flt.close_to) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
        text = screen_text(app)
        assert "Closing this quarter" in text
        assert "Acme Corp" in text and "Emilie Bakery" in text and "Hooli" not in text
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("home", "down", "enter")  # this month
        await settle(pilot)
        flt = fake.filters[-1]
        assert (flt.close_from, flt.close_to) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        assert "Acme Corp" not in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("end", "enter")  # a range, typed as dates
        await settle(pilot)
        await pilot.press(*"2027-01-01", "enter", *"2026-12-31", "enter")
        await settle(pilot)
        assert "to: 2026-12-31 is before 2027-01-01" in screen_text(app)
        await pilot.press(*["backspace"] * 10, *"2027-03-31", "enter")
        await settle(pilot)
        flt = fake.filters[-1]
        assert (flt.close_from, flt.close_to) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
        text = screen_text(app)
        assert "Closing 2027-01-01 – 2027-03-31" in text
        assert "Hooli" in text and "Acme Corp" not in text
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("home", "enter")  # any close date again
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("b", "enter")  # bob
        await settle(pilot)
        assert fake.filters[-1].assignee_id == crm_world.bob.id
        assert fake.filters[-1].close_from is None
        text = screen_text(app)
        assert "Assignee: bob" in text
        assert "Hooli" in text and "Dubois SARL" in text and "Acme Corp" not in text
        assert screen.current_cards is not None


async def test_a_bad_range_names_the_field(crm_world, monkeypatch) -> None:
    world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press(*"31/31", "enter", "enter")
        await settle(pilot)
        assert "from:" in screen_text(app)
        assert type(app.screen).__name__ == "CloseRangeDialog"  # nothing applied


async def test_the_amount_summed_is_chosen_and_remembered(crm_world, monkeypatch) -> None:
    from crm_tui.domain.settings import create_variable

    fees = create_variable(crm_world.ana, name="Licence fees", type="currency")
    fake = world_pipeline(crm_world).install(monkeypatch)
    deal = crm_world.variable_id("Deal value")
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert fake.filters[-1].sum_variable_id == deal
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert fake.filters[-1].sum_variable_id == fees.id
        assert "Amount: Licence fees" in screen_text(app)
    assert preferences.pipeline_sum_variable(crm_world.ana) == fees.id
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert fake.filters[-1].sum_variable_id == fees.id
        assert "Amount: Licence fees" in screen_text(app)


async def test_the_board_reads_again_when_notes_change(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        fake.customers[0].status_id = crm_world.status_id("Client")  # Acme, elsewhere
        app.notes_changed()
        await settle(pilot)
        text = screen_text(app)
        assert "2 customers" in text and "$1,623.45" in text  # Client: 1,500.00 + 123.45


async def test_seven_stages_at_80x24_scroll_sideways(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world)
    extra = [b for b in crm_world.settings.statuses if not b.in_sequence][:3]
    fake.stages = [*fake.stages, *extra]  # 7 stages
    fake.install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        text = screen_text(app)
        assert "Prospect" in text and "Awaiting approval" in text and "On hold" not in text
        assert "◀ 0 · 3 ▶ more stages" in text
        await pilot.press("right", "right", "right", "right")
        await settle(pilot)  # the columns shown change at the next layout
        text = screen_text(app)
        assert "On hold" in text and "Prospect" not in text
        assert "◀ 1 · 2 ▶ more stages" in text
        assert screen.first_shown == 1


@pytest.mark.postgres
async def test_the_board_draws_stored_names_literally(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world)
    fake.customers[0].name = "[b]Acme[/b]\x1b[31m"
    fake.install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert "[b]Acme[/b]␛[31m" in screen_text(app)


async def test_the_board_in_french(crm_world, monkeypatch) -> None:
    from crm_tui.i18n import set_language

    world_pipeline(crm_world).install(monkeypatch)
    set_language("fr")
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        text = screen_text(app)
        assert "15/12/2026" in text
        assert "2\u202f277,00" in text or "2 277,00" in text or "2\xa0277,00" in text


# --- on the real pipeline (the customers' kept state), both engines -----------------------


@pytest.mark.postgres
async def test_the_real_board_moves_a_card_and_undo_moves_it_back(crm_world) -> None:
    from crm_tui.domain.customer_queries import customer_notes

    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        text = screen_text(app)
        assert "5 customers in a status outside the sequence" in text  # Done, On hold…
        assert "2 customers" in text and "$777.00" in text  # Prospect: Hooli, Initech
        assert current_card(screen) == "Hooli"
        await pilot.press("shift+right")
        await settle(pilot)
        text = screen_text(app)
        assert "$876.00" in text  # Active: Emilie Bakery 99.00 + Hooli 777.00
        assert current_card(screen) == "Hooli"
        hooli = customer_id("Hooli")
        newest = customer_notes(hooli)[0]
        assert newest.status_id == crm_world.status_id("Active")
        await pilot.press("u")
        await settle(pilot)
        text = screen_text(app)
        assert "$777.00" in text and "$876.00" not in text
        assert customer_notes(hooli)[0].status_id == crm_world.status_id("Prospect")


@pytest.mark.postgres
async def test_the_real_board_filters_by_close_dates_and_assignee(crm_world) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press(*"2027-01-01", "enter", *"2027-01-31", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Hooli" in text and "Emilie Bakery" not in text and "Initech" not in text
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("home", "enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("b", "enter")  # bob's customers: Hooli, Initech, Dubois
        await settle(pilot)
        text = screen_text(app)
        assert "Initech" in text and "Dubois SARL" in text and "Zeta Farms" not in text
        assert screen.flt is not None and screen.flt.assignee_id == crm_world.bob.id


async def test_a_board_out_of_sight_reads_again_when_it_comes_back(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("f2")
        await settle(pilot)
        reads = len(fake.filters)
        fake.customers[0].status_id = crm_world.status_id("Client")
        app.notes_changed()
        await settle(pilot)
        assert len(fake.filters) == reads  # not read while the notes show
        await pilot.press("f7")
        await settle(pilot)
        assert len(fake.filters) == reads + 1
        assert "$1,623.45" in screen_text(app)


async def test_the_palette_opens_the_board_and_the_charts(crm_world, monkeypatch) -> None:
    world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert "Pipeline" in commands and "Charts" in commands
        assert "(f7)" in commands["Pipeline"].help and "(f8)" in commands["Charts"].help
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"pipeline", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PipelineBoardScreen)
        commands = {command.title for command in app.get_system_commands(app.screen)}
        assert "Move to the next stage" in commands and "Pipeline close date" in commands


async def test_the_close_date_variable_is_chosen_and_remembered(crm_world, monkeypatch) -> None:
    from crm_tui.domain.settings import create_variable

    signed = create_variable(crm_world.ana, name="Signed on", type="date")
    fake = world_pipeline(crm_world).install(monkeypatch)
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert fake.filters[-1].close_variable_id == crm_world.variable_id("Estimated close date")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("s", "enter")  # typing the start of its name
        await settle(pilot)
        assert fake.filters[-1].close_variable_id == signed.id
        assert "Close date: Signed on" in screen_text(app)
    assert preferences.pipeline_close_variable(crm_world.ana) == signed.id


async def test_a_pipeline_that_cannot_be_read_is_said(crm_world, monkeypatch) -> None:
    fake = world_pipeline(crm_world).install(monkeypatch)

    def broken(flt, settings=None):
        raise RuntimeError("disk I/O error")

    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        monkeypatch.setattr(pipeline_module, "load_pipeline", broken)
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "The pipeline could not be read: disk I/O error" in text
        assert "Acme Corp" in text  # the board shown stays
        assert fake.filters
