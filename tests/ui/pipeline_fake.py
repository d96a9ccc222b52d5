"""An in-memory pipeline with the contract's shapes, for the board's and charts' screen tests.

``FakePipeline.install(monkeypatch)`` replaces the functions of
``crm_tui.domain.cockpit.pipeline`` the screens call; the customers, their statuses,
amounts and close dates are plain lists, and ``moves`` records each move asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from crm_tui.domain.cockpit import pipeline
from crm_tui.domain.cockpit.pipeline import (
    Card,
    MonthAmount,
    Pipeline,
    PipelineFilter,
    Stage,
    WeekCount,
)
from crm_tui.records import Badge, UserInfo


@dataclass
class FakeCustomer:
    """One customer's current state."""

    id: int
    name: str
    status_id: int | None
    cents: int | None = None
    close: dt.date | None = None
    assignee_id: int | None = None
    assignee: str = ""


@dataclass
class FakePipeline:
    """Stages (badges in order) and customers; the contract's functions over them."""

    stages: list[Badge]
    customers: list[FakeCustomer]
    weeks: tuple[WeekCount, ...] = ()
    moves: list[tuple[int, int, int]] = field(default_factory=list)
    """(actor id, customer id, status id) of each move."""
    filters: list[PipelineFilter] = field(default_factory=list)
    """Each filter the board read the pipeline with."""
    card_reads: list[tuple[int, int, int]] = field(default_factory=list)
    """(status id, offset, limit) of each page of cards read."""

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakePipeline:
        """Answer the screens' calls from here."""
        monkeypatch.setattr(pipeline, "load_pipeline", self.load_pipeline)
        monkeypatch.setattr(pipeline, "stage_cards", self.stage_cards)
        monkeypatch.setattr(pipeline, "move_customer", self.move_customer)
        monkeypatch.setattr(pipeline, "amount_by_close_month", self.amount_by_close_month)
        monkeypatch.setattr(pipeline, "notes_per_week", self.notes_per_week)
        return self

    def _matching(self, flt: PipelineFilter) -> list[FakeCustomer]:
        found = []
        for customer in self.customers:
            if flt.assignee_id is not None and customer.assignee_id != flt.assignee_id:
                continue
            if flt.close_from is not None or flt.close_to is not None:
                if customer.close is None:
                    continue
                if flt.close_from is not None and customer.close < flt.close_from:
                    continue
                if flt.close_to is not None and customer.close > flt.close_to:
                    continue
            found.append(customer)
        return found

    def load_pipeline(self, flt: PipelineFilter, settings: object = None) -> Pipeline:
        self.filters.append(flt)
        matching = self._matching(flt)
        ids = {stage.id for stage in self.stages}
        stages = tuple(
            Stage(
                stage,
                sum(1 for c in matching if c.status_id == stage.id),
                sum(c.cents or 0 for c in matching if c.status_id == stage.id),
            )
            for stage in self.stages
        )
        outside = sum(1 for c in matching if c.status_id is not None and c.status_id not in ids)
        return Pipeline(stages, outside)

    def stage_cards(
        self,
        flt: PipelineFilter,
        status_id: int,
        offset: int,
        limit: int,
        settings: object = None,
    ) -> tuple[Card, ...]:
        self.card_reads.append((status_id, offset, limit))
        cards = [c for c in self._matching(flt) if c.status_id == status_id]
        cards.sort(key=lambda c: (c.cents is None, -(c.cents or 0), c.name))
        return tuple(
            Card(c.id, c.name, c.cents, c.close, c.assignee, None)
            for c in cards[offset : offset + limit]
        )

    def move_customer(self, actor: UserInfo, customer_id: int, status_id: int) -> int:
        self.moves.append((actor.id, customer_id, status_id))
        for customer in self.customers:
            if customer.id == customer_id:
                customer.status_id = status_id
        return 1000 + len(self.moves)

    def amount_by_close_month(
        self, flt: PipelineFilter, settings: object = None
    ) -> tuple[MonthAmount, ...]:
        totals: dict[tuple[dt.date, int], int] = {}
        for customer in self._matching(flt):
            if customer.close is None or customer.status_id is None or not customer.cents:
                continue
            key = (customer.close.replace(day=1), customer.status_id)
            totals[key] = totals.get(key, 0) + customer.cents
        return tuple(MonthAmount(m, s, c) for (m, s), c in sorted(totals.items()))

    def notes_per_week(
        self, today: dt.date, weeks: int = 12, settings: object = None
    ) -> tuple[WeekCount, ...]:
        return self.weeks


def badge(badge_id: int, name: str, background: str, font: str = "#FFFFFF") -> Badge:
    """A status badge in sequence."""
    return Badge(badge_id, "status", name, name[:3].upper(), font, background, True, badge_id)
