"""The integration rate of a vehicle model: reference lists, links to local parts, the rate.

Interministerial order of 18 October 2023 (JO 67): each vehicle model has a reference list of
sets, sub-sets and accessories with a contributory rate (%); the integration rate is the sum of the
contributory rates of the sets made locally and integrated. Here a set counts on a date when one of
its linked local parts holds a valid approval on that date and its series supply has started.

How a locally made set with imported inputs is pro-rated was not verified, so each link carries a
share (%, default 100): a set contributes `rate × min(100, Σ shares of counting links) / 100`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from desktop_app.domain.approvals import ApprovalKind, ApprovalPeriod
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class SetKind(StrEnum):
    SET = "set"
    SUBSET = "subset"
    ACCESSORY = "accessory"


SET_KIND_LABELS = {
    SetKind.SET: QT_TRANSLATE_NOOP("Integration", "Set"),
    SetKind.SUBSET: QT_TRANSLATE_NOOP("Integration", "Sub-set"),
    SetKind.ACCESSORY: QT_TRANSLATE_NOOP("Integration", "Accessory"),
}

_KIND_WORDS = {
    "set": SetKind.SET, "ensemble": SetKind.SET,
    "subset": SetKind.SUBSET, "sub-set": SetKind.SUBSET, "sous-ensemble": SetKind.SUBSET,
    "accessory": SetKind.ACCESSORY, "accessoire": SetKind.ACCESSORY,
}


class Reason(StrEnum):
    """Why a set counts, or why not."""

    COUNTS = "counts"
    NO_LINK = "no_link"
    NOT_APPROVED = "not_approved"
    SUPPLY_NOT_STARTED = "supply_not_started"


REASON_LABELS = {
    Reason.COUNTS: QT_TRANSLATE_NOOP("Integration", "counts: approved and in series supply"),
    Reason.NO_LINK: QT_TRANSLATE_NOOP("Integration", "no local part linked"),
    Reason.NOT_APPROVED: QT_TRANSLATE_NOOP(
        "Integration", "no valid approval"),
    Reason.SUPPLY_NOT_STARTED: QT_TRANSLATE_NOOP("Integration", "series supply not started"),
}


# -- parsing ---------------------------------------------------------------------------------

def _invalid(with_row: str, without_row: str, row: int | None, field: str,
             **params: object) -> ValidationError:
    """One sentence, naming the sheet row when there is one."""
    if row:
        return ValidationError(with_row, field=field, row=row, **params)
    return ValidationError(without_row, field=field, **params)


def parse_rate(value: object, row: int | None = None, what: str = "rate") -> Decimal:
    """A percentage between 0 and 100 from text, int or Decimal; one clear sentence otherwise."""
    if isinstance(value, bool):
        value = str(value)
    text = "" if value is None else str(value).strip().replace(",", ".").removesuffix("%")
    text = text.strip()
    try:
        rate = Decimal(text)
    except (InvalidOperation, ValueError):
        rate = None
    shown = "" if value is None else str(value)
    if rate is None or not rate.is_finite():
        raise _invalid(
            QT_TRANSLATE_NOOP("Errors", "Row {row}: the rate '{value}' is not a number."),
            QT_TRANSLATE_NOOP("Errors", "The rate '{value}' is not a number."),
            row, what, value=shown)
    if rate < 0:
        raise _invalid(
            QT_TRANSLATE_NOOP("Errors", "Row {row}: the rate {value} is negative; a rate is "
                                        "between 0 and 100 %."),
            QT_TRANSLATE_NOOP("Errors", "The rate {value} is negative; a rate is between 0 and "
                                        "100 %."),
            row, what, value=shown)
    if rate > HUNDRED:
        raise _invalid(
            QT_TRANSLATE_NOOP("Errors", "Row {row}: the rate {value} is above 100 %."),
            QT_TRANSLATE_NOOP("Errors", "The rate {value} is above 100 %."),
            row, what, value=shown)
    return rate.normalize() if rate != rate.to_integral_value() else rate.quantize(Decimal(1))


def parse_kind(value: object, row: int | None = None) -> SetKind:
    word = str(value or "set").strip().lower()
    if word in _KIND_WORDS:
        return _KIND_WORDS[word]
    raise _invalid(
        QT_TRANSLATE_NOOP("Errors", "Row {row}: '{value}' is not a kind of set; use set, subset "
                                    "or accessory."),
        QT_TRANSLATE_NOOP("Errors", "'{value}' is not a kind of set; use set, subset or "
                                    "accessory."),
        row, "kind", value=str(value))


def parse_day(value: object, what: str, row: int | None = None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError as exc:
        raise _invalid(
            QT_TRANSLATE_NOOP("Errors", "Row {row}: '{value}' is not a date (YYYY-MM-DD)."),
            QT_TRANSLATE_NOOP("Errors", "'{value}' is not a date (YYYY-MM-DD)."),
            row, what, value=str(value)) from exc


# -- reference lists -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    code: str
    name: str
    kind: SetKind
    rate: Decimal

    @classmethod
    def parse(cls, code: object, name: object, kind: object, rate: object,
              row: int | None = None) -> ReferenceEntry:
        code_text = str(code or "").strip()
        if not code_text:
            raise _invalid(QT_TRANSLATE_NOOP("Errors", "Row {row}: a set needs a code."),
                           QT_TRANSLATE_NOOP("Errors", "A set needs a code."), row, "code")
        name_text = str(name or "").strip()
        if not name_text:
            raise _invalid(QT_TRANSLATE_NOOP("Errors", "Row {row}: the set {code} needs a name."),
                           QT_TRANSLATE_NOOP("Errors", "The set {code} needs a name."), row,
                           "name", code=code_text)
        return cls(code_text, name_text, parse_kind(kind, row), parse_rate(rate, row))


@dataclass(frozen=True, slots=True)
class ListCheck:
    total: Decimal
    shortfall: Decimal  # 100 - total; zero when complete

    @property
    def complete(self) -> bool:
        return self.shortfall == 0


def check_reference_list(entries: Sequence[ReferenceEntry]) -> ListCheck:
    """Refuse duplicate codes and a list above 100 %; say by how much a list is short."""
    seen: set[str] = set()
    for entry in entries:
        key = entry.code.casefold()
        if key in seen:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The set code {code} appears twice in the reference list."),
                field="code", code=entry.code)
        seen.add(key)
    total = sum((e.rate for e in entries), ZERO)
    if total > HUNDRED:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The reference list sums to {total} %, {excess} % more than 100 %."),
            field="rate", total=str(total), excess=str(total - HUNDRED))
    return ListCheck(total=total, shortfall=HUNDRED - total)


# -- links and the rate ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SetLink:
    """A local part realising (part of) a set of the reference list."""

    set_code: str
    part_id: str
    supply_start: date | None = None  # series supply actually started
    share: Decimal = HUNDRED  # % of the set's rate this part brings when it counts
    expected_approval: date | None = None  # forecast
    planned_supply_start: date | None = None  # forecast

    def supplied_on(self, day: date) -> bool:
        return self.supply_start is not None and self.supply_start <= day


@dataclass(frozen=True, slots=True)
class SetStatus:
    entry: ReferenceEntry
    contribution: Decimal
    reason: Reason
    counting_parts: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        return self.contribution > 0


@dataclass(frozen=True, slots=True)
class RateResult:
    day: date
    sets: tuple[SetStatus, ...]

    @property
    def rate(self) -> Decimal:
        return sum((s.contribution for s in self.sets if s.counts), ZERO)


def _approved(periods: Iterable[ApprovalPeriod], day: date) -> bool:
    return any(p.valid_on(day) for p in periods)


class _Evaluator:
    """`evaluate` for many days: the links are grouped by set once."""

    def __init__(self, entries: Sequence[ReferenceEntry], links: Sequence[SetLink],
                 periods: Mapping[str, Sequence[ApprovalPeriod]]) -> None:
        by_set: dict[str, list[SetLink]] = {}
        for link in links:
            by_set.setdefault(link.set_code.casefold(), []).append(link)
        self._groups = [(entry, by_set.get(entry.code.casefold(), [])) for entry in entries]
        self._periods = periods

    def rate(self, day: date) -> Decimal:
        """The same total as `self(day).rate`, without the reasons."""
        total = ZERO
        for entry, mine in self._groups:
            share = ZERO
            for ln in mine:
                if ln.supplied_on(day) and _approved(self._periods.get(ln.part_id, ()), day):
                    share += ln.share
            if share:
                total += entry.rate * min(HUNDRED, share) / HUNDRED
        return total

    def __call__(self, day: date) -> RateResult:
        statuses = []
        for entry, mine in self._groups:
            if not mine:
                statuses.append(SetStatus(entry, ZERO, Reason.NO_LINK))
                continue
            approved = [ln for ln in mine if _approved(self._periods.get(ln.part_id, ()), day)]
            counting = [ln for ln in approved if ln.supplied_on(day)]
            share = min(HUNDRED, sum((ln.share for ln in counting), ZERO))
            contribution = entry.rate * share / HUNDRED
            if contribution > 0:
                reason = Reason.COUNTS
            elif not approved:
                reason = Reason.NOT_APPROVED
            else:
                reason = Reason.SUPPLY_NOT_STARTED
            statuses.append(SetStatus(entry, contribution, reason,
                                      tuple(ln.part_id for ln in counting)))
        return RateResult(day, tuple(statuses))


def evaluate(entries: Sequence[ReferenceEntry], links: Sequence[SetLink],
             periods: Mapping[str, Sequence[ApprovalPeriod]], day: date) -> RateResult:
    """Which sets count on `day`, why not for the others, and the rate."""
    return _Evaluator(entries, links, periods)(day)


def forecast_inputs(links: Sequence[SetLink], periods: Mapping[str, Sequence[ApprovalPeriod]],
                    today: date) -> tuple[list[SetLink], dict[str, list[ApprovalPeriod]]]:
    """Links and periods as expected: actual facts, plus expected approvals and supply starts
    (an expected date already past counts from today: it is late, not done)."""
    future_periods: dict[str, list[ApprovalPeriod]] = {k: list(v) for k, v in periods.items()}
    future_links = []
    for link in links:
        if link.expected_approval is not None and not _approved(
                periods.get(link.part_id, ()), today):
            start = max(link.expected_approval, today)
            future_periods.setdefault(link.part_id, []).append(
                ApprovalPeriod(link.part_id, ApprovalKind.APPROVED, start))
        supply = link.supply_start
        if supply is None and link.planned_supply_start is not None:
            supply = max(link.planned_supply_start, today)
        future_links.append(SetLink(link.set_code, link.part_id, supply, link.share,
                                    link.expected_approval, link.planned_supply_start))
    return future_links, future_periods


def change_days(links: Sequence[SetLink],
                periods: Mapping[str, Sequence[ApprovalPeriod]]) -> list[date]:
    """Every day on which the rate may change."""
    days: set[date] = set()
    for link in links:
        if link.supply_start is not None:
            days.add(link.supply_start)
        for p in periods.get(link.part_id, ()):
            days.add(p.start)
            if p.end is not None:
                days.add(p.end)
    return sorted(days)


@dataclass(frozen=True, slots=True)
class RateHistory:
    """A step function of the rate: (day, rate from that day on); zero before the first."""

    points: tuple[tuple[date, Decimal], ...] = field(default_factory=tuple)

    def at(self, day: date) -> Decimal:
        value = ZERO
        for start, rate in self.points:
            if start > day:
                break
            value = rate
        return value

    def first_day_at_least(self, target: Decimal, start: date) -> date | None:
        """The first day on or after `start` when the rate is at least `target`."""
        if self.at(start) >= target:
            return start
        for day, rate in self.points:
            if day > start and rate >= target:
                return day
        return None


def rate_history(entries: Sequence[ReferenceEntry], links: Sequence[SetLink],
                 periods: Mapping[str, Sequence[ApprovalPeriod]]) -> RateHistory:
    points: list[tuple[date, Decimal]] = []
    at = _Evaluator(entries, links, periods)
    for day in change_days(links, periods):
        rate = at.rate(day)
        if not points or points[-1][1] != rate:
            points.append((day, rate))
    return RateHistory(tuple(points))


def forecast_history(entries: Sequence[ReferenceEntry], links: Sequence[SetLink],
                     periods: Mapping[str, Sequence[ApprovalPeriod]], today: date) -> RateHistory:
    """The actual rate until yesterday, then the rate as expected from today on."""
    actual = rate_history(entries, links, periods)
    f_links, f_periods = forecast_inputs(links, periods, today)
    expected = rate_history(entries, f_links, f_periods)
    points = [p for p in actual.points if p[0] < today]
    for day, rate in [(today, expected.at(today))] + [p for p in expected.points if p[0] > today]:
        if not points or points[-1][1] != rate:
            points.append((day, rate))
    return RateHistory(tuple(points))
