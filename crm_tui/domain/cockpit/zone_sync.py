"""Customers' zones follow the settings: one guard around every settings write.

A customer's zone is the option of the time-zone variable (the first dropdown whose
options carry zones) on their newest note that has one, kept in ``customer_state``. A
settings write can change which variable that is (a zone given to an option of another
dropdown, variables reordered, archived or deleted, a settings import); then every
customer's zone is set again, in the same transaction as the write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from crm_tui.db import customer_state
from crm_tui.db.models import database_proxy


@contextmanager
def zones_follow_settings() -> Iterator[None]:
    """Inside a settings write's transaction: re-point customers' zones if the write
    changed which variable is the time-zone variable (two small reads otherwise)."""
    database = database_proxy.obj
    before = customer_state.zone_variable_id(database)
    yield
    if customer_state.zone_variable_id(database) != before:
        customer_state.sync_zones(database)
    pipeline_follows_settings()


def pipeline_follows_settings() -> None:
    """Keep each customer's close month and amount of the pipeline's default variables
    (as the settings in the database say now) beside its status; every customer's set
    again only when the write changed which variables those are."""
    from crm_tui.domain.cockpit.pipeline import default_variables  # settings import this

    customer_state.keep_pipeline_variables(database_proxy.obj, *default_variables())
