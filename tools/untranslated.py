"""Find user-visible strings in ``crm_tui/`` that bypass ``_()`` / ``ngettext`` / ``N_``.

An AST scan: a string literal with letters (or an f-string, a ``"…".format()``, a
``"…" % x``, a ``"…" + x`` with letters in its literal parts) in a position the user reads
is an offender unless it is wrapped in ``_()``, ``ngettext`` or ``N_``. The positions:

- the text arguments of ``notify``, ``Label``, ``Static``, ``Button``, ``Text``, ``Content``,
  ``Option``, ``RadioButton``, ``TabPane``, ``add_column``, ``SystemCommand``, ``Hit``,
  ``update`` (of a Static), ``from_markup``, ``styled``, ``assemble`` (its ``(text, style)``
  pairs too), ``getpass``/``input`` prompts, and the command line's ``say`` / ``error_line``;
- ``Binding(key, action, description)``'s description;
- the keywords ``title=``, ``sub_title=``, ``tooltip=``, ``placeholder=``, ``help=``,
  ``description=``, ``epilog=``, ``prompt=``, ``label=``, ``message=``;
- assignments to ``.title``, ``.sub_title``, ``.border_title``, ``.border_subtitle``,
  ``.tooltip``;
- ``add_argument_group(title, description)``; ``print(…)`` in ``crm_tui/cli``;
- every argument of an exception the user reads: ``DomainError`` and its subclasses
  (``ValidationError(field, problem)``…), ``CommandError``, ``UsageError``,
  ``DatabaseOpenError``, ``ArgumentTypeError``, and any class deriving from them;
- ``_(f"…")``, ``_("…" + x)``, ``_("…".format(…))``, and ``f"{_('…')}"`` (a ``_()`` inside
  an f-string): the extractor cannot see them.

``ALLOWED`` lists, with the reason, the literals in those positions that are not words.
Run ``python -m tools.untranslated`` to list the offenders.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crm_tui"

TRANSLATORS = frozenset({"_", "ngettext", "N_", "gettext"})
"""Calls that put their literal arguments in the catalogue."""

TEXT_CALLS = frozenset(
    {
        "notify",
        "Label",
        "Static",
        "Button",
        "Text",
        "Content",
        "Option",
        "RadioButton",
        "TabPane",
        "add_column",
        "SystemCommand",
        "Hit",
        "DiscoveryHit",
        "getpass",
        "input",
        "say",
        "error_line",
        "add_argument_group",
        "update",  # Static.update / Label.update
        "from_markup",
        "styled",
        "assemble",  # Text.assemble("…", ("…", style))
    }
)
"""Calls whose positional string arguments are shown to the user."""

TEXT_KEYWORDS = frozenset(
    {
        "title",
        "sub_title",
        "tooltip",
        "placeholder",
        "help",
        "description",
        "epilog",
        "prompt",
        "label",
        "message",
    }
)
"""Keyword arguments shown to the user, whatever the call."""

TEXT_ATTRIBUTES = frozenset({"title", "sub_title", "border_title", "border_subtitle", "tooltip"})
"""Attributes whose assigned value is shown to the user."""

USER_ERRORS = frozenset(
    {"DomainError", "CommandError", "UsageError", "DatabaseOpenError", "ArgumentTypeError"}
)
"""Exceptions whose message the user reads; their subclasses are found in the code."""

CLI_PACKAGE = "crm_tui/cli/"
UI_PACKAGE = "crm_tui/ui/"

ALLOWED: dict[str, str] = {
    # literal (stripped) -> why it is not a word to translate
    "crm-tui": "the program's name",
    "#RRGGBB": "how a colour is typed (hex digits), the same in every language",
}
"""Literals in user-visible positions that are not words (names, key names, CSS ids…)."""

JSON_KEYS = re.compile(r"\.[a-z_]+\b")
"""A settings file's key after a path (``{path}.type``): the file's words, not the user's."""

LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Finding:
    """One literal the user would read untranslated."""

    path: str
    line: int
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.where}: {self.text!r}"


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _has_words(text: str) -> bool:
    return bool(LETTERS.search(JSON_KEYS.sub("", text))) and text.strip() not in ALLOWED


def _literal_parts(node: ast.expr) -> Iterator[tuple[ast.expr, str]]:
    """The untranslated literal text ``node`` shows, part by part (nothing if wrapped)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        if _has_words(text):
            yield node, ast.unparse(node)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        yield from _literal_parts(node.left)
        if isinstance(node.op, ast.Add):
            yield from _literal_parts(node.right)
    elif isinstance(node, ast.Tuple) and node.elts:
        yield from _literal_parts(node.elts[0])  # Text.assemble's ("text", style)
    elif isinstance(node, ast.IfExp):
        yield from _literal_parts(node.body)
        yield from _literal_parts(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literal_parts(value)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        yield from _literal_parts(node.func.value)  # "…".format(…): the literal is shown


def _user_errors(trees: dict[str, ast.Module]) -> set[str]:
    """``USER_ERRORS`` and every class in the code deriving from one of them."""
    known = set(USER_ERRORS)
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in known
                    and any(_call_name(base) in known for base in node.bases)
                ):
                    known.add(node.name)
                    grew = True
    return known


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, errors: set[str]) -> None:
        self.path = path
        self.errors = errors
        self.findings: list[Finding] = []
        self.in_f_string = 0

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.in_f_string += 1
        self.generic_visit(node)
        self.in_f_string -= 1

    def _check(self, node: ast.expr, where: str) -> None:
        for part, text in _literal_parts(node):
            if _has_words(text):
                self.findings.append(Finding(self.path, part.lineno, where, text))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in TRANSLATORS:
            if self.in_f_string:
                self.findings.append(
                    Finding(
                        self.path,
                        node.lineno,
                        f"{name}() inside an f-string (the extractor cannot see it)",
                        ast.unparse(node),
                    )
                )
            messages = node.args[:2] if name == "ngettext" else node.args[:1]
            for argument in messages:
                if isinstance(argument, (ast.JoinedStr, ast.BinOp, ast.Call)):
                    self.findings.append(
                        Finding(
                            self.path,
                            argument.lineno,
                            f"{name}() of a built string (the extractor cannot see it)",
                            ast.unparse(argument),
                        )
                    )
            return  # literals inside are translated
        positional: list[ast.expr] = []
        if name == "add_column" and not self.path.startswith(UI_PACKAGE):
            pass  # a database column (migrations), not a table's header
        elif name in TEXT_CALLS or name in self.errors:
            positional = list(node.args)
        elif name == "Binding":
            positional = list(node.args[2:3])
        elif name == "print" and self.path.startswith(CLI_PACKAGE):
            positional = list(node.args)
        for argument in positional:
            self._check(argument, f"{name}()")
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS:
                self._check(keyword.value, f"{name}({keyword.arg}=)")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr in TEXT_ATTRIBUTES:
                self._check(node.value, f".{target.attr} =")
        self.generic_visit(node)


def find_untranslated(package: Path = PACKAGE) -> list[Finding]:
    """Every user-visible literal under ``package`` that bypasses the catalogue."""
    trees = {
        path.relative_to(package.parent).as_posix(): ast.parse(path.read_text(), str(path))
        for path in sorted(package.rglob("*.py"))
    }
    errors = _user_errors(trees)
    findings: list[Finding] = []
    for path, tree in trees.items():
        scanner = _Scanner(path, errors)
        scanner.visit(tree)
        findings.extend(scanner.findings)
    return findings


def main() -> int:
    findings = find_untranslated()
    for finding in findings:
        print(finding)
    print(f"{len(findings)} untranslated user-visible strings", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
