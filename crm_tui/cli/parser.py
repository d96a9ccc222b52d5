"""The command line's parser: every command, option and help text of ``crm-tui``."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Sequence
from typing import NoReturn

from crm_tui import __version__
from crm_tui.cli.argparse_words import translate_argparse
from crm_tui.db.database import ENV_DATABASE
from crm_tui.i18n import LANGUAGES, _, spoken_language

PROG = "crm-tui"
ENV_PASSWORD = "CRM_TUI_PASSWORD"
ENV_NEW_PASSWORD = "CRM_TUI_NEW_PASSWORD"
BROWSER_SESSION_OPTION = "--browser-session"
"""Hidden: the app for one browser tab (``crm-tui serve`` runs it); it asks name and password."""


class UsageError(Exception):
    """A command line argparse refused; ``main`` prints it as one line."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors become one line, printed by ``main``."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


# The largest count a command accepts (a 64-bit integer, as the database stores ids).
MAX_COUNT = 2**63 - 1
MAX_DEMO_NOTES = 10_000_000
MAX_PORT = 65_535
MAX_AGENDA_DAYS = 3660


def _short(text: str, keep: int = 24) -> str:
    """``text`` for a message: a long value is cut in its middle, its length said."""
    if len(text) <= 2 * keep:
        return repr(text)
    return _("{start!r}…{end!r} ({count} characters)").format(
        start=text[:keep], end=text[-8:], count=len(text)
    )


def _whole_number(text: str, largest: int, smallest: int = 0) -> int:
    """``text`` as a whole number from ``smallest`` to ``largest``, else a one-line refusal."""
    body = text.strip()
    sign = -1 if body.startswith("-") else 1
    digits = body[1:] if body[:1] in "+-" else body
    if not digits.isascii() or not digits.isdigit():
        raise argparse.ArgumentTypeError(
            _("{value} is not a whole number").format(value=_short(text))
        )
    if sign < 0 and smallest >= 0 and digits.strip("0"):
        raise argparse.ArgumentTypeError(_("{value} is negative").format(value=_short(text)))
    significant = digits.lstrip("0") or "0"
    too_long = len(significant) > len(str(max(largest, -smallest)))
    value = sign * (largest + abs(smallest) + 1 if too_long else int(significant))
    if not smallest <= value <= largest:
        raise argparse.ArgumentTypeError(
            _("{value} is out of range: use a whole number from {low} to {high}").format(
                value=_short(text), low=smallest, high=largest
            )
        )
    return value


def _count(text: str) -> int:
    """A count: a whole number from 0 to ``MAX_COUNT``."""
    return _whole_number(text, MAX_COUNT)


def _demo_notes(text: str) -> int:
    return _whole_number(text, MAX_DEMO_NOTES)


def _agenda_days(text: str) -> int:
    """Days ahead of today: 0 to ten years (``domain.cockpit.agenda.MAX_DAYS``)."""
    return _whole_number(text, MAX_AGENDA_DAYS)


def _port(text: str) -> int:
    return _whole_number(text, MAX_PORT, smallest=1)


def _seed(text: str) -> int:
    return _whole_number(text, MAX_COUNT, smallest=-MAX_COUNT)


def default_user() -> str:
    """The name of the account running the command (``--user``'s default)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "admin"


LANG_OPTION = "--lang"


def _is_lang_option(word: str) -> bool:
    """``--lang`` or a prefix argparse would take for it (``--la``); the options the parser
    knows besides it share no prefix longer than ``--`` with it."""
    return len(word) > 3 and LANG_OPTION.startswith(word)


def language_option(argv: Sequence[str]) -> str | None:
    """The language ``--lang`` asks for in ``argv`` (``"fr"``, ``"fr_CA"``), else ``None``.

    Read before the parser is built, so that its help texts are in that language. A
    language the app does not speak is refused as a usage error (exit 2).
    """
    for index, word in enumerate(argv):
        if word == "--":
            break
        name, equals, value = word.partition("=")
        if not _is_lang_option(name):
            continue
        if not equals:
            if index + 1 >= len(argv):
                return None  # argparse says the value is missing
            value = argv[index + 1]
        chosen = spoken_language(value)
        if chosen is None:
            raise UsageError(
                _("unknown language {value} for {option}: use one of {choices}").format(
                    value=_short(value), option=LANG_OPTION, choices=", ".join(LANGUAGES)
                ),
                PROG,
            )
        return chosen
    return None


def add_view_options(parser: argparse._ActionsContainer, dest_prefix: str = "") -> None:
    """``--sort``, ``--where`` and ``--search``: the same for ``export notes`` and the app."""
    parser.add_argument(
        "--sort",
        dest=f"{dest_prefix}sort",
        metavar=_("KEYS"),
        help=_(
            'columns, "-" before one for descending: "Status,-Deal value";'
            " local_time: the customers' furthest-along local time first"
        ),
    )
    parser.add_argument(
        "--where",
        dest=f"{dest_prefix}where",
        metavar=_("EXPR"),
        action="append",
        default=[],
        help=_(
            "NAME=VALUE, NAME!=VALUE, NAME<VALUE, NAME<=VALUE, NAME>VALUE, NAME>=VALUE;"
            " callable=yes|no: the customer is inside business hours now (a customer"
            " with no time zone is not callable)"
        ),
    )
    parser.add_argument(
        "--search",
        dest=f"{dest_prefix}search",
        metavar=_("WORDS"),
        default="",
        help=_("full-text search"),
    )


IMPORTABLE = ("notes", "customers")
EXPORTABLE = ("notes",)
REPORTS = ("pipeline",)


def _choices(words: Sequence[str]) -> str:
    """How help and errors name a positional that takes one of ``words`` (``{notes,customers}``:
    the words typed, the same in every language, where argparse would show its ``dest``)."""
    return "{" + ",".join(words) + "}"


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line, its texts in the language in force."""
    translate_argparse()
    parser = _Parser(
        prog=PROG,
        description=_(
            "Keyboard-driven CRM notes. Without a command, opens the app "
            "(on the notes list sorted and filtered by --sort, --where and --search)."
        ),
        epilog=_(
            "Global options go before the command: crm-tui --db team.sqlite3 --user ana "
            "export notes. The password of a user who has one is read from {env} or asked."
        ).format(env=ENV_PASSWORD),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help=_("show the version number and exit"),
    )
    parser.add_argument(
        LANG_OPTION,
        metavar="|".join(LANGUAGES),
        help=_(
            "the language of messages and screens for this run "
            "(default: your own choice in the app, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG)"
        ),
    )
    parser.add_argument(
        "--db",
        metavar=_("PATH|URL"),
        help=_(
            "SQLite file or postgresql:// URL (default: {env}, else a file in your data folder)"
        ).format(env=f"${ENV_DATABASE}"),
    )
    parser.add_argument(
        "--user",
        metavar=_("NAME"),
        default=None,
        help=_("who you are (default: your login name)"),
    )
    parser.add_argument(
        BROWSER_SESSION_OPTION,
        dest="browser_session",
        action="store_true",
        help=argparse.SUPPRESS,  # serve's command for each browser tab, not for people
    )
    view = parser.add_argument_group(
        _("opening the app on a view"),
        _("without a command, open the notes list sorted, filtered and searched as given"),
    )
    add_view_options(view, dest_prefix="open_")
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    demo = commands.add_parser("demo", help=_("fill the database with a realistic demo data set"))
    demo.add_argument(
        "--notes", type=_demo_notes, default=2000, metavar=_("N"), help=_("default: 2000")
    )
    demo.add_argument(
        "--seed",
        type=_seed,
        default=1,
        metavar=_("SEED"),
        help=_("random seed (same seed, same data)"),
    )
    demo.add_argument(
        "--force", action="store_true", help=_("add demo notes even if the database has notes")
    )

    settings = commands.add_parser("settings", help=_("export or import the settings as JSON"))
    settings_commands = settings.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    settings_export = settings_commands.add_parser(
        "export", help=_("write statuses, actions and variables to a JSON file")
    )
    settings_export.add_argument("file", metavar=_("FILE.json"), help=_("'-' for standard output"))
    settings_import = settings_commands.add_parser(
        "import", help=_("create or update statuses, actions and variables (admins only)")
    )
    settings_import.add_argument("file", metavar=_("FILE.json"))

    import_ = commands.add_parser("import", help=_("import notes or customers from CSV"))
    import_.add_argument("what", choices=IMPORTABLE, metavar=_choices(IMPORTABLE))
    import_.add_argument("file", metavar=_("FILE.csv"))

    export = commands.add_parser("export", help=_("export notes as CSV or JSON"))
    export.add_argument("what", choices=EXPORTABLE, metavar=_choices(EXPORTABLE))
    add_view_options(export)
    export.add_argument("--limit", metavar=_("N"), type=_count, help=_("at most N notes"))
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument(
        "--output", metavar=_("FILE"), help=_("write to FILE (default: standard output)")
    )

    agenda = commands.add_parser(
        "agenda", help=_("your open follow-ups due by today (or N days ahead), earliest first")
    )
    agenda.add_argument(
        "--days", type=_agenda_days, default=0, metavar=_("N"), help=_("default: 0 (today)")
    )
    agenda.add_argument(
        "--for", dest="for_user", metavar=_("NAME"), help=_("someone else's (admins only)")
    )
    agenda.add_argument("--format", choices=("csv", "json"), default="csv")

    report = commands.add_parser(
        "report", help=_("the pipeline: customers and amounts by status, as CSV or JSON")
    )
    report.add_argument("what", choices=REPORTS, metavar=_choices(REPORTS))
    report.add_argument(
        "--sum",
        metavar=_("VARIABLE"),
        help=_("the currency variable whose newest value per customer is summed"),
    )
    report.add_argument(
        "--where",
        metavar=_("EXPR"),
        action="append",
        default=[],
        help=_("on customers' current values: NAME=VALUE, NAME!=VALUE, NAME<VALUE…"),
    )
    report.add_argument("--format", choices=("csv", "json"), default="csv")

    users_ = commands.add_parser("users", help=_("add, list or change users; passwords"))
    users_commands = users_.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    users_add = users_commands.add_parser("add", help=_("add a user (admins only)"))
    users_add.add_argument("name", metavar=_("NAME"))
    users_add.add_argument("--role", choices=("admin", "rep"), default="rep")
    users_add.add_argument(
        "--password",
        action="store_true",
        help=_("give the user a password (asked, or read from {env})").format(env=ENV_NEW_PASSWORD),
    )
    users_commands.add_parser("list", help=_("list the users"))
    users_edit = users_commands.add_parser(
        "edit", help=_("rename, change the role of, deactivate or reactivate a user (admins only)")
    )
    users_edit.add_argument("name", metavar=_("NAME"))
    users_edit.add_argument("--name", dest="new_name", metavar=_("NEW"), help=_("the new name"))
    users_edit.add_argument("--role", choices=("admin", "rep"))
    activity = users_edit.add_mutually_exclusive_group()
    activity.add_argument(
        "--deactivate",
        dest="active",
        action="store_false",
        default=None,
        help=_("the user can no longer sign in"),
    )
    activity.add_argument(
        "--reactivate", dest="active", action="store_true", default=None, help=_("undo that")
    )
    users_password = users_commands.add_parser(
        "password",
        help=_("set your own password, or (admins) anyone's (asked, or read from {env})").format(
            env=ENV_NEW_PASSWORD
        ),
    )
    users_password.add_argument("name", metavar=_("NAME"), nargs="?", help=_("default: yourself"))
    users_password.add_argument(
        "--remove", action="store_true", help=_("remove the password (admins only)")
    )

    serve = commands.add_parser(
        "serve",
        help=_("the same app in a web browser: every browser session signs in"),
        description=_(
            "Serve the app to web browsers (needs the web extra: pip install 'crm-tui[web]')."
            " Every browser session signs in with a user name and password; an admin"
            " gives a user a password with: crm-tui users password NAME."
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar=_("HOST"),
        help=_("the address to listen on (default: 127.0.0.1, this computer only)"),
    )
    serve.add_argument(
        "--port", type=_port, default=8000, metavar=_("PORT"), help=_("default: 8000")
    )
    serve.add_argument(
        "--public",
        action="store_true",
        help=_("allow listening on every interface (0.0.0.0 or ::): put TLS in front"),
    )
    return parser
