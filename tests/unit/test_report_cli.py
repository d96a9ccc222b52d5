"""``crm-tui report pipeline``: one row per in-sequence status, exact sums, errors in one line.

Settings and notes of their own (French names, two currency variables, a status out of
the sequence), imported through the command line as a user would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_exchange_support import new_target, run_cli

SETTINGS = {
    "statuses": [
        {"name": "Piste", "abbreviation": "PIS", "font_color": "#FFFFFF",
         "background_color": "#1E88E5", "in_sequence": True},
        {"name": "=Devis", "abbreviation": "DEV", "font_color": "#000000",
         "background_color": "#FFC107", "in_sequence": True},
        {"name": "Perdu", "abbreviation": "PER", "font_color": "#FFFFFF",
         "background_color": "#C62828", "in_sequence": False},
        {"name": "Gagné", "abbreviation": "GAG", "font_color": "#FFFFFF",
         "background_color": "#388E3C", "in_sequence": True},
    ],
    "actions": [{"name": "Appel", "abbreviation": "APP", "font_color": "#000000",
                 "background_color": "#FFEB3B"}],
    "variables": [
        {"name": "Montant", "type": "currency"},
        {"name": "Remise", "type": "currency"},
        {"name": "Région", "type": "dropdown", "options": [
            {"name": "Nord", "abbreviation": "N", "font_color": "#000000",
             "background_color": "#FFFFFF", "in_sequence": True},
            {"name": "Sud", "abbreviation": "S", "font_color": "#000000",
             "background_color": "#FFFFFF", "in_sequence": True}]},
        {"name": "Clôture", "type": "date"},
    ],
}  # fmt: skip

# customer, status, created_at, Montant, Remise, Région, Clôture (oldest first per customer)
NOTES = [
    ("Alpha", "Piste", "2026-10-01T09:00:00", "100.10", "", "Nord", ""),
    ("Alpha", "=Devis", "2026-10-02T09:00:00", "", "5", "", "2027-01-10"),  # amount 100.10
    ("Alpha", "", "2026-10-03T09:00:00", "", "", "Sud", ""),  # no status: still =Devis
    ("Bravo", "=Devis", "2026-10-01T10:00:00", "0.10", "", "Nord", ""),
    ("Bravo", "=Devis", "2026-10-04T10:00:00", "0.20", "", "", ""),  # newest: 0.20
    ("Charlie", "Gagné", "2026-10-01T11:00:00", "99999999.99", "", "Sud", ""),
    ("Delta", "Perdu", "2026-10-01T12:00:00", "500.00", "", "Nord", ""),  # out of sequence
    ("Echo", "Piste", "2026-10-01T13:00:00", "", "", "", ""),  # no amount
    ("Echo", "Gagné", "2026-09-01T13:00:00", "7.00", "", "", ""),  # older: its amount
    ("Foxtrot", "Piste", "2026-10-01T14:00:00", "", "", "", ""),  # no amount at all
]


def _csv_cell(text: str) -> str:
    return f'"{text}"' if "," in text else text


@pytest.fixture
def crm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    target = new_target(tmp_path)
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps(SETTINGS), encoding="utf-8")
    assert (
        run_cli(capsys, "--db", target, "--user", "ana", "settings", "import", settings).code == 0
    )
    assert run_cli(capsys, "--db", target, "--user", "ana", "users", "add", "rob").code == 0
    notes = tmp_path / "notes.csv"
    lines = [
        "customer,action,status,assignee,follow_up,created_at,body,Montant,Remise,Région,Clôture"
    ]
    for customer, status, created, amount, discount, region, closing in NOTES:
        assignee = "rob" if customer in ("Alpha", "Charlie") else "ana"
        cells = [customer, "Appel", "'" + status if status.startswith("=") else status,
                 assignee, "", created, "note", amount, discount, region, closing]  # fmt: skip
        lines.append(",".join(_csv_cell(cell) for cell in cells))
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli(capsys, "--db", target, "--user", "ana", "import", "notes", notes).code == 0
    return target


def report(capsys: pytest.CaptureFixture[str], target: str, *argv: str, user: str = "rob"):
    return run_cli(capsys, "--db", target, "--user", user, "report", "pipeline", *argv)


def test_one_row_per_stage_in_sequence_order_with_exact_sums(capsys, crm: str) -> None:
    result = report(capsys, crm, "--sum", "Montant")
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out == (
        "status,customers,sum\n"
        "Piste,2,7.00\n"  # Echo (newest status Piste, amount of an older note), Foxtrot
        "'=Devis,2,100.30\n"  # Alpha 100.10 (older note), Bravo 0.20 (newest); spreadsheet-safe
        "Gagné,1,99999999.99\n"  # Charlie; Echo's Gagné is older than its Piste
    )


def test_without_sum_the_column_says_zero(capsys, crm: str) -> None:
    result = report(capsys, crm)
    assert result.out.splitlines() == [
        "status,customers,sum",
        "Piste,2,0.00",
        "'=Devis,2,0.00",
        "Gagné,1,0.00",
    ]


def test_json_has_the_same_keys_and_exact_decimal_strings(capsys, crm: str) -> None:
    result = report(capsys, crm, "--sum", "remise", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {"status": "Piste", "customers": 2, "sum": "0.00"},
        {"status": "=Devis", "customers": 2, "sum": "5.00"},
        {"status": "Gagné", "customers": 1, "sum": "0.00"},
    ]


def test_where_filters_customers_by_their_current_values(capsys, crm: str) -> None:
    by_region = report(capsys, crm, "--sum", "Montant", "--where", "Région=Nord")
    assert by_region.out.splitlines()[1:] == ["Piste,0,0.00", "'=Devis,1,0.20", "Gagné,0,0.00"]
    by_amount = report(
        capsys, crm, "--sum", "Montant", "--where", "Montant>=1", "--where", "assignee=rob"
    )
    assert by_amount.out.splitlines()[1:] == [
        "Piste,0,0.00",
        "'=Devis,1,100.10",
        "Gagné,1,99999999.99",
    ]
    blank = report(capsys, crm, "--sum", "Montant", "--where", "Montant=")
    assert blank.out.splitlines()[1:] == ["Piste,1,0.00", "'=Devis,0,0.00", "Gagné,0,0.00"]
    by_status = report(capsys, crm, "--where", "status!=Piste", "--where", "Clôture>=2027-01-01")
    assert by_status.out.splitlines()[1:] == ["Piste,0,0.00", "'=Devis,1,0.00", "Gagné,0,0.00"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--sum", "Nope"), "--sum: 'Nope' is not a variable; currency variables are: Montant,"),
        (("--sum", "Région"), "--sum: 'Région' is not a currency variable; currency"),
        (("--where", "Couleur=bleu"), "--where 'Couleur=bleu': Couleur: unknown column"),
        (("--where", "Montant>abc"), "--where 'Montant>abc': Montant:"),
        (("--where", "Région<Nord"), "needs a column with an order"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line_on_stderr(capsys, crm: str, argv, expected: str) -> None:
    result = report(capsys, crm, *argv)
    assert result.code == 1
    assert result.out == ""
    assert len(result.error_lines) == 1
    assert result.error_lines[0].startswith("crm-tui: error: ")
    assert expected in result.error_lines[0]


def test_an_unknown_report_is_a_usage_error(capsys, crm: str) -> None:
    result = run_cli(capsys, "--db", crm, "--user", "rob", "report", "funnel")
    assert result.code == 2
    assert len(result.error_lines) == 1


def test_an_empty_database_reports_every_stage_at_zero(capsys, tmp_path: Path) -> None:
    target = new_target(tmp_path)
    result = run_cli(capsys, "--db", target, "--user", "ana", "report", "pipeline")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "status,customers,sum"
    assert lines[1:] and all(line.endswith(",0,0.00") for line in lines[1:])
