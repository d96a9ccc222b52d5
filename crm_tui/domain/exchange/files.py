"""Reading CSV files with line numbers, and writing output files all at once."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from crm_tui.domain.exchange import ExchangeError
from crm_tui.i18n import _

# Note bodies can be long: allow fields up to 64 MiB (the csv default is 128 KiB).
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))


def display_name(path: str | Path) -> str:
    """How messages name a file: as the user typed it."""
    return str(path)


def read_error(path: str | Path, error: OSError) -> ExchangeError:
    """The one-line message for a file that cannot be opened or read."""
    reason = error.strerror or str(error)
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
                    file=name, line=start, problem=error
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
                file=display_name(path), reason=error.strerror or error
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
                file=display_name(path), reason=error.strerror or error
            )
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
