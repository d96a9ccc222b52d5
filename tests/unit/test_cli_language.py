"""The command line in French: ``--lang``, the environment in gettext's order, ``--help`` of
every command (argparse's own words included) and the one-line errors, exit codes unchanged.

The French expected here are the catalogue's translations of these messages (msgid, then
msgstr):

    "usage: "
        "utilisation : "
    "show this help message and exit"
        "afficher cette aide et quitter"
    "commands"
        "commandes"
    "{prog}: error: {message}"
        "{prog} : erreur : {message}"
    "{problem} (see: {prog} --help)"
        "{problem} (voir : {prog} --help)"
    "invalid choice: %(value)r (choose from %(choices)s)"
        "choix invalide : %(value)r (choisir parmi %(choices)s)"
    "unknown column; columns are: {columns}"
        "colonne inconnue ; les colonnes sont : {columns}"
    "cannot read {file}: {reason}"
        "impossible de lire {file} : {reason}"
    "No such file or directory"
        "Aucun fichier ou dossier de ce nom"
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_exchange_support import new_target, run_cli

from crm_tui.i18n import language, language_is_pinned

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

ENGLISH_WORDS = frozenset(
    {
        "show",
        "the",
        "and",
        "with",
        "without",
        "usage",
        "default",
        "exit",
        "your",
        "write",
        "file",
        "from",
        "this",
        "message",
        "number",
        "commands",
        "language",
        "help",
        "error",
        "see",
        "choose",
        "invalid",
        "required",
        "expected",
    }
)
"""English words a French page must not hold (command names and typed values aside: they
are what the user types, the same in every language)."""

ENGLISH_METAVARS = frozenset(
    {"NAME", "VALUE", "FILE", "KEYS", "WORDS", "COMMAND", "ACTION", "NEW", "SEED", "PATH"}
)
"""The English placeholders of ``--help`` (``--user NAME``): French has its own."""

FRENCH_USAGE = "utilisation : crm-tui"
FRENCH_ERROR = "crm-tui : erreur : "
ENGLISH_ERROR = "crm-tui: error: "


def english_words(text: str) -> set[str]:
    """The English words of ``text`` (and placeholders such as ``NAME``), leaving out what
    is typed: options (``--db``), choices (``{csv,json}``), environment variables, paths."""
    words: set[str] = set()
    for token in text.split():
        token = token.strip("[](),.;:")
        if token.startswith(("-", "{", "$", "'", '"')) or "://" in token or "/" in token:
            continue
        if re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", token):  # CRM_TUI_NEW_PASSWORD
            continue
        words.update(word for word in re.findall(r"[a-z]+", token) if word in ENGLISH_WORDS)
        words.update(word for word in re.findall(r"[A-Z]+", token) if word in ENGLISH_METAVARS)
    return words


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return self.err.strip().splitlines()


def run(*argv: str, **variables: str) -> Run:
    """``python -m crm_tui ARGV`` with only ``variables`` choosing the language."""
    environment = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    environment.update(variables)
    environment["PYTHONIOENCODING"] = "utf-8"  # the locale may not exist on this machine
    environment["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "crm_tui", *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


# --- which language ----------------------------------------------------------------------


def test_tests_speak_english_whatever_the_machine_says() -> None:
    assert language() == "en"
    assert not language_is_pinned()


def test_a_french_environment_gives_a_french_help() -> None:
    result = run("--help", LANG="fr_FR.UTF-8")
    assert result.code == 0, result.err
    assert result.out.startswith(FRENCH_USAGE)
    assert "afficher cette aide et quitter" in result.out
    assert "commandes" in result.out
    assert english_words(result.out) == set(), result.out


def test_lang_en_wins_over_a_french_environment() -> None:
    result = run("--lang", "en", "--help", LANG="fr_FR.UTF-8")
    assert result.code == 0
    assert result.out.startswith("usage: crm-tui")
    assert "show this help message and exit" in result.out


def test_lang_fr_wins_over_an_english_environment() -> None:
    result = run("--lang", "fr", "export", "--help", LANG="C")
    assert result.code == 0
    assert result.out.startswith("utilisation : crm-tui export")
    assert english_words(result.out) == set(), result.out


@pytest.mark.parametrize(
    ("variables", "french"),
    [
        ({"LANG": "C"}, False),
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "fr_CA.UTF-8"}, True),
        ({"LANGUAGE": "fr", "LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LANGUAGE": "en", "LC_ALL": "fr_FR.UTF-8"}, False),
        ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, True),  # the first one spoken
        ({"LANGUAGE": "fr", "LANG": "C"}, False),  # LANGUAGE is ignored in the C locale
        ({"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, False),
        ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, False),
    ],
    ids=lambda value: (
        ",".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    ),
)
def test_the_environment_decides_in_gettexts_order(variables: dict[str, str], french: bool) -> None:
    result = run("--help", **variables)
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert first.startswith(FRENCH_USAGE if french else "usage: crm-tui"), first


# --- --help of every command, in French --------------------------------------------------

COMMANDS = [
    (),
    ("demo",),
    ("settings",),
    ("settings", "export"),
    ("settings", "import"),
    ("import",),
    ("export",),
    ("users",),
    ("users", "add"),
    ("users", "list"),
    ("users", "edit"),
    ("users", "password"),
    ("serve",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda words: " ".join(words) or "crm-tui")
def test_every_help_is_french_with_lang_fr(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "--lang", "fr", *command, "--help")
    assert result.code == 0
    assert result.out.startswith(" ".join(["utilisation : crm-tui", *command]))
    assert english_words(result.out) == set(), result.out


def test_the_same_help_in_english_has_english_words(capsys: pytest.CaptureFixture[str]) -> None:
    """The check above can fail: the English help is full of English words."""
    result = run_cli(capsys, "--lang", "en", "export", "--help")
    assert {"show", "this", "help", "message", "exit"} <= english_words(result.out)


# --- errors: one line, in French, exit codes unchanged -----------------------------------


def test_an_unknown_lang_is_one_line_and_exit_2() -> None:
    result = run("--lang", "xx", "users", "list", LANG="C")
    assert result.code == 2
    assert result.error_lines == [
        "crm-tui: error: unknown language 'xx' for --lang: use one of en, fr (see: crm-tui --help)"
    ]
    assert result.out == ""


def test_an_unknown_lang_in_a_french_environment_is_said_in_french() -> None:
    result = run("--lang=klingon", LANG="fr_FR.UTF-8")
    assert result.code == 2
    assert len(result.error_lines) == 1
    line = result.error_lines[0]
    assert line.startswith(FRENCH_ERROR) and "'klingon'" in line, line
    assert "(voir : crm-tui --help)" in line


@pytest.fixture
def target(tmp_path: Path) -> str:
    return new_target(tmp_path)


def same_exit_in_both_languages(*argv: str) -> tuple[Run, Run]:
    english = run(*argv, LANG="C")
    french = run(*argv, LANG="fr_FR.UTF-8")
    assert french.code == english.code != 0, (english, french)
    assert len(english.error_lines) == 1 and len(french.error_lines) == 1, (english, french)
    assert english.error_lines[0].startswith(ENGLISH_ERROR)
    assert french.error_lines[0].startswith(FRENCH_ERROR), french.err
    return english, french


def test_a_bad_where_is_refused_in_french(target: str) -> None:
    english, french = same_exit_in_both_languages(
        "--db", target, "export", "notes", "--where", "Bogus=1"
    )
    assert english.code == 1
    assert "unknown column; columns are:" in english.err
    assert "colonne inconnue ; les colonnes sont :" in french.err
    assert "Bogus" in french.err and "follow_up" in french.err  # what was typed, what to type


def test_an_unknown_sort_column_is_refused_in_french(target: str) -> None:
    _english, french = same_exit_in_both_languages(
        "--db", target, "export", "notes", "--sort", "Nope"
    )
    assert "--sort 'Nope'" in french.err
    assert "colonne inconnue" in french.err


def test_a_missing_file_is_refused_in_french(target: str, tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    english, french = same_exit_in_both_languages("--db", target, "import", "notes", str(missing))
    assert english.code == 1
    assert english.error_lines == [
        f"crm-tui: error: cannot read {missing}: No such file or directory"
    ]
    assert french.error_lines == [
        f"crm-tui : erreur : impossible de lire {missing} : Aucun fichier ou dossier de ce nom"
    ]


def test_a_usage_error_is_french_and_still_exit_2() -> None:
    english, french = same_exit_in_both_languages("export", "nope")
    assert english.code == 2
    assert "choix invalide : 'nope' (choisir parmi 'notes')" in french.err
    assert "(voir : crm-tui export --help)" in french.err
    assert english_words(french.err) == set(), french.err


# --- numbers in messages ---------------------------------------------------------------------


def test_counts_and_seconds_follow_the_language() -> None:
    from crm_tui.i18n import format_count, format_fixed, set_language

    assert (format_count(12345), format_fixed(1234.5, 1)) == ("12,345", "1,234.5")
    set_language("fr_CA")
    assert format_fixed(1234.5, 1) == "1\xa0234,5"
    assert format_count(12345) == "12\xa0345"
    set_language("fr_FR")
    assert format_fixed(2.5, 1) == "2,5"
