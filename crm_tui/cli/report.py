"""The ``report`` command: ``report pipeline [--sum VARIABLE] [--where EXPR]... [--format]``.

One row per in-sequence status, in sequence order: the status, how many customers are at
it now (each customer once, at the status of its newest note that has one) and the
exact sum of their amounts (each customer's newest value of ``--sum``), two decimals and
a dot (``12345.00``). Without ``--sum`` (or with a blank one) the column is there and
says ``0.00``. CSV as
``export notes`` writes it (spreadsheet-safe names, LF line ends); JSON a list of objects
with the same keys, ``customers`` a number and ``sum`` an exact decimal string.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from crm_tui.cli.sign_in import sign_in
from crm_tui.domain.exchange.files import spreadsheet_safe
from crm_tui.domain.settings import load_settings

if TYPE_CHECKING:
    from crm_tui.domain.cockpit.pipeline import Pipeline

PIPELINE_COLUMNS = ("status", "customers", "sum")


def pipeline_rows(pipeline: Pipeline) -> list[tuple[str, int, str]]:
    """``(status, customers, sum)`` of each stage, the sum as ``1234.50``."""
    return [(stage.status.name, stage.customers, f"{stage.total:.2f}") for stage in pipeline.stages]


def write_pipeline(stream: TextIO, rows: Sequence[tuple[str, int, str]], format: str) -> None:
    """Write the report's rows as CSV or JSON."""
    if format == "json":
        items = [dict(zip(PIPELINE_COLUMNS, row, strict=True)) for row in rows]
        body = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in items)
        stream.write(f"[\n  {body}\n]\n" if items else "[]\n")
        return
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(PIPELINE_COLUMNS)
    for status, customers, total in rows:
        writer.writerow((spreadsheet_safe(status), customers, total))


def run_report(args: argparse.Namespace) -> int:
    """``report pipeline``: read and check everything, then write the whole report."""
    from crm_tui.domain.cockpit.pipeline import PipelineFilter, load_pipeline, sum_variable
    from crm_tui.domain.exchange.export import build_query

    sign_in(args)
    settings = load_settings()
    today = dt.date.today()
    sum_id = sum_variable(args.sum, settings) if (args.sum or "").strip() else None
    conditions = build_query(settings, where=args.where, today=today).conditions
    flt = PipelineFilter(sum_variable_id=sum_id, conditions=conditions)
    rows = pipeline_rows(load_pipeline(flt, settings))
    write_pipeline(sys.stdout, rows, args.format)
    sys.stdout.flush()
    return 0
