"""Reading CSV files with line numbers, and writing output files all at once."""

from __future__ import annotations

import csv
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from crm_tui.domain.exchange import ExchangeError
from crm_tui.i18n import _, os_error_reason

# Note bodies can be long: allow fields up to 64 MiB (the csv default is 128 KiB).
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))


# A spreadsheet runs a cell that starts with one of these as a formula (tab and CR too:
# some strip them first). ``'`` in front makes it text; a ``'`` already there is kept.
_FORMULA_STARTS = "=+-@\t\r"
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")
_UNESCAPE = re.compile(r"'+[=+\-@\t\r]")
_MAY_NEED = frozenset(_FORMULA_STARTS + "'")


def spreadsheet_safe(cell: str) -> str:
    """A free-text cell as a CSV export writes it: one more ``'`` before a formula start.

    ``=1+1`` becomes ``'=1+1`` and ``'=1+1`` becomes ``''=1+1``; ``formula_unescaped``
    undoes it, so export then import gives back the same text.
    """
    if cell and cell[0] in _MAY_NEED and _ESCAPED.match(cell):
        return "'" + cell
    return cell


def formula_unescaped(cell: str) -> str:
    """A CSV cell as an import reads it: one ``'`` less before ``'*`` and a formula start."""
    if cell and cell[0] == "'" and _UNESCAPE.match(cell):
        return cell[1:]
    return cell


def display_name(path: str | Path) -> str:
    """How messages name a file: as the user typed it."""
    return str(path)


def read_error(path: str | Path, error: OSError) -> ExchangeError:
    """The one-line message for a file that cannot be opened or read."""
    reason = os_error_reason(error)
    return ExchangeError(
        _("cannot read {file}: {reason}").format(file=display_name(path), reason=reason)
    )


def _first_undecodable_line(path: str | Path) -> int:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def csv_records(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for each non-blank record, the header first.

    UTF-8 with or without a byte-order mark; quoted fields may hold commas, quotes and
    newlines. The line number is the file line where the record starts.
    """
    name = display_name(path)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as error:
        raise read_error(path, error) from None
    with handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        try:
            for fields in reader:
                if fields and (fields[0].strip() or any(field.strip() for field in fields)):
                    yield start, fields
                start = reader.line_num + 1
        except csv.Error as error:
            raise ExchangeError(
                _("{file} line {line}: not valid CSV: {problem}").format(
                    file=name, line=start, problem=_csv_problem(error)
                )
            ) from None
        except UnicodeDecodeError:
            raise ExchangeError(
                _("{file} line {line}: not UTF-8 text (save the file as UTF-8)").format(
                    file=name, line=_first_undecodable_line(path)
                )
            ) from None
        except OSError as error:
            raise read_error(path, error) from None


def _csv_problem(error: csv.Error) -> str:
    """The csv module's complaint in the user's words."""
    text = str(error)
    if text == "unexpected end of data":
        return _('a quoted cell is never closed (a " is missing)')
    if text.endswith("expected after '\"'"):
        return _('a quoted cell goes on after its closing " (write "" for a quote inside it)')
    return text


def csv_problem(path: str | Path, line: int, column: str | None, problem: str) -> ExchangeError:
    """A refusal naming the file, the line and (when known) the column."""
    if column is None:
        return ExchangeError(
            _("{file} line {line}: {problem}").format(
                file=display_name(path), line=line, problem=problem
            )
        )
    return ExchangeError(
        _('{file} line {line}, column "{column}": {problem}').format(
            file=display_name(path), line=line, column=column, problem=problem
        )
    )


@contextmanager
def output_file(path: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at ``path`` only once completely written."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        handle = open(temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as error:
        raise ExchangeError(
            _("cannot write {file}: {reason}").format(
                file=display_name(path), reason=os_error_reason(error)
            )
        ) from None
    try:
        with handle:
            yield handle
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExchangeError(
            _("cannot write {file}: {reason}").format(
                file=display_name(path), reason=os_error_reason(error)
            )
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
