"""The one way the UI runs a domain call off its thread.

A screen or widget starts an async worker on its own loop and awaits :func:`off_thread`
for each database call; what follows the ``await`` runs on the UI's loop again, so it may
update widgets, and a newer ``exclusive`` worker of the same group simply cancels the older
one (its thread finishes and its answer is dropped)::

    @work(exclusive=True, group="history")
    async def load_history(self) -> None:
        entries = await off_thread(read_history, self.note_id)
        self.show(entries)

The call itself runs in a worker thread and never touches a widget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def off_thread(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``call(*args, **kwargs)`` in a database thread and return its result here."""
    return await asyncio.to_thread(call, *args, **kwargs)
