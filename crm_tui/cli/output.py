"""What the command line prints: lines for people on stdout, errors and notices on stderr,
progress bars on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from crm_tui.cli.parser import PROG
from crm_tui.db.schema import take_notices
from crm_tui.domain.progress import NullProgress, Progress, RichProgress
from crm_tui.domain.text import visible
from crm_tui.i18n import _


class CommandError(Exception):
    """A refusal of the command line itself; ``str()`` is the message."""


def say(message: str) -> None:
    """A line for people: stored names in it show control characters visibly (``␛``)."""
    print(visible(message, keep="\n"), file=sys.stdout, flush=True)


_LONG_WORD = 240  # a longer run without spaces (a 5,000-digit value) is cut in its middle


def _shortened(word: str) -> str:
    if len(word) <= _LONG_WORD:
        return word
    return f"{word[:60]}…{word[-20:]}"


def error_line(message: str) -> None:
    """Print ``crm-tui: error: MESSAGE`` as one line: control characters shown, long values cut."""
    words = [_shortened(word) for word in visible(str(message), keep="\n\t").split()]
    text = " ".join(words) or _("unknown error")
    line = _("{prog}: error: {message}").format(prog=PROG, message=text)
    print(line, file=sys.stderr, flush=True)


def tell_notices() -> None:
    """What opening the database did that the user should know (on stderr: never in data)."""
    for notice in take_notices():
        print(f"{PROG}: {visible(notice)}", file=sys.stderr, flush=True)


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A progress bar on stderr when it is a terminal, else nothing."""
    if sys.stderr.isatty():
        with RichProgress(sys.stderr) as bar:
            yield bar
    else:
        yield NullProgress()
