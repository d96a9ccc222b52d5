"""Time-ordered note ids: newest first is ``id DESC``.

A note's id is the second of its ``created_at`` (stored in UTC, so the same whatever the
writer's zone) shifted left by 20 bits, plus a sequence number for notes created in the same
second.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence

import peewee

from crm_tui.db.bulk_load import highest_ids_by_second
from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _

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

    def __init__(self, highest_in_second: Callable[[int, int], int | None]) -> None:
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


def allocate_note_ids(database: peewee.Database, seconds: Sequence[int]) -> list[int]:
    """Time-ordered ids for notes created at these seconds (since 1970, as UTC).

    Among notes of the same second, the earlier in ``seconds`` gets the higher id, so a
    newest-first list shows them in the order given. Ids already used are skipped.
    """
    if not seconds:
        return []
    highest = highest_ids_by_second(database, min(seconds), max(seconds), SEQUENCE_BITS)
    following = {second: note_id + 1 for second, note_id in highest.items()}
    ids = [0] * len(seconds)
    for position in range(len(seconds) - 1, -1, -1):
        second = seconds[position]
        first = second << SEQUENCE_BITS
        note_id = following.get(second, first)
        if note_id - first >= SEQUENCE_SPAN:
            raise ValidationError(
                _("created_at"),
                _("more than {count} notes created in the same second").format(count=SEQUENCE_SPAN),
            )
        following[second] = note_id + 1
        ids[position] = note_id
    return ids
