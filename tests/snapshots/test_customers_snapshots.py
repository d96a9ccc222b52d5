"""Snapshots of the customers screens (fixed data, today 2026-11-29, 120x40)."""

from __future__ import annotations

from tests.ui.editor_fixtures import build_world
from tests.ui.pilot import SIZE, make_app, settle


def test_customers_screen(snap_compare, database) -> None:
    world = build_world(database)
    app = make_app(database, world.ana)

    async def open_customers(pilot) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("down")

    assert snap_compare(app, terminal_size=SIZE, run_before=open_customers)


def test_a_customer_notes_screen(snap_compare, database) -> None:
    world = build_world(database)
    app = make_app(database, world.ana)

    async def open_acme(pilot) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_acme)
