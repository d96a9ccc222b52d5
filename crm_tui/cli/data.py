"""The data commands: ``demo``, ``settings export|import``, ``import``, ``export``."""

from __future__ import annotations

import argparse
import sys
import time

from crm_tui.cli.output import progress_bar, say
from crm_tui.cli.sign_in import sign_in
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.settings import load_settings
from crm_tui.i18n import _, format_fixed, ngettext


def run_demo(args: argparse.Namespace) -> int:
    from crm_tui.domain.demo import build_demo

    actor = sign_in(args)
    started = time.perf_counter()
    with progress_bar() as progress:
        made = build_demo(
            actor, notes=args.notes, seed=args.seed, force=args.force, progress=progress
        )
    counts = ", ".join(
        [
            ngettext("{n} user", "{n} users", made.users).format(n=made.users),
            ngettext("{n} customer", "{n} customers", made.customers).format(n=made.customers),
            ngettext("{n} note", "{n} notes", made.notes).format(n=made.notes),
        ]
    )
    seconds = time.perf_counter() - started
    say(
        _("Demo data: {counts} ({seconds} s).").format(
            counts=counts, seconds=format_fixed(seconds, 1)
        )
    )
    return 0


def run_settings(args: argparse.Namespace) -> int:
    from crm_tui.domain.exchange.files import output_file
    from crm_tui.domain.exchange.settings_json import import_settings_json, write_settings_json

    if args.action == "export":
        require_admin(sign_in(args), _("export settings"))  # as in the app: Settings is theirs
        settings = load_settings()
        if args.file == "-":
            write_settings_json(settings, sys.stdout)
            return 0
        with output_file(args.file) as stream:
            write_settings_json(settings, stream)
        say(
            _(
                "Exported {statuses} statuses, {actions} actions, {variables} variables to {file}."
            ).format(
                statuses=len(settings.statuses),
                actions=len(settings.actions),
                variables=len(settings.variables),
                file=args.file,
            )
        )
        return 0
    # A new database takes the file's settings in place of the starter set.
    actor = sign_in(args, starter=False)
    counts = import_settings_json(actor, args.file)
    say(
        _("Imported {file}: {created} created, {updated} updated, {unchanged} unchanged.").format(
            file=args.file,
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
        )
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    actor = sign_in(args)
    if args.what == "customers":
        from crm_tui.domain.exchange.customers_csv import import_customers_csv

        with progress_bar() as progress:
            counts = import_customers_csv(actor, args.file, progress=progress)
        say(
            _(
                "Imported customers from {file}: {created} created, {updated} updated, "
                "{unchanged} unchanged."
            ).format(
                file=args.file,
                created=counts.created,
                updated=counts.updated,
                unchanged=counts.unchanged,
            )
        )
        return 0
    from crm_tui.domain.exchange.notes_csv import import_notes_csv

    started = time.perf_counter()
    with progress_bar() as progress:
        result = import_notes_csv(actor, args.file, progress=progress)
    elapsed = time.perf_counter() - started
    say(
        ngettext(
            "Imported {count} note from {file} (new customers: {new}; {seconds} s).",
            "Imported {count} notes from {file} (new customers: {new}; {seconds} s).",
            result.notes,
        ).format(
            count=result.notes,
            file=args.file,
            new=result.new_customers,
            seconds=format_fixed(elapsed, 1),
        )
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    import datetime as dt

    from crm_tui.domain.exchange.export import build_query, export_notes
    from crm_tui.domain.exchange.files import output_file

    sign_in(args)
    settings = load_settings()
    today = dt.date.today()
    query = build_query(settings, sort=args.sort, where=args.where, search=args.search, today=today)
    options = {"format": args.format, "limit": args.limit, "today": today}
    if args.output is None or args.output == "-":
        export_notes(sys.stdout, settings, query, **options)
        sys.stdout.flush()
        return 0
    with output_file(args.output) as stream:
        count = export_notes(stream, settings, query, **options)
    say(
        ngettext(
            "Exported {count} note to {file}.", "Exported {count} notes to {file}.", count
        ).format(count=count, file=args.output)
    )
    return 0
