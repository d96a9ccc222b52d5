"""A new database in French starts with the seed's statuses and actions; in English, English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from crm_tui.cli.parser import build_parser
from crm_tui.domain import settings, users
from crm_tui.domain.settings import (
    STARTER_ACTIONS,
    STARTER_ACTIONS_FR,
    STARTER_STATUSES,
    STARTER_STATUSES_FR,
    ensure_starter_settings,
    load_settings,
)
from crm_tui.domain.text import ABBREVIATION_MAX, fold
from crm_tui.i18n import set_language

FRENCH_STATUSES = [
    "Prospect",
    "Actif",
    "Client",
    "En attente d'approbation",
    "En attente",
    "Aucune réponse",
    "Inactif",
    "Terminé",
]
FRENCH_ACTIONS = [
    "Appel",
    "Courriel",
    "Fax",
    "Envoyer un échantillon",
    "Expédier",
    "Suivi de commande",
]
ENGLISH_STATUSES = [row[0] for row in STARTER_STATUSES]
ENGLISH_ACTIONS = [row[0] for row in STARTER_ACTIONS]


@pytest.fixture
def french() -> Iterator[None]:
    """French in force for the test, English again after."""
    set_language("fr")
    try:
        yield
    finally:
        set_language("en")


def _names() -> tuple[list[str], list[str]]:
    current = load_settings()
    return [b.name for b in current.statuses], [b.name for b in current.actions]


def test_a_new_database_opened_in_french_gets_the_seeds_words(
    database: peewee.Database, french: None
) -> None:
    assert ensure_starter_settings() is True
    current = load_settings()
    assert [b.name for b in current.statuses] == FRENCH_STATUSES
    assert [b.abbreviation for b in current.statuses] == [
        "PROS", "ACT", "CLI", "APPR", "ATT", "SREP", "INAC", "TERM",
    ]  # fmt: skip
    assert [b.name for b in current.actions] == FRENCH_ACTIONS
    assert [b.abbreviation for b in current.actions] == ["APP", "COUR", "FAX", "ECH", "EXP", "SUIV"]
    assert [b.in_sequence for b in current.statuses] == [True] * 4 + [False] * 4


def test_a_new_database_opened_in_english_is_unchanged(database: peewee.Database) -> None:
    assert ensure_starter_settings() is True
    assert _names() == (
        [
            "Prospect", "Active", "Client", "Awaiting approval",
            "On hold", "No answer", "Inactive", "Done",
        ],
        ["Call", "E-mail", "Fax", "Send sample", "Ship", "Order follow-up"],
    )  # fmt: skip
    assert [b.abbreviation for b in load_settings().statuses][:3] == ["PRO", "ACT", "CLT"]


def test_the_french_set_mirrors_the_english_one_row_for_row() -> None:
    for english, french in zip(STARTER_STATUSES, STARTER_STATUSES_FR, strict=True):
        assert english[2:] == french[2:]  # colours and in sequence
    for english, french in zip(STARTER_ACTIONS, STARTER_ACTIONS_FR, strict=True):
        assert english[2:] == french[2:]
    for rows in (STARTER_STATUSES_FR, STARTER_ACTIONS_FR):
        abbreviations = [row[1] for row in rows]
        assert all(0 < len(a) <= ABBREVIATION_MAX for a in abbreviations)
        assert len({fold(a) for a in abbreviations}) == len(rows)
        assert len({fold(row[0]) for row in rows}) == len(rows)


def test_the_set_is_added_once_in_the_first_language(
    database: peewee.Database, french: None
) -> None:
    assert ensure_starter_settings() is True
    set_language("en")  # a second person, in English, opens the same database
    assert ensure_starter_settings() is False
    assert _names() == (FRENCH_STATUSES, FRENCH_ACTIONS)


def test_a_database_with_settings_gets_no_starter_set(
    database: peewee.Database, french: None
) -> None:
    admin = users.create_user(None, "Ana")
    settings.create_variable(admin, name="Région", type="text")
    assert ensure_starter_settings() is False
    assert _names() == ([], [])


# --- from the command line ------------------------------------------------------------------


def _environment(**language: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.pop("CRM_TUI_DATABASE", None)
    env.update(language)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def _exported_settings(done: subprocess.CompletedProcess[str]) -> tuple[list[str], list[str]]:
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return [s["name"] for s in data["statuses"]], [a["name"] for a in data["actions"]]


def export_settings_command(target: str) -> list[str]:
    """The command (after the program) that opens ``target`` and prints its settings."""
    return ["--db", target, "--user", "Ana", "settings", "export", "-"]


def _database_target(tmp_path: Path) -> str:
    if os.environ.get("CRM_TEST_DATABASE_URL"):
        from tests.conftest import POSTGRES_URL, reset_postgres

        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return str(tmp_path / "new.sqlite3")


# The language from the environment, as the command line will set it (part of the catalogue
# work: ``set_language(None)`` at start-up); here set by the script itself.
ENVIRONMENT_SCRIPT = (
    "import sys\n"
    "from crm_tui.i18n import set_language\n"
    "set_language(None)\n"
    "from crm_tui.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr_FR.UTF-8", (FRENCH_STATUSES, FRENCH_ACTIONS)),
        ("fr_CA.UTF-8", (FRENCH_STATUSES, FRENCH_ACTIONS)),
        ("C", (ENGLISH_STATUSES, ENGLISH_ACTIONS)),
        ("en_US.UTF-8", (ENGLISH_STATUSES, ENGLISH_ACTIONS)),
    ],
)
def test_the_environments_language_picks_the_starter_set(
    tmp_path: Path, lang: str, expected: tuple[list[str], list[str]]
) -> None:
    target = _database_target(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", ENVIRONMENT_SCRIPT, *export_settings_command(target)],
        capture_output=True,
        text=True,
        env=_environment(LANG=lang),
        cwd=tmp_path,
        timeout=120,
    )
    assert _exported_settings(done) == expected


def _cli_chooses_the_language() -> bool:
    return "--lang" in build_parser().format_help()


@pytest.mark.skipif(
    not _cli_chooses_the_language(), reason="crm-tui --lang comes with the catalogue work"
)
@pytest.mark.parametrize(
    ("options", "lang", "expected"),
    [
        ([], "fr_FR.UTF-8", (FRENCH_STATUSES, FRENCH_ACTIONS)),
        (["--lang", "fr"], "C", (FRENCH_STATUSES, FRENCH_ACTIONS)),
        ([], "C", (ENGLISH_STATUSES, ENGLISH_ACTIONS)),
        (["--lang", "en"], "fr_FR.UTF-8", (ENGLISH_STATUSES, ENGLISH_ACTIONS)),
    ],
)
def test_crm_tui_in_french_starts_a_new_database_in_french(
    tmp_path: Path, options: list[str], lang: str, expected: tuple[list[str], list[str]]
) -> None:
    target = _database_target(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "crm_tui", *options, *export_settings_command(target)],
        capture_output=True,
        text=True,
        env=_environment(LANG=lang),
        cwd=tmp_path,
        timeout=120,
    )
    assert _exported_settings(done) == expected


def test_people_opening_a_new_database_together_get_one_set_in_one_language(
    tmp_path: Path,
) -> None:
    target = _database_target(tmp_path)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ENVIRONMENT_SCRIPT, *export_settings_command(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(LANG=lang),
            cwd=tmp_path,
        )
        for lang in ("fr_FR.UTF-8", "C", "fr_CA.UTF-8", "en_US.UTF-8")
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    exported = [_exported_settings(done) for done in results]
    assert exported[0] in [(FRENCH_STATUSES, FRENCH_ACTIONS), (ENGLISH_STATUSES, ENGLISH_ACTIONS)]
    assert exported == [exported[0]] * 4
