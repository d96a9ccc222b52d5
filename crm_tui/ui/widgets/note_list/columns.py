"""Columns of the notes list and how one row is painted into a Strip.

Pure drawing: no database, no widget. ``TableLayout`` decides which columns show and
how wide they are; ``RowPainter`` turns a ``NoteRow`` (or the header, or a placeholder)
into a full-width ``Strip`` the table then crops to its horizontal scroll.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from crm_tui.clock import to_local
from crm_tui.domain.locale_values import shown_date, shown_time, shown_value
from crm_tui.domain.text import visible
from crm_tui.i18n import _
from crm_tui.note_query import OVERDUE, NoteQuery, SortKey, variable_column
from crm_tui.records import Badge, NoteRow, Settings, VariableInfo
from crm_tui.ui.badges import badge_text
from crm_tui.ui.widgets.call_light import (
    LOCAL_COLUMN,
    LOCAL_WIDTH,
    LightStyles,
    LocalClock,
    has_local_column,
    local_label,
)

SUMMARY = "summary"
"""Column id of the first line of the note text (not sortable)."""

GAP = 1
"""Blank cells between two columns (and before the first)."""

TEXT_MIN = 12
"""The text column is never narrower than this (the table scrolls sideways instead)."""
TEXT_WANT = 24
"""Optional columns (Created, Assignee, other variables) show only while the text keeps
this many cells."""
CUSTOMER_MIN = 12
"""The customer column gives up cells down to this before the required columns go."""
VARIABLE_LABEL_MAX = 14
MARK_WIDTH = 3
"""Cells of a sort mark after a header label: `` ▲`` and the rank."""
BADGE_MAX = 22
_TYPE_WIDTH = {"date": 10, "number": 6, "currency": 8, "text": 18}
"""Content cells by variable type (numbers and amounts widen to the widest value seen)."""
NUMERIC_TYPES = ("number", "currency")
_MIDDLE = ("action", "status", "follow_up")
"""The required columns between the key columns and the text, in this order."""


@dataclass(frozen=True, slots=True)
class ListColumn:
    """One column of the notes list: id (as in sort keys), label, width, kind.

    ``least`` is how narrow it may get (a badge: its abbreviation; ``0``: as ``width``).
    """

    id: str
    label: str
    width: int
    kind: str
    right: bool = False
    variable_id: int | None = None
    least: int = 0

    def sized(self, width: int) -> ListColumn:
        """This column ``width`` cells wide."""
        return dataclasses.replace(self, width=width)


def _badges_width(badges: Iterable[Badge]) -> int:
    widest = max((cell_len(visible(badge.name)) for badge in badges), default=4)
    return min(BADGE_MAX, widest + 2)


def _abbreviations_width(badges: Iterable[Badge]) -> int:
    widest = max((cell_len(visible(badge.abbreviation)) for badge in badges), default=2)
    return min(BADGE_MAX, widest + 2)


def _header_width(label: str, content: int, cap: int = 24) -> int:
    """Wide enough for the content and the label (a long label is cut at ``cap``)."""
    return max(content, min(cell_len(label), cap))


def _badge_column(column_id: str, label: str, badges: tuple[Badge, ...]) -> ListColumn:
    least = max(_abbreviations_width(badges), min(cell_len(label), 6))
    width = max(_header_width(label, _badges_width(badges)), least)
    return ListColumn(column_id, label, width, "badge", least=least)


def _variable_column(variable: VariableInfo, seen: Mapping[str, int]) -> ListColumn:
    column_id = variable_column(variable.id)
    label = visible(variable.name)  # stored text: drawn as is, control characters visible
    if variable.type == "dropdown":
        return dataclasses.replace(
            _badge_column(column_id, label, variable.options), variable_id=variable.id
        )
    content = max(_TYPE_WIDTH.get(variable.type, 14), seen.get(column_id, 0))
    return ListColumn(
        column_id,
        label,
        _header_width(label, content, VARIABLE_LABEL_MAX),
        variable.type,
        right=variable.type in NUMERIC_TYPES,
        variable_id=variable.id,
        least=content,
    )


def all_columns(settings: Settings, seen: Mapping[str, int] | None = None) -> list[ListColumn]:
    """Every column the list can show, in the order the columns dialog lists them.

    ``seen``: the widest value drawn so far by column id (numbers and amounts are as
    wide as their widest loaded value).
    """
    seen = seen or {}
    columns = [
        ListColumn("created_at", _("Created"), _header_width(_("Created"), 16), "created"),
        ListColumn(
            "customer", _("Customer"), _header_width(_("Customer"), 20), "text", least=CUSTOMER_MIN
        ),
    ]
    if has_local_column(settings):  # some options carry zones: the customer's local time
        label = local_label()
        columns.append(
            ListColumn(LOCAL_COLUMN, label, _header_width(label, LOCAL_WIDTH, 12), "local")
        )
    columns += [
        _badge_column("action", _("Action"), settings.actions),
        _badge_column("status", _("Status"), settings.statuses),
        ListColumn("assignee", _("Assignee"), _header_width(_("Assignee"), 10), "text"),
        ListColumn("follow_up", _("Follow-up"), _header_width(_("Follow-up"), 10), "follow_up"),
    ]
    columns.extend(_variable_column(variable, seen) for variable in settings.active_variables)
    columns.append(ListColumn(SUMMARY, _("Text"), TEXT_MIN, SUMMARY, least=TEXT_MIN))
    return columns


def filtered_columns(query: NoteQuery) -> list[str]:
    """Ids of the columns ``query`` filters on (overdue filters: Follow-up)."""
    return [
        "follow_up" if condition.column == OVERDUE else condition.column
        for condition in query.conditions
    ]


def widest_values(settings: Settings, rows: Iterable[NoteRow]) -> dict[str, int]:
    """The widest number or amount of each such variable in ``rows``, by column id, as drawn
    (``1 234,50 €``: in the user's locale, with the currency)."""
    numeric = {v.id: v.type for v in settings.active_variables if v.type in NUMERIC_TYPES}
    widest: dict[str, int] = {}
    if not numeric:
        return widest
    for row in rows:
        values = row.values
        for variable_id, kind in numeric.items():
            value = values.get(variable_id)
            if value is not None and value.text:
                column_id = variable_column(variable_id)
                length = cell_len(shown_value(kind, value.text))
                if length > widest.get(column_id, 0):
                    widest[column_id] = length
    return widest


def _key_width(column: ListColumn) -> ListColumn:
    """A sorted/filtered column: its values whole; the header shortens instead."""
    if column.kind == "badge":
        return column
    content = column.least or column.width
    if column.id == "created_at":
        content = 16
    elif column.id == "follow_up":
        content = 10
    return column.sized(max(content, 5 + MARK_WIDTH - 1))  # room for `Ab… ▲`


def _cost(columns: Iterable[ListColumn]) -> int:
    return sum(column.width + GAP for column in columns) + GAP


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The columns that show, in order, and how wide each one is.

    Order: Customer, then the columns sorted or filtered by (values never cut), then
    Action, Status, Follow-up, then the first line of the text taking the width left.
    Created comes first, Assignee and the other variables after the text, each only
    while the text keeps ``TEXT_WANT`` cells: Created gives way to the text at narrow
    widths. When the required columns do not fit, badges fall back to their
    abbreviations, the customer narrows, then Follow-up, Status and Action go (unless
    sorted or filtered by); key columns are never cut: the table scrolls sideways.
    Columns hidden with `c` never show, except one the list is sorted by. Local (the
    customer's local time and call-now light, when options carry zones) is required,
    right after Customer, unless hidden.
    """

    columns: tuple[ListColumn, ...]
    width: int

    @classmethod
    def build(
        cls,
        settings: Settings,
        hidden: Iterable[str],
        width: int,
        sorted_by: Iterable[str] = (),
        filtered_by: Iterable[str] = (),
        seen: Mapping[str, int] | None = None,
    ) -> TableLayout:
        """Lay out the columns not in ``hidden`` for a table ``width`` cells wide.

        ``sorted_by`` and ``filtered_by`` are column ids (sorted ones get room for their
        sort mark when there is some); ``seen`` the widest values drawn so far.
        """
        hidden_ids = set(hidden)
        by_id = {c.id: c for c in all_columns(settings, seen)}
        marked = set(sorted_by)
        keys: list[str] = []
        for column_id in (*sorted_by, *filtered_by):
            if column_id in by_id and column_id not in keys and column_id != SUMMARY:
                keys.append(column_id)
        # A column sorted by shows even when hidden with `c`; one filtered by does not.
        keys = [k for k in keys if k != "customer" and (k in marked or k not in hidden_ids)]
        key_set = set(keys)
        # Local (whom to call now) is required when there are zones, unless hidden.
        local = (LOCAL_COLUMN,) if LOCAL_COLUMN in by_id and LOCAL_COLUMN not in key_set else ()
        required = [
            by_id[column_id]
            for column_id in (
                "customer",
                *local,
                *keys,
                *(m for m in _MIDDLE if m not in key_set),
            )
            if column_id not in hidden_ids or column_id in key_set
        ]
        required = [_key_width(c) if c.id in key_set else c for c in required]
        required = [_with_mark_room(c, width) if c.id in marked else c for c in required]
        text = by_id[SUMMARY]
        required = _squeeze(required, text, width, key_set)
        optional = [
            column
            for column_id, column in by_id.items()
            if column_id not in key_set
            and column_id not in hidden_ids
            and column_id not in ("customer", LOCAL_COLUMN, SUMMARY, *_MIDDLE)
        ]
        before: list[ListColumn] = []
        after: list[ListColumn] = []
        for column in optional:
            if _cost([*before, *required, text, *after, column]) + TEXT_WANT - TEXT_MIN <= width:
                (before if column.id == "created_at" else after).append(column)
        if SUMMARY in hidden_ids and required:
            laid = [*before, *required, *after]
            spare = width - _cost(laid)
            if spare > 0:  # no text: the last required column takes the rest
                last = laid.index(required[-1])
                laid[last] = laid[last].sized(laid[last].width + spare)
        else:
            laid = [*before, *required, text, *after]
            spare = max(0, width - _cost(laid))
            laid[laid.index(text)] = text.sized(text.width + spare)
        return cls(tuple(laid), _cost(laid))

    def column_at(self, x: int) -> ListColumn | None:
        """The column under cell ``x`` of the full (unscrolled) line."""
        left = GAP
        for column in self.columns:
            if left <= x < left + column.width:
                return column
            left += column.width + GAP
        return None


def _with_mark_room(column: ListColumn, width: int) -> ListColumn:
    """A sorted column wide enough for a short label and its mark, at wide widths."""
    if width < 100:
        return column
    label = min(cell_len(column.label), VARIABLE_LABEL_MAX)
    return column.sized(max(column.width, min(label + MARK_WIDTH, column.width + 4)))


def _squeeze(
    required: list[ListColumn], text: ListColumn, width: int, keys: set[str]
) -> list[ListColumn]:
    """The required columns narrowed so that the text keeps cells, key columns last.

    Badges not sorted or filtered by fall back towards their abbreviations until the
    text has ``TEXT_WANT`` cells; then, until it has ``TEXT_MIN``, the customer narrows,
    key badges fall back too, and Follow-up, Status and Action (not keys) go.
    """
    columns = list(required)

    def over(text_width: int) -> int:
        return _cost(columns) + text_width + GAP - width

    def narrow(wanted: Callable[[ListColumn], bool], text_width: int) -> None:
        for index, column in enumerate(columns):
            excess = over(text_width)
            if excess <= 0:
                return
            if wanted(column):
                columns[index] = column.sized(max(column.least, column.width - excess))

    narrow(lambda c: c.kind == "badge" and c.id not in keys, TEXT_WANT)
    narrow(lambda c: c.id == "customer", TEXT_MIN)
    narrow(lambda c: c.kind == "badge", TEXT_MIN)
    for column_id in reversed(_MIDDLE):
        if over(TEXT_MIN) <= 0:
            break
        if column_id not in keys:
            columns = [c for c in columns if c.id != column_id]
    return columns


PAINTED_PARTS = frozenset(
    {
        "note-table--header",
        "note-table--header-sorted",
        "note-table--cursor",
        "note-table--overdue",
        "note-table--placeholder",
        "note-table--light-open",
        "note-table--light-soon",
        "note-table--light-closed",
    }
)
"""The component classes ``PaintStyles.of`` reads: every list painted by ``RowPainter``
declares them (its ``COMPONENT_CLASSES``), so the theme's ``.tcss`` can style them."""


@dataclass(frozen=True, slots=True)
class PaintStyles:
    """The Rich styles of the table's parts (from its component classes)."""

    base: Style
    cursor: Style
    header: Style
    header_sorted: Style
    overdue: Style
    placeholder: Style
    lights: LightStyles

    @classmethod
    def of(cls, widget: Widget) -> PaintStyles:
        """The styles of ``widget``'s ``note-table--*`` component classes."""

        def part(name: str) -> Style:
            return widget.get_component_rich_style(f"note-table--{name}", partial=True)

        base = widget.rich_style
        return cls(
            base=base,
            cursor=part("cursor"),
            header=base + part("header"),
            header_sorted=base + part("header-sorted"),
            overdue=part("overdue"),
            placeholder=base + part("placeholder"),
            lights=LightStyles(
                open=part("light-open"), soon=part("light-soon"), closed=part("light-closed")
            ),
        )


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
    padding = " " * (width - length)
    return padding + text if right else text + padding


def _cut(label: str, width: int) -> str:
    """A header label cut to ``width`` cells (``Estimated…``, no blank before the ``…``)."""
    if cell_len(label) <= width:
        return label
    return set_cell_size(label, max(0, width - 1)).rstrip() + "…" if width > 0 else ""


class RowPainter:
    """Paints the header, rows and placeholders of one layout into full-width Strips."""

    def __init__(
        self,
        layout: TableLayout,
        settings: Settings,
        today: dt.date,
        styles: PaintStyles,
        local_clock: LocalClock | None = None,
    ) -> None:
        self.layout = layout
        self.today = today
        self.styles = styles
        self.local_clock = local_clock or LocalClock(settings.business_hours)
        # Keyed by ``int | None``: a row without a status or action looks up ``None``.
        self._statuses: dict[int | None, Badge] = {badge.id: badge for badge in settings.statuses}
        self._actions: dict[int | None, Badge] = {badge.id: badge for badge in settings.actions}
        self._options = {o.id: o for v in settings.variables for o in v.options}
        self._badge_cells: dict[tuple[int, int, Style], list[Segment]] = {}

    def header(self, sort: tuple[SortKey, ...]) -> Strip:
        """The header line, with ▲/▼ (and the rank when several keys) on sorted columns."""
        ranks = {key.column: (rank, key.descending) for rank, key in enumerate(sort, 1)}
        styles = self.styles
        segments = [Segment(" " * GAP, styles.header)]
        for column in self.layout.columns:
            label = column.label
            style = styles.header
            if column.id in ranks:
                rank, descending = ranks[column.id]
                mark = "▼" if descending else "▲"
                suffix = f" {mark}{rank if len(sort) > 1 else ''}"
                label = _cut(label, column.width - cell_len(suffix)) + suffix
                style = styles.header_sorted
            segments.append(Segment(fit(label, column.width), style))
            segments.append(Segment(" " * GAP, styles.header))
        return Strip(segments, self.layout.width)

    def placeholder(self, *, cursor: bool = False) -> Strip:
        """A row not loaded yet."""
        style = self.styles.placeholder + (self.styles.cursor if cursor else Style())
        text = fit("  " + _("loading…"), self.layout.width)
        return Strip([Segment(text, style)], self.layout.width)

    def row(self, row: NoteRow, *, cursor: bool = False) -> Strip:
        """One note as a line of cells."""
        styles = self.styles
        line_style = styles.base + styles.cursor if cursor else styles.base
        gap = " " * GAP
        # Runs of plain cells become one segment: fewer segments for Textual to cut.
        segments: list[Segment] = []
        plain = [gap]
        for column in self.layout.columns:
            for segment in self._cell(row, column, line_style):
                if segment.style is line_style:
                    plain.append(segment.text)
                else:
                    segments.append(Segment("".join(plain), line_style))
                    segments.append(segment)
                    plain = []
            plain.append(gap)
        segments.append(Segment("".join(plain), line_style))
        return Strip(segments, self.layout.width)

    def _badge(self, badge: Badge | None, width: int, line_style: Style) -> list[Segment]:
        """A badge cell; made once per badge, width and line style (rows repeat them)."""
        key = (id(badge), width, line_style)
        cell = self._badge_cells.get(key)
        if cell is None:
            if badge is None:
                cell = [Segment(" " * width, line_style)]
            else:
                # The name when it fits, else the abbreviation (cut only if even that is long).
                short = cell_len(visible(badge.name)) + 2 > width
                text = badge_text(badge, short=short, width=width)
                plain = text.plain
                used = cell_len(plain)
                style = text.style if isinstance(text.style, Style) else Style.parse(text.style)
                cell = [Segment(plain, style), Segment(" " * (width - used), line_style)]
            self._badge_cells[key] = cell
        return cell

    def _local(self, zone: str | None, width: int, line_style: Style) -> list[Segment]:
        """The customer's local time and light this minute (blank without a zone)."""
        cell = self.local_clock.cell(zone)
        if cell is None:
            return [Segment(" " * width, line_style)]
        light = line_style + self.styles.lights.of(cell.light)
        return [Segment(cell.symbol, light), Segment(fit(" " + cell.time, width - 1), line_style)]

    def _cell(self, row: NoteRow, column: ListColumn, line_style: Style) -> list[Segment]:
        width = column.width
        match column.id:
            case "created_at":
                text = shown_time(to_local(row.created_at))  # stored in UTC
            case "customer":
                text = row.customer
            case "action":
                return self._badge(self._actions.get(row.action_id), width, line_style)
            case "status":
                return self._badge(self._statuses.get(row.status_id), width, line_style)
            case "assignee":
                text = row.assignee
            case "follow_up":
                if row.follow_up is None:
                    return [Segment(" " * width, line_style)]
                style = line_style
                if row.follow_up < self.today:
                    style = line_style + self.styles.overdue
                return [Segment(fit(shown_date(row.follow_up), width), style)]
            case "summary":
                text = row.summary.split("\n", 1)[0]
            case "local_time":
                return self._local(row.zone, width, line_style)
            case _:
                value = row.values.get(column.variable_id) if column.variable_id else None
                if value is None:
                    text = ""
                elif column.kind == "badge":
                    option = self._options.get(value.option_id) if value.option_id else None
                    return self._badge(option, width, line_style)
                else:
                    text = shown_value(column.kind, value.text)  # in the user's locale
        # Stored text: control characters are drawn visibly, never sent to the terminal.
        return [Segment(fit(visible(text), width, right=column.right), line_style)]
