"""Property: any stored text, through every place that draws it, never raises, never
carries a control character to the terminal, and leaves plain printable text unchanged.

Arbitrary Unicode, markup-like strings and every C0/C1 control character go through
``visible``, ``safe_text``, ``shown``, ``safe_format``, ``safe_markup`` (parsed back by
Textual), the badge, the notes-list and customers-list cells, and the fields' drawing.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style
from textual.content import Content

from crm_tui.domain.text import is_control, visible
from crm_tui.records import Badge, NoteRow, NoteValueInfo, Settings, VariableInfo
from crm_tui.ui.badges import badge_text
from crm_tui.ui.safe_text import safe_format, safe_markup, safe_text, shown, visible_in_place
from crm_tui.ui.widgets.call_light import LightStyles
from crm_tui.ui.widgets.note_list.columns import PaintStyles, RowPainter, TableLayout

CONTROLS = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + [
    "\u200b",
    "\u200e",
    "\u2028",
    "\u2029",
    "\u202e",
    "\ufeff",
]
MARKUP = ["[", "]", "[/]", "[/i]", "[b]", "[bold red]", "[@click=app.quit]", "\\", "[$x]", "/"]

hostile = st.lists(
    st.one_of(st.text(max_size=8), st.sampled_from(CONTROLS), st.sampled_from(MARKUP)),
    max_size=12,
).map("".join)
plain = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=40
)


def no_controls(text: str, keep: str = "") -> bool:
    """Whether ``text`` holds no control or format character (but those in ``keep``)."""
    return not any(is_control(char) and char not in keep for char in text)


@settings(max_examples=400, deadline=None)
@given(hostile)
def test_visible_and_safe_text_leave_no_control(text: str) -> None:
    assert no_controls(visible(text))
    assert no_controls(visible(text, keep="\n\t"), keep="\n\t")
    assert no_controls(safe_text(text).plain)
    assert safe_text(text).spans == []  # never markup: no style came from the text
    assert no_controls(shown(text).plain, keep="\n\t")
    assert visible(visible(text)) == visible(text)


@settings(max_examples=200, deadline=None)
@given(plain)
def test_plain_printable_text_is_unchanged(text: str) -> None:
    assert visible(text) == text
    assert safe_text(text).plain == text
    assert shown(text).plain == text
    assert visible_in_place(text) == text
    assert Content.from_markup(safe_markup(text)).plain == text


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_markup_apis_get_escaped_literal_text(text: str) -> None:
    """The palette parses markup: what it is given reads back as the visible text."""
    assert Content.from_markup(safe_markup(text)).plain == visible(text)


@settings(max_examples=300, deadline=None)
@given(hostile, hostile)
def test_templates_keep_values_literal(name: str, other: str) -> None:
    text = safe_format("Delete {name!r} of {other}?", name=name, other=other)
    assert text.plain == f"Delete {visible(repr(name))} of {visible(other)}?"
    assert no_controls(text.plain)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_fields_draw_one_visible_character_per_character(text: str) -> None:
    drawn = visible_in_place(text, keep="")
    assert len(drawn) == len(text)  # the cursor stays where it is
    assert no_controls(drawn)


def _badge(name: str, abbreviation: str) -> Badge:
    return Badge(
        id=1,
        kind="status",
        name=name,
        abbreviation=abbreviation,
        font_color="#000000",
        background_color="#FFFFFF",
        in_sequence=False,
        position=1,
        archived=False,
    )


@settings(max_examples=300, deadline=None)
@given(hostile, hostile, st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
def test_badges_are_visible_literal_text(name: str, abbreviation: str, width: int | None) -> None:
    badge = _badge(name, abbreviation)
    for short in (False, True):
        text = badge_text(badge, short=short, width=width)
        assert no_controls(text.plain)
        assert text.spans == []  # one style, the badge's: nothing read as markup
    full = badge_text(badge).plain
    if no_controls(name):
        assert full == f" {name} "


STYLES = PaintStyles(
    base=Style(),
    cursor=Style(reverse=True),
    header=Style(bold=True),
    header_sorted=Style(bold=True, underline=True),
    overdue=Style(color="red"),
    placeholder=Style(dim=True),
    lights=LightStyles(Style(color="green"), Style(color="yellow"), Style(dim=True)),
)


@settings(max_examples=200, deadline=None)
@given(hostile, hostile, hostile, hostile)
def test_notes_list_cells_never_carry_controls(
    customer: str, body: str, value: str, variable_name: str
) -> None:
    variable = VariableInfo(id=7, name=variable_name, type="text", position=1, archived=False)
    status = _badge(customer, body[:3])
    world = Settings(statuses=(status,), actions=(), variables=(variable,))
    layout = TableLayout.build(world, (), 200)
    painter = RowPainter(layout, world, dt.date(2026, 11, 29), STYLES)
    row = NoteRow(
        id=1,
        created_at=dt.datetime(2026, 11, 1, 9, 0),
        customer_id=1,
        customer=customer,
        action_id=None,
        status_id=1,
        assignee_id=None,
        assignee=value,
        follow_up=None,
        summary=body,
        values={7: NoteValueInfo(variable_id=7, text=value)},
    )
    for line in (painter.header(()), painter.row(row), painter.row(row, cursor=True)):
        drawn = "".join(segment.text for segment in line)
        assert no_controls(drawn)


@settings(max_examples=100, deadline=None)
@given(hostile)
def test_rendered_safe_text_writes_no_escape_of_its_own(text: str) -> None:
    """Through a real console: the only ESC written are the console's own styles."""
    console = Console(force_terminal=False, width=80, color_system=None)
    with console.capture() as capture:
        console.print(safe_text(text, keep_newlines=True), markup=False)
    assert no_controls(capture.get(), keep="\n\t")
