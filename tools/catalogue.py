"""The message catalogues of crm-tui: extract, update, compile and check, with Babel's tools.

    python -m tools.catalogue extract   # the code's messages -> crm_tui/locale/crm_tui.pot
    python -m tools.catalogue update    # extract, merge into each .po (pybabel update), compile
    python -m tools.catalogue compile   # each .po -> its .mo (pybabel compile)
    python -m tools.catalogue check     # the .pot, .po and .mo are complete and up to date

Every step is ``pybabel`` (``babel.messages.frontend``) with this project's options; the
checks read the catalogues with ``babel.messages.pofile`` / ``mofile``. The .po files keep
long lines unwrapped (``--no-wrap``) and French its two plural forms (``n > 1``), as GNU
gettext has them (Babel's CLDR data would give three).
"""

from __future__ import annotations

import contextlib
import io
import os
import string
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "crm_tui" / "locale"
DOMAIN = "crm_tui"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
MAPPING = ROOT / "babel.cfg"
PROJECT = "crm-tui"
COPYRIGHT_HOLDER = "crm-tui developers"
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}
"""The Plural-Forms each language's .po keeps (GNU gettext's rule for French)."""


def _version() -> str:
    import tomllib

    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


@contextlib.contextmanager
def _in_root() -> Iterator[None]:
    """pybabel names files relative to the working folder: run it from the repository."""
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def pybabel(*arguments: str) -> None:
    """Run ``pybabel ARGUMENTS`` in the repository; a failure raises ``SystemExit``."""
    with _in_root():
        status = CommandLineInterface().run(["pybabel", *arguments])
    if status:
        raise SystemExit(status)


def extract(output: Path = TEMPLATE) -> Path:
    """Extract every ``_()`` / ``ngettext`` / ``N_`` message of ``crm_tui/`` into ``output``."""
    pybabel(
        "extract",
        f"--mapping-file={MAPPING}",
        "--no-wrap",
        "--add-comments=Translators:",
        f"--project={PROJECT}",
        f"--version={_version()}",
        f"--copyright-holder={COPYRIGHT_HOLDER}",
        f"--output-file={output}",
        ".",
    )
    return output


def fresh_template() -> Catalog:
    """The catalogue a fresh extraction of the code gives now (nothing is written)."""
    with tempfile.TemporaryDirectory() as folder:
        path = extract(Path(folder) / f"{DOMAIN}.pot")
        with path.open("rb") as stream:
            return read_po(stream)


def po_files() -> list[Path]:
    """Each language's .po, in order."""
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _language_of(po_file: Path) -> str:
    return po_file.parent.parent.name


def read_catalogue(path: Path) -> Catalog:
    """A .po or .pot file, read by Babel."""
    with path.open("rb") as stream:
        return read_po(stream, locale=_language_of(path) if path.suffix == ".po" else None)


def _keep_plural_forms(po_file: Path) -> None:
    """Put back the language's Plural-Forms if an update changed them."""
    expected = PLURAL_FORMS.get(_language_of(po_file))
    catalogue = read_catalogue(po_file)
    if expected is None or catalogue.plural_forms == expected:
        return
    text = po_file.read_text(encoding="utf-8")
    po_file.write_text(
        text.replace(
            f'"Plural-Forms: {catalogue.plural_forms}\\n"', f'"Plural-Forms: {expected}\\n"', 1
        ),
        encoding="utf-8",
    )


def update() -> None:
    """Extract, merge the new template into each .po (``pybabel update``), then compile."""
    extract()
    pybabel(
        "update",
        f"--input-file={TEMPLATE}",
        f"--output-dir={LOCALE_DIR}",
        f"--domain={DOMAIN}",
        "--no-wrap",
        "--ignore-obsolete",
    )
    for po_file in po_files():
        _keep_plural_forms(po_file)
    compile_catalogues()


def compile_catalogues() -> None:
    """Compile each .po into the .mo beside it (``pybabel compile``; fuzzy ones left out)."""
    pybabel("compile", "--statistics", f"--directory={LOCALE_DIR}", f"--domain={DOMAIN}")


def compiled(catalogue: Catalog) -> bytes:
    """``catalogue`` as ``pybabel compile`` writes it into a .mo."""
    stream = io.BytesIO()
    write_mo(stream, catalogue)
    return stream.getvalue()


def _key(message: Message) -> str | tuple[str, ...]:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def message_texts(catalogue: Catalog) -> dict[object, object]:
    """``{msgid: msgstr}`` of a catalogue's translated messages (the header left out)."""
    return {
        (message.context, _key(message)): message.string
        for message in catalogue
        if message.id and message.string and not message.fuzzy
    }


def compiled_texts(mo_file: Path) -> dict[object, object]:
    """``{msgid: msgstr}`` of a compiled .mo, read back by Babel."""
    with mo_file.open("rb") as stream:
        return message_texts(read_mo(stream))


def expected_compiled_texts(po_file: Path) -> dict[object, object]:
    """``{msgid: msgstr}`` the .mo of ``po_file`` must hold: compiled in memory, read back."""
    return message_texts(read_mo(io.BytesIO(compiled(read_catalogue(po_file)))))


def source_ids(catalogue: Catalog) -> set[str | tuple[str, ...]]:
    """The message ids of a catalogue (a plural message: its singular and plural)."""
    return {_key(message) for message in catalogue if message.id}


def placeholders(text: str) -> set[str] | None:
    """The ``{names}`` of a ``str.format`` message; ``None`` if its braces are broken."""
    try:
        return {
            name.split(".")[0].split("[")[0]
            for _literal, name, _spec, _conversion in string.Formatter().parse(text)
            if name is not None
        }
    except ValueError:
        return None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _ids(message: Message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


def _strings(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def translation_problems(catalogue: Catalog, template: Catalog, where: str) -> list[Problem]:
    """What ``catalogue`` (a language's .po) lacks for ``template``'s messages.

    Each message: translated, not fuzzy, every plural form, the same ``{placeholders}``
    (the singular form may leave out the count), and Babel's own checks (``%`` formats).
    """
    problems: list[Problem] = []
    expected_forms = catalogue.num_plurals
    for wanted in template:
        if not wanted.id:
            continue
        message = catalogue.get(wanted.id, context=wanted.context)
        label = repr(_ids(wanted)[0])
        if message is None or not any(_strings(message)):
            problems.append(Problem(where, f"no translation for {label}"))
            continue
        if message.fuzzy:
            problems.append(Problem(where, f"fuzzy translation for {label}"))
        strings = _strings(message)
        if wanted.pluralizable and (len(strings) != expected_forms or not all(strings)):
            problems.append(
                Problem(where, f"{label}: {expected_forms} plural forms wanted, got {strings!r}")
            )
        if "python-brace-format" in wanted.flags:
            problems.extend(_placeholder_problems(wanted, strings, where, label))
        if not any("%" in text for text in _ids(wanted)) and any("%" in s for s in strings):
            # argparse %-formats --help texts: a lone % there stops the command line
            problems.append(Problem(where, f"{label}: a % the source does not have"))
    for message, errors in catalogue.check():
        for error in errors:
            problems.append(Problem(where, f"{_ids(message)[0]!r}: {error}"))
    return problems


def _placeholder_problems(
    wanted: Message, strings: list[str], where: str, label: str
) -> Iterator[Problem]:
    sources = [placeholders(text) for text in _ids(wanted)]
    every = set().union(*(names for names in sources if names is not None))
    last = sources[-1] or set()
    for index, text in enumerate(strings):
        names = placeholders(text)
        if names is None:
            yield Problem(where, f"{label}: unbalanced braces in {text!r}")
        elif not names <= every:
            yield Problem(where, f"{label}: unknown {sorted(names - every)} in {text!r}")
        elif index == len(strings) - 1 and names != last:
            yield Problem(where, f"{label}: {sorted(last - names)} missing from {text!r}")


def template_problems(committed: Catalog, fresh: Catalog) -> list[Problem]:
    """Messages the code has and the committed .pot lacks, or the other way round."""
    where = TEMPLATE.relative_to(ROOT).as_posix()
    missing = source_ids(fresh) - source_ids(committed)
    stale = source_ids(committed) - source_ids(fresh)
    return [
        *(
            Problem(where, f"not extracted: {msgid!r} (run: python -m tools.catalogue update)")
            for msgid in sorted(missing, key=str)
        ),
        *(Problem(where, f"no longer in the code: {msgid!r}") for msgid in sorted(stale, key=str)),
    ]


def compiled_problems(po_file: Path) -> list[Problem]:
    """Whether the .mo beside ``po_file`` holds exactly its translations."""
    mo_file = po_file.with_suffix(".mo")
    where = mo_file.relative_to(ROOT).as_posix()
    if not mo_file.exists():
        return [Problem(where, "missing (run: python -m tools.catalogue compile)")]
    expected, actual = expected_compiled_texts(po_file), compiled_texts(mo_file)
    problems = [
        Problem(where, f"{key[1]!r} is {actual.get(key)!r}, the .po says {text!r}")
        for key, text in expected.items()
        if actual.get(key) != text
    ]
    problems += [
        Problem(where, f"{key[1]!r} is no longer in the .po") for key in actual.keys() - expected
    ]
    return problems


def all_problems(fresh: Catalog | None = None) -> list[Problem]:
    """Everything ``check`` reports: the .pot, each .po, each .mo."""
    fresh = fresh_template() if fresh is None else fresh
    problems = template_problems(read_catalogue(TEMPLATE), fresh)
    for po_file in po_files():
        where = po_file.relative_to(ROOT).as_posix()
        catalogue = read_catalogue(po_file)
        problems += translation_problems(catalogue, fresh, where)
        expected = PLURAL_FORMS.get(_language_of(po_file))
        if expected is not None and catalogue.plural_forms != expected:
            problems.append(Problem(where, f"Plural-Forms is {catalogue.plural_forms!r}"))
        problems += compiled_problems(po_file)
    return problems


def _print(lines: Iterable[object]) -> int:
    count = 0
    for line in lines:
        print(line)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.catalogue extract|update|compile|check``."""
    arguments = sys.argv[1:] if argv is None else argv
    command = arguments[0] if arguments else ""
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        compile_catalogues()
    elif command == "check":
        from tools.untranslated import find_untranslated

        count = _print(all_problems()) + _print(find_untranslated())
        print(f"{count} problems", file=sys.stderr)
        return 1 if count else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
