"""Bulk edit: set one field (status, action, assignee, follow-up or a variable) on many notes.

One transaction, one history batch (so one undo reverts it all), a new version of each
note changed. The notes are the marked ids, or every note of a query, which never
comes through Python: its ids go from the query engine's SQL straight into a
temporary table (``bulk_fields.MarkedNotes``, ``db.marked_notes``) that every write then joins.

Nothing is overwritten silently: a note someone else changed after it was marked (its
``since`` history watermark, see ``watermark``) makes ``bulk_edit`` raise
``BulkConflict`` unless the caller chose to ``skip`` those notes or ``apply`` anyway.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, Mapping

import peewee

from crm_tui.db import customer_state
from crm_tui.db.marked_notes import sorted_ids
from crm_tui.db.models import Change, database_proxy
from crm_tui.domain import history
from crm_tui.domain.bulk_fields import FieldValues, MarkedNotes, field_spec, write_history
from crm_tui.domain.errors import ConflictError, ValidationError
from crm_tui.domain.marks import MarkSet
from crm_tui.domain.notes import Resolver, lock_note_writes
from crm_tui.domain.permissions import require_signed_in
from crm_tui.domain.progress import NullProgress, Progress
from crm_tui.domain.query import NotePager, NoteQuery
from crm_tui.i18n import _, ngettext
from crm_tui.records import BulkResult, Settings, UserInfo

ASK, SKIP, APPLY = "ask", "skip", "apply"
"""What to do with notes changed by someone else since they were marked."""

STEP = 5000
"""Notes between two progress updates."""


class BulkConflict(ConflictError):
    """Some marked notes were changed by someone else since they were marked."""

    def __init__(self, note_ids: list[int], marked: int) -> None:
        self.note_ids = note_ids
        self.marked = marked
        super().__init__(
            ngettext(
                "{count} of the {marked} marked notes was changed by someone else"
                " since you marked it",
                "{count} of the {marked} marked notes were changed by someone else"
                " since you marked them",
                len(note_ids),
            ).format(count=len(note_ids), marked=marked)
        )


def watermark() -> int:
    """The newest history line's id: notes marked now count as changed only after it.

    One index lookup (the primary key's last entry).
    """
    return int(Change.select(peewee.fn.MAX(Change.id)).scalar() or 0)


def query_ids_sql(query: NoteQuery, settings: Settings, today: dt.date) -> tuple[str, list]:
    """One statement selecting the id of every note ``query`` shows (column ``id``).

    The same statement as the list's count, selecting ids instead of counting them.
    """
    return NotePager(query, settings, today).ids_statement()


def count_query(query: NoteQuery, settings: Settings, today: dt.date) -> int:
    """How many notes ``query`` shows."""
    return NotePager(query, settings, today).count()


def marked_ids(query: NoteQuery, settings: Settings, today: dt.date) -> array[int]:
    """The ids of every note ``query`` shows (for marking them all), ascending.

    SQL sorts them; they come back as an ``array('q')``, 8 bytes a note.
    """
    sql, params = query_ids_sql(query, settings, today)
    return sorted_ids(database_proxy.obj, sql, params)


def bulk_edit(
    actor: UserInfo,
    target: Iterable[int] | NoteQuery,
    field: str,
    value: str,
    *,
    since: Mapping[int, int] | int = 0,
    conflicts: str = ASK,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> BulkResult:
    """Set ``field`` to ``value`` (as typed: a name, an abbreviation, a date…; blank
    clears) on the ``target`` notes (ids, or every note of a query).

    ``field`` is ``status``, ``action``, ``assignee``, ``follow_up`` or ``var:ID``.
    ``since`` is the history watermark the notes were marked at (one for all, or per
    id). A bad value raises ``ValidationError`` naming the field; notes changed by
    someone else since raise ``BulkConflict`` unless ``conflicts`` is ``skip`` or
    ``apply``. Notes deleted since are left out. All or nothing.
    """
    if conflicts not in (ASK, SKIP, APPLY):
        raise ValueError(conflicts)
    progress = progress or NullProgress()
    today = today or dt.date.today()
    require_signed_in(actor)
    with database_proxy.atomic():
        lock_note_writes()
        values = FieldValues(Resolver.load(), today)
        spec = field_spec(field, values.settings)
        new = values.parse(spec, value)
        if spec.variable is not None and spec.variable.archived:
            raise ValidationError(spec.label, _("this variable is archived"))
        new_text = values.text(spec, new)
        marked = MarkedNotes()
        progress.start(_("Reading the marked notes"), None)
        if isinstance(target, NoteQuery):
            sql, params = query_ids_sql(target, values.settings, today)
            marked.add_select(sql, params, since if isinstance(since, int) else 0)
        else:
            marked.add(_marks(target, since))
        total = marked.count()
        missing = marked.drop_missing()
        skipped = 0
        if conflicts != APPLY:
            changed_by_others = marked.changed_by_others(actor.id)
            if changed_by_others and conflicts == ASK:
                raise BulkConflict(changed_by_others, total)
            marked.remove(changed_by_others)
            skipped = len(changed_by_others)
        progress.start(_("Checking the notes"), total - missing - skipped)
        olds = list(_olds(marked, spec, values, new_text, progress))
        marked.clear()
        marked.add((note_id, 0, 0) for note_id, _old in olds)
        progress.start(_("Saving"), len(olds))
        at = history.now()
        batch = history.new_batch()
        if olds:
            marked.set_value(spec, new, at)
            customer_state.refresh_marked(database_proxy.obj)
            lines = (("note", note_id, spec.name, old, new_text) for note_id, old in olds)
            write_history(marked, actor.id, batch, at, _counted(lines, progress))
        marked.clear()
        return BulkResult(
            changed=len(olds),
            unchanged=total - missing - skipped - len(olds),
            skipped=skipped,
            missing=missing,
            batch=batch if olds else None,
        )


def _marks(ids: Iterable[int], since: Mapping[int, int] | int) -> Iterator[tuple[int, int, int]]:
    if isinstance(ids, MarkSet) and ids is since:  # unique ids with their own watermarks
        yield from ((note_id, 0, mark) for note_id, mark in ids.pairs())
        return
    seen: set[int] = set()
    for note_id in ids:
        if note_id in seen:
            continue
        seen.add(note_id)
        mark = since if isinstance(since, int) else since.get(note_id, 0)
        yield note_id, 0, mark


def _olds(
    marked: MarkedNotes, spec, values: FieldValues, new_text: str | None, progress: Progress
) -> Iterator[tuple[int, str | None]]:
    """``(note id, old text)`` of the notes whose value differs from the new one."""
    for count, (note_id, current) in enumerate(marked.current(spec), start=1):
        old = values.cached_text(spec, current)
        if old != new_text:
            yield note_id, old
        if count % STEP == 0:
            progress.advance(STEP)


def _counted(lines: Iterable, progress: Progress) -> Iterator:
    for count, line in enumerate(lines, start=1):
        yield line
        if count % STEP == 0:
            progress.advance(STEP)
