"""Undo and redo of a user's own changes, each as a new recorded change.

The stacks live in the history, not in the app: they survive a restart and are the same
in every app instance of one user. An undo writes the reverting lines in a new batch
that ends with a marker line (entity ``undo``, entity id = the batch undone, text = what
it was); a redo writes the lines reverting that undo, ending with a marker ``redo``.
Walking the user's batches newest first then gives both stacks:

* undo: the newest batch of notes or settings not undone yet (undo markers name the
  batches they undid; a redo's batch is itself undoable);
* redo: the newest undo not redone yet, found before any ordinary change (a new change
  clears the redo stack).

Notes: an edit gets its old values back, a creation is deleted, a deletion recreated
(same id, same values), a bulk edit reverted on all its notes at once. Nothing changed
since by someone else is overwritten: such an undo is refused with a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from crm_tui.db import customer_state
from crm_tui.db.change_lines import batch_lines
from crm_tui.db.models import Change, Customer, Note, NoteValue, database_proxy
from crm_tui.domain import history, search
from crm_tui.domain.bulk_fields import (
    FieldValues,
    MarkedNotes,
    field_by_history_name,
    write_history,
)
from crm_tui.domain.customers import get_or_create_customers
from crm_tui.domain.errors import ConflictError, DomainError, ValidationError
from crm_tui.domain.history import history_text
from crm_tui.domain.notes import (
    Resolver,
    deletion_lines,
    lock_note_writes,
    value_row,
)
from crm_tui.domain.permissions import require_admin, require_signed_in
from crm_tui.domain.text import fold
from crm_tui.domain.undo_settings import (
    SETTINGS_KINDS,
    CannotUndo,
    HistoryLine,
    Line,
    describe_settings,
    revert_settings,
)
from crm_tui.domain.values import parse_date
from crm_tui.i18n import _, ngettext
from crm_tui.records import UndoResult, UserInfo

UNDO, REDO = "undo", "redo"
UNDOABLE = ("note", *SETTINGS_KINDS)
WALK_LIMIT = 1000
"""Batches looked at, at most, to find the step to undo or redo."""
_CREATED = ("created", "restored")
_SNAPSHOT_ONLY = ("author", "created_at", "deleted")


class NothingToUndo(DomainError):
    """The user has no change left to undo (or to redo)."""


@dataclass(slots=True)
class _Head:
    """A batch of the user's, seen from its newest line."""

    batch: int
    last_id: int
    entity: str
    entity_id: int
    note: str | None
    lower: int = 0  # the batch's lines have ids in (lower, last_id]


def _heads(user_id: int) -> Iterator[_Head]:
    """The user's batches, newest first (one indexed statement per batch)."""
    seen: set[int] = set()
    head: _Head | None = None
    for _step in range(WALK_LIMIT):
        query = Change.select(
            Change.id, Change.batch, Change.entity, Change.entity_id, Change.new
        ).where(Change.user == user_id)
        if head is not None:
            query = query.where((Change.id < head.last_id) & (Change.batch != head.batch))
        found = query.order_by(Change.id.desc()).limit(1).tuples().first()
        if head is not None:
            head.lower = found[0] if found else 0
            if head.batch not in seen:
                seen.add(head.batch)
                yield head
        if found is None:
            return
        head = _Head(found[1], found[0], found[2], found[3], found[4])


def _undo_target(user_id: int) -> _Head | None:
    undone: set[int] = set()
    for head in _heads(user_id):
        if head.entity == UNDO:
            undone.add(head.entity_id)
        elif head.batch not in undone and head.entity in (*UNDOABLE, REDO):
            return head
    return None


def _redo_target(user_id: int) -> _Head | None:
    redone: set[int] = set()
    for head in _heads(user_id):
        if head.entity == REDO:
            redone.add(head.entity_id)
        elif head.entity == UNDO:
            if head.entity_id not in redone:
                return head
        elif head.entity in UNDOABLE:
            return None  # a new change since the last undo: nothing to redo
    return None


def _lines_of(user_id: int, head: _Head) -> list[HistoryLine]:
    """The batch's lines of notes and settings, oldest first."""
    lines = batch_lines(database_proxy.obj, user_id, head.lower, head.last_id, head.batch, UNDOABLE)
    return [HistoryLine(*line) for line in lines]


def undo(actor: UserInfo, today: dt.date | None = None) -> UndoResult:
    """Undo ``actor``'s last change not undone yet; raises ``NothingToUndo`` when none."""
    require_signed_in(actor)
    with database_proxy.atomic():
        lock_note_writes()
        head = _undo_target(actor.id)
        if head is None:
            raise NothingToUndo(_("Nothing to undo."))
        rows = _lines_of(actor.id, head)
        what = head.note if head.entity == REDO else describe(rows)
        result = _revert(actor, rows, head.last_id, (UNDO, head.batch, what or ""), today)
        return UndoResult(_("Undone: {what}").format(what=what), *result)


def redo(actor: UserInfo, today: dt.date | None = None) -> UndoResult:
    """Redo what ``actor`` undid last; raises ``NothingToUndo`` when there is nothing."""
    require_signed_in(actor)
    with database_proxy.atomic():
        lock_note_writes()
        head = _redo_target(actor.id)
        if head is None:
            raise NothingToUndo(_("Nothing to redo."))
        rows = _lines_of(actor.id, head)
        what = head.note or ""
        result = _revert(actor, rows, head.last_id, (REDO, head.entity_id, what), today)
        return UndoResult(_("Redone: {what}").format(what=what), *result)


def _revert(
    actor: UserInfo,
    rows: Sequence[HistoryLine],
    after_id: int,
    marker: tuple[str, int, str],
    today: dt.date | None,
) -> tuple[int, bool, int]:
    """Put back the old values of ``rows``, recorded in a new batch ending with ``marker``."""
    note_rows = [row for row in rows if row.entity == "note"]
    settings_rows = [row for row in rows if row.entity in SETTINGS_KINDS]
    lines: list[Line] = []
    at = history.now()
    marked = MarkedNotes()
    database = database_proxy.obj
    note_ids = sorted({row.entity_id for row in note_rows})
    customers = customer_state.customers_of_notes(database, note_ids)
    try:
        if settings_rows:
            require_admin(actor, _("undo changes to settings"))
            lines.extend(revert_settings(settings_rows))
        if note_rows:
            values = FieldValues(Resolver.load(), today)
            lines.extend(_revert_notes(actor, note_rows, after_id, at, marked, values))
    except ValidationError as error:
        raise CannotUndo(_("Cannot undo: {problem}").format(problem=error)) from None
    # The notes' customers before and after (an undo may move a note to another one).
    customers |= customer_state.customers_of_notes(database, note_ids)
    customer_state.refresh_customers(database, customers, note_ids)
    if settings_rows:  # zones given back or taken: the time-zone variable may differ
        customer_state.sync_zones(database)
    kind, target, what = marker
    lines.append((kind, target, kind, None, what))
    batch = history.new_batch()
    write_history(marked, actor.id, batch, at, lines)
    marked.clear()
    return len({row.entity_id for row in note_rows}), bool(settings_rows), batch


def _revert_notes(
    actor: UserInfo,
    rows: Sequence[HistoryLine],
    after_id: int,
    at: dt.datetime,
    marked: MarkedNotes,
    values: FieldValues,
) -> list[Line]:
    whole = {row.entity_id for row in rows if row.field in (*_CREATED, "deleted")}
    by_note: dict[int, list[HistoryLine]] = {note_id: [] for note_id in whole}
    edits: dict[str, list[tuple[int, str | None, str | None]]] = {}
    for row in rows:
        if row.entity_id in whole:
            by_note[row.entity_id].append(row)
        else:
            edits.setdefault(row.field, []).append((row.entity_id, row.old, row.new))
    lines: list[Line] = []
    for note_id, changes in by_note.items():
        if any(change.field in _CREATED for change in changes):
            lines.extend(_delete(actor, note_id, after_id, values))
        else:
            lines.extend(_restore(note_id, changes, at, values))
    for field, items in edits.items():
        if field in ("customer", "body"):
            lines.extend(_revert_text(field, items, at))
        else:
            lines.extend(_revert_field(field, items, marked, values, at))
    return lines


def _customer_of(note_id: int) -> str:
    name = (
        Customer.select(Customer.name)
        .join(Note, on=(Note.customer == Customer.id))
        .where(Note.id == note_id)
        .scalar()
    )
    return name or _("a deleted note")


def _changed_since(note_ids: Sequence[int], total: int) -> ConflictError:
    if total == 1:
        return ConflictError(
            _(
                "Cannot undo: the note on {customer} was changed or deleted since;"
                " nothing was undone."
            ).format(customer=_customer_of(note_ids[0]))
        )
    return ConflictError(
        ngettext(
            "Cannot undo: {count} of these {total} notes was changed or deleted since;"
            " nothing was undone.",
            "Cannot undo: {count} of these {total} notes were changed or deleted since;"
            " nothing was undone.",
            len(note_ids),
        ).format(count=len(note_ids), total=total)
    )


def _revert_field(
    name: str,
    items: list[tuple[int, str | None, str | None]],
    marked: MarkedNotes,
    values: FieldValues,
    at: dt.datetime,
) -> list[Line]:
    """One field of many notes, each back to its own old value, set-based by value."""
    spec = field_by_history_name(name, values.settings)
    if spec is None:
        raise CannotUndo(
            _("Cannot undo: the variable {name!r} no longer exists.").format(name=name)
        )
    groups: dict[str | None, int] = {}
    expected: dict[int, str | None] = {}
    marked.clear()
    rows = []
    for note_id, old, new in items:
        rows.append((note_id, groups.setdefault(old, len(groups)), 0))
        expected[note_id] = new
    marked.add(rows)
    seen: set[int] = set()
    conflicts: list[int] = []
    for note_id, current in marked.current(spec):
        seen.add(note_id)
        if values.cached_text(spec, current) != expected[note_id]:
            conflicts.append(note_id)
    conflicts.extend(note_id for note_id in expected if note_id not in seen)
    if conflicts:
        raise _changed_since(conflicts, len(items))
    for old, group in groups.items():
        marked.set_value(spec, values.parse(spec, old), at, group)
    return [("note", note_id, spec.name, new, old) for note_id, old, new in items]


def _revert_text(
    field: str, items: list[tuple[int, str | None, str | None]], at: dt.datetime
) -> list[Line]:
    """The customer or the text of a few notes (the search index follows)."""
    database = database_proxy.obj
    for note_id, old, new in items:
        row = Note.get_or_none(Note.id == note_id)
        customer = Customer.get_by_id(row.customer_id).name if row else ""
        current = customer if field == "customer" else (row.body if row else None)
        if row is None or history_text(current) != new:
            raise _changed_since([note_id], 1)
        if field == "customer":
            customer_id = get_or_create_customers([old or ""])[fold(old or "")]
            stored = Customer.get_by_id(customer_id).name
            Note.update(customer=customer_id, version=Note.version + 1, updated_at=at).where(
                Note.id == note_id
            ).execute()
            search.reindex_note(database, note_id, (row.body, customer), (row.body, stored))
        else:
            Note.update(body=old or "", version=Note.version + 1, updated_at=at).where(
                Note.id == note_id
            ).execute()
            search.reindex_note(database, note_id, (row.body, customer), (old or "", customer))
    return [("note", note_id, field, new, old) for note_id, old, new in items]


def _delete(actor: UserInfo, note_id: int, after_id: int, values: FieldValues) -> list[Line]:
    """Undo a creation: delete the note, unless someone else changed it since."""
    row = Note.get_or_none(Note.id == note_id)
    others = Change.select().where(
        (Change.entity == "note")
        & (Change.entity_id == note_id)
        & (Change.id > after_id)
        & (Change.user.is_null() | (Change.user != actor.id))
    )
    if row is None or others.exists():
        raise _changed_since([note_id], 1)
    customer = Customer.get_by_id(row.customer_id).name
    search.unindex_notes(database_proxy.obj, [(note_id, row.body, customer)])
    lines = [
        ("note", note_id, field, history_text(old), history_text(new))
        for field, old, new in deletion_lines(row, customer, values.settings)
        if history_text(old) != history_text(new)
    ]
    NoteValue.delete().where(NoteValue.note == note_id).execute()
    row.delete_instance()
    return lines


def _restore(
    note_id: int, changes: list[HistoryLine], at: dt.datetime, values: FieldValues
) -> list[Line]:
    """Undo a deletion: the note again, with its id, author, creation time and values."""
    snapshot = {change.field: change.old for change in changes if change.field != "deleted"}
    if "created_at" not in snapshot or "author" not in snapshot:
        raise CannotUndo(_("Cannot undo: this deletion did not keep the note's fields."))
    if Note.get_or_none(Note.id == note_id) is not None:
        raise _changed_since([note_id], 1)
    resolver = values.resolver
    author_id = resolver.user(snapshot["author"] or "", _("author"))
    if author_id is None:
        raise CannotUndo(_("Cannot undo: the note's author is unknown."))
    typed = {}
    for field, text in snapshot.items():
        if field in ("customer", "action", "status", "assignee", "follow_up", "body"):
            continue
        if field in _SNAPSHOT_ONLY:
            continue
        variable = resolver.variable(field)
        if variable is None:
            raise CannotUndo(
                _("Cannot undo: the variable {name!r} no longer exists.").format(name=field)
            )
        value = resolver.value(variable, text or "")
        if value is not None:
            typed[variable.id] = value
    name = snapshot.get("customer") or ""
    customer_id = get_or_create_customers([name])[fold(name)]
    customer = Customer.get_by_id(customer_id).name
    body = snapshot.get("body") or ""
    Note.insert(
        id=note_id,
        customer=customer_id,
        action=resolver.action(snapshot.get("action") or ""),
        status=resolver.status(snapshot.get("status") or ""),
        assignee=resolver.user(snapshot.get("assignee") or "", _("assignee")),
        author=author_id,
        body=body,
        follow_up=parse_date(snapshot.get("follow_up") or "", _("follow-up")),
        created_at=dt.datetime.fromisoformat(str(snapshot["created_at"])),
        updated_at=at,
        version=1,
    ).execute()
    if typed:
        NoteValue.insert_many([value_row(note_id, value) for value in typed.values()]).execute()
    search.index_notes(database_proxy.obj, [(note_id, body, customer)])
    lines: list[Line] = [
        ("note", note_id, field, None, text)
        for field, text in snapshot.items()
        if field not in _SNAPSHOT_ONLY and text is not None
    ]
    lines.append(("note", note_id, "restored", None, customer))
    return lines


def describe(rows: Sequence[HistoryLine]) -> str:
    """What a batch of notes and settings lines changed, in a few words."""
    note_rows = [row for row in rows if row.entity == "note"]
    parts: list[str] = []
    notes = {row.entity_id for row in note_rows}
    fields = sorted({row.field for row in note_rows} - {*_CREATED, *_SNAPSHOT_ONLY})
    if len(notes) == 1:
        (note_id,) = notes
        by_field = {row.field: row for row in note_rows}
        if "created" in by_field:
            parts.append(_("the new note on {customer}").format(customer=by_field["created"].new))
        elif "deleted" in by_field:
            customer = by_field["customer"].old if "customer" in by_field else ""
            parts.append(_("the deletion of the note on {customer}").format(customer=customer))
        else:
            parts.append(
                _("{fields} of the note on {customer}").format(
                    fields=", ".join(fields), customer=_customer_of(note_id)
                )
            )
    elif notes:
        parts.append(
            ngettext("{fields} of {count} note", "{fields} of {count} notes", len(notes)).format(
                fields=", ".join(fields), count=len(notes)
            )
        )
    settings_rows = [row for row in rows if row.entity in SETTINGS_KINDS]
    if settings_rows:
        parts.append(describe_settings(settings_rows))
    return "; ".join(parts)
