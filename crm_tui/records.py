"""Plain dataclasses the domain hands to the command line and the UI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

BADGE_KINDS = ("status", "action", "option")


@dataclass(frozen=True, slots=True)
class Badge:
    """A status, an action or a dropdown option, as drawn: name, abbreviation, colours."""

    id: int
    kind: str
    name: str
    abbreviation: str
    font_color: str
    background_color: str
    in_sequence: bool = False
    position: int = 0
    archived: bool = False
    variable_id: int | None = None
    time_zone: str | None = None
    """Options only: the IANA time zone of customers with this option (issue 14)."""
    done: bool = False
    """Statuses only: a note in this status needs no follow-up."""
    follow_up_days: int | None = None
    """Actions only: the default follow-up delay, in days (>= 0), of a note with it."""


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """When customers can be called, in their local time: these days, from ``start``
    (included) to ``end`` (excluded). Days are lowercase English three-letter names."""

    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)


@dataclass(frozen=True, slots=True)
class VariableInfo:
    """An admin-defined typed field; ``options`` in their configured order."""

    id: int
    name: str
    type: str
    position: int
    archived: bool = False
    options: tuple[Badge, ...] = ()


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A member of the team."""

    id: int
    name: str
    role: str
    active: bool = True
    has_password: bool = False

    @property
    def is_admin(self) -> bool:
        """Whether this user may change settings and users."""
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    """A customer."""

    id: int
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    """A snapshot of the three Settings tabs, each list in configured order."""

    statuses: tuple[Badge, ...] = ()
    actions: tuple[Badge, ...] = ()
    variables: tuple[VariableInfo, ...] = ()
    business_hours: BusinessHours = BusinessHours()

    def status(self, status_id: int | None) -> Badge | None:
        """The status with this id, archived ones included."""
        return _by_id(self.statuses, status_id)

    def action(self, action_id: int | None) -> Badge | None:
        """The action with this id, archived ones included."""
        return _by_id(self.actions, action_id)

    def variable(self, variable_id: int | None) -> VariableInfo | None:
        """The variable with this id, archived ones included."""
        return _by_id(self.variables, variable_id)

    def option(self, option_id: int | None) -> Badge | None:
        """The dropdown option with this id, whatever its variable."""
        if option_id is None:
            return None
        for variable in self.variables:
            for option in variable.options:
                if option.id == option_id:
                    return option
        return None

    @property
    def active_variables(self) -> tuple[VariableInfo, ...]:
        """Variables not archived, in order."""
        return tuple(v for v in self.variables if not v.archived)

    def time_zone_variable(self) -> VariableInfo | None:
        """The first dropdown variable (in settings order, archived ones skipped) whose
        options carry time zones: the one that says where a customer is."""
        for variable in self.variables:
            if variable.archived or variable.type != "dropdown":
                continue
            if any(option.time_zone for option in variable.options):
                return variable
        return None


def _by_id(items, item_id):
    if item_id is None:
        return None
    for item in items:
        if item.id == item_id:
            return item
    return None


@dataclass(frozen=True, slots=True)
class NoteValueInfo:
    """One variable's value on a note: the typed value and its text form."""

    variable_id: int
    text: str
    option_id: int | None = None


@dataclass(slots=True)
class NoteRow:
    """One line of the notes list: only what the list shows.

    Not frozen, only because a frozen dataclass is built ~14× slower (6.7 µs vs 0.5 µs)
    and the list builds one per row; treat it as read-only all the same.
    """

    id: int
    created_at: dt.datetime
    customer_id: int
    customer: str
    action_id: int | None
    status_id: int | None
    assignee_id: int | None
    assignee: str
    follow_up: dt.date | None
    summary: str
    """The first line of the text, read from its first 200 characters only."""
    values: dict[int, NoteValueInfo] = field(default_factory=dict)
    zone: str | None = None
    """The IANA time zone of the note's customer (``None``: no zone known)."""


@dataclass(frozen=True, slots=True)
class NoteDetail:
    """A whole note, as the editor and the note view need it."""

    id: int
    customer_id: int
    customer: str
    action_id: int | None
    status_id: int | None
    assignee_id: int | None
    assignee: str
    author_id: int
    author: str
    body: str
    follow_up: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    values: dict[int, NoteValueInfo] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChangeInfo:
    """One line of the change history."""

    id: int
    at: dt.datetime
    user: str
    entity: str
    entity_id: int
    field: str
    old: str | None
    new: str | None
    batch: int


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What a bulk edit did: notes changed, already right, skipped (changed by someone
    else since marked) and deleted since marked; ``batch`` is its history batch."""

    changed: int
    unchanged: int = 0
    skipped: int = 0
    missing: int = 0
    batch: int | None = None


@dataclass(frozen=True, slots=True)
class UndoResult:
    """One undo or redo step: what it said, how many notes and whether settings changed."""

    description: str
    notes: int = 0
    settings: bool = False
    batch: int | None = None
