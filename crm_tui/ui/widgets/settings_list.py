"""One Settings list: statuses, actions, variables or a dropdown's options.

Items come in configured order, each drawn as its badge with its in-sequence mark;
archived items follow apart, under a heading, dimmed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crm_tui.domain.text import visible
from crm_tui.i18n import _, ngettext
from crm_tui.records import Badge, VariableInfo
from crm_tui.ui.badges import badge_text

Item = Badge | VariableInfo
IN_SEQUENCE_MARK = "●"
ARCHIVED_HEADING = "archived-heading"
NAME_CELLS = 24
"""Cells a badge's name takes in its row at most: the abbreviation and colours stay in view."""


def type_label(type_: str) -> str:
    """The user's word for a variable type."""
    return {
        "text": _("text"),
        "currency": _("currency"),
        "date": _("date"),
        "number": _("number"),
        "dropdown": _("dropdown"),
    }.get(type_, type_)


def _width(name: str) -> int:
    """Cells ``name`` takes once drawn (control characters made visible)."""
    return cell_len(visible(name))


class SettingsList(OptionList):
    """The items of one kind (``status``, ``action``, ``variable`` or ``option``)."""

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="settings-list")
        self.kind = kind
        self._items: dict[int, Item] = {}

    def show_items(
        self, items: Sequence[Item], select: int | None = None, *, fresh: bool = False
    ) -> None:
        """Show ``items``; keep the highlighted item (or highlight ``select``).

        ``fresh``: these are other items (another variable's options): start at the top.
        """
        keep = select if select is not None else (None if fresh else self.current_id)
        old_index = None if fresh else self.highlighted
        self._items = {item.id: item for item in items}
        active = [item for item in items if not item.archived]
        archived = [item for item in items if item.archived]
        widths = (
            max((_width(item.name) for item in items), default=0),
            max((_width(getattr(item, "abbreviation", "")) for item in items), default=0),
        )
        options: list[Option | None] = [
            Option(self._row(number, item, widths), id=str(item.id))
            for number, item in enumerate(active, 1)
        ]
        if archived:
            heading = Text(_("Archived (hidden from new notes)"), style="italic")
            options.append(Option(heading, id=ARCHIVED_HEADING, disabled=True))
            options.extend(
                Option(self._row(None, item, widths), id=str(item.id)) for item in archived
            )
        self.set_options(options)
        if keep is not None and keep in self._items:
            self.highlighted = self.get_option_index(str(keep))
        elif self.option_count:
            index = min(old_index or 0, self.option_count - 1)
            if self.get_option_at_index(index).disabled:
                index = max(0, index - 1)
            self.highlighted = index

    def _row(self, number: int | None, item: Item, widths: tuple[int, int]) -> Text:
        name_width, abbreviation_width = widths
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{number:>3} " if number is not None else "  – ", style="dim")
        if isinstance(item, VariableInfo):
            name = visible(item.name)  # stored text: literal, control characters visible
            padding = " " * (name_width - cell_len(name) + 2)
            text.append(name + padding, style="dim" if item.archived else "bold")
            detail = type_label(item.type)
            if item.type == "dropdown":
                count = len(item.options)
                detail += "  " + ngettext("{count} option", "{count} options", count).format(
                    count=count
                )
            text.append(detail, style="dim")
            return text
        mark = IN_SEQUENCE_MARK if item.in_sequence else " "
        text.append(f"{mark} ", style="bold dim" if item.archived else "bold")
        shown_width = min(name_width, NAME_CELLS) + 2  # a long name ends in "…"
        name_badge = badge_text(item, width=shown_width)
        text.append_text(name_badge)
        text.append(" " * (shown_width - name_badge.cell_len + 2))
        text.append_text(badge_text(item, short=True))
        text.append(" " * (abbreviation_width - _width(item.abbreviation) + 2))
        colours = _("{font} on {background}").format(
            font=item.font_color, background=item.background_color
        )
        text.append(visible(colours), style="dim")
        return text

    @property
    def current_id(self) -> int | None:
        """The id of the highlighted item."""
        option = self.highlighted_option
        if option is None or option.id in (None, ARCHIVED_HEADING):
            return None
        return int(option.id)

    @property
    def current(self) -> Item | None:
        """The highlighted item."""
        item_id = self.current_id
        return None if item_id is None else self._items.get(item_id)

    def item(self, item_id: int) -> Item | None:
        """The item with this id, if shown."""
        return self._items.get(item_id)
