"""The rows of the notes list the table holds: an LRU of fixed-size blocks.

Block ``k`` holds rows ``k * size`` to ``k * size + size - 1`` of the list, fetched by
keyset from a neighbouring block's cursor, from the end (``last_page``) or from a
checkpoint. Only a few blocks are kept: the table never holds more than
``size * max_blocks`` rows, whatever the length of the list.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from crm_tui.note_query import Cursor
from crm_tui.records import NoteRow

BLOCK_SIZE = 200
"""Rows per block; the checkpoints are built at the same spacing."""

MAX_BLOCKS = 4


@dataclass(slots=True)
class Block:
    """Consecutive rows and their cursors."""

    rows: list[NoteRow]
    cursors: list[Cursor]


@dataclass(frozen=True, slots=True)
class Fetch:
    """How to load one block: ``first``, ``after``/``before`` a cursor, or ``last`` rows."""

    block: int
    how: str
    cursor: Cursor | None
    limit: int


class BlockCache:
    """Blocks of rows by block number, least recently used dropped first."""

    def __init__(self, size: int = BLOCK_SIZE, max_blocks: int = MAX_BLOCKS) -> None:
        self.size = size
        self.max_blocks = max_blocks
        self._blocks: OrderedDict[int, Block] = OrderedDict()
        self.fetched_rows = 0
        """Rows received since the table was created (a measure of what it materialised)."""

    def clear(self) -> None:
        """Forget every block (a new query or a refresh)."""
        self._blocks.clear()

    def block_of(self, index: int) -> int:
        """The block number holding row ``index``."""
        return index // self.size

    def has(self, block: int) -> bool:
        """Whether block ``block`` is loaded."""
        return block in self._blocks

    @property
    def live_rows(self) -> int:
        """How many rows are held right now."""
        return sum(len(block.rows) for block in self._blocks.values())

    def leading_rows(self) -> int:
        """How many rows are loaded without a gap from the first one."""
        total = 0
        number = 0
        while number in self._blocks:
            rows = len(self._blocks[number].rows)
            total += rows
            if rows < self.size:
                break
            number += 1
        return total

    def put(self, block: int, rows: list[NoteRow], cursors: list[Cursor]) -> None:
        """Keep a freshly loaded block, dropping the least recently used ones."""
        self._blocks[block] = Block(rows, cursors)
        self._blocks.move_to_end(block)
        self.fetched_rows += len(rows)
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)

    def touch(self, block: int) -> None:
        """Mark a block as just used (it is on screen)."""
        if block in self._blocks:
            self._blocks.move_to_end(block)

    def row(self, index: int) -> NoteRow | None:
        """Row ``index`` if its block is loaded."""
        block = self._blocks.get(index // self.size)
        if block is None:
            return None
        offset = index % self.size
        return block.rows[offset] if offset < len(block.rows) else None

    def cursor(self, index: int) -> Cursor | None:
        """The cursor of row ``index`` if its block is loaded."""
        block = self._blocks.get(index // self.size)
        if block is None:
            return None
        offset = index % self.size
        return block.cursors[offset] if offset < len(block.cursors) else None

    def find(self, note_id: int) -> int | None:
        """The index of note ``note_id`` among the loaded rows, if there."""
        for number, block in self._blocks.items():
            for offset, row in enumerate(block.rows):
                if row.id == note_id:
                    return number * self.size + offset
        return None

    def plan(self, block: int, count: int | None, checkpoints: list[Cursor] | None) -> Fetch | None:
        """How to load ``block`` from what is known, or ``None`` if it cannot be yet.

        ``checkpoints[k]`` is the cursor of row ``k * size`` (the first row of block ``k``).
        """
        size = self.size
        if block == 0:
            return Fetch(0, "first", None, size)
        previous = self._blocks.get(block - 1)
        if previous is not None and len(previous.rows) == size:
            return Fetch(block, "after", previous.cursors[-1], size)
        following = self._blocks.get(block + 1)
        if following is not None and following.cursors:
            return Fetch(block, "before", following.cursors[0], size)
        if count is not None and block == (count - 1) // size:
            return Fetch(block, "last", None, count - block * size)
        if checkpoints is not None and block < len(checkpoints):
            return Fetch(block, "after", checkpoints[block].inclusive(), size)
        return None
