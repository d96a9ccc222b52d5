"""The values of a page's notes as the list shows them: each stored value in its text form.

Values repeat (a status-like dropdown, a currency): each ``NoteValueInfo`` made is kept
and reused, per settings snapshot, across lists and pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from crm_tui.db.notes_query.decode import StoredValue, to_date, to_float
from crm_tui.domain.values import format_currency, format_date, format_number
from crm_tui.records import NoteValueInfo, Settings, VariableInfo

MEMO_SIZE = 20_000
_Format = Callable[[Any], NoteValueInfo]
"""Makes the ``NoteValueInfo`` of one stored value (as the engine returned it)."""


def _formatter(variable: VariableInfo) -> _Format:
    """Makes the ``NoteValueInfo`` of one stored value of ``variable`` (its text form)."""
    vid = variable.id
    options = {o.id: NoteValueInfo(vid, o.name, o.id) for o in variable.options}

    def dropdown(option: int) -> NoteValueInfo:
        return options.get(option) or NoteValueInfo(vid, "", option)

    def currency(cents: int) -> NoteValueInfo:
        return NoteValueInfo(vid, format_currency(cents))

    def number(value: float | str | None) -> NoteValueInfo:
        return NoteValueInfo(vid, format_number(to_float(value)))

    def date(day: object) -> NoteValueInfo:
        return NoteValueInfo(vid, day if type(day) is str else format_date(to_date(day)))

    def text(value: str | None) -> NoteValueInfo:
        return NoteValueInfo(vid, value or "")

    kinds: dict[str, _Format] = {
        "dropdown": dropdown,
        "currency": currency,
        "number": number,
        "date": date,
    }
    return kinds.get(variable.type, text)


class ValueFormats:
    """Formats the stored values of a page's notes, as the settings snapshot shows them."""

    def __init__(self, settings: Settings) -> None:
        self.formats = {variable.id: _formatter(variable) for variable in settings.variables}
        self.blank = {vid: NoteValueInfo(vid, "", None) for vid in self.formats}
        self.made: dict[tuple[int, Any], NoteValueInfo] = {}  # reused (frozen) infos

    @classmethod
    def shared(cls, settings: Settings) -> ValueFormats:
        """The formats of this settings snapshot, kept across lists: its memo of made
        values then serves every list and page instead of starting empty each time."""
        key = id(settings)
        entry = _SHARED.get(key)
        if entry is None or entry[0] is not settings:
            if len(_SHARED) >= 4:
                _SHARED.clear()
            entry = (settings, cls(settings))
            _SHARED[key] = entry
        return entry[1]

    def __call__(
        self, note_ids: list[int], stored: Iterable[StoredValue]
    ) -> dict[int, dict[int, NoteValueInfo]]:
        """Every variable's value on each note (blank: empty text), by note id."""
        found = {note_id: dict(self.blank) for note_id in note_ids}
        formats, made = self.formats, self.made
        for note_id, vid, value in stored:
            key = (vid, value)
            info = made.get(key)
            if info is None:
                make = formats.get(vid)
                if make is None:
                    continue  # a variable created after the settings snapshot
                info = make(value)
                if len(made) >= MEMO_SIZE:
                    made.clear()
                made[key] = info
            found[note_id][vid] = info
        return found


# Formats by settings snapshot (held, so that its id is not reused).
_SHARED: dict[int, tuple[Settings, ValueFormats]] = {}
