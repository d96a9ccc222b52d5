"""What the notes table has loaded and what it must fetch next.

``RowSource`` follows one query being shown and, while a new one loads, the incoming
one: the new rows replace the old ones only once its first blocks arrive, so the list
never flashes empty. Results carry the generation they were asked for (the block
cache's); stale ones are dropped. ``load_pages`` is what runs off the UI thread for a
list of ``Fetch`` plans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crm_tui.domain.query import Cursor, NotePager, NoteQuery, Page
from crm_tui.ui.widgets.note_list.blocks import Fetch, NoteBlocks

NEAR_RELOAD_BLOCKS = 4
"""On a refresh, a cursor within this many blocks of the top is found again exactly."""


@dataclass(slots=True)
class ListState:
    """One query shown (or loading): its list, count and checkpoints."""

    generation: int
    query: NoteQuery
    note_list: NotePager
    count: int | None = None
    checkpoints: list[Cursor] | None = None
    checkpoints_started: bool = False
    keep_note_id: int | None = None
    keep_index: int = 0


def load_pages(note_list: NotePager, plans: list[Fetch]) -> list[tuple[int, Page]]:
    """Run the fetch plans (in a worker thread); ``chain`` plans follow each other."""
    loaded: list[tuple[int, Page]] = []
    for plan in plans:
        if plan.how == "chain":
            previous = loaded[-1][1] if loaded else None
            if previous is not None and (len(previous.rows) < plan.limit or not previous.cursors):
                break
            page = note_list.page(previous.cursors[-1] if previous else None, plan.limit)
        elif plan.how == "first":
            page = note_list.page(None, plan.limit)
        elif plan.how == "after":
            page = note_list.page(plan.cursor, plan.limit)
        elif plan.how == "at":
            page = note_list.page_at(_anchor(plan), plan.limit)
        elif plan.how == "before":
            page = note_list.page_before(_anchor(plan), plan.limit)
        else:
            page = note_list.last_page(plan.limit)
        loaded.append((plan.block, page))
    return loaded


def _anchor(plan: Fetch) -> Cursor:
    """The cursor an ``at`` or ``before`` plan starts from (it always has one)."""
    if plan.cursor is None:
        raise ValueError(f"a {plan.how!r} fetch needs a cursor")
    return plan.cursor


class RowSource:
    """The shown and incoming queries of a table, over one ``NoteBlocks`` cache."""

    def __init__(self, cache: NoteBlocks | None = None) -> None:
        self.cache = cache or NoteBlocks()
        self.state: ListState | None = None
        self.incoming: ListState | None = None

    @property
    def total(self) -> int:
        """Rows of the shown list: its count, or the rows known so far."""
        if self.state is None:
            return 0
        if self.state.count is not None:
            return self.state.count
        return self.cache.leading_rows()

    @property
    def generation(self) -> int:
        """The generation of the list asked for last."""
        return self.cache.generation

    def state_for(self, generation: int) -> ListState | None:
        """The state a result of ``generation`` belongs to, if still wanted.

        Only the list asked for last is: once a new one is asked for, late results
        for the one still shown are dropped (its rows are about to be replaced).
        """
        if not self.cache.is_current(generation):
            return None
        for state in (self.incoming, self.state):
            if state is not None and state.generation == generation:
                return state
        return None

    def begin(
        self, note_list: NotePager, keep_note_id: int | None = None, keep_index: int = 0
    ) -> tuple[ListState, list[Fetch]]:
        """Start loading ``note_list``; returns its state and the first fetches."""
        state = ListState(
            self.cache.new_generation(),
            note_list.query,
            note_list,
            keep_note_id=keep_note_id,
            keep_index=keep_index,
        )
        self.incoming = state
        size = self.cache.size
        block = keep_index // size if keep_note_id is not None else 0
        if block <= NEAR_RELOAD_BLOCKS:
            plans = [Fetch(number, "chain", None, size) for number in range(block + 1)]
        else:
            anchor = self.cache.cursor(block * size)
            plans = (
                [Fetch(block, "at", anchor, size)] if anchor else [Fetch(0, "first", None, size)]
            )
        return state, plans

    def missing(self, indexes: Iterable[int]) -> tuple[list[Fetch], bool]:
        """Fetches for the blocks of these rows not loaded nor asked for (marked pending).

        Also says whether some block can only be reached through checkpoints not built
        yet (a far jump): the caller then builds them, once.
        """
        state = self.state
        if state is None or self.incoming is not None:
            return [], False
        plans: list[Fetch] = []
        unreachable = False
        for block in sorted({self.cache.block_of(index) for index in indexes}):
            self.cache.touch(block)
            if self.cache.has(block) or block in self.cache.pending:
                continue
            plan = self.cache.plan(block, state.count, state.checkpoints)
            if plan is not None:
                plans.append(plan)
                self.cache.pending.add(block)
            else:
                unreachable = True
        needs_checkpoints = unreachable and not state.checkpoints_started
        state.checkpoints_started = state.checkpoints_started or needs_checkpoints
        return plans, needs_checkpoints

    def wants(self, indexes: Iterable[int]) -> bool:
        """Whether any of these rows' blocks is neither loaded nor pending."""
        state = self.state
        if state is None or self.incoming is not None:
            return False
        blocks = {self.cache.block_of(index) for index in indexes}
        return any(not self.cache.has(b) and b not in self.cache.pending for b in blocks)

    def add(self, state: ListState, blocks: list[tuple[int, Page]]) -> bool:
        """Keep blocks of the shown list; returns whether its count became known."""
        counted = state.count
        for block, page in blocks:
            if self.cache.accept(state.generation, block, page.rows, page.cursors):
                self._count_from(state, block, page)
        return state.count != counted

    def promote(self, state: ListState, blocks: list[tuple[int, Page]]) -> int:
        """Show the incoming list in place of the old; returns the row for the cursor."""
        self.incoming = None
        self.state = state
        self.cache.clear()
        for block, page in blocks:
            self.cache.accept(state.generation, block, page.rows, page.cursors)
            self._count_from(state, block, page)
        if state.keep_note_id is None:
            return 0
        found = self.cache.find(state.keep_note_id)
        return found if found is not None else state.keep_index

    def _count_from(self, state: ListState, block: int, page: Page) -> None:
        """A short block is the last one: the list's count follows from it."""
        if state.count is None and len(page.rows) < self.cache.size:
            state.count = block * self.cache.size + len(page.rows)

    def failed(self, generation: int, blocks: Iterable[int]) -> bool:
        """A fetch failed; returns whether it was for a list still wanted."""
        state = self.state_for(generation)
        if state is None:
            return False
        self.cache.pending.difference_update(blocks)
        if state is self.incoming:
            self.incoming = None
            if self.state is not None:  # the list shown stays, and loads on
                self.cache.resume(self.state.generation)
        return True
