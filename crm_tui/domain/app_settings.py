"""Settings of the whole database, not of one user: one JSON value per key.

Everyone reads them; only admins write them. Each write is a history line (entity
``setting``, the key as field, the old and new JSON as text), so the settings history
shows it and an undo puts the old value back (``crm_tui.domain.undo_settings``).
Keys: ``currency`` (an ISO 4217 code amounts are shown in; not set: the viewer's
locale's currency) and ``business_hours`` (days, start and end; not set: Monday to
Friday, 09:00 to 17:00).
"""

from __future__ import annotations

import json
from typing import Any

from crm_tui.db import locks
from crm_tui.db.models import AppSetting, database_proxy
from crm_tui.domain import history
from crm_tui.domain.cockpit.hours import business_hours_data, check_business_hours
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.permissions import require_admin
from crm_tui.i18n import _
from crm_tui.records import BusinessHours, UserInfo

SETTING = "setting"
"""The history entity of a database-wide setting (its id: always ``SETTING_ID``)."""
SETTING_ID = 0
CURRENCY = "currency"
"""Key: the ISO 4217 code amounts are shown in."""
BUSINESS_HOURS = "business_hours"
"""Key: when customers can be called, in their local time (``BusinessHours`` as JSON)."""


def stored_text(key: str) -> str | None:
    """The JSON text stored for ``key``, or ``None`` when it is not set."""
    return AppSetting.select(AppSetting.value).where(AppSetting.key == key).scalar()


def get_app_setting(key: str, default: Any = None) -> Any:
    """The value of ``key`` (decoded JSON), or ``default`` when it is not set."""
    text = stored_text(key)
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def encode(value: Any) -> str | None:
    """``value`` as stored (JSON text); ``None`` for a key not set."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_stored_text(key: str, text: str | None) -> None:
    """Store ``text`` (JSON) for ``key``, or forget the key (``None``); no check, no history."""
    if text is None:
        AppSetting.delete().where(AppSetting.key == key).execute()
        return
    AppSetting.insert(key=key, value=text).on_conflict(
        conflict_target=[AppSetting.key], update={AppSetting.value: text}
    ).execute()


def set_app_setting(
    actor: UserInfo, key: str, value: Any, *, batch: int | None = None, doing: str | None = None
) -> bool:
    """Set ``key`` to ``value`` (``None``: not set, the default applies); admins only.

    Writes a history line when the value changes; returns whether it changed.
    """
    new = encode(value)
    with database_proxy.atomic():
        require_admin(actor, doing)
        locks.lock_settings_writes(database_proxy.obj)  # as settings_badges does
        old = stored_text(key)
        if old == new:
            return False
        write_stored_text(key, new)
        history.record(actor, SETTING, SETTING_ID, [(key, old, new)], batch=batch)
    return True


# --- the currency ----------------------------------------------------------------------


def check_currency_code(text: str, field: str) -> str:
    """``text`` as an ISO 4217 code (``eur`` -> ``EUR``); refuses a code Babel does not know."""
    code = (text or "").strip().upper()
    from crm_tui.domain.locale_values import known_currencies  # Babel: lazily

    if code not in known_currencies():
        raise ValidationError(
            field,
            _("{code!r} is not a currency code (ISO 4217: EUR, USD, CAD…)").format(
                code=(text or "").strip()
            ),
        )
    return code


def currency_setting() -> str | None:
    """The currency set for the database, or ``None`` (each viewer's locale decides)."""
    value = get_app_setting(CURRENCY)
    return value if isinstance(value, str) and value else None


def set_currency_setting(actor: UserInfo, code: str | None) -> bool:
    """Show amounts in ``code`` (``None``: each viewer's locale's currency); admins only.

    Returns whether the setting changed.
    """
    checked = check_currency_code(code, _("currency")) if code else None
    return set_app_setting(actor, CURRENCY, checked, doing=_("change the currency"))


# --- business hours --------------------------------------------------------------------


def business_hours_setting() -> BusinessHours:
    """The business hours set for the database (the default when not set)."""
    value = get_app_setting(BUSINESS_HOURS)
    if value is None:
        return BusinessHours()
    try:
        return check_business_hours(value, BUSINESS_HOURS)
    except ValidationError:  # written by hand in the database: the default applies
        return BusinessHours()


def business_hours_value(hours: BusinessHours | None) -> dict[str, Any] | None:
    """What ``business_hours`` stores for ``hours``: ``None`` (not set) for the default."""
    if hours is None or hours == BusinessHours():
        return None
    return business_hours_data(hours)


def set_business_hours(
    actor: UserInfo, hours: BusinessHours | None, *, batch: int | None = None
) -> bool:
    """Set the business hours (``None`` or the default: not set); admins only.

    Returns whether the setting changed.
    """
    return set_app_setting(
        actor,
        BUSINESS_HOURS,
        business_hours_value(hours),
        batch=batch,
        doing=_("change the business hours"),
    )
