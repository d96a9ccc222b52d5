"""The columns of a notes CSV: the built-in ones, then one per variable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.files import display_name
from crm_tui.domain.settings import column_key
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.note_query import BUILTIN_COLUMNS, COLUMN_ALIASES
from crm_tui.records import Settings, VariableInfo

CSV_COLUMNS = (*BUILTIN_COLUMNS, "body")
"""The built-in columns of a notes CSV: the query's built-in columns, then the note's text."""
HEADER_KEYS = {**COLUMN_ALIASES, "body": "body", "text": "body"}
"""Header spellings accepted for the built-in columns, by ``column_key``."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a CSV file: its position, its header as written, what it holds."""

    index: int
    header: str
    builtin: str | None = None
    variable: VariableInfo | None = None


def export_header(settings: Settings) -> list[str]:
    """The header an export writes: built-in columns, then every variable in order."""
    return [*CSV_COLUMNS, *(variable.name for variable in settings.variables)]


def _variable_for(header: str, settings: Settings) -> VariableInfo | None:
    wanted = fold(header)
    for variable in settings.variables:
        if fold(variable.name) == wanted:
            return variable
    loose = [v for v in settings.variables if column_key(v.name) == column_key(header)]
    return loose[0] if len(loose) == 1 else None


def match_notes_header(path: str | Path, header: Sequence[str], settings: Settings) -> list[Column]:
    """Name each column of a notes CSV header; refuse unknown, repeated or missing ones."""
    name = display_name(path)
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        text = raw.strip()
        if not text:
            raise ExchangeError(
                _("{file} line 1: column {number} has no name").format(file=name, number=index + 1)
            )
        builtin = HEADER_KEYS.get(column_key(text))
        variable = None if builtin else _variable_for(text, settings)
        if builtin is not None:
            identity = builtin
        elif variable is not None:
            identity = f"variable:{variable.id}"
        else:
            known = ", ".join([*CSV_COLUMNS, *(v.name for v in settings.variables)])
            raise ExchangeError(
                _('{file} line 1: unknown column "{column}" (known columns: {known})').format(
                    file=name, column=text, known=known
                )
            )
        if identity in seen:
            raise ExchangeError(
                _('{file} line 1: column "{column}" appears twice (also as "{other}")').format(
                    file=name, column=text, other=seen[identity]
                )
            )
        seen[identity] = text
        columns.append(Column(index=index, header=text, builtin=builtin, variable=variable))
    if "customer" not in seen:
        raise ExchangeError(_('{file} line 1: the "customer" column is missing').format(file=name))
    return columns
