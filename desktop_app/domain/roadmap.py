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
    """The status of a step. The first five are computed from the rate (`computed_status`);
    "planned" and "in progress" were typed by hand by older versions and are kept only so that
    their records still read."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    MISSED = "missed"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"


COMPUTED_STATUSES = (StepStatus.ACHIEVED, StepStatus.ON_TRACK, StepStatus.AT_RISK,
                     StepStatus.LATE, StepStatus.MISSED)

STEP_STATUS_LABELS = {
    StepStatus.ACHIEVED: QT_TRANSLATE_NOOP("Roadmap", "Achieved"),
    StepStatus.ON_TRACK: QT_TRANSLATE_NOOP("Roadmap", "On track"),
    StepStatus.AT_RISK: QT_TRANSLATE_NOOP("Roadmap", "At risk"),
    StepStatus.LATE: QT_TRANSLATE_NOOP("Roadmap", "Late"),
    StepStatus.MISSED: QT_TRANSLATE_NOOP("Roadmap", "Missed"),
    StepStatus.PLANNED: QT_TRANSLATE_NOOP("Roadmap", "Planned"),
    StepStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("Roadmap", "In progress"),
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
    """A component of a step: its family (the parts' component families), the set of the
    reference list it belongs to, local or imported, the part that realises it, its APQP phase
    and planned volumes per period."""

    name: str
    part_id: str = ""
    apqp_phase: ApqpPhase = ApqpPhase.PLAN
    volumes: tuple[tuple[str, int], ...] = ()
    family: str = ""  # a component family code ("" when not said)
    set_code: str = ""  # the set of the model's reference list ("" when not said)
    local: bool = True  # made locally (counts toward the rate once approved) or imported

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "part_id": self.part_id, "apqp_phase": int(self.apqp_phase),
                "volumes": {p: v for p, v in self.volumes}, "family": self.family,
                "set_code": self.set_code, "local": self.local}

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
        local = data.get("local", True)
        return cls(name, str(data.get("part_id") or ""), phase, tuple(sorted(volumes)),
                   str(data.get("family") or "").strip(),
                   str(data.get("set_code") or "").strip(),
                   local if isinstance(local, bool) else str(local).lower() not in (
                       "0", "false", "no", "imported"))


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
    status: StepStatus | None = None  # a manual status; None: the computed one
    status_reason: str = ""  # why the manual status differs from the computed one
    vehicle_volumes: tuple[tuple[str, int], ...] = ()  # vehicles planned per period

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
        status, reason = manual_status(data.get("status"), data.get("status_reason"), code)
        return cls(
            code=code, title=title, model_id=str(data.get("model_id", "")), target_date=target,
            target_rate=parse_rate(data.get("target_rate") or "0", what="target rate"),
            milestone_years=int(years) if years not in (None, "") else None,
            baseline_date=parse_day(data.get("baseline_date"), "baseline date"),
            forecast_date=parse_day(data.get("forecast_date"), "forecast date"),
            components=tuple(StepComponent.from_json(c) for c in data.get("components") or ()),
            required_evidence=tuple(str(e).strip() for e in data.get("required_evidence") or ()
                                    if str(e).strip()),
            owner=str(data.get("owner", "")).strip(), status=status, status_reason=reason,
            vehicle_volumes=vehicle_volumes(data.get("vehicle_volumes")),
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
            "status": str(self.status) if self.status else "",
            "status_reason": self.status_reason,
            "vehicle_volumes": {p: v for p, v in self.vehicle_volumes},
        }


def vehicle_volumes(raw: object) -> tuple[tuple[str, int], ...]:
    """Vehicles of the model planned per period ({"2027-Q1": 3000, ...}), sorted by period."""
    result = []
    for period, qty in (raw.items() if isinstance(raw, Mapping) else ()):
        try:
            n = int(str(qty))
        except ValueError:
            n = -1
        if n < 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The vehicles planned for {period} must be a whole number, 0 or more."),
                field="vehicle_volumes", period=str(period))
        result.append((check_period(str(period)), n))
    return tuple(sorted(result))


def manual_status(value: object, reason: object, code: str = "") -> tuple[StepStatus | None, str]:
    """A status typed by hand, with the reason it must carry ("" or None: computed)."""
    text = str(value or "").strip()
    why = str(reason or "").strip()
    if not text:
        return None, ""
    try:
        status = StepStatus(text)
    except ValueError as exc:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "'{value}' is not a step status."), field="status", value=text) from exc
    if status not in COMPUTED_STATUSES:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "'{value}' is not a step status."), field="status", value=text)
    if not why:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "A status set by hand on step {code} needs a reason; without one the "
            "status is computed from the integration rate."), field="status_reason", code=code)
    return status, why


@dataclass(frozen=True, slots=True)
class StepAssessment:
    """The status of a step computed from the integration rate.

    - target date today or earlier:
      - achieved: the actual rate on the target date was at least the target;
      - late: it was not, but the rate reached the target since (`reached_on`), or the forecast
        reaches it later (`reached_on` is then the expected day);
      - missed: not reached, and no forecast reaches it;
    - target date after today:
      - on track: the forecast rate on the target date is at least the target;
      - at risk: it is below.

    `rate_at_target` is the actual rate on the target date when it has passed, the forecast
    rate on it otherwise."""

    status: StepStatus
    rate_at_target: Decimal
    reached_on: date | None = None

    def days_late(self, target: date, today: date) -> int:
        if self.status is StepStatus.LATE:
            return ((self.reached_on or today) - target).days
        if self.status is StepStatus.MISSED:
            return (today - target).days
        return 0


def computed_status(target: date, target_rate: Decimal, actual: RateHistory,
                    forecast: RateHistory, today: date) -> StepAssessment:
    if target > today:
        expected = forecast.at(target)
        return StepAssessment(
            StepStatus.ON_TRACK if expected >= target_rate else StepStatus.AT_RISK, expected)
    reached = actual.at(target)
    if reached >= target_rate:
        return StepAssessment(StepStatus.ACHIEVED, reached, target)
    since = actual.first_day_at_least(target_rate, target)
    if since is not None and since <= today:
        return StepAssessment(StepStatus.LATE, reached, since)
    expected_on = forecast.first_day_at_least(target_rate, today)
    if expected_on is not None:
        return StepAssessment(StepStatus.LATE, reached, expected_on)
    return StepAssessment(StepStatus.MISSED, reached)


def is_late(status: StepStatus) -> bool:
    """Late for the lists and the dashboard: its target date has passed without the rate."""
    return status in (StepStatus.LATE, StepStatus.MISSED)


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
