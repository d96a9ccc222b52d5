"""argparse's own words (``usage:``, ``options``, ``invalid choice: …``) in the user's language.

Python's argparse translates its messages with ``gettext`` in the ``messages`` domain, which
no catalogue of ours fills. ``translate_argparse`` points argparse's module-level ``_`` and
``ngettext`` at ``crm_tui.i18n``'s, so its words come from our catalogue; the messages are
marked here, word for word as in Python 3.11's ``argparse.py`` (tests/unit/test_catalogue.py
compares them with the running Python's source), so the extractor puts them in
``crm_tui.pot``.
"""

from __future__ import annotations

import argparse

from crm_tui.i18n import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("%(prog)s: error: %(message)s\n"),
)
"""argparse's messages a user can meet (its programming errors are left in English)."""


def argparse_plural_messages(count: int) -> tuple[str, ...]:
    """argparse's messages that depend on a count, translated for ``count``."""
    return (ngettext("expected %s argument", "expected %s arguments", count),)


def translate_argparse() -> None:
    """Make argparse look its words up in our catalogue, in the language in force when it
    writes them. The one place that reaches into argparse: its messages go through the
    module globals ``_`` and ``ngettext`` (Python 3.11), which this replaces."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
