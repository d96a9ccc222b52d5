"""Reading ``--sort`` and ``--where`` as users type them, and refusing bad input clearly."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_tui.domain import customers
from crm_tui.domain import settings as settings_service
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.query import Condition, SortKey, parse_condition, parse_sort, sort_columns

try:
    from tests.unit.test_query_world import COLOURS, TODAY, Env, build_env
except ImportError:  # tests/unit is not a package: pytest puts it on sys.path
    from test_query_world import COLOURS, TODAY, Env, build_env  # type: ignore[no-redef]


@pytest.fixture
def env(database) -> Env:
    made = build_env()
    customers.create_customer(made.admin, "Acme Corp")
    return made


def where(env: Env, expr: str) -> Condition:
    return parse_condition(expr, env.settings, TODAY)


def refused(env: Env, expr: str) -> str:
    with pytest.raises(ValidationError) as caught:
        where(env, expr)
    return str(caught.value)


# --- sort ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("customer", "customer"),
        ("Customer", "customer"),
        ("follow_up", "follow_up"),
        ("Follow-up", "follow_up"),
        ("FOLLOW UP", "follow_up"),
        ("followup", "follow_up"),
        ("created_at", "created_at"),
        ("Created", "created_at"),
        ("ASSIGNEE", "assignee"),
        (" status ", "status"),
    ],
)
def test_builtin_columns_by_csv_or_shown_name_in_any_case(env, text, column):
    assert parse_sort(text, env.settings) == (SortKey(column),)


def test_variables_by_name_ignoring_case_and_accents(env):
    zone = env.var("Time zone")
    assert parse_sort("time ZONE", env.settings) == (SortKey(zone),)
    assert parse_sort("time_zone", env.settings) == (SortKey(zone),)
    assert parse_sort("Ségment", env.settings) == (SortKey(env.var("Segment")),)
    assert parse_sort(zone, env.settings) == (SortKey(zone),)


def test_several_keys_with_directions(env):
    assert parse_sort("Time zone,-Close, +status,", env.settings) == (
        SortKey(env.var("Time zone")),
        SortKey(env.var("Close"), True),
        SortKey("status"),
    )
    assert parse_sort("-created_at", env.settings) == (SortKey("created_at", True),)
    assert parse_sort("", env.settings) == ()


def test_bad_sorts_are_refused_with_a_message(env):
    with pytest.raises(ValidationError, match=r"Colour: unknown column; columns are: customer,"):
        parse_sort("Colour", env.settings)
    with pytest.raises(ValidationError, match="'Status' appears twice"):
        parse_sort("status,-Status", env.settings)
    with pytest.raises(ValidationError, match="names no column"):
        parse_sort("-", env.settings)


def test_sort_columns_lists_builtins_then_active_variables(env):
    columns = sort_columns(env.settings)
    assert columns[:6] == [
        ("customer", "Customer"),
        ("action", "Action"),
        ("status", "Status"),
        ("assignee", "Assignee"),
        ("follow_up", "Follow-up"),
        ("created_at", "Created"),
    ]
    assert columns[6:] == [(env.var(v.name), v.name) for v in env.settings.active_variables]


# --- conditions ----------------------------------------------------------------------


def test_dropdown_values_by_name_or_abbreviation_archived_included(env):
    zone = env.var("Time zone")
    assert where(env, "Time zone=EST") == Condition(zone, "=", env.option("Time zone", "EST"))
    assert where(env, "time zone = e") == Condition(zone, "=", env.option("Time zone", "EST"))
    assert where(env, "Time zone!=mst") == Condition(zone, "!=", env.option("Time zone", "MST"))
    assert where(env, "Time zone=") == Condition(zone, "=", None)


def test_a_name_wins_over_an_abbreviation(env):
    admin = env.admin
    settings_service.create_badge(admin, "status", name="Won", abbreviation="DON", **COLOURS)
    settings_service.create_badge(admin, "status", name="Don", abbreviation="X", **COLOURS)
    loaded = settings_service.load_settings()
    don = next(s.id for s in loaded.statuses if s.name == "Don")
    assert parse_condition("status=don", loaded, TODAY) == Condition("status", "=", don)
    won = next(s.id for s in loaded.statuses if s.name == "Won")
    assert parse_condition("status!=Won", loaded, TODAY) == Condition("status", "!=", won)


def test_typed_values(env):
    assert where(env, "Deal value>=1000") == Condition(env.var("Deal value"), ">=", 100000)
    assert where(env, "Deal value<12.5") == Condition(env.var("Deal value"), "<", 1250)
    assert where(env, "Score>-1.5") == Condition(env.var("Score"), ">", -1.5)
    assert where(env, "Close<=2026-12-31") == Condition(
        env.var("Close"), "<=", dt.date(2026, 12, 31)
    )
    assert where(env, "follow_up<today") == Condition("follow_up", "<", TODAY)
    assert where(env, "Follow-up>=+2w") == Condition("follow_up", ">=", TODAY + dt.timedelta(14))
    assert where(env, "created=2026-02-01") == Condition("created_at", "=", dt.date(2026, 2, 1))
    stamp = dt.datetime(2026, 2, 1, 9, 30)
    assert where(env, "created_at>2026-02-01T09:30:00") == Condition("created_at", ">", stamp)
    assert where(env, "Segment=Grand COMPTÉ") == Condition(env.var("Segment"), "=", "grand compte")
    assert where(env, "Segment=") == Condition(env.var("Segment"), "=", None)


def test_builtin_values(env):
    assert where(env, "status!=Done") == Condition("status", "!=", env.status("Done"))
    assert where(env, "status=lost") == Condition("status", "=", env.status("Lost"))  # archived
    assert where(env, "action=SHI") == Condition("action", "=", env.action("Ship"))
    assert where(env, "assignee=ANA") == Condition("assignee", "=", env.user_ids["ana"])
    assert where(env, "assignee=emile") == Condition("assignee", "=", env.user_ids["Émile"])
    assert where(env, "assignee=") == Condition("assignee", "=", None)
    acme = customers.find_customer("Acme Corp")
    assert acme is not None
    assert where(env, "customer=acme  corp") == Condition("customer", "=", acme.id)


def test_overdue(env):
    assert where(env, "overdue=yes") == Condition("overdue", "=", True)
    assert where(env, "Overdue=no") == Condition("overdue", "=", False)
    assert where(env, "overdue!=yes") == Condition("overdue", "=", False)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("Colour=red", "Colour: unknown column; columns are: customer, action, status"),
        ("status", "has no comparison: write NAME=VALUE"),
        ("=Done", "names no column"),
        ("status=Finished", "Status: 'Finished' is not a status; use one of: Done, Prospect"),
        ("action=Dance", "Action: 'Dance' is not an action; use one of: Ship, Call"),
        ("Time zone=GMT", "Time zone: 'GMT' is not an option; use one of: CST, PST, EST"),
        ("assignee=nobody", "Assignee: no user named 'nobody'"),
        ("customer=Initech", "Customer: no customer named 'Initech'"),
        ("Close>=2026-13-01", "Close: '2026-13-01' is not a real date"),
        ("Close=soon", "Close: 'soon' is not a date (YYYY-MM-DD)"),
        ("follow_up<soon", "Follow-up: 'soon' is not a date (YYYY-MM-DD)"),
        ("created>yesterday-ish", "Created: 'yesterday-ish' is not a timestamp"),
        ("Score>=lots", "Score: 'lots' is not a number"),
        ("Deal value>=1.005", "Deal value: '1.005' has more than 2 decimals"),
        ("Deal value=12,50", "Deal value: '12,50' is not an amount"),
        ("Time zone<EST", "Time zone: < needs a column with an order (date, number, currency)"),
        ("Segment>=m", "Segment: >= needs a column with an order"),
        ("status>Done", "Status: > needs a column with an order"),
        ("customer<=Acme", "Customer: <= needs a column with an order"),
        ("Close<", "Close: < needs a value"),
        ("overdue=maybe", "overdue: 'maybe' is not yes or no"),
        ("overdue>yes", "overdue: use overdue=yes or overdue=no"),
    ],
)
def test_bad_conditions_are_refused_with_a_clear_message(env, expr, message):
    assert message in refused(env, expr)
