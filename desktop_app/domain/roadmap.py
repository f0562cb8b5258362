"""Roadmap steps agreed between the supplier group and the carmaker, and their sign-offs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.integration import RateHistory, parse_day, parse_rate
from desktop_app.domain.text import QT_TRANSLATE_NOOP


class StepStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    MISSED = "missed"


STEP_STATUS_LABELS = {
    StepStatus.PLANNED: QT_TRANSLATE_NOOP("Roadmap", "Planned"),
    StepStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("Roadmap", "In progress"),
    StepStatus.AT_RISK: QT_TRANSLATE_NOOP("Roadmap", "At risk"),
    StepStatus.ACHIEVED: QT_TRANSLATE_NOOP("Roadmap", "Achieved"),
    StepStatus.MISSED: QT_TRANSLATE_NOOP("Roadmap", "Missed"),
}


class ApqpPhase(IntEnum):
    """AIAG APQP phases (2nd edition names; the 3rd edition renames phase 5)."""

    PLAN = 1
    PRODUCT_DESIGN = 2
    PROCESS_DESIGN = 3
    VALIDATION = 4
    FEEDBACK = 5


APQP_PHASE_LABELS = {
    ApqpPhase.PLAN: QT_TRANSLATE_NOOP("Roadmap", "1 Plan and Define Programme"),
    ApqpPhase.PRODUCT_DESIGN: QT_TRANSLATE_NOOP("Roadmap", "2 Product Design and Development"),
    ApqpPhase.PROCESS_DESIGN: QT_TRANSLATE_NOOP("Roadmap", "3 Process Design and Development"),
    ApqpPhase.VALIDATION: QT_TRANSLATE_NOOP("Roadmap", "4 Product and Process Validation"),
    ApqpPhase.FEEDBACK: QT_TRANSLATE_NOOP(
        "Roadmap", "5 Feedback, Assessment and Corrective Action"),
}


class Party(StrEnum):
    SUPPLIER = "supplier"
    CARMAKER = "carmaker"


PARTY_LABELS = {
    Party.SUPPLIER: QT_TRANSLATE_NOOP("Roadmap", "Supplier"),
    Party.CARMAKER: QT_TRANSLATE_NOOP("Roadmap", "Carmaker"),
}

_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$")


def check_period(period: str) -> str:
    text = period.strip().upper()
    if not _PERIOD.match(text):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "'{value}' is not a period; write 2027, 2027-Q1 or 2027-03."),
            field="period", value=period)
    return text


@dataclass(frozen=True, slots=True)
class StepComponent:
    """A component of a step: which part, its APQP phase and planned volumes per period."""

    name: str
    part_id: str = ""
    apqp_phase: ApqpPhase = ApqpPhase.PLAN
    volumes: tuple[tuple[str, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "part_id": self.part_id, "apqp_phase": int(self.apqp_phase),
                "volumes": {p: v for p, v in self.volumes}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StepComponent:
        name = str(data.get("name", "")).strip()
        if not name:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "A component needs a name."),
                                  field="components")
        try:
            phase = ApqpPhase(int(data.get("apqp_phase", 1)))
        except (TypeError, ValueError) as exc:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The APQP phase of {name} is 1 to 5."), field="components",
                name=name) from exc
        volumes = []
        for period, qty in dict(data.get("volumes") or {}).items():
            try:
                n = int(str(qty))
            except ValueError:
                n = -1
            if n < 0:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "The volume of {name} for {period} must be a whole number, 0 or "
                    "more."), field="components", name=name, period=str(period))
            volumes.append((check_period(str(period)), n))
        return cls(name, str(data.get("part_id", "")), phase, tuple(sorted(volumes)))


@dataclass(frozen=True, slots=True)
class StepDraft:
    """What a person enters for a roadmap step; `fields()` is the record's snapshot."""

    code: str
    title: str
    model_id: str
    target_date: date
    target_rate: Decimal = Decimal(0)
    milestone_years: int | None = None
    baseline_date: date | None = None
    forecast_date: date | None = None
    components: tuple[StepComponent, ...] = ()
    required_evidence: tuple[str, ...] = ()
    owner: str = ""
    status: StepStatus = StepStatus.PLANNED

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> StepDraft:
        code = str(data.get("code", "")).strip()
        if not code:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "A roadmap step needs a code."),
                                  field="code")
        title = str(data.get("title", "")).strip()
        if not title:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The roadmap step {code} needs a title."), field="title", code=code)
        target = parse_day(data.get("target_date"), "target date")
        if target is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The roadmap step {code} needs a target date."), field="target_date",
                code=code)
        years = data.get("milestone_years")
        try:
            status = StepStatus(str(data.get("status") or "planned"))
        except ValueError as exc:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "'{value}' is not a step status."), field="status",
                value=str(data.get("status"))) from exc
        return cls(
            code=code, title=title, model_id=str(data.get("model_id", "")), target_date=target,
            target_rate=parse_rate(data.get("target_rate") or "0", what="target rate"),
            milestone_years=int(years) if years not in (None, "") else None,
            baseline_date=parse_day(data.get("baseline_date"), "baseline date"),
            forecast_date=parse_day(data.get("forecast_date"), "forecast date"),
            components=tuple(StepComponent.from_json(c) for c in data.get("components") or ()),
            required_evidence=tuple(str(e).strip() for e in data.get("required_evidence") or ()
                                    if str(e).strip()),
            owner=str(data.get("owner", "")).strip(), status=status,
        )

    def check_against(self, model_code: str, approval_date: date | None) -> None:
        if approval_date is not None and self.target_date < approval_date:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The target date {target} of step {code} is before the approval of "
                "{model} on {approval}."), field="target_date", target=self.target_date.isoformat(),
                code=self.code, model=model_code, approval=approval_date.isoformat())

    def fields(self) -> dict[str, Any]:
        return {
            "code": self.code, "title": self.title, "model_id": self.model_id,
            "target_date": self.target_date.isoformat(), "target_rate": str(self.target_rate),
            "milestone_years": self.milestone_years,
            "baseline_date": self.baseline_date.isoformat() if self.baseline_date else "",
            "forecast_date": self.forecast_date.isoformat() if self.forecast_date else "",
            "components": [c.to_json() for c in self.components],
            "required_evidence": list(self.required_evidence), "owner": self.owner,
            "status": str(self.status),
        }


def expected_date(target: date, forecast: date | None) -> date:
    return forecast or target


def is_late(status: StepStatus, target: date, forecast: date | None, today: date) -> bool:
    """Late: not achieved, and either past its target date or forecast after it."""
    if status is StepStatus.ACHIEVED:
        return False
    return today > target or (forecast is not None and forecast > target)


def days_late(status: StepStatus, target: date, forecast: date | None, today: date) -> int:
    if not is_late(status, target, forecast, today):
        return 0
    return (max(today, forecast or today) - target).days


@dataclass(frozen=True, slots=True)
class SignOff:
    party: Party
    signer: str
    at: str
    comment: str = ""


def signed_by_both(signoffs: Sequence[SignOff]) -> bool:
    return {s.party for s in signoffs} >= {Party.SUPPLIER, Party.CARMAKER}


def planned_history(targets: Sequence[tuple[date, Decimal]]) -> RateHistory:
    """The planned rate over time: each step's target rate from its target date on (the plan
    never goes down: a later step with a lower target does not lower it)."""
    points: list[tuple[date, Decimal]] = []
    best = Decimal(0)
    for day, rate in sorted(targets):
        if rate > best:
            best = rate
            if points and points[-1][0] == day:
                points[-1] = (day, best)
            else:
                points.append((day, best))
    return RateHistory(tuple(points))


def total_volumes(components: Sequence[StepComponent]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for c in components:
        for period, qty in c.volumes:
            totals[period] = totals.get(period, 0) + qty
    return dict(sorted(totals.items()))
