"""What a user typed (or a CSV line) turned into a checked note, without the database.

``NoteInput`` holds names or abbreviations and raw strings; a ``Resolver`` (settings and
users loaded once) finds them; ``prepare_note`` checks every field and value and returns a
``PreparedNote`` that ``crm_tui.domain.notes`` saves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crm_tui.db.models import User
from crm_tui.domain.customers import clean_customer_name
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.settings import load_settings
from crm_tui.domain.text import check_multiline, check_text_value, fold
from crm_tui.domain.values import (
    format_currency,
    format_date,
    format_number,
    parse_currency,
    parse_date,
    parse_number,
)
from crm_tui.i18n import _
from crm_tui.records import Badge, Settings, UserInfo, VariableInfo


@dataclass(slots=True)
class NoteInput:
    """A note as typed: names or abbreviations, and raw strings for every value."""

    customer: str
    action: str = ""
    status: str = ""
    assignee: str = ""
    follow_up: str = ""
    body: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TypedValue:
    """A checked value of one variable, in the column of its type."""

    variable_id: int
    text: str | None = None
    key: str | None = None
    number: float | None = None
    cents: int | None = None
    date: dt.date | None = None
    option_id: int | None = None

    def display(self, settings: Settings) -> str:
        """The value as the user reads it."""
        if self.option_id is not None:
            option = settings.option(self.option_id)
            return option.name if option else ""
        if self.cents is not None:
            return format_currency(self.cents)
        if self.number is not None:
            return format_number(self.number)
        if self.date is not None:
            return format_date(self.date)
        return self.text or ""


@dataclass(slots=True)
class PreparedNote:
    """A checked note, ready to save."""

    customer: str
    action_id: int | None
    status_id: int | None
    assignee_id: int | None
    follow_up: dt.date | None
    body: str
    values: dict[int, TypedValue]


class Resolver:
    """Looks up statuses, actions, options and users by name or abbreviation."""

    def __init__(self, settings: Settings, users: Sequence[UserInfo]) -> None:
        self.settings = settings
        self._statuses = _badge_lookup(settings.statuses)
        self._actions = _badge_lookup(settings.actions)
        self._options = {v.id: _badge_lookup(v.options) for v in settings.variables}
        self._users = {fold(user.name): user for user in users}
        self._variables = {fold(v.name): v for v in settings.variables}

    @classmethod
    def load(cls) -> Resolver:
        """A resolver over the database's current settings and users."""
        users = [
            UserInfo(id=row.id, name=row.name, role=row.role, active=bool(row.active))
            for row in User.select(User.id, User.name, User.role, User.active)
        ]
        return cls(load_settings(), users)

    def variable(self, name: str) -> VariableInfo | None:
        """The variable with this name, archived ones included."""
        return self._variables.get(fold(name))

    def status(self, text: str) -> int | None:
        """The id of the status named (or abbreviated) ``text``; blank gives ``None``."""
        return _resolve(self._statuses, text, _("status"))

    def action(self, text: str) -> int | None:
        """The id of the action named (or abbreviated) ``text``; blank gives ``None``."""
        return _resolve(self._actions, text, _("action"))

    def user(self, text: str, field_name: str) -> int | None:
        """The id of the user named ``text``; blank gives ``None``."""
        if not text.strip():
            return None
        user = self._users.get(fold(text))
        if user is None:
            raise ValidationError(field_name, _("no user named {name!r}").format(name=text.strip()))
        return user.id

    def value(
        self, variable: VariableInfo, raw: str, today: dt.date | None = None
    ) -> TypedValue | None:
        """Check ``raw`` against the variable's type; blank gives ``None``.

        With ``today`` given, dates also take ``today``, ``tomorrow``, ``+3d``, ``+2w``.
        """
        text = (raw or "").strip()
        if not text:
            return None
        label = variable.name
        match variable.type:
            case "text":
                text = check_text_value(text, label)
                return TypedValue(variable.id, text=text, key=fold(text))
            case "number":
                return TypedValue(variable.id, number=parse_number(text, label))
            case "currency":
                return TypedValue(variable.id, cents=parse_currency(text, label))
            case "date":
                return TypedValue(variable.id, date=parse_date(text, label, today=today))
            case _:
                option_id = _resolve(self._options[variable.id], text, label)
                return TypedValue(variable.id, option_id=option_id)


def _badge_lookup(badges: Iterable[Badge]) -> tuple[dict[str, Badge], dict[str, Badge]]:
    by_name: dict[str, Badge] = {}
    by_abbreviation: dict[str, Badge] = {}
    for badge in badges:
        by_name.setdefault(fold(badge.name), badge)
        by_abbreviation.setdefault(fold(badge.abbreviation), badge)
    return by_name, by_abbreviation


def _resolve(lookup: tuple[dict[str, Badge], dict[str, Badge]], text: str, label: str):
    key = fold(text or "")
    if not key:
        return None
    by_name, by_abbreviation = lookup
    badge = by_name.get(key) or by_abbreviation.get(key)
    if badge is None:
        choices = ", ".join(sorted(b.name for b in by_name.values() if not b.archived))
        raise ValidationError(
            label,
            _("{value!r} is not one of: {choices}").format(value=text.strip(), choices=choices),
        )
    return badge.id


def prepare_note(data: NoteInput, resolver: Resolver, today: dt.date | None = None) -> PreparedNote:
    """Check a typed note against the settings; raise ``ValidationError`` on the first bad field.

    With ``today`` given, the follow-up also takes ``today``, ``tomorrow``, ``+3d``, ``+2w``.
    """
    customer = clean_customer_name(data.customer)
    body = check_multiline(data.body, _("text"))
    values: dict[int, TypedValue] = {}
    for name, raw in data.values.items():
        variable = resolver.variable(name)
        if variable is None:
            raise ValidationError(name, _("no variable with this name"))
        typed = resolver.value(variable, raw, today=today)
        if typed is not None:
            values[variable.id] = typed
    return PreparedNote(
        customer=customer,
        action_id=resolver.action(data.action),
        status_id=resolver.status(data.status),
        assignee_id=resolver.user(data.assignee, _("assignee")),
        follow_up=parse_date(data.follow_up, _("follow-up"), today=today),
        body=body,
        values=values,
    )
