"""``DayList``: My day's notes under their section headers (overdue, today, each next day).

A ``VirtualList`` of lines that are either a section header (``SectionLine``, with its
count) or a note (``NoteRow``), painted by the notes list's ``RowPainter`` with the
columns that matter for the day: Local (the call-now light), Customer, Action, Status,
Follow-up and the text. All the lines are held (a user's open follow-ups for a few days);
the cursor steps over the headers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from crm_tui.domain.locale_values import shown_date
from crm_tui.i18n import N_, _, format_count, ngettext
from crm_tui.records import NoteRow
from crm_tui.ui.widgets.call_light import LOCAL_COLUMN, LocalClock, clock_interval
from crm_tui.ui.widgets.note_list.columns import (
    PAINTED_PARTS,
    SUMMARY,
    PaintStyles,
    RowPainter,
    TableLayout,
    all_columns,
    fit,
)
from crm_tui.ui.widgets.virtual_list import BlockCache, ListContext, VirtualList

DAY_COLUMNS = frozenset({"customer", LOCAL_COLUMN, "action", "status", "follow_up", SUMMARY})
"""The columns My day shows (the others are hidden)."""

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

MAX_LINES = 1_000_000
"""One block holds every line."""


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the day: its kind (``overdue``, ``today``, ``day``), its day, the
    rows read and how many notes it has in all (``None``: as many as the rows)."""

    kind: str
    day: dt.date | None
    rows: tuple[NoteRow, ...]
    total: int | None = None

    @property
    def count(self) -> int:
        """How many notes the section has (its header's count)."""
        return len(self.rows) if self.total is None else self.total


@dataclass(frozen=True, slots=True)
class SectionLine:
    """A section's header line, or (``more``) the line saying how many notes of a long
    section are not listed (its ``id`` is negative: never a note's)."""

    id: int
    section: Section
    more: bool = False


DayLine = SectionLine | NoteRow


def section_title(section: Section) -> str:
    """``Overdue (3)``, ``Today (0)``, ``Tuesday 01/12/2026 (2)`` in the language in force."""
    count = format_count(section.count)
    if section.kind == "overdue":
        return _("Overdue ({count})").format(count=count)
    if section.kind == "today":
        return _("Today ({count})").format(count=count)
    day = section.day
    if day is None:
        return count
    return _("{weekday} {date} ({count})").format(
        weekday=_(WEEKDAYS[day.weekday()]), date=shown_date(day), count=count
    )


def more_text(section: Section) -> str:
    """``… and 40 more`` under a section whose notes are not all listed."""
    left = section.count - len(section.rows)
    return ngettext("… and {count} more", "… and {count} more", left).format(
        count=format_count(left)
    )


def day_lines(sections: Sequence[Section]) -> list[DayLine]:
    """Each section's header followed by its notes (and how many more, if some are not
    listed)."""
    lines: list[DayLine] = []
    number = 0
    for section in sections:
        number += 1
        lines.append(SectionLine(-number, section))
        lines.extend(section.rows)
        if section.count > len(section.rows):
            number += 1
            lines.append(SectionLine(-number, section, more=True))
    return lines


class DayList(VirtualList[DayLine, int]):
    """My day's sections and notes, one line each; ``enter`` opens the note."""

    @dataclass
    class MinutePassed(Message):
        """A new minute on the clock: customers may have become callable or not."""

        day_list: DayList

        @property
        def control(self) -> DayList:
            """The list whose clock moved."""
            return self.day_list

    COMPONENT_CLASSES: ClassVar[set[str]] = {*PAINTED_PARTS, "day-list--section"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first", N_("First note"), show=False, id="list.first"),
        Binding("end", "last", N_("Last note"), show=False, id="list.last"),
    ]

    class Opened(VirtualList.Opened):
        """Enter or a double click on a note."""

        @property
        def note_id(self) -> int:
            """The note opened."""
            return self.row_id

    def __init__(self, context: ListContext, *, id: str | None = None) -> None:
        super().__init__(BlockCache[DayLine, int](MAX_LINES, 1), id=id)
        self.context = context
        self.lines: list[DayLine] = []
        self._layout: TableLayout | None = None
        self._painter: RowPainter | None = None
        self._local_clock = LocalClock(context.settings.business_hours)

    # --- public API ---------------------------------------------------------------------

    def show(self, sections: Sequence[Section], *, keep_note_id: int | None = None) -> None:
        """Show ``sections``; the cursor on ``keep_note_id`` if there, else on the first note."""
        self.lines = day_lines(sections)
        self.blocks.clear()
        self.blocks.put(0, self.lines, [line.id for line in self.lines])
        self.clear_lines()
        self._relayout()
        index = self._index_of(keep_note_id)
        if index is None:
            index = self._note_at_or_after(min(self.cursor_row, max(0, len(self.lines) - 1)), 1)
        if index is None:
            index = self._note_at_or_after(0, 1) or 0
        self.move_cursor(index)
        self.announce_highlight()
        self.refresh()

    @property
    def row_count(self) -> int:
        """Header lines and notes."""
        return len(self.lines)

    @property
    def highlighted_note(self) -> NoteRow | None:
        """The note under the cursor (``None`` on a header or an empty day)."""
        line = self.highlighted_row
        return line if isinstance(line, NoteRow) else None

    @property
    def notes(self) -> list[NoteRow]:
        """The notes shown, top to bottom."""
        return [line for line in self.lines if isinstance(line, NoteRow)]

    def settings_changed(self) -> None:
        """Badges or hours changed: lay out and paint again."""
        self._relayout()

    def tick_clock(self) -> bool:
        """Look at the clock: on a new minute, repaint the local times and lights, and
        say so (``MinutePassed``: who is callable, and so the order, may have changed)."""
        if not self._local_clock.moved():
            return False
        self.post_message(self.MinutePassed(self))
        self.clear_lines()
        self.refresh()
        return True

    # --- cursor: notes only -------------------------------------------------------------

    def _index_of(self, note_id: int | None) -> int | None:
        if note_id is None:
            return None
        for index, line in enumerate(self.lines):
            if isinstance(line, NoteRow) and line.id == note_id:
                return index
        return None

    def _note_at_or_after(self, index: int, step: int) -> int | None:
        """The first note line from ``index`` going ``step`` (+1 down, -1 up)."""
        while 0 <= index < len(self.lines):
            if isinstance(self.lines[index], NoteRow):
                return index
            index += step
        return None

    def _go(self, index: int, step: int) -> None:
        index = max(0, min(index, len(self.lines) - 1))
        found = self._note_at_or_after(index, step)
        if found is None:
            found = self._note_at_or_after(index, -step)
        if found is not None:
            self.move_cursor(found)
            if step < 0 and found > 0 and isinstance(self.lines[found - 1], SectionLine):
                top = round(self.scroll_y)
                if found - 1 < top:  # show the section's header above its first note
                    self.scroll_to(y=found - 1, animate=False, force=True)

    def action_cursor(self, delta: int) -> None:
        """Up or down to the next note (over the section headers)."""
        self._go(self.cursor_row + delta, 1 if delta > 0 else -1)

    def action_page(self, direction: int) -> None:
        """A screenful up or down."""
        self._go(self.cursor_row + direction * self.body_height, direction)

    def action_first(self) -> None:
        """The first note."""
        self._go(0, 1)
        self.scroll_to(y=0, animate=False, force=True)

    def action_last(self) -> None:
        """The last note."""
        self._go(len(self.lines) - 1, -1)

    def on_click(self, event: events.Click) -> None:
        """A click on a header line does nothing; on a note, as in every list."""
        offset = event.get_content_offset(self)
        if offset is not None and offset.y > 0:
            index = round(self.scroll_y) + offset.y - 1
            if 0 <= index < len(self.lines) and isinstance(self.lines[index], SectionLine):
                return
        super().on_click(event)

    # --- painting -----------------------------------------------------------------------

    def on_mount(self) -> None:
        """Look at the clock on the minute."""
        interval = clock_interval(self.context)
        if interval is not None:
            self.set_interval(interval, self.tick_clock)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width."""
        self._relayout()
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Theme or focus changed: rebuild the styles."""
        super().notify_style_update()
        self._painter = None

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        settings = self.context.settings
        width = self.scrollable_content_region.width or self.size.width
        hidden = [c.id for c in all_columns(settings) if c.id not in DAY_COLUMNS]
        self._layout = TableLayout.build(settings, hidden, width)
        self._painter = None
        self.clear_lines()
        self.update_virtual_size(self._layout.width)
        self.refresh()

    def _get_painter(self) -> RowPainter:
        if self._painter is None:
            settings = self.context.settings
            if self._layout is None:
                width = self.scrollable_content_region.width or self.size.width
                hidden = [c.id for c in all_columns(settings) if c.id not in DAY_COLUMNS]
                self._layout = TableLayout.build(settings, hidden, width)
            self._local_clock.set_hours(settings.business_hours)
            self._painter = RowPainter(
                self._layout,
                settings,
                self.context.today(),
                PaintStyles.of(self),
                self._local_clock,
            )
        return self._painter

    def render_header(self, width: int, scroll_x: int) -> Strip:
        """The column labels."""
        painter = self._get_painter()
        return painter.header(()).crop_extend(scroll_x, scroll_x + width, painter.styles.header)

    def render_row(self, row: DayLine, cursor: bool, width: int, scroll_x: int) -> Strip:
        """A section header, or one note."""
        painter = self._get_painter()
        if isinstance(row, SectionLine):
            if row.more:
                style = painter.styles.placeholder
                words = "   " + more_text(row.section)
            else:
                section = self.get_component_rich_style("day-list--section", partial=True)
                style = painter.styles.base + section
                words = " " + section_title(row.section)
            text = fit(words, max(width, painter.layout.width))
            return Strip([Segment(text, style)]).crop_extend(scroll_x, scroll_x + width, style)
        full = painter.row(row, cursor=cursor)
        return full.crop_extend(scroll_x, scroll_x + width, painter.styles.base)

    def render_placeholder(self, cursor: bool, width: int, scroll_x: int) -> Strip:
        """Never drawn: every line is held."""
        return Strip.blank(width, self.rich_style)

    def render_past_end(self, index: int, width: int) -> Strip:
        """Below the last line: blank."""
        return Strip.blank(width, self.rich_style)
