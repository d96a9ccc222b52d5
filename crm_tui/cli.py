"""The command line: ``crm-tui [--db PATH|URL] [--user NAME] [COMMAND …]``.

Without a command it opens the terminal app. Every error prints one line on stderr
(``crm-tui: error: …``) and exits non-zero; a refused command changes nothing.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import shlex
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from importlib.util import find_spec

import peewee
from rich.cells import cell_len

from crm_tui.cli_parser import (
    ENV_NEW_PASSWORD,
    ENV_PASSWORD,
    PROG,
    UsageError,
    build_parser,
    default_user,
)
from crm_tui.db.database import (
    DatabaseOpenError,
    connect,
    resolve_target,
    storage_message,
    storage_problem,
)
from crm_tui.db.schema import take_notices
from crm_tui.domain import users
from crm_tui.domain.errors import DomainError
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.progress import NullProgress, Progress, RichProgress
from crm_tui.domain.query import NoteQuery
from crm_tui.domain.settings import ensure_starter_settings, load_settings
from crm_tui.domain.text import visible
from crm_tui.i18n import _, ngettext
from crm_tui.records import UserInfo

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A refusal of the command line itself; ``str()`` is the message."""


# --- helpers ---------------------------------------------------------------------------


def _say(message: str) -> None:
    """A line for people: stored names in it show control characters visibly (``␛``)."""
    print(visible(message, keep="\n"), file=sys.stdout, flush=True)


_LONG_WORD = 240  # a longer run without spaces (a 5,000-digit value) is cut in its middle


def _shortened(word: str) -> str:
    if len(word) <= _LONG_WORD:
        return word
    return f"{word[:60]}…{word[-20:]}"


def _error_line(message: str) -> None:
    """Print ``crm-tui: error: MESSAGE`` as one line: control characters shown, long values cut."""
    words = [_shortened(word) for word in visible(str(message), keep="\n\t").split()]
    text = " ".join(words) or _("unknown error")
    print(f"{PROG}: {_('error')}: {text}", file=sys.stderr, flush=True)


def _tell_notices() -> None:
    """What opening the database did that the user should know (on stderr: never in data)."""
    for notice in take_notices():
        print(f"{PROG}: {visible(notice)}", file=sys.stderr, flush=True)


@contextmanager
def _progress() -> Iterator[Progress]:
    """A progress bar on stderr when it is a terminal, else nothing."""
    if sys.stderr.isatty():
        with RichProgress(sys.stderr) as bar:
            yield bar
    else:
        yield NullProgress()


sleep: Callable[[float], None] = time.sleep
"""How the command line waits out the back-off after wrong passwords (tests replace it)."""

MAX_PASSWORD_WAITS = 5
"""Back-offs waited for one check at most (others' wrong passwords may prolong it)."""


def _check_password(actor: UserInfo) -> None:
    """Refuse unless the password is right, after the wait wrong ones in a row cost.

    The wrong passwords are counted in the database, so every process (the app, each
    run of the command line) waits the same back-off; the wait is said on stderr.
    """
    if not actor.has_password:
        return
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(
                _("{name} has a password: set {env}, or run the command in a terminal").format(
                    name=actor.name, env=ENV_PASSWORD
                )
            )
        password = getpass.getpass(_("Password for {name}: ").format(name=actor.name))
    for _attempt in range(MAX_PASSWORD_WAITS):
        wait = users.password_wait(actor.id)
        if wait > 0:
            print(visible(str(users.PasswordWait(actor.name, wait))), file=sys.stderr, flush=True)
            sleep(wait)
        try:
            right = users.check_password(actor.id, password)
        except users.PasswordWait:  # another process typed a wrong password meanwhile
            continue
        if not right:
            raise CommandError(_("wrong password for {name}").format(name=actor.name))
        return
    raise CommandError(
        _("too many wrong passwords for {name}: try again later").format(name=actor.name)
    )


def _new_password(name: str) -> str:
    password = os.environ.get(ENV_NEW_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(
                _("set {env} to give {name} a password, or run the command in a terminal").format(
                    env=ENV_NEW_PASSWORD, name=name
                )
            )
        password = getpass.getpass(_("New password for {name}: ").format(name=name))
        if getpass.getpass(_("Again: ")) != password:
            raise CommandError(_("the two passwords differ"))
    if not password:
        raise CommandError(_("the password is empty"))
    return password


def _sign_in(args: argparse.Namespace, *, starter: bool = True) -> UserInfo:
    """The acting user, password checked; adds the starter settings to a new database."""
    if starter:
        ensure_starter_settings()
    actor = users.actor_for(args.user)
    _check_password(actor)
    return actor


# --- commands ----------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace) -> int:
    from crm_tui.domain.demo import build_demo

    actor = _sign_in(args)
    started = time.perf_counter()
    with _progress() as progress:
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
    _say(_("Demo data: {counts} ({seconds:.1f} s).").format(counts=counts, seconds=seconds))
    return 0


def _cmd_settings(args: argparse.Namespace) -> int:
    from crm_tui.domain.exchange.files import output_file
    from crm_tui.domain.exchange.settings_json import import_settings_json, write_settings_json

    if args.action == "export":
        require_admin(_sign_in(args), _("export settings"))  # as in the app: Settings is theirs
        settings = load_settings()
        if args.file == "-":
            write_settings_json(settings, sys.stdout)
            return 0
        with output_file(args.file) as stream:
            write_settings_json(settings, stream)
        _say(
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
    actor = _sign_in(args, starter=False)
    counts = import_settings_json(actor, args.file)
    _say(
        _("Imported {file}: {created} created, {updated} updated, {unchanged} unchanged.").format(
            file=args.file,
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
        )
    )
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    actor = _sign_in(args)
    if args.what == "customers":
        from crm_tui.domain.exchange.customers_csv import import_customers_csv

        with _progress() as progress:
            counts = import_customers_csv(actor, args.file, progress=progress)
        _say(
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
    with _progress() as progress:
        result = import_notes_csv(actor, args.file, progress=progress)
    elapsed = time.perf_counter() - started
    _say(
        ngettext(
            "Imported {count} note from {file} (new customers: {new}; {seconds:.1f} s).",
            "Imported {count} notes from {file} (new customers: {new}; {seconds:.1f} s).",
            result.notes,
        ).format(count=result.notes, file=args.file, new=result.new_customers, seconds=elapsed)
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    import datetime as dt

    from crm_tui.domain.exchange.export import build_query, export_notes
    from crm_tui.domain.exchange.files import output_file

    _sign_in(args)
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
    _say(
        ngettext(
            "Exported {count} note to {file}.", "Exported {count} notes to {file}.", count
        ).format(count=count, file=args.output)
    )
    return 0


def _cmd_users(args: argparse.Namespace) -> int:
    actor = _sign_in(args)
    if args.action == "list":
        rows = [(_("NAME"), _("ROLE"), _("PASSWORD"), _("ACTIVE"))]
        for user in users.list_users():
            rows.append(
                (
                    user.name,
                    user.role,
                    _("yes") if user.has_password else _("no"),
                    _("yes") if user.active else _("no"),
                )
            )
        rows = [tuple(visible(cell) for cell in row) for row in rows]  # names: ESC as ␛
        widths = [max(cell_len(row[column]) for row in rows) for column in range(3)]
        for *padded, last in rows:
            cells = [c + " " * (w - cell_len(c)) for c, w in zip(padded, widths, strict=True)]
            _say("  ".join([*cells, last]))
        return 0
    if args.action == "edit":
        return _users_edit(actor, args)
    if args.action == "password":
        return _users_password(actor, args)
    require_admin(actor, _("add users"))
    password = _new_password(args.name) if args.password else None
    added = users.create_user(actor, args.name, role=args.role, password=password)
    _say(_("Added {name} ({role}).").format(name=added.name, role=added.role))
    return 0


def _users_edit(actor: UserInfo, args: argparse.Namespace) -> int:
    require_admin(actor, _("change users"))
    if args.new_name is None and args.role is None and args.active is None:
        raise CommandError(
            _("nothing to change: give --name, --role, --deactivate or --reactivate")
        )
    target = users.user_named(args.name)
    changed = users.update_user(
        actor, target.id, name=args.new_name, role=args.role, active=args.active
    )
    state = _("active") if changed.active else _("deactivated")
    _say(
        _("Saved {name} ({role}, {state}).").format(
            name=changed.name, role=changed.role, state=state
        )
    )
    return 0


def _users_password(actor: UserInfo, args: argparse.Namespace) -> int:
    target = actor if args.name is None else users.user_named(args.name)
    if args.remove:
        users.remove_password(actor, target.id)
        _say(_("{name} has no password now.").format(name=target.name))
        return 0
    users.check_password_right(actor, target.id)  # refuse before asking for a password
    password = users.checked_password(_new_password(target.name))
    users.set_password(actor, target.id, users.hash_password(password))
    _say(_("New password for {name}.").format(name=target.name))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    if find_spec("textual_serve") is None:
        raise CommandError(_("serving in a browser needs textual-serve: pip install textual-serve"))
    from textual_serve.server import Server

    target = resolve_target(args.db)
    connect(target).close()  # refuse a bad database now, not in the browser
    parts = [sys.executable, "-m", "crm_tui", "--db", target]
    if args.user:
        parts += ["--user", args.user]
    server = Server(shlex.join(parts), host="127.0.0.1", port=args.port, title=PROG)
    server.serve()
    return 0


def _view_query(args: argparse.Namespace) -> Callable[[], NoteQuery] | None:
    """The app's first view (``--sort``, ``--where``, ``--search``), checked when called.

    The check is ``export notes``'s (``build_query``), so the refusals are the same.
    """
    if args.open_sort is None and not args.open_where and not args.open_search:
        return None

    def checked() -> NoteQuery:
        import datetime as dt

        from crm_tui.domain.exchange.export import build_query

        return build_query(
            load_settings(),
            sort=args.open_sort,
            where=args.open_where,
            search=args.open_search,
            today=dt.date.today(),
        )

    return checked


def _open_app(args: argparse.Namespace) -> int:
    try:
        from crm_tui.ui.app import run_app
    except ImportError as error:
        raise CommandError(
            _("the terminal app cannot start: {error}").format(error=error)
        ) from None
    database = connect(args.db)
    _tell_notices()
    try:
        ensure_starter_settings()
        actor = users.actor_for(args.user)
        query: NoteQuery | Callable[[], NoteQuery] | None = _view_query(args)
        if query is not None and not actor.has_password:
            query = query()  # refused here, before the screen opens
        # With a password, nothing is read before it is typed: the app checks the view
        # right after sign-in, and closes with the same refusal before the list opens.
        refusal = run_app(database, actor, query)
    finally:
        database.close()
    if refusal is not None:
        _error_line(refusal)
        return EXIT_ERROR
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "settings": _cmd_settings,
    "import": _cmd_import,
    "export": _cmd_export,
    "users": _cmd_users,
}


def _run(args: argparse.Namespace) -> int:
    if args.user is None:
        args.user = default_user()
    if args.command is None:
        return _open_app(args)
    if args.command == "serve":
        return _cmd_serve(args)
    database = connect(args.db)
    _tell_notices()
    try:
        return COMMANDS[args.command](args)
    finally:
        database.close()


def _check_view_options(args: argparse.Namespace) -> None:
    """Refuse ``--sort``/``--where``/``--search`` given before a command (they open the app)."""
    if args.command is not None and (
        args.open_sort is not None or args.open_where or args.open_search
    ):
        raise UsageError(
            _(
                "--sort, --where and --search before a command only open the app: "
                "write them after the command ({prog} export notes --sort …)"
            ).format(prog=PROG),
            PROG,
        )


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _is_database_error(error: BaseException) -> bool:
    """A refusal of the database engine itself (Peewee's, SQLite's or psycopg's)."""
    if isinstance(error, peewee.DatabaseError | sqlite3.Error):
        return True
    return type(error).__module__.split(".")[0] in ("psycopg", "psycopg2")


def _message(error: BaseException) -> str:
    """The one line that explains ``error`` to the user."""
    if isinstance(error, (DomainError, DatabaseOpenError, CommandError)):
        return str(error)
    if isinstance(error, OSError):  # a file or the output; a closed pipe is handled in main
        reason = error.strerror or str(error)
        if error.filename:
            return f"{error.filename}: {reason}"
        if error.errno == errno.ENOSPC:
            return _("cannot write the output: {reason}").format(reason=reason)
        return reason
    problem = storage_problem(error)
    if problem is not None:
        return storage_message(problem)
    if _is_database_error(error):
        return _("database error: {error}").format(error=_first_line(error))
    if isinstance(error, MemoryError):
        return _("not enough memory for this command: nothing was changed")
    return _(
        "unexpected {kind}: {error} (a bug: please report it with the command you ran)"
    ).format(kind=type(error).__name__, error=error)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _check_view_options(args)
    except UsageError as error:
        _error_line(_("{problem} (see: {prog} --help)").format(problem=error, prog=error.prog))
        return EXIT_USAGE
    except SystemExit as done:  # --help, --version
        return int(done.code or 0)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as error:  # one line, never a traceback
        if os.environ.get("CRM_TUI_DEBUG"):
            raise
        _error_line(_message(error))
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
