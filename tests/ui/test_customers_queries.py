"""``crm_tui.domain.customer_queries``: search, keyset blocks, positions and current status."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.db.models import Customer
from crm_tui.domain import customer_queries as cq
from crm_tui.domain.customers import get_or_create_customers
from crm_tui.domain.notes import NoteInput, create_note
from crm_tui.domain.settings import ensure_starter_settings, load_settings
from crm_tui.domain.users import create_user


@pytest.fixture
def many(database) -> list[str]:
    """450 customers named ``Customer 000`` … ``Customer 449`` plus a few others."""
    names = [f"Customer {n:03d}" for n in range(450)]
    get_or_create_customers([*names, "Émile Dubois", "Emilie Roy", "Eric Blanc", "100% Co"])
    return names


def test_blocks_page_by_keyset_and_by_offset(many) -> None:
    total = cq.count_customers()
    assert total == 454
    first = cq.customer_block(limit=cq.BLOCK)
    assert [row.name for row in first[:2]] == ["100% Co", "Customer 000"]
    after = cq.customer_block(after=first[-1].name_key, limit=cq.BLOCK)
    at = cq.customer_block(offset=cq.BLOCK, limit=cq.BLOCK)
    assert after == at
    last = cq.customer_block(offset=2 * cq.BLOCK)
    assert len(last) == total - 2 * cq.BLOCK
    assert [row.name for row in last[-4:]] == [
        "Customer 449",
        "Émile Dubois",
        "Emilie Roy",
        "Eric Blanc",
    ]
    names = [row.name for row in first + at + last]
    assert len(names) == total == len(set(names))


def test_accented_names_sort_next_to_their_base_letter(many) -> None:
    names = [row.name for row in cq.customer_block(search="e", limit=500)]
    tail = [name for name in names if not name.startswith(("Customer", "100"))]
    assert tail == ["Émile Dubois", "Emilie Roy", "Eric Blanc"]


def test_search_every_word_ignoring_case_and_accents(many) -> None:
    assert [r.name for r in cq.customer_block(search="EMILE")] == ["Émile Dubois"]
    assert cq.count_customers("customer 44") == 14  # 044, 144, 244, 344 and 440…449
    assert cq.count_customers("100%") == 1  # wildcards are plain characters
    assert cq.count_customers("zzz") == 0
    assert cq.customer_block(search="zzz") == []


def test_position_of_a_customer_in_the_list(many) -> None:
    emile = Customer.get(Customer.name == "Eric Blanc")
    assert cq.customer_position("", emile.id) == 453
    assert cq.customer_position("dubois", emile.id) is None
    assert cq.customer_position("eric", emile.id) == 0


def test_suggestions_start_with_the_prefix_then_contain_it(many) -> None:
    names = [c.name for c in cq.suggest_customers("customer 04", limit=3)]
    assert names == ["Customer 040", "Customer 041", "Customer 042"]
    assert [c.name for c in cq.suggest_customers("dub")] == ["Émile Dubois"]
    assert cq.suggest_customers("  ") == []


def test_current_status_and_counts(database) -> None:
    ana = create_user(None, "ana")
    ensure_starter_settings()
    settings = load_settings()
    at = dt.datetime(2026, 11, 1, 9, 0)
    for days, status in ((0, "Prospect"), (1, "Client"), (2, "")):
        create_note(ana, NoteInput("Acme", status=status), created_at=at + dt.timedelta(days=days))
    get_or_create_customers(["Zeta"])
    acme, zeta = cq.customer_block()
    assert (acme.notes, settings.status(acme.status_id).name) == (3, "Client")
    assert (zeta.notes, zeta.status_id) == (0, None)
    summary = cq.customer_summary(acme.id)
    assert summary.customer.name == "Acme"
    assert summary.notes == 3
    assert summary.status_id == acme.status_id


def test_block_query_plan_reads_only_indexes(sqlite_database) -> None:
    query = cq._filtered(
        Customer.select(
            Customer.id,
            cq._note_count(Customer.id),
            cq._latest_status(Customer.id),
        ).where(Customer.name_key > "m"),
        "",
    ).order_by(Customer.name_key)
    sql, params = query.limit(200).sql()
    plan = " | ".join(
        row[3] for row in sqlite_database.execute_sql("EXPLAIN QUERY PLAN " + sql, params)
    )
    assert "customer_name_key" in plan
    assert "note_customer" in plan
    assert "SCAN note" not in plan and "SCAN t2" not in plan
    assert "TEMP B-TREE" not in plan
