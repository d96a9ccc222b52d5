"""Every input takes any text: markup, control characters, odd Unicode. Nothing crashes,
the value is kept exactly, and no control character of it reaches the rendered screen.

Hypothesis draws the texts; one app run takes them all (an app per example would be slow),
each put into the searches, the customer form, the note form (customer and text) and the
filter dialog's typed value, the way a paste puts it there.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from crm_tui.ui.screens.customers import CustomerFormScreen, CustomersScreen
from crm_tui.ui.screens.note_editor import NoteEditorScreen
from crm_tui.ui.widgets.customer_list import CustomerList
from tests.ui.conftest import CrmWorld
from tests.ui.pilot import make_app, settle, wait_for
from tests.ui.test_trust_hostile_text import SIZE, drawn, open_notes

CONTROLS = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + [
    "\u200e",
    "\u2028",
    "\u202e",
]
MARKUP = ["[", "]", "[/]", "[/x]", "[b]", "[bold red]", "[@click=app.quit]", "\\", "[$x]"]
hostile = st.lists(
    st.one_of(st.text(max_size=6), st.sampled_from(CONTROLS), st.sampled_from(MARKUP)),
    min_size=1,
    max_size=10,
).map("".join)


def collect(count: int) -> list[str]:
    """``count`` hostile texts drawn by hypothesis (shrinking is of no use here)."""
    found: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile)
    def gather(text: str) -> None:
        found.append(text)

    gather()
    return found


LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
TEXTS = ["[/x]", "Evil [/bold]", "\x1b]0;TITLE\x07\x1b[2J", *collect(25)]


def assert_no_control_on_screen(app) -> None:
    screen = drawn(app)
    assert "\x1b" not in screen and "\x07" not in screen and "\x9b" not in screen


async def test_searches_and_forms_take_any_text(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        search = app.screen.query_one("#notes-search", Input)
        for text in TEXTS:
            search.value = text
            await settle(pilot)
            assert search.value == text
            assert_no_control_on_screen(app)
        search.value = ""
        await pilot.press("escape", "f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomersScreen))
        customers = app.screen.query_one("#customers-search", Input)
        for text in TEXTS:
            customers.value = text
            wanted = text.strip()
            await wait_for(pilot, lambda w=wanted: app.screen.query_one(CustomerList).search == w)
            assert_no_control_on_screen(app)
        await pilot.press("a")  # the customer form
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerFormScreen))
        name = app.screen.query_one("#customer-form-name", Input)
        for text in TEXTS:
            name.value = text
            await settle(pilot)
            assert name.value == text
            assert_no_control_on_screen(app)


async def test_note_form_takes_any_text(crm_world: CrmWorld) -> None:
    app = make_app(crm_world.database, crm_world.ana)
    async with app.run_test(size=SIZE) as pilot:
        await open_notes(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        form = app.screen
        customer = form.query_one("#customer-name", Input)
        body = form.query_one("#body", TextArea)
        for text in TEXTS:
            customer.value = text
            body.text = text
            await settle(pilot)
            assert customer.value == text
            if not any(char in text for char in LINE_BREAKS):  # the editor splits lines there
                assert body.text == text
            assert_no_control_on_screen(app)
        await pilot.press("ctrl+s")  # refused or saved: either way, no crash and a message
        await settle(pilot)
        assert_no_control_on_screen(app)
