"""Time-ordered note ids: newest first is ``id DESC``.

A note's id is the second of its ``created_at`` (stored in UTC, so the same whatever the
writer's zone) shifted left by 20 bits, plus a sequence number for notes created in the same
second.
"""

from __future__ import annotations

import calendar
import datetime as dt

SEQUENCE_BITS = 20
SEQUENCE_SPAN = 1 << SEQUENCE_BITS


def second_of(created_at: dt.datetime) -> int:
    """Seconds since 1970 of a stored (naive UTC) timestamp."""
    return calendar.timegm(created_at.timetuple())


def first_id_of(created_at: dt.datetime) -> int:
    """The smallest note id a note created at ``created_at`` can have."""
    return second_of(created_at) << SEQUENCE_BITS


def created_second_of(note_id: int) -> int:
    """The creation second encoded in ``note_id``."""
    return note_id >> SEQUENCE_BITS


class NoteIdAllocator:
    """Hands out time-ordered ids, given the highest id already used per second.

    ``highest_in_second(first, last)`` must return the largest existing id in
    ``[first, last]`` or ``None``; it is asked once per second seen.
    """

    def __init__(self, highest_in_second) -> None:
        self._highest_in_second = highest_in_second
        self._next: dict[int, int] = {}

    def allocate(self, created_at: dt.datetime) -> int:
        """Return a fresh id for a note created at ``created_at``."""
        second = second_of(created_at)
        candidate = self._next.get(second)
        if candidate is None:
            first = second << SEQUENCE_BITS
            highest = self._highest_in_second(first, first + SEQUENCE_SPAN - 1)
            candidate = first if highest is None else highest + 1
        self._next[second] = candidate + 1
        return candidate
