"""Notes: validate, create, edit and delete, with typed variable values.

``note_input.prepare_note`` turns what a user typed (or a CSV line) into a checked
``PreparedNote`` without touching the database; ``create_note``/``update_note`` save one, and
``insert_prepared`` saves many in the caller's transaction (imports, demo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import peewee

from crm_tui.db import customer_state, locks
from crm_tui.db.bulk_load import bulk_writing, index_documents
from crm_tui.db.models import Customer, Note, NoteValue, User, database_proxy
from crm_tui.db.rows import tuple_rows
from crm_tui.domain import history, search
from crm_tui.domain.customers import get_or_create_customers
from crm_tui.domain.errors import ConflictError, NotFound
from crm_tui.domain.ids import NoteIdAllocator
from crm_tui.domain.note_input import (
    NoteInput,
    PreparedNote,
    Resolver,
    TypedValue,
    prepare_note,
)
from crm_tui.domain.permissions import require_signed_in
from crm_tui.domain.settings import load_settings
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.records import (
    Badge,
    NoteDetail,
    NoteValueInfo,
    Settings,
    UserInfo,
)


def lock_note_writes() -> None:
    """Wait until no other transaction writes notes, and hold that lock until commit.

    Two writers would otherwise read the same highest note id (or both miss a new
    customer) and the second would fail on a unique key, or both pass the version
    check of the same note and the second would silently overwrite the first.
    """
    locks.lock_note_writes(database_proxy.obj)


def _highest_note_id(first: int, last: int) -> int | None:
    return (
        Note.select(peewee.fn.MAX(Note.id)).where((Note.id >= first) & (Note.id <= last)).scalar()
    )


def new_id_allocator() -> NoteIdAllocator:
    """An allocator of time-ordered note ids for the current transaction."""
    return NoteIdAllocator(_highest_note_id)


def value_row(note_id: int, value: TypedValue) -> dict[str, object]:
    """The ``note_value`` row of one typed value of a note."""
    return {
        "note": note_id,
        "variable": value.variable_id,
        "value_text": value.text,
        "value_key": value.key,
        "value_num": value.number,
        "value_cents": value.cents,
        "value_date": value.date,
        "option": value.option_id,
    }


def insert_prepared(
    notes: Sequence[tuple[PreparedNote, dt.datetime]],
    author_id: int,
    allocator: NoteIdAllocator | None = None,
) -> list[int]:
    """Save many checked notes (with their ``created_at``) in the caller's transaction.

    Creates missing customers. Returns the new note ids, in input order.
    """
    lock_note_writes()
    allocator = allocator or new_id_allocator()
    customer_ids = get_or_create_customers(note.customer for note, _at in notes)
    note_rows: list[dict[str, object]] = []
    value_rows: list[dict[str, object]] = []
    index_rows: list[tuple[int, str, str]] = []
    names = {fold(note.customer): note.customer for note, _at in notes}
    ids: list[int] = []
    for note, created_at in notes:
        note_id = allocator.allocate(created_at)
        ids.append(note_id)
        note_rows.append(
            {
                "id": note_id,
                "customer": customer_ids[fold(note.customer)],
                "action": note.action_id,
                "status": note.status_id,
                "assignee": note.assignee_id,
                "author": author_id,
                "body": note.body,
                "follow_up": note.follow_up,
                "created_at": created_at,
                "updated_at": created_at,
                "version": 1,
            }
        )
        value_rows.extend(value_row(note_id, value) for value in note.values.values())
        index_rows.append((note_id, note.body, names[fold(note.customer)]))
    database = database_proxy.obj
    batch = bulk_writing(database).insert_batch
    for start in range(0, len(note_rows), batch):
        Note.insert_many(note_rows[start : start + batch]).execute()
    for start in range(0, len(value_rows), batch):
        NoteValue.insert_many(value_rows[start : start + batch]).execute()
    _index_new(database, index_rows, customer_ids)
    customer_state.refresh_customers(database, customer_ids.values(), ids)
    return ids


def _index_new(
    database: peewee.Database,
    index_rows: list[tuple[int, str, str]],
    customer_ids: Mapping[str, int],
) -> None:
    if not index_rows:
        return
    if bulk_writing(database).index_reads_notes and len(index_rows) > 200:
        search.bulk_index_sqlite(database, [row[0] for row in index_rows])
        return
    # The customer's stored name (an existing customer may be spelt differently).
    stored: dict[int, str] = dict(
        tuple_rows(
            Customer.select(Customer.id, Customer.name).where(
                Customer.id.in_(list(set(customer_ids.values())))
            )
        )
    )
    key_to_id = customer_ids
    search.index_notes(
        database,
        [(nid, body, stored[key_to_id[fold(name)]]) for nid, body, name in index_rows],
    )


def index_new_notes(
    database: peewee.Database,
    note_ids: Sequence[int],
    rebuild: bool = False,
    documents: Iterable[tuple[int, str, str]] | None = None,
) -> None:
    """Add notes written in bulk to full-text search.

    Where the index reads the notes itself (SQLite), it is given their ids (``rebuild``
    re-reads every note, faster when the table was empty). Otherwise (PostgreSQL) it needs
    ``documents``: rows of ``(note_id, body, customer_name)`` with the customer's stored name.
    """
    if bulk_writing(database).index_reads_notes:
        if rebuild:
            search.rebuild_sqlite_index(database)
        elif note_ids:
            search.bulk_index_sqlite(database, note_ids)
        return
    if documents is None:
        return
    index_documents(
        database, ((nid, search.search_document(body, name)) for nid, body, name in documents)
    )


def create_note(
    actor: UserInfo,
    data: NoteInput,
    *,
    created_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> int:
    """Check and save a new note by ``actor``; returns its id."""
    require_signed_in(actor)
    with database_proxy.atomic():
        prepared = prepare_note(data, Resolver.load(), today=today)
        (note_id,) = insert_prepared([(prepared, created_at or history.now())], actor.id)
        history.record(actor, "note", note_id, [("created", None, prepared.customer)])
        return note_id


def _load_row(note_id: int) -> Note:
    row = Note.get_or_none(Note.id == note_id)
    if row is None:
        raise NotFound(_("note #{id} does not exist (deleted?)").format(id=note_id))
    return row


def _values_of(note_id: int) -> dict[int, TypedValue]:
    query = NoteValue.select().where(NoteValue.note == note_id)
    return {
        row.variable_id: TypedValue(
            row.variable_id,
            text=row.value_text,
            key=row.value_key,
            number=row.value_num,
            cents=row.value_cents,
            date=row.value_date,
            option_id=row.option_id,
        )
        for row in query
    }


def get_note(note_id: int, settings: Settings | None = None) -> NoteDetail:
    """One whole note, with the text of every value."""
    settings = settings or load_settings()
    row = _load_row(note_id)
    customer = Customer.get_by_id(row.customer_id)
    names: dict[int, str] = dict(
        tuple_rows(
            User.select(User.id, User.name).where(
                User.id.in_([row.author_id, row.assignee_id or row.author_id])
            )
        )
    )
    values = {
        vid: NoteValueInfo(vid, value.display(settings), value.option_id)
        for vid, value in _values_of(note_id).items()
    }
    return NoteDetail(
        id=row.id,
        customer_id=row.customer_id,
        customer=customer.name,
        action_id=row.action_id,
        status_id=row.status_id,
        assignee_id=row.assignee_id,
        assignee=names.get(row.assignee_id, "") if row.assignee_id else "",
        author_id=row.author_id,
        author=names.get(row.author_id, ""),
        body=row.body,
        follow_up=row.follow_up,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        values=values,
    )


def update_note(
    actor: UserInfo,
    note_id: int,
    data: NoteInput,
    *,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> int:
    """Check and save changes to a note; returns its new version.

    With ``expected_version``, refuses (``ConflictError``) a note changed since it was read.
    """
    require_signed_in(actor)
    with database_proxy.atomic():
        resolver = Resolver.load()
        prepared = prepare_note(data, resolver, today=today)
        lock_note_writes()
        row = _load_row(note_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                _("note #{id} was changed by someone else since you opened it").format(id=note_id),
                current_version=row.version,
            )
        settings = resolver.settings
        old_customer = Customer.get_by_id(row.customer_id)
        (customer_id,) = get_or_create_customers([prepared.customer]).values()
        new_customer = Customer.get_by_id(customer_id)
        changes: list[tuple[str, object, object]] = [
            ("customer", old_customer.name, new_customer.name),
            (
                "action",
                _badge_name(settings.action(row.action_id)),
                _badge_name(settings.action(prepared.action_id)),
            ),
            (
                "status",
                _badge_name(settings.status(row.status_id)),
                _badge_name(settings.status(prepared.status_id)),
            ),
            ("assignee", _user_name(row.assignee_id), _user_name(prepared.assignee_id)),
            ("follow_up", row.follow_up, prepared.follow_up),
            ("body", row.body, prepared.body),
        ]
        old_values = _values_of(note_id)
        for variable in settings.variables:
            old = old_values.get(variable.id)
            new = prepared.values.get(variable.id)
            if variable.archived and new is None:
                if old is not None:
                    prepared.values[variable.id] = old  # editors never show archived variables
                continue
            changes.append(
                (
                    variable.name,
                    old.display(settings) if old else None,
                    new.display(settings) if new else None,
                )
            )
        changed = [c for c in changes if history.history_text(c[1]) != history.history_text(c[2])]
        if not changed:
            return row.version
        new_version = row.version + 1
        Note.update(
            customer=customer_id,
            action=prepared.action_id,
            status=prepared.status_id,
            assignee=prepared.assignee_id,
            body=prepared.body,
            follow_up=prepared.follow_up,
            updated_at=history.now(),
            version=new_version,
        ).where(Note.id == note_id).execute()
        NoteValue.delete().where(NoteValue.note == note_id).execute()
        if prepared.values:
            NoteValue.insert_many(
                [value_row(note_id, value) for value in prepared.values.values()]
            ).execute()
        search.reindex_note(
            database_proxy.obj,
            note_id,
            (row.body, old_customer.name),
            (prepared.body, new_customer.name),
        )
        customer_state.refresh_customers(
            database_proxy.obj, {row.customer_id, customer_id}, [note_id]
        )
        history.record(actor, "note", note_id, changed)
        return new_version


def _badge_name(badge: Badge | None) -> str | None:
    return badge.name if badge else None


def _user_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return User.select(User.name).where(User.id == user_id).scalar()


def delete_note(actor: UserInfo, note_id: int, expected_version: int | None = None) -> None:
    """Delete a note (its values go with it); the deletion is kept in the history."""
    require_signed_in(actor)
    with database_proxy.atomic():
        lock_note_writes()
        row = _load_row(note_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                _("note #{id} was changed by someone else since you opened it").format(id=note_id),
                current_version=row.version,
            )
        customer = Customer.get_by_id(row.customer_id)
        search.unindex_notes(database_proxy.obj, [(note_id, row.body, customer.name)])
        history.record(actor, "note", note_id, deletion_lines(row, customer.name, load_settings()))
        NoteValue.delete().where(NoteValue.note == note_id).execute()
        row.delete_instance()
        customer_state.refresh_customers(database_proxy.obj, [row.customer_id], [note_id])


def deletion_lines(
    row: Note, customer: str, settings: Settings
) -> list[tuple[str, object, object]]:
    """The history lines of a deletion: every field's value (old → blank), with the author
    and creation time (enough for an undo to recreate the note), then a summary line."""
    lines: list[tuple[str, object, object]] = [
        ("customer", customer, None),
        ("action", _badge_name(settings.action(row.action_id)), None),
        ("status", _badge_name(settings.status(row.status_id)), None),
        ("assignee", _user_name(row.assignee_id), None),
        ("follow_up", row.follow_up, None),
        ("body", row.body, None),
        ("author", _user_name(row.author_id), None),
        ("created_at", row.created_at, None),
    ]
    for variable_id, value in _values_of(row.id).items():
        variable = settings.variable(variable_id)
        if variable is not None:
            lines.append((variable.name, value.display(settings), None))
    lines.append(("deleted", None, f"{customer}: {row.body[:200]}"))
    return lines


def latest_values_for_customer(customer_name: str) -> Mapping[int, TypedValue]:
    """The variable values of the customer's latest note (copied into a new note)."""
    customer = Customer.get_or_none(Customer.name_key == fold(customer_name))
    if customer is None:
        return {}
    latest = (
        Note.select(Note.id)
        .where(Note.customer == customer.id)
        .order_by(Note.id.desc())
        .limit(1)
        .scalar()
    )
    return _values_of(latest) if latest else {}
