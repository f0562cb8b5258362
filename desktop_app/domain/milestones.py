"""Regulatory rules of a vehicle model and its state under them, as data and pure functions.

One rule set per model: its milestones (`MilestoneRule`) and what a missed one brings
(`SupplyRules`), each rule with the text it comes from. The defaults, editable per model because
the texts change:

- executive decree 22-384 (2022) art. 5: at least 10 % at the end of year 2 after the
  constructor's approval, 20 % at the end of year 3, 30 % at the end of year 5;
- executive decree 24-159 (2024) art. 30: a missed milestone opens 12 more months for that step
  with the annual supply programme cut by 25 %; still missed at their end, the model's supply
  programme is frozen until the rate is reached;
- an assumption, not a text: the cut lasts the whole 12 months even when the rate is reached
  earlier (the decree cuts the annual programme and does not say the cut ends early).

The state of a model on a day follows from the rules, the actual rate history and the forecast:

- frozen (when the rules freeze): a milestone's grace period has ended with the rate below its
  target, and the rate is still below that target on the day;
- grace period: a milestone has passed with the rate below its target, less than the grace
  length ago (and, when the cut ends early, the rate is still below that target on the day);
- at risk: otherwise, when the forecast rate on the date of the next milestone is below its target;
- on track: otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.integration import HUNDRED, RateHistory, parse_rate
from desktop_app.domain.text import QT_TRANSLATE_NOOP


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


DECREE_24_159 = "Decree 24-159 art. 30"


@dataclass(frozen=True, slots=True)
class SupplyRules:
    """What a missed milestone brings, each rule with the text it comes from."""

    grace_months: int = 12
    grace_source: str = DECREE_24_159 + ": 12 more months for the missed step and model."
    supply_cut: Decimal = Decimal(25)  # % of the annual supply programme during the grace
    supply_cut_source: str = DECREE_24_159 + ": the annual supply programme is cut by 25 %."
    cut_ends_early: bool = False
    cut_ends_early_source: str = (
        "Assumption: the decree cuts the annual programme for the whole period and does not say "
        "the cut ends when the rate is reached earlier.")
    freeze: bool = True
    freeze_source: str = (DECREE_24_159 + ": still missed at the end, the supply programme of the "
                          "model is frozen until the rate is reached.")

    @property
    def grace_factor(self) -> Decimal:
        """Share of the annual supply programme allowed during a grace period."""
        return (HUNDRED - self.supply_cut) / HUNDRED

    def grace_end(self, milestone: Milestone) -> date:
        return add_months(milestone.day, self.grace_months)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> SupplyRules:
        """From what an administrator enters; every rule must say where it comes from."""
        try:
            months = int(str(data.get("grace_months", "")).strip())
        except ValueError:
            months = -1
        if not 0 <= months <= 60:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The grace period lasts 0 to 60 months, not '{value}'."),
                field="grace_months", value=str(data.get("grace_months", "")))
        rules = cls(
            grace_months=months, grace_source=str(data.get("grace_source") or "").strip(),
            supply_cut=parse_rate(data.get("supply_cut"), what="supply_cut"),
            supply_cut_source=str(data.get("supply_cut_source") or "").strip(),
            cut_ends_early=_flag(data.get("cut_ends_early"), "cut_ends_early"),
            cut_ends_early_source=str(data.get("cut_ends_early_source") or "").strip(),
            freeze=_flag(data.get("freeze"), "freeze"),
            freeze_source=str(data.get("freeze_source") or "").strip())
        for name in ("grace_source", "supply_cut_source", "cut_ends_early_source",
                     "freeze_source"):
            if not getattr(rules, name):
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Each regulatory rule says the text it comes from (or that it is "
                    "an assumption)."), field=name)
        return rules

    def fields(self) -> dict[str, Any]:
        return {"grace_months": self.grace_months, "grace_source": self.grace_source,
                "supply_cut": str(self.supply_cut), "supply_cut_source": self.supply_cut_source,
                "cut_ends_early": self.cut_ends_early,
                "cut_ends_early_source": self.cut_ends_early_source,
                "freeze": self.freeze, "freeze_source": self.freeze_source}


DEFAULT_SUPPLY_RULES = SupplyRules()


def _flag(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("yes", "true", "1", "oui"):
        return True
    if text in ("no", "false", "0", "non"):
        return False
    raise ValidationError(QT_TRANSLATE_NOOP("Errors", "'{value}' is not yes or no."),
                          field=field, value=str(value))


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
    ModelState.GRACE: QT_TRANSLATE_NOOP("Integration", "Grace period (supply cut)"),
    ModelState.FROZEN: QT_TRANSLATE_NOOP("Integration", "Frozen"),
}


@dataclass(frozen=True, slots=True)
class StateReport:
    state: ModelState
    milestone: Milestone | None  # the milestone that decides the state (missed, or next)
    until: date | None = None  # end of the grace period
    supply_factor: Decimal = Decimal(1)  # share of the annual supply programme still allowed


def model_state(milestones: Sequence[Milestone], actual: RateHistory, forecast: RateHistory,
                day: date, rules: SupplyRules = DEFAULT_SUPPLY_RULES) -> StateReport:
    grace: Milestone | None = None
    for m in milestones:
        if m.day > day or actual.at(m.day) >= m.target:
            continue
        end = rules.grace_end(m)
        if day >= end:
            if rules.freeze and actual.at(end) < m.target and actual.at(day) < m.target:
                return StateReport(ModelState.FROZEN, m, supply_factor=Decimal(0))
            continue
        if rules.cut_ends_early and actual.at(day) >= m.target:
            continue
        if grace is None:
            grace = m
    if grace is not None:
        return StateReport(ModelState.GRACE, grace, rules.grace_end(grace), rules.grace_factor)
    upcoming = next((m for m in milestones if m.day > day), None)
    if upcoming is not None and forecast.at(upcoming.day) < upcoming.target:
        return StateReport(ModelState.AT_RISK, upcoming)
    return StateReport(ModelState.ON_TRACK, upcoming)
