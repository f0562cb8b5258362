"""What the integration service hands to the UI, the CLI and the reports: frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from desktop_app.domain.integration import Reason, SetKind
from desktop_app.domain.milestones import DEFAULT_SUPPLY_RULES, ModelState, SupplyRules


def iso_day(day: date | None) -> str:
    return day.isoformat() if day else ""


@dataclass(frozen=True, slots=True)
class LinkInfo:
    link_id: str
    set_id: str
    part_id: str
    part_number: str
    part_name: str
    share: Decimal
    supply_start: date | None
    expected_approval: date | None
    planned_supply_start: date | None
    approved: bool  # holds a valid approval on the day asked

    def to_json(self) -> dict[str, Any]:
        return {"link_id": self.link_id, "part_id": self.part_id,
                "part_number": self.part_number, "part_name": self.part_name,
                "share": str(self.share), "supply_start": iso_day(self.supply_start),
                "expected_approval": iso_day(self.expected_approval),
                "planned_supply_start": iso_day(self.planned_supply_start),
                "approved": self.approved}


@dataclass(frozen=True, slots=True)
class SetRate:
    set_id: str
    code: str
    name: str
    kind: SetKind
    rate: Decimal
    contribution: Decimal
    reason: Reason
    links: tuple[LinkInfo, ...]

    @property
    def counts(self) -> bool:
        return self.contribution > 0

    def to_json(self) -> dict[str, Any]:
        return {"set_id": self.set_id, "code": self.code, "name": self.name,
                "kind": str(self.kind), "rate": str(self.rate),
                "contribution": str(self.contribution), "counts": self.counts,
                "reason": str(self.reason), "links": [ln.to_json() for ln in self.links]}


@dataclass(frozen=True, slots=True)
class MilestoneStatus:
    years: int
    day: date
    target: Decimal
    reference: str
    actual: Decimal | None  # the rate on the day, once it has passed
    forecast: Decimal

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target

    def to_json(self) -> dict[str, Any]:
        return {"years": self.years, "date": self.day.isoformat(), "target": str(self.target),
                "reference": self.reference,
                "actual": None if self.actual is None else str(self.actual),
                "forecast": str(self.forecast), "met": self.met}


@dataclass(frozen=True, slots=True)
class ModelIntegration:
    model_id: str
    code: str
    name: str
    approval_date: date | None
    day: date
    rate: Decimal
    listed_total: Decimal
    shortfall: Decimal
    sets: tuple[SetRate, ...]
    milestones: tuple[MilestoneStatus, ...]
    next_milestone: MilestoneStatus | None
    state: ModelState
    state_milestone: MilestoneStatus | None
    grace_until: date | None
    supply_factor: Decimal
    rules: SupplyRules = DEFAULT_SUPPLY_RULES  # what a missed milestone brings for this model

    @property
    def counting(self) -> tuple[SetRate, ...]:
        return tuple(s for s in self.sets if s.counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id, "model": self.code, "name": self.name,
            "approval_date": iso_day(self.approval_date), "date": self.day.isoformat(),
            "rate": str(self.rate), "listed_total": str(self.listed_total),
            "shortfall": str(self.shortfall), "sets": [s.to_json() for s in self.sets],
            "milestones": [m.to_json() for m in self.milestones],
            "next_milestone": self.next_milestone.to_json() if self.next_milestone else None,
            "state": str(self.state), "grace_until": iso_day(self.grace_until),
            "supply_factor": str(self.supply_factor), "rules": self.rules.fields(),
        }


@dataclass(frozen=True, slots=True)
class RateSeries:
    """What the rate chart draws for one model."""

    model_id: str
    code: str
    start: date
    end: date
    today: date
    actual: tuple[tuple[date, Decimal], ...]
    forecast: tuple[tuple[date, Decimal], ...]
    planned: tuple[tuple[date, Decimal], ...]
    milestones: tuple[MilestoneStatus, ...]
