"""Columns of the notes list and how one row is painted into a Strip.

Pure drawing: no database, no widget. ``TableLayout`` decides which columns show and
how wide they are; ``RowPainter`` turns a ``NoteRow`` (or the header, or a placeholder)
into a full-width ``Strip`` the table then crops to its horizontal scroll.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from crm_tui.domain.clock import to_local
from crm_tui.domain.query.spec import SortKey, variable_column
from crm_tui.domain.records import Badge, NoteRow, Settings, VariableInfo
from crm_tui.domain.text import visible
from crm_tui.i18n import _
from crm_tui.ui.badges import badge_text

SUMMARY = "summary"
"""Column id of the first line of the note text (not sortable)."""

GAP = 1
"""Blank cells between two columns (and before the first)."""

SUMMARY_MIN = 30
VARIABLE_LABEL_MAX = 14
MARK_WIDTH = 3
"""Cells of a sort mark after a header label: `` ▲`` and the rank."""
BADGE_MAX = 22
_TYPE_WIDTH = {"date": 10, "number": 10, "currency": 12, "text": 18}


@dataclass(frozen=True, slots=True)
class ListColumn:
    """One column of the notes list: id (as in sort keys), label, width, kind."""

    id: str
    label: str
    width: int
    kind: str
    right: bool = False
    variable_id: int | None = None


def _badges_width(badges: Iterable[Badge]) -> int:
    widest = max((cell_len(visible(badge.name)) for badge in badges), default=4)
    return min(BADGE_MAX, widest + 2)


def _header_width(label: str, content: int, cap: int = 24) -> int:
    """Wide enough for the content and the label (a long label is cut at ``cap``)."""
    return max(content, min(cell_len(label), cap))


def _variable_column(variable: VariableInfo) -> ListColumn:
    if variable.type == "dropdown":
        content, kind = _badges_width(variable.options), "badge"
    else:
        content, kind = _TYPE_WIDTH.get(variable.type, 14), variable.type
    label = visible(variable.name)  # stored text: drawn as is, control characters visible
    return ListColumn(
        variable_column(variable.id),
        label,
        _header_width(label, content, VARIABLE_LABEL_MAX),
        kind,
        right=variable.type in ("number", "currency"),
        variable_id=variable.id,
    )


def all_columns(settings: Settings) -> list[ListColumn]:
    """Every column the list can show, in display order (the summary last)."""
    action_width = _header_width(_("Action"), _badges_width(settings.actions))
    status_width = _header_width(_("Status"), _badges_width(settings.statuses))
    columns = [
        ListColumn("created_at", _("Created"), _header_width(_("Created"), 16), "created"),
        ListColumn("customer", _("Customer"), _header_width(_("Customer"), 20), "text"),
        ListColumn("action", _("Action"), action_width, "badge"),
        ListColumn("status", _("Status"), status_width, "badge"),
        ListColumn("assignee", _("Assignee"), _header_width(_("Assignee"), 10), "text"),
        ListColumn("follow_up", _("Follow-up"), _header_width(_("Follow-up"), 10), "follow_up"),
    ]
    columns.extend(_variable_column(variable) for variable in settings.active_variables)
    columns.append(ListColumn(SUMMARY, _("Text"), SUMMARY_MIN, SUMMARY))
    return columns


def _with_mark_room(column: ListColumn) -> ListColumn:
    label = min(cell_len(column.label), VARIABLE_LABEL_MAX)
    width = max(column.width, label + MARK_WIDTH)
    return ListColumn(column.id, column.label, width, column.kind, column.right, column.variable_id)


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The visible columns, with the summary stretched to fill ``width`` cells."""

    columns: tuple[ListColumn, ...]
    width: int

    @classmethod
    def build(
        cls,
        settings: Settings,
        hidden: Iterable[str],
        width: int,
        sorted_by: Iterable[str] = (),
    ) -> TableLayout:
        """Lay out the columns not in ``hidden`` for a table ``width`` cells wide.

        Columns in ``sorted_by`` get room for their sort mark (`` ▲2``).
        """
        hidden_ids = set(hidden)
        marked = set(sorted_by)
        columns = [c for c in all_columns(settings) if c.id not in hidden_ids]
        if not columns:
            columns = [c for c in all_columns(settings) if c.id == SUMMARY]
        columns = [_with_mark_room(column) if column.id in marked else column for column in columns]
        fixed = sum(c.width + GAP for c in columns if c.id != SUMMARY) + GAP
        laid: list[ListColumn] = []
        for column in columns:
            if column.id == SUMMARY:
                stretch = max(SUMMARY_MIN, width - fixed - GAP)
                column = ListColumn(column.id, column.label, stretch, column.kind)
            laid.append(column)
        total = sum(c.width + GAP for c in laid) + GAP
        return cls(tuple(laid), total)

    def column_at(self, x: int) -> ListColumn | None:
        """The column under cell ``x`` of the full (unscrolled) line."""
        left = GAP
        for column in self.columns:
            if left <= x < left + column.width:
                return column
            left += column.width + GAP
        return None


@dataclass(frozen=True, slots=True)
class PaintStyles:
    """The Rich styles of the table's parts (from its component classes)."""

    base: Style
    cursor: Style
    header: Style
    header_sorted: Style
    overdue: Style
    placeholder: Style

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
        )


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
    padding = " " * (width - length)
    return padding + text if right else text + padding


class RowPainter:
    """Paints the header, rows and placeholders of one layout into full-width Strips."""

    def __init__(
        self, layout: TableLayout, settings: Settings, today: dt.date, styles: PaintStyles
    ) -> None:
        self.layout = layout
        self.today = today
        self.styles = styles
        self._statuses = {badge.id: badge for badge in settings.statuses}
        self._actions = {badge.id: badge for badge in settings.actions}
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
                label = fit(label, column.width - cell_len(suffix)).rstrip() + suffix
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
                text = badge_text(badge, width=width)
                plain = text.plain
                used = cell_len(plain)
                cell = [Segment(plain, text.style), Segment(" " * (width - used), line_style)]
            self._badge_cells[key] = cell
        return cell

    def _cell(self, row: NoteRow, column: ListColumn, line_style: Style) -> list[Segment]:
        width = column.width
        match column.id:
            case "created_at":
                text = to_local(row.created_at).strftime("%Y-%m-%d %H:%M")  # stored in UTC
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
                return [Segment(fit(row.follow_up.isoformat(), width), style)]
            case "summary":
                text = row.summary.split("\n", 1)[0]
            case _:
                value = row.values.get(column.variable_id) if column.variable_id else None
                if value is None:
                    text = ""
                elif column.kind == "badge":
                    option = self._options.get(value.option_id) if value.option_id else None
                    return self._badge(option, width, line_style)
                else:
                    text = value.text
        # Stored text: control characters are drawn visibly, never sent to the terminal.
        return [Segment(fit(visible(text), width, right=column.right), line_style)]
