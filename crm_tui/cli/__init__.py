"""The command line: ``crm-tui [--lang fr|en] [--db PATH|URL] [--user NAME] [COMMAND …]``.

Without a command it opens the terminal app. Every error prints one line on stderr
(``crm-tui: error: …``) and exits non-zero; a refused command changes nothing. The
commands live in ``data`` and ``users``, signing in in ``sign_in``, printing in ``output``,
the options in ``parser``.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress

from crm_tui.cli.agenda import run_agenda
from crm_tui.cli.data import run_demo, run_export, run_import, run_settings
from crm_tui.cli.output import CommandError, error_line, tell_notices
from crm_tui.cli.parser import (
    BROWSER_SESSION_OPTION,
    PROG,
    UsageError,
    build_parser,
    default_user,
    language_option,
)
from crm_tui.cli.report import run_report
from crm_tui.cli.serve import check_serve_options, run_serve
from crm_tui.cli.users import run_users
from crm_tui.db.database import (
    DatabaseOpenError,
    connect,
    is_database_error,
    storage_message,
    storage_problem,
)
from crm_tui.domain import users
from crm_tui.domain.errors import DomainError
from crm_tui.domain.query import NoteQuery
from crm_tui.domain.settings import ensure_starter_settings, load_settings
from crm_tui.i18n import _, os_error_reason, pin_language
from crm_tui.records import UserInfo

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


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


FirstView = NoteQuery | Callable[[], NoteQuery] | None
"""The app's first view: none, a query, or one checked when called (after sign-in)."""


def _run_app(
    args: argparse.Namespace, start: Callable[[], tuple[UserInfo | None, FirstView]]
) -> int:
    """Open the app on ``--db``: ``start()`` (after the starter settings) gives who is
    signed in (``None``: the sign-in screen asks) and the first view; a view the app
    refuses is one error line."""
    try:
        from crm_tui.ui.app import run_app
    except ImportError as error:
        raise CommandError(
            _("the terminal app cannot start: {error}").format(error=error)
        ) from None
    database = connect(args.db)
    tell_notices()
    try:
        ensure_starter_settings()
        actor, query = start()
        refusal = run_app(database, actor, query)
    finally:
        database.close()
    if refusal is not None:
        error_line(refusal)
        return EXIT_ERROR
    return 0


def _open_app(args: argparse.Namespace) -> int:
    """The terminal app, as ``--user``."""

    def start() -> tuple[UserInfo | None, FirstView]:
        actor = users.actor_for(args.user)
        checked = _view_query(args)
        query: FirstView = checked
        if checked is not None and not actor.has_password:
            query = checked()  # refused here, before the screen opens
        # With a password, nothing is read before it is typed: the app checks the view
        # right after sign-in, and closes with the same refusal before the list opens.
        return actor, query

    return _run_app(args, start)


def _open_browser_session(args: argparse.Namespace) -> int:
    """One browser tab's app: nobody is signed in until a name and its password are typed.

    No user is created, neither ``--user`` nor the OS user nor the password in the
    environment counts: the sign-in screen asks; the view is checked once signed in.
    """
    return _run_app(args, lambda: (None, _view_query(args)))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": run_demo,
    "settings": run_settings,
    "import": run_import,
    "export": run_export,
    "report": run_report,
    "users": run_users,
    "agenda": run_agenda,
}


def _run(args: argparse.Namespace) -> int:
    if args.browser_session:
        return _open_browser_session(args)
    if args.user is None:
        args.user = default_user()
    if args.command is None:
        return _open_app(args)
    if args.command == "serve":
        return run_serve(args)
    database = connect(args.db)
    tell_notices()
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


def _check_browser_session(args: argparse.Namespace) -> None:
    """Refuse ``--browser-session`` with ``--user`` or a command: the browser's user signs in."""
    if not args.browser_session:
        return
    if args.user is not None:
        raise UsageError(
            _("{option} cannot be given with --user: each browser session signs in").format(
                option=BROWSER_SESSION_OPTION
            ),
            PROG,
        )
    if args.command is not None:
        raise UsageError(
            _("{option} opens the app: it takes no command").format(option=BROWSER_SESSION_OPTION),
            PROG,
        )


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _message(error: BaseException) -> str:
    """The one line that explains ``error`` to the user."""
    if isinstance(error, (DomainError, DatabaseOpenError, CommandError)):
        return str(error)
    if isinstance(error, OSError):  # a file or the output; a closed pipe is handled in main
        reason = os_error_reason(error)
        if error.filename:
            return f"{error.filename}: {reason}"
        if error.errno == errno.ENOSPC:
            return _("cannot write the output: {reason}").format(reason=reason)
        return reason
    problem = storage_problem(error)
    if problem is not None:
        return storage_message(problem)
    if is_database_error(error):
        return _("database error: {error}").format(error=_first_line(error))
    if isinstance(error, MemoryError):
        return _("not enough memory for this command: nothing was changed")
    return _(
        "unexpected {kind}: {error} (a bug: please report it with the command you ran)"
    ).format(kind=type(error).__name__, error=error)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    ``--lang`` is read first: every text the parser holds is then in that language.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        chosen = language_option(arguments)
    except UsageError as error:
        error_line(_("{problem} (see: {prog} --help)").format(problem=error, prog=error.prog))
        return EXIT_USAGE
    if chosen is not None:
        pin_language(chosen)
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
        _check_view_options(args)
        _check_browser_session(args)
        check_serve_options(args)
    except UsageError as error:
        error_line(_("{problem} (see: {prog} --help)").format(problem=error, prog=error.prog))
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
        error_line(_message(error))
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
