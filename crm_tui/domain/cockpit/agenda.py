"""The agenda and My day: a user's open follow-ups, and logging the outcome of one.

A note is *open* when it has a follow-up and its status is not a done one (no status is
not done). The agenda lists a user's open notes due by a day, earliest first, ties newest
first; My day cuts the same notes into sections (overdue, today, each of the next days),
customers callable now first in each. Logging an outcome writes a new note for the same
customer and marks the handled note's follow-up done (cleared), as one undo step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm_tui.db.models import Customer, Note, database_proxy
from crm_tui.domain import history
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.note_input import NoteInput, Resolver, prepare_note
from crm_tui.domain.notes import get_note, insert_prepared, lock_note_writes
from crm_tui.domain.permissions import require_admin, require_signed_in
from crm_tui.domain.query import NotePager
from crm_tui.domain.settings import load_settings
from crm_tui.domain.users import get_user
from crm_tui.i18n import _
from crm_tui.note_query import CALLABLE, Condition, NoteQuery, SortKey
from crm_tui.records import NoteDetail, NoteRow, Settings, UserInfo

OVERDUE_SECTION, TODAY_SECTION, DAY_SECTION = "overdue", "today", "day"
SECTION_ROWS = 200
"""Rows read per My day section, at most (its count says how many there are)."""
MAX_DAYS = 3660
"""The furthest ahead an agenda looks, in days (ten years)."""


def done_status_ids(settings: Settings) -> tuple[int, ...]:
    """The statuses marked done: their notes need no follow-up."""
    return tuple(status.id for status in settings.statuses if status.done)


def open_conditions(
    settings: Settings,
    user_id: int,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> tuple[Condition, ...]:
    """Notes assigned to ``user_id``, not in a done status, with a follow-up from ``first``
    to ``last`` (each inclusive; ``None``: unbounded on that side, a follow-up all the same).
    """
    conditions = [Condition("assignee", "=", user_id)]
    if first is not None and first == last:
        conditions.append(Condition("follow_up", "=", first))
    else:
        if first is not None:
            conditions.append(Condition("follow_up", ">=", first))
        if last is not None:
            conditions.append(Condition("follow_up", "<=", last))
        if first is None and last is None:
            conditions.append(Condition("follow_up", "!=", None))
    conditions.extend(
        Condition("status", "!=", status_id) for status_id in done_status_ids(settings)
    )
    return tuple(conditions)


AGENDA_SORT = (SortKey("follow_up"),)
"""Follow-up ascending; ties newest first (every list's last key)."""


def _checked_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        raise ValidationError(
            _("days"),
            _("{days!r} is not a number of days from 0 to {most}").format(days=days, most=MAX_DAYS),
        )
    return days


def _whose(actor: UserInfo, for_user: UserInfo | None) -> UserInfo:
    """The user whose notes ``actor`` asks for: themselves, or (admins) anyone."""
    require_signed_in(actor)
    if for_user is None or for_user.id == actor.id:
        return actor
    require_admin(actor, _("look at someone else's agenda"))
    return for_user


def agenda_query(settings: Settings, user_id: int, last: dt.date) -> NoteQuery:
    """The agenda of ``user_id`` up to ``last`` (inclusive), in agenda order."""
    return NoteQuery(sort=AGENDA_SORT, conditions=open_conditions(settings, user_id, last=last))


def agenda_pager(
    actor: UserInfo, for_user: UserInfo | None, days: int, today: dt.date
) -> NotePager:
    """The notes assigned to ``for_user`` (default ``actor``; someone else: admins only),
    not in a done status, with a follow-up on or before ``today`` + ``days``; follow-up
    ascending, ties newest first."""
    user = _whose(actor, for_user)
    last = today + dt.timedelta(days=_checked_days(days))
    settings = load_settings()
    return NotePager(agenda_query(settings, user.id, last), settings, today)


@dataclass(frozen=True, slots=True)
class DaySection:
    """One section of My day: overdue, today, or one of the next days (``day``).

    ``rows``: callable customers first, then follow-up ascending, newest first; at most
    ``SECTION_ROWS`` of them. ``total``: how many notes the section has in all (``None``:
    as many as ``rows``).
    """

    kind: str
    day: dt.date | None
    rows: tuple[NoteRow, ...]
    total: int | None = None

    @property
    def count(self) -> int:
        """How many notes the section has (its header's count)."""
        return len(self.rows) if self.total is None else self.total


@dataclass(frozen=True, slots=True)
class MyDay:
    """A user's open follow-ups, section by section."""

    user: UserInfo
    sections: tuple[DaySection, ...]


def section_pagers(
    settings: Settings,
    user_id: int,
    first: dt.date | None,
    last: dt.date,
    today: dt.date,
    now_utc: dt.datetime,
) -> tuple[NotePager, NotePager]:
    """A section's notes whose customer is callable at ``now_utc``, then the others, each
    in agenda order (one index walk each)."""
    base = open_conditions(settings, user_id, first=first, last=last)
    pagers = (
        NotePager(
            NoteQuery(sort=AGENDA_SORT, conditions=(*base, Condition(CALLABLE, "=", callable_now))),
            settings,
            today,
            now_utc=now_utc,
        )
        for callable_now in (True, False)
    )
    return next(pagers), next(pagers)


def _section(
    settings: Settings,
    user_id: int,
    bounds: tuple[dt.date | None, dt.date],
    today: dt.date,
    now_utc: dt.datetime,
    limit: int,
) -> tuple[tuple[NoteRow, ...], int]:
    """Up to ``limit`` rows of a section, callable customers first, and its count."""
    first, last = bounds
    callable_now, others = section_pagers(settings, user_id, first, last, today, now_utc)
    found = callable_now.page(limit=limit).rows
    room = limit - len(found)
    rest = others.page(limit=room).rows if room else []
    if room and len(rest) < room:
        return (*found, *rest), len(found) + len(rest)
    every = NoteQuery(conditions=open_conditions(settings, user_id, first=first, last=last))
    return (*found, *rest), NotePager(every, settings, today, now_utc=now_utc).count()


def load_my_day(
    actor: UserInfo,
    for_user_id: int | None,
    days: int,
    today: dt.date,
    now_utc: dt.datetime,
    *,
    limit: int = SECTION_ROWS,
) -> MyDay:
    """The open follow-ups of ``for_user_id`` (default ``actor``; someone else: admins
    only): overdue, today, then one section per day for the next ``days`` days (empty ones
    kept, so headers show 0). In each: customers callable at ``now_utc`` first, then
    follow-up ascending, newest first; at most ``limit`` rows, with the section's count.
    Reads a few index walks per section: run it off the UI thread.
    """
    for_user = get_user(for_user_id) if for_user_id is not None else None
    user = _whose(actor, for_user)
    _checked_days(days)
    settings = load_settings()
    kinds: list[tuple[str, dt.date | None, tuple[dt.date | None, dt.date]]] = [
        (OVERDUE_SECTION, None, (None, today - dt.timedelta(days=1))),
        (TODAY_SECTION, today, (today, today)),
    ]
    for ahead in range(1, days + 1):
        later = today + dt.timedelta(days=ahead)
        kinds.append((DAY_SECTION, later, (later, later)))
    sections = []
    for kind, day, bounds in kinds:
        rows, total = _section(settings, user.id, bounds, today, now_utc, limit)
        sections.append(DaySection(kind, day, rows, total))
    return MyDay(user, tuple(sections))


@dataclass(frozen=True, slots=True)
class OutcomePrefill:
    """What the outcome form of a handled note starts with."""

    customer: str
    action_id: int | None
    status_id: int | None
    assignee_id: int | None
    follow_up: dt.date | None


def _note_row(note_id: int) -> Note:
    row = Note.get_or_none(Note.id == note_id)
    if row is None:
        raise NotFound(_("note #{id} does not exist (deleted?)").format(id=note_id))
    return row


def outcome_prefill(note_id: int, today: dt.date) -> OutcomePrefill:
    """The handled note's customer, action, status and assignee; the follow-up ``today``
    plus the action's default delay (``None`` when the action has none)."""
    note = _note_row(note_id)
    settings = load_settings()
    action = settings.action(note.action_id) if note.action_id is not None else None
    delay = action.follow_up_days if action is not None else None
    customer = Customer.select(Customer.name).where(Customer.id == note.customer_id).scalar()
    return OutcomePrefill(
        customer=customer or "",
        action_id=note.action_id,
        status_id=note.status_id,
        assignee_id=note.assignee_id,
        follow_up=today + dt.timedelta(days=delay) if delay is not None else None,
    )


def save_outcome(
    actor: UserInfo, handled_note_id: int, data: NoteInput, today: dt.date
) -> NoteDetail:
    """Save the outcome of a handled note: a new note from ``data`` and the handled note's
    follow-up cleared, in one transaction and one undo step (the history shows both;
    undo deletes the new note and gives the follow-up back). Returns the new note."""
    require_signed_in(actor)
    with database_proxy.atomic():
        resolver = Resolver.load()
        prepared = prepare_note(data, resolver, today=today)
        lock_note_writes()
        handled = _note_row(handled_note_id)
        batch = history.new_batch()
        now = history.now()
        (note_id,) = insert_prepared([(prepared, now)], actor.id)
        history.record(actor, "note", note_id, [("created", None, prepared.customer)], batch)
        if handled.follow_up is not None:
            Note.update(follow_up=None, updated_at=now, version=Note.version + 1).where(
                Note.id == handled.id
            ).execute()
            history.record(
                actor, "note", handled.id, [("follow_up", handled.follow_up, None)], batch
            )
        return get_note(note_id, resolver.settings)
