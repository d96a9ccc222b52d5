"""The rows of the notes list the table holds: an LRU of fixed-size blocks.

Block ``k`` holds rows ``k * size`` to ``k * size + size - 1`` of the list, fetched by
keyset from a neighbouring block's cursor, from the end (``last_page``) or from a
checkpoint. Only a few blocks are kept: the table never holds more than
``size * max_blocks`` rows, whatever the length of the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_tui.note_query import Cursor
from crm_tui.records import NoteRow
from crm_tui.ui.widgets.virtual_list import BlockCache

BLOCK_SIZE = 200
"""Rows per block; the checkpoints are built at the same spacing."""

MAX_BLOCKS = 4


@dataclass(frozen=True, slots=True)
class Fetch:
    """How to load one block: ``first``, ``after``/``before`` a cursor, or ``last`` rows."""

    block: int
    how: str
    cursor: Cursor | None
    limit: int


class NoteBlocks(BlockCache[NoteRow, Cursor]):
    """Blocks of notes by block number, and how to fetch a missing one."""

    def __init__(self, size: int = BLOCK_SIZE, max_blocks: int = MAX_BLOCKS) -> None:
        super().__init__(size, max_blocks)

    def plan(self, block: int, count: int | None, checkpoints: list[Cursor] | None) -> Fetch | None:
        """How to load ``block`` from what is known, or ``None`` if it cannot be yet.

        ``checkpoints[k]`` is the cursor of row ``k * size`` (the first row of block ``k``).
        """
        size = self.size
        if block == 0:
            return Fetch(0, "first", None, size)
        after = self.cursor_before(block)
        if after is not None:
            return Fetch(block, "after", after, size)
        following = self.get(block + 1)
        if following is not None and following.cursors:
            return Fetch(block, "before", following.cursors[0], size)
        if count is not None and block == (count - 1) // size:
            return Fetch(block, "last", None, count - block * size)
        if checkpoints is not None and block < len(checkpoints):
            return Fetch(block, "after", checkpoints[block].inclusive(), size)
        return None
