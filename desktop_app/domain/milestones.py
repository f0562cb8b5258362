"""Regulatory milestones of a vehicle model and its state under them, as data and pure functions.

Executive decree 22-384 (2022) art. 5: at least 10 % at the end of year 2 after the constructor's
approval, 20 % at the end of year 3, 30 % at the end of year 5 — the defaults here, editable per
model because the texts change. Executive decree 24-159 (2024) art. 30: a missed milestone opens
12 more months for that step with the annual supply programme cut by 25 %; still missed at their
end, the model's supply programme is frozen until the rate is reached.

The state of a model on a day follows from the milestones, the actual rate history and the
forecast rate history:

- frozen: a milestone's grace period has ended with the rate below its target, and the rate is
  still below that target on the day;
- grace period: a milestone has passed with the rate below its target, less than 12 months ago,
  and the rate is still below that target on the day;
- at risk: otherwise, when the forecast rate on the date of the next milestone is below its target;
- on track: otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.integration import RateHistory, parse_rate
from desktop_app.domain.text import QT_TRANSLATE_NOOP

GRACE_MONTHS = 12
GRACE_SUPPLY_FACTOR = Decimal("0.75")  # supply programme cut by 25 %


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 29th of February falls back to the 28th."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class MilestoneRule:
    """At least `target` % at the end of year `years` after the model's approval."""

    years: int
    target: Decimal
    reference: str = ""

    @classmethod
    def parse(cls, years: object, target: object, reference: str = "",
              row: int | None = None) -> MilestoneRule:
        try:
            n = int(str(years).strip())
        except ValueError:
            n = 0
        if not 1 <= n <= 30:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A milestone falls 1 to 30 years after approval, not '{value}'."),
                field="years", value=str(years))
        return cls(n, parse_rate(target, row, what="target rate"), reference.strip())


DEFAULT_RULES: tuple[MilestoneRule, ...] = (
    MilestoneRule(2, Decimal(10), "Decree 22-384 art. 5"),
    MilestoneRule(3, Decimal(20), "Decree 22-384 art. 5"),
    MilestoneRule(5, Decimal(30), "Decree 22-384 art. 5"),
)


def check_rules(rules: Sequence[MilestoneRule]) -> None:
    years = [r.years for r in rules]
    if len(set(years)) != len(years):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Two milestones fall at the end of the same year."), field="years")


@dataclass(frozen=True, slots=True)
class Milestone:
    years: int
    day: date
    target: Decimal
    reference: str = ""

    @property
    def grace_end(self) -> date:
        return add_months(self.day, GRACE_MONTHS)


def milestones_for(approval_date: date | None,
                   rules: Sequence[MilestoneRule] = DEFAULT_RULES) -> list[Milestone]:
    if approval_date is None:
        return []
    return sorted((Milestone(r.years, add_months(approval_date, 12 * r.years), r.target,
                             r.reference) for r in rules), key=lambda m: m.day)


def next_milestone(milestones: Sequence[Milestone], day: date) -> Milestone | None:
    """The first milestone on or after `day`."""
    return next((m for m in milestones if m.day >= day), None)


class ModelState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    GRACE = "grace"
    FROZEN = "frozen"


MODEL_STATE_LABELS = {
    ModelState.ON_TRACK: QT_TRANSLATE_NOOP("Integration", "On track"),
    ModelState.AT_RISK: QT_TRANSLATE_NOOP("Integration", "At risk"),
    ModelState.GRACE: QT_TRANSLATE_NOOP("Integration", "Grace period (supply cut by 25 %)"),
    ModelState.FROZEN: QT_TRANSLATE_NOOP("Integration", "Frozen"),
}


@dataclass(frozen=True, slots=True)
class StateReport:
    state: ModelState
    milestone: Milestone | None  # the milestone that decides the state (missed, or next)
    until: date | None = None  # end of the grace period

    @property
    def supply_factor(self) -> Decimal:
        """Share of the annual supply programme still allowed."""
        if self.state is ModelState.FROZEN:
            return Decimal(0)
        if self.state is ModelState.GRACE:
            return GRACE_SUPPLY_FACTOR
        return Decimal(1)


def model_state(milestones: Sequence[Milestone], actual: RateHistory, forecast: RateHistory,
                day: date) -> StateReport:
    grace: Milestone | None = None
    for m in milestones:
        if m.day > day or actual.at(m.day) >= m.target or actual.at(day) >= m.target:
            continue
        if day >= m.grace_end and actual.at(m.grace_end) < m.target:
            return StateReport(ModelState.FROZEN, m)
        if day < m.grace_end and grace is None:
            grace = m
    if grace is not None:
        return StateReport(ModelState.GRACE, grace, grace.grace_end)
    upcoming = next((m for m in milestones if m.day > day), None)
    if upcoming is not None and forecast.at(upcoming.day) < upcoming.target:
        return StateReport(ModelState.AT_RISK, upcoming)
    return StateReport(ModelState.ON_TRACK, upcoming)
