"""The catalogues stay complete: every message of the code extracted, translated into
French and compiled; no user-visible string bypasses ``_()``; nothing translated at import.

``tools.catalogue`` and ``tools.untranslated`` do the work (``python -m tools.catalogue
check`` runs the same checks); these tests run them, and run them on small made-up
catalogues and sources to show that they fail when they should.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file

from crm_tui.cli.argparse_words import ARGPARSE_MESSAGES, argparse_plural_messages
from tools import catalogue
from tools.untranslated import find_untranslated

FRENCH_PO = catalogue.LOCALE_DIR / "fr" / "LC_MESSAGES" / "crm_tui.po"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fresh() -> Catalog:
    """What extracting the code gives now."""
    return catalogue.fresh_template()


def listed(problems: list[catalogue.Problem]) -> str:
    return "\n".join(str(problem) for problem in problems)


# --- the committed catalogues -------------------------------------------------------------


def test_the_committed_template_is_a_fresh_extraction(fresh: Catalog) -> None:
    problems = catalogue.template_problems(catalogue.read_catalogue(catalogue.TEMPLATE), fresh)
    assert not problems, "run: python -m tools.catalogue update\n" + listed(problems)


def test_every_message_has_a_french_translation(fresh: Catalog) -> None:
    """Every message of the code: translated, not fuzzy, all plural forms, same placeholders."""
    french = catalogue.read_catalogue(FRENCH_PO)
    problems = catalogue.translation_problems(french, fresh, "fr")
    assert not problems, f"{len(problems)} French translations to fix:\n" + listed(problems)


def test_french_keeps_two_plural_forms() -> None:
    french = catalogue.read_catalogue(FRENCH_PO)
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"
    assert french.num_plurals == 2


def test_the_committed_mo_holds_exactly_the_po_translations() -> None:
    """Compiled in memory from the .po, message by message, as ``pip install .`` ships it."""
    problems = catalogue.compiled_problems(FRENCH_PO)
    assert not problems, "run: python -m tools.catalogue compile\n" + listed(problems)


def test_the_wheel_takes_the_compiled_catalogues() -> None:
    """hatchling packs every file of ``crm_tui/`` that git does not ignore: the .mo too."""
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", str(FRENCH_PO.with_suffix(".mo"))],
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 1  # 1: not ignored
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(FRENCH_PO.with_suffix(".mo"))],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert tracked.returncode == 0, "commit crm_tui/locale/fr/LC_MESSAGES/crm_tui.mo"


# --- the checks themselves, on made-up catalogues -----------------------------------------


def french_catalogue() -> Catalog:
    """An empty French catalogue with the .po's two plural forms (Babel's CLDR data: three)."""
    french = Catalog(locale="fr")
    french.mime_headers = [("Plural-Forms", "nplurals=2; plural=(n > 1);")]
    return french


def made_up_template() -> Catalog:
    template = Catalog(locale=None)
    template.add("Saved.")
    template.add("Hello {name}", flags=["python-brace-format"])
    template.add(("{n} note", "{n} notes"), flags=["python-brace-format"])
    template.add("Gone")
    template.add("Bad {count}", flags=["python-brace-format"])
    return template


def test_missing_fuzzy_and_wrong_translations_are_listed_by_msgid() -> None:
    french = french_catalogue()
    french.add("Saved.", "Enregistré.")
    french.add("Hello {name}", "Bonjour {nom}", flags=["python-brace-format"])
    french.add(("{n} note", "{n} notes"), ("{n} note", ""), flags=["python-brace-format"])
    french.add("Gone", "Parti", flags=["fuzzy"])
    french.add("Bad {count}", "Mauvais", flags=["python-brace-format"])
    problems = listed(catalogue.translation_problems(french, made_up_template(), "fr"))
    assert "Saved." not in problems
    assert "'Hello {name}': unknown ['nom']" in problems
    assert "'{n} note': 2 plural forms wanted" in problems
    assert "fuzzy translation for 'Gone'" in problems
    assert "'Bad {count}': ['count'] missing from 'Mauvais'" in problems


def test_an_untranslated_message_is_named() -> None:
    french = french_catalogue()
    problems = catalogue.translation_problems(french, made_up_template(), "fr")
    assert [str(problem) for problem in problems][:2] == [
        "fr: no translation for 'Saved.'",
        "fr: no translation for 'Hello {name}'",
    ]


def test_a_complete_catalogue_has_no_problems() -> None:
    french = french_catalogue()
    french.add("Saved.", "Enregistré.")
    french.add("Hello {name}", "Bonjour {name}", flags=["python-brace-format"])
    french.add(("{n} note", "{n} notes"), ("une note", "{n} notes"), flags=["python-brace-format"])
    french.add("Gone", "Parti")
    french.add("Bad {count}", "Mauvais {count}", flags=["python-brace-format"])
    assert catalogue.translation_problems(french, made_up_template(), "fr") == []


def test_a_percent_format_translation_is_checked_by_babel() -> None:
    template = Catalog()
    template.add("unrecognized arguments: %s", flags=["python-format"])
    french = french_catalogue()
    french.add("unrecognized arguments: %s", "arguments inconnus", flags=["python-format"])
    problems = listed(catalogue.translation_problems(french, template, "fr"))
    assert "unrecognized arguments: %s" in problems


def test_a_percent_sign_the_source_lacks_is_refused() -> None:
    """argparse formats --help texts with %: a lone % there would stop the command line."""
    template = Catalog()
    template.add("at most N notes")
    french = french_catalogue()
    french.add("at most N notes", "N notes au plus (100 %)")
    problems = listed(catalogue.translation_problems(french, template, "fr"))
    assert "'at most N notes': a % the source does not have" in problems


def test_a_message_missing_from_the_template_or_left_over_is_named() -> None:
    committed, fresh = Catalog(), Catalog()
    committed.add("old words")
    committed.add("kept")
    fresh.add("kept")
    fresh.add("new words")
    problems = listed(catalogue.template_problems(committed, fresh))
    assert "not extracted: 'new words'" in problems
    assert "no longer in the code: 'old words'" in problems
    assert "kept" not in problems


def test_a_stale_mo_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po_file = folder / "crm_tui.po"
    french = Catalog(locale="fr")
    french.add("Saved.", "Enregistré.")
    french.add("Quit", "Quitter")
    with po_file.open("wb") as stream:
        from babel.messages.pofile import write_po

        write_po(stream, french)
    older = Catalog(locale="fr")
    older.add("Saved.", "Sauvé.")
    po_file.with_suffix(".mo").write_bytes(catalogue.compiled(older))
    monkeypatch.setattr(catalogue, "ROOT", tmp_path)
    problems = listed(catalogue.compiled_problems(po_file))
    assert "'Saved.' is 'Sauvé.', the .po says 'Enregistré.'" in problems
    assert "'Quit' is None, the .po says 'Quitter'" in problems


# --- no user-visible string bypasses _() ----------------------------------------------------


def test_no_user_visible_string_bypasses_the_catalogue() -> None:
    findings = find_untranslated()
    assert not findings, "wrap these in _() / ngettext / N_:\n" + "\n".join(map(str, findings))


def test_the_scan_finds_each_kind_of_bypass(tmp_path: Path) -> None:
    package = tmp_path / "crm_tui"
    for folder in ("cli", "ui", "domain"):
        (package / folder).mkdir(parents=True)
    (package / "domain" / "errors.py").write_text(
        "class DomainError(Exception): ...\nclass ValidationError(DomainError): ...\n"
    )
    (package / "ui" / "screen.py").write_text(
        textwrap.dedent(
            """
            from textual.binding import Binding
            from crm_tui.i18n import _, N_

            class Notes:
                BINDINGS = [
                    Binding("ctrl+s", "save", "Save note"),
                    Binding("q", "quit", N_("Quit")),
                ]

                def compose(self):
                    yield Label("Customer")
                    yield Static(f"{count} notes")
                    yield Button(_("Save"))
                    yield Input(placeholder="type a name")
                    yield Static("")
                    yield Static("#RRGGBB")

                def on_mount(self):
                    self.notify("Saved " + name, title="Done")
                    self.border_title = "Settings"
                    self.sub_title = _("Notes")
                    self.query_one(Table).add_column("Status")
                    Text("{n} rows".format(n=3))
                    Text.assemble(("Overdue", "red"), " → ", _("today"))
                    self.query_one(Static).update("Loading")
                    _(f"Hello {name}")
                    raise ValidationError(_("name"), "a user needs a name")
            """
        )
    )
    (package / "cli" / "run.py").write_text(
        textwrap.dedent(
            """
            class RunError(CommandError):
                pass

            def run(args):
                print("nothing to do")
                print(f"{PROG}: {_('error')}: {text}")
                parser.add_argument("--x", help="the x option")
                raise RunError("no such user")
            """
        )
    )
    found = {(finding.path.split("/")[-1], finding.text) for finding in find_untranslated(package)}
    assert found == {
        ("screen.py", "Save note"),
        ("screen.py", "Customer"),
        ("screen.py", "f'{count} notes'"),
        ("screen.py", "type a name"),
        ("screen.py", "Saved "),
        ("screen.py", "Done"),
        ("screen.py", "Settings"),
        ("screen.py", "Status"),
        ("screen.py", "{n} rows"),
        ("screen.py", "Overdue"),
        ("screen.py", "Loading"),
        ("screen.py", "f'Hello {name}'"),
        ("screen.py", "a user needs a name"),
        ("run.py", "nothing to do"),
        ("run.py", "_('error')"),  # inside an f-string: the extractor does not see it
        ("run.py", "the x option"),
        ("run.py", "no such user"),  # a subclass of CommandError, found in the code
    }


# --- nothing translated at import -------------------------------------------------------------

IMPORT_EVERYTHING = """
import gettext, importlib, pkgutil, traceback
import crm_tui
from crm_tui import i18n

calls = []


def where():
    stack = traceback.extract_stack()
    modules = [f for f in stack if f.name == "<module>" and "/crm_tui/" in f.filename]
    frame = modules[-1] if modules else stack[-4]
    return f"crm_tui/{frame.filename.split('/crm_tui/', 1)[-1]}:{frame.lineno}"


class Recorder(gettext.NullTranslations):
    def gettext(self, message):
        calls.append(f"{where()}: _({message!r})")
        return message

    def ngettext(self, singular, plural, count):
        calls.append(f"{where()}: ngettext({singular!r})")
        return singular if count == 1 else plural


recorder = Recorder()
i18n.install_translation(recorder)
for module in pkgutil.walk_packages(crm_tui.__path__, "crm_tui."):
    if module.name != "crm_tui.__main__":  # runs the command line
        importlib.import_module(module.name)
before = len(calls)
i18n._("probe")
if len(calls) == before:
    calls.append("a module changed the language at import (set_language)")
else:
    calls.pop()
print("\\n".join(calls))
"""


def test_nothing_is_translated_at_import() -> None:
    """``_()`` at import would freeze the language of the moment (a module-level table,
    a class's BINDINGS): mark with ``N_`` and translate when shown."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    calls = done.stdout.strip().splitlines()
    assert not calls, f"{len(calls)} translations at import:\n" + "\n".join(calls)


# --- argparse's own words --------------------------------------------------------------------

ARGPARSE_DEVELOPER_MESSAGES = {
    # Mistakes in building a parser: a user never meets them; they stay in English.
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    'argument "-" with mode %r',
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    ("conflicting option string: %s", "conflicting option strings: %s"),
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "%r is not callable",
}


def argparse_source_messages() -> set[str | tuple[str, ...]]:
    """The messages of the running Python's ``argparse.py``, extracted by Babel."""
    return {
        message if isinstance(message, str) else tuple(message)
        for _line, message, _comments, _context in extract_from_file("python", argparse.__file__)
    }


def test_argparse_messages_are_marked_word_for_word() -> None:
    """Our marks are argparse's msgids exactly, and only its developer errors are left out."""
    source = argparse_source_messages()
    marked: set[str | tuple[str, ...]] = set(ARGPARSE_MESSAGES)
    marked.add(("expected %s argument", "expected %s arguments"))
    assert marked - source == set(), "not argparse's words"
    assert source - marked - ARGPARSE_DEVELOPER_MESSAGES == set(), "argparse messages to mark"


def test_argparse_plural_messages_follow_the_count() -> None:
    assert argparse_plural_messages(1) == ("expected %s argument",)
    assert argparse_plural_messages(2) == ("expected %s arguments",)
