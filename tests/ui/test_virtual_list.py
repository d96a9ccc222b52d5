"""VirtualList, the base of the notes and customers lists: cursor, paging, blocks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip

from crm_tui.ui.widgets.virtual_list import BlockCache, VirtualList

ROWS = 1000
BLOCK = 50


@dataclass(frozen=True, slots=True)
class Item:
    """A row of the test list."""

    id: int
    text: str


def items(block: int, prefix: str = "Item") -> list[Item]:
    """Block ``block`` of a list of ``ROWS`` items."""
    start = block * BLOCK
    return [Item(n, f"{prefix} {n}") for n in range(start, min(ROWS, start + BLOCK))]


class ItemList(VirtualList[Item, int]):
    """Items read in place when they come into view (no database)."""

    def __init__(self) -> None:
        super().__init__(BlockCache[Item, int](BLOCK, 4))
        self.opened: list[int] = []

    @property
    def row_count(self) -> int:
        return ROWS

    def on_mount(self) -> None:
        self.update_virtual_size(self.size.width)

    def want_rows(self) -> None:
        top = round(self.scroll_y)
        wanted = [self.blocks.block_of(i) for i in (top, top + self.body_height)]
        for block in self.blocks.missing(wanted):
            rows = items(block)
            self.blocks.accept(self.blocks.generation, block, rows, [r.id for r in rows])

    def render_header(self, width: int, scroll_x: int) -> Strip:
        return Strip.blank(width)

    def render_row(self, row: Item, cursor: bool, width: int, scroll_x: int) -> Strip:
        mark = ">" if cursor else " "
        return _text(mark + row.text, width)

    def render_placeholder(self, cursor: bool, width: int, scroll_x: int) -> Strip:
        return _text("…", width)

    def on_virtual_list_opened(self, message: VirtualList.Opened) -> None:
        self.opened.append(message.row_id)


def _text(text: str, width: int) -> Strip:
    return Strip([Segment(text[:width].ljust(width))], width)


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ItemList()


def shown(widget: ItemList) -> list[str]:
    """The lines of the list as drawn (header skipped)."""
    return [widget.render_line(y).text.rstrip() for y in range(1, widget.size.height)]


async def test_the_cursor_stays_on_a_row() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        items_list = app.query_one(ItemList)
        items_list.focus()
        await pilot.pause()
        items_list.cursor_row = ROWS + 50
        assert items_list.cursor_row == ROWS - 1
        items_list.cursor_row = -3
        assert items_list.cursor_row == 0
        await pilot.press("up")
        assert items_list.cursor_row == 0
        assert shown(items_list)[0] == ">Item 0"


async def test_paging_first_and_last() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        items_list = app.query_one(ItemList)
        items_list.focus()
        await pilot.pause()
        height = items_list.body_height
        await pilot.press("pagedown")
        await pilot.pause()
        assert items_list.cursor_row == height
        assert shown(items_list)[0] == f">Item {height}"  # the next screenful
        await pilot.press("end")
        await pilot.pause()
        assert items_list.cursor_row == ROWS - 1
        assert shown(items_list)[-1] == f">Item {ROWS - 1}"
        await pilot.press("pageup")
        await pilot.pause()
        assert items_list.cursor_row == ROWS - 1 - height
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert items_list.cursor_row == 1
        assert items_list.opened == [1]
        assert shown(items_list)[:2] == [" Item 0", ">Item 1"]


def test_blocks_of_an_older_generation_are_dropped() -> None:
    cache = BlockCache[Item, int](BLOCK, 2)
    first = cache.new_generation()
    assert cache.accept(first, 0, items(0), [])
    second = cache.new_generation()  # a new query: the old rows stay shown meanwhile
    assert cache.row(3) == Item(3, "Item 3")
    assert not cache.accept(first, 1, items(1), [])  # late answer for the old query
    assert not cache.has(1)
    assert cache.accept(second, 1, items(1, "New"), [])
    assert cache.row(BLOCK) == Item(BLOCK, f"New {BLOCK}")


def test_blocks_are_asked_once_and_the_least_used_dropped() -> None:
    cache = BlockCache[Item, int](BLOCK, 2)
    generation = cache.new_generation()
    assert cache.missing([0, 1]) == [0, 1]
    cache.pending.update({0, 1})
    assert cache.missing([0, 1]) == []  # asked for already
    for block in (0, 1, 2):
        cache.accept(generation, block, items(block), [row.id for row in items(block)])
    assert not cache.has(0) and cache.has(1) and cache.has(2)
    assert cache.cursor_before(2) == 2 * BLOCK - 1  # block 2 follows on from block 1
    assert cache.find(2 * BLOCK + 3) == 2 * BLOCK + 3
    assert cache.live_rows == 2 * BLOCK
