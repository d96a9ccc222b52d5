"""Concurrent writers lose nothing (issue 10, case 6), on SQLite and on PostgreSQL.

Four command-line imports run at once, each in its own process, sharing customer names
that do not exist yet. Run with ``CRM_TEST_DATABASE_URL`` for PostgreSQL.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import peewee

from crm_tui.domain.settings import ensure_starter_settings
from crm_tui.domain.users import create_user
from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]
USERS = ("ana", "bob", "cy", "dee")
LINES = 500
CUSTOMERS = 97
IMPORT = ("import", "notes")


def target_of(tmp_path: Path) -> str:
    """The database the ``database`` fixture opened, as ``--db`` names it."""
    return POSTGRES_URL or str(tmp_path / "test.sqlite3")


def write_csv(path: Path, tag: str, round_number: int) -> Path:
    """``LINES`` notes by ``tag``, about customers every file of the round shares."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["customer", "action", "status", "created_at", "body"])
        for number in range(LINES):
            out.writerow(
                [
                    f"Round {round_number} customer {number % CUSTOMERS}",
                    "Call",
                    "Prospect",
                    "",  # now: every process writes in the same seconds
                    f"{tag} round {round_number} note {number}",
                ]
            )
    return path


def run_imports(target: str, files: list[tuple[str, Path]]) -> None:
    """Run one ``import notes`` per user at once; every one must succeed."""
    run_commands(target, [(user, (*IMPORT, str(path))) for user, path in files])


def run_commands(target: str, commands: list[tuple[str, tuple[str, ...]]]) -> None:
    """Run each ``crm-tui --user USER ARGS…`` at once; every one must succeed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CRM_TUI_DEBUG", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "crm_tui", "--db", target, "--user", user, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for user, args in commands
    ]
    results = [process.communicate(timeout=300) for process in processes]
    failed = [err for (_out, err), p in zip(results, processes, strict=True) if p.returncode != 0]
    assert failed == []


def scalar(database: peewee.Database, sql: str, *params: object) -> int:
    return database.execute_sql(sql.replace("?", database.param), params).fetchone()[0]


def test_four_concurrent_imports_sharing_new_customers_lose_nothing(
    database: peewee.Database, tmp_path: Path
) -> None:
    ana = create_user(None, "ana")
    for name in USERS[1:]:
        create_user(ana, name, role="rep")
    ensure_starter_settings()
    target = target_of(tmp_path)
    for round_number in (1, 2, 3):
        files = [
            (user, write_csv(tmp_path / f"{user}-{round_number}.csv", user, round_number))
            for user in USERS
        ]
        run_imports(target, files)
        assert scalar(database, "SELECT COUNT(*) FROM note") == round_number * LINES * len(USERS)
        for user in USERS:
            mine = f"{user} round {round_number} %"
            assert scalar(database, "SELECT COUNT(*) FROM note WHERE body LIKE ?", mine) == LINES
        assert scalar(database, "SELECT COUNT(*) FROM customer") == round_number * CUSTOMERS
        assert scalar(database, "SELECT COUNT(DISTINCT name_key) FROM customer") == (
            round_number * CUSTOMERS
        )
    assert scalar(database, "SELECT COUNT(DISTINCT id) FROM note") == 3 * LINES * len(USERS)


def test_four_concurrent_imports_into_a_brand_new_database(
    database: peewee.Database, tmp_path: Path
) -> None:
    """No user and no settings yet: the first to arrive adds them, the others use them."""
    target = target_of(tmp_path)
    database.close()
    files = [write_csv(tmp_path / f"new-{n}.csv", f"copy{n}", 1) for n in range(4)]
    run_imports(target, [("ana", path) for path in files])
    database.connect(reuse_if_open=True)
    assert scalar(database, "SELECT COUNT(*) FROM note") == 4 * LINES
    assert scalar(database, "SELECT COUNT(*) FROM customer") == CUSTOMERS
    assert scalar(database, 'SELECT COUNT(*) FROM "user"') == 1
    assert scalar(database, "SELECT COUNT(*) FROM status") == scalar(
        database, "SELECT COUNT(DISTINCT name_key) FROM status"
    )


def test_four_concurrent_settings_imports_of_new_items_lose_nothing(
    database: peewee.Database, tmp_path: Path
) -> None:
    """Statuses, actions, variables and options an import adds: each once, no failure."""
    create_user(None, "ana")
    ensure_starter_settings()
    document = {
        "statuses": [
            {"name": f"Stage {n}", "abbreviation": f"S{n}", "font_color": "#000000",
             "background_color": "#FFFFFF", "in_sequence": True}
            for n in range(20)
        ],
        "actions": [
            {"name": f"Step {n}", "abbreviation": f"A{n}", "font_color": "#000000",
             "background_color": "#FFFFFF"}
            for n in range(20)
        ],
        "variables": [
            {"name": "Region", "type": "dropdown",
             "options": [{"name": f"Zone {n}", "abbreviation": f"Z{n}", "font_color": "#000000",
                          "background_color": "#FFFFFF", "in_sequence": False}
                         for n in range(20)]},
        ],
    }  # fmt: skip
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run_commands(target_of(tmp_path), [("ana", ("settings", "import", str(path)))] * 4)
    for table in ("status", "action", "variable", "option"):
        total = scalar(database, f'SELECT COUNT(*) FROM "{table}"')
        assert total == scalar(database, f'SELECT COUNT(DISTINCT name_key) FROM "{table}"')
    assert scalar(database, "SELECT COUNT(*) FROM status WHERE name LIKE ?", "Stage %") == 20
    assert scalar(database, "SELECT COUNT(*) FROM option WHERE name LIKE ?", "Zone %") == 20


def test_four_concurrent_customer_imports_of_the_same_new_names_lose_nothing(
    database: peewee.Database, tmp_path: Path
) -> None:
    create_user(None, "ana")
    ensure_starter_settings()
    path = tmp_path / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "email", "phone"])
        out.writerows([f"New customer {n}", f"c{n}@example.com", ""] for n in range(300))
    run_commands(target_of(tmp_path), [("ana", ("import", "customers", str(path)))] * 4)
    assert scalar(database, "SELECT COUNT(*) FROM customer") == 300
    assert scalar(database, "SELECT COUNT(DISTINCT name_key) FROM customer") == 300
