"""Import customers from CSV: ``name, email, phone``; an existing name is updated.

Names match ignoring case and accents. Only the columns the file has are changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crm_tui.db.models import Customer, database_proxy
from crm_tui.db.rows import dict_rows
from crm_tui.domain.customers import (
    clean_contact,
    clean_customer_name,
    create_customer,
    update_customer,
)
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.exchange import ExchangeError
from crm_tui.domain.exchange.files import (
    csv_problem,
    csv_records,
    display_name,
    formula_unescaped,
)
from crm_tui.domain.notes import lock_note_writes
from crm_tui.domain.progress import NullProgress, Progress
from crm_tui.domain.settings import column_key
from crm_tui.domain.text import fold
from crm_tui.i18n import _
from crm_tui.records import UserInfo

CUSTOMER_COLUMNS = ("name", "email", "phone")
_ALIASES = {"name": "name", "customer": "name", "email": "email", "phone": "phone"}


@dataclass(frozen=True, slots=True)
class CustomerLine:
    """One checked line: ``None`` for a column the file does not have."""

    line: int
    name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class CustomersImported:
    """What an import wrote."""

    created: int
    updated: int
    unchanged: int


def _columns(path: str | Path, header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = _ALIASES.get(column_key(raw))
        if name is None:
            raise ExchangeError(
                _('{file} line 1: unknown column "{column}" (known columns: {known})').format(
                    file=display_name(path), column=raw.strip(), known=", ".join(CUSTOMER_COLUMNS)
                )
            )
        if name in found:
            raise ExchangeError(
                _('{file} line 1: column "{column}" appears twice').format(
                    file=display_name(path), column=raw.strip()
                )
            )
        found[name] = index
    if "name" not in found:
        raise ExchangeError(
            _('{file} line 1: the "name" column is missing').format(file=display_name(path))
        )
    return found


def read_customers_csv(path: str | Path) -> list[CustomerLine]:
    """Read and check a customers CSV; writes nothing."""
    return _read_customers(path)[0]


def _read_customers(path: str | Path) -> tuple[list[CustomerLine], dict[str, str]]:
    """The checked lines, and the file's header of each column (``"name"``: ``"Customer"``)."""
    records = csv_records(path)
    first = next(records, None)
    if first is None:
        raise ExchangeError(
            _("{file} is empty: its first line must name the columns").format(
                file=display_name(path)
            )
        )
    header = [formula_unescaped(name) for name in first[1]]
    columns = _columns(path, header)
    lines: list[CustomerLine] = []
    seen: dict[str, int] = {}
    for line, fields in records:
        if len(fields) != len(header):
            raise csv_problem(
                path,
                line,
                None,
                _("{count} fields, but the header names {width} columns").format(
                    count=len(fields), width=len(header)
                ),
            )
        fields = [formula_unescaped(field) for field in fields]
        name_header = header[columns["name"]].strip()
        try:
            name = clean_customer_name(fields[columns["name"]])
        except ValidationError as error:
            raise csv_problem(path, line, name_header, error.problem) from None
        key = fold(name)
        if key in seen:
            raise csv_problem(
                path,
                line,
                name_header,
                _("{name!r} is also on line {other}").format(name=name, other=seen[key]),
            )
        seen[key] = line
        email, phone = (
            _contact(path, line, header[columns[column]], fields[columns[column]], label)
            if column in columns
            else None
            for column, label in (("email", _("e-mail")), ("phone", _("phone")))
        )
        lines.append(CustomerLine(line=line, name=name, email=email, phone=phone))
    return lines, {column: header[index].strip() for column, index in columns.items()}


def _column(headers: dict[str, str], field: str) -> str:
    """The file's header of the column a domain refusal names (else the field's name)."""
    return headers.get(_ALIASES.get(column_key(field)) or "", field)


def _contact(path: str | Path, line: int, header: str, raw: str, label: str) -> str:
    """A checked e-mail address or phone number; a refusal names the line and column."""
    try:
        return clean_contact(raw, label)
    except ValidationError as error:
        raise csv_problem(path, line, header.strip(), error.problem) from None


def _existing(keys: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), 500):
        query = Customer.select(
            Customer.id, Customer.name_key, Customer.name, Customer.email, Customer.phone
        ).where(Customer.name_key.in_(keys[start : start + 500]))
        found.update((row["name_key"], row) for row in dict_rows(query))
    return found


def import_customers_csv(
    actor: UserInfo, path: str | Path, progress: Progress | None = None
) -> CustomersImported:
    """Create the customers of a CSV and update the ones that exist, in one transaction."""
    progress = progress or NullProgress()
    lines, headers = _read_customers(path)
    created = updated = 0
    with database_proxy.atomic():
        progress.start(_("Saving customers"), len(lines))
        lock_note_writes()  # another import's new customers are seen, then updated
        existing = _existing([fold(item.name) for item in lines])
        for item in lines:
            row = existing.get(fold(item.name))
            try:
                if row is None:
                    create_customer(actor, item.name, item.email or "", item.phone or "")
                    created += 1
                else:
                    changes = {
                        key: value
                        for key, value in (
                            ("name", item.name),
                            ("email", item.email),
                            ("phone", item.phone),
                        )
                        if value is not None and value != row[key]
                    }
                    if changes:
                        update_customer(actor, row["id"], **changes)
                        updated += 1
            except ValidationError as error:  # the whole import is rolled back
                column = _column(headers, error.field)
                raise csv_problem(path, item.line, column, error.problem) from None
            progress.advance()
    return CustomersImported(
        created=created, updated=updated, unchanged=len(lines) - created - updated
    )
