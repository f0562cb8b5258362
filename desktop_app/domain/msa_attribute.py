"""Attribute agreement for OK / NG checks (AIAG MSA 4th edition, the hypothesis test analyses:
cross-tabulation, kappa, effectiveness), for a crossed study: every appraiser judges every part
the same number of times, and each part has a reference decision.

- Within appraiser: the parts on which all of an appraiser's trials agree with each other.
- Appraiser vs reference: the parts on which all of an appraiser's trials agree with the
  reference. This is the appraiser's effectiveness: a part counts as a correct decision only
  when every trial is right.
- Between appraisers: the parts on which every trial of every appraiser agrees; all appraisers
  vs reference: ... and agrees with the reference (the system's effectiveness).
- Cohen's kappa, kappa = (po - pe) / (1 - pe), from the cross-tabulation of decisions: an
  appraiser's decisions (every part, every trial) against the reference; and two appraisers'
  decisions on the same part in the same trial against each other.
- Miss rate: NG parts judged OK / (NG parts × trials); false alarm rate: OK parts judged NG /
  (OK parts × trials).

Acceptance (AIAG): effectiveness ≥ 90 %, miss rate ≤ 2 %, false alarm rate ≤ 5 % acceptable;
≥ 80 %, ≤ 5 %, ≤ 10 % marginally acceptable (the customer must agree); otherwise unacceptable.
Kappa above 0.75 is good agreement, below 0.40 poor: a kappa not above 0.75 makes the study at
best marginal, one below 0.40 against the reference unacceptable. Percentages are shown to one
decimal and kappas to two (half up); the bands compare the values shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from desktop_app.domain.attributes import NG, OK, DataType, parse_attribute
from desktop_app.domain.capability import Note
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.msa import MsaVerdict, Reading, crossed, percent, worst
from desktop_app.domain.text import QT_TRANSLATE_NOOP

EFFECTIVE = (Decimal("90"), Decimal("80"))  # acceptable at or above, marginal at or above
MISS = (Decimal("2"), Decimal("5"))  # acceptable at or below, marginal at or below
FALSE_ALARM = (Decimal("5"), Decimal("10"))
KAPPA_GOOD = Decimal("0.75")  # above: good agreement
KAPPA_POOR = Decimal("0.40")  # below: poor agreement


def kappa_shown(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of paired decisions; None when chance agreement is already certain (both
    sides always gave the same single decision)."""
    n = len(pairs)
    if not n:
        return None
    agree = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[c] * second[c] for c in (OK, NG)) / (n * n)
    if chance >= 1.0:
        return None
    return (agree - chance) / (1.0 - chance)


@dataclass(frozen=True, slots=True)
class AppraiserAgreement:
    operator: str
    within: Decimal  # % of parts on which all trials agree
    effectiveness: Decimal  # % of parts on which all trials agree with the reference
    kappa: float | None  # decisions against the reference
    misses: int
    miss_opportunities: int
    false_alarms: int
    false_alarm_opportunities: int
    verdict: MsaVerdict

    @property
    def miss_rate(self) -> Decimal:
        return percent(100 * self.misses / self.miss_opportunities)

    @property
    def false_alarm_rate(self) -> Decimal:
        return percent(100 * self.false_alarms / self.false_alarm_opportunities)


@dataclass(frozen=True, slots=True)
class PairKappa:
    first: str
    second: str
    kappa: float | None


@dataclass(frozen=True, slots=True)
class AttributeAgreement:
    operators: tuple[str, ...]
    parts: tuple[str, ...]
    trials: int
    appraisers: tuple[AppraiserAgreement, ...]
    between: Decimal  # % of parts on which every trial of every appraiser agrees
    all_vs_reference: Decimal  # ... and agrees with the reference
    pairs: tuple[PairKappa, ...]
    verdict: MsaVerdict
    notes: tuple[Note, ...]

    def summary(self) -> dict[str, str]:
        """The worst figures of the appraisers, as a register shows them."""
        kappas = [k for k in (kappa_shown(a.kappa) for a in self.appraisers) if k is not None]
        return {"effectiveness": str(min(a.effectiveness for a in self.appraisers)),
                "miss_rate": str(max(a.miss_rate for a in self.appraisers)),
                "false_alarm_rate": str(max(a.false_alarm_rate for a in self.appraisers)),
                "kappa": str(min(kappas)) if kappas else "", "verdict": str(self.verdict)}


def _decision(value: object) -> str | None:
    try:
        return parse_attribute(value, DataType.ATTRIBUTE)
    except ValueError:
        return None


def attribute_agreement(readings: Sequence[Reading],
                        reference: Mapping[str, str]) -> AttributeAgreement:
    """The agreement of an attribute study (see the module docstring); `reference`: part ->
    the reference decision ("OK" / "NG", also NOK, C, NC)."""
    study = crossed(readings)
    decisions: dict[tuple[str, str], tuple[str, ...]] = {}
    for (operator, part), values in study.cells.items():
        judged = []
        for trial, value in zip(study.trials, values, strict=True):
            decision = _decision(value)
            if decision is None:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "The judgement of part {part} by operator {operator} in trial "
                              "{trial} is '{value}', neither OK nor NG."), field="readings",
                    part=part, operator=operator, trial=trial, value=str(value)[:40])
            judged.append(decision)
        decisions[(operator, part)] = tuple(judged)
    truth: dict[str, str] = {}
    for part in study.parts:
        decision = _decision(reference.get(part, ""))
        if decision is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Part {part} has no reference decision (OK or NG): an attribute "
                          "agreement study compares every judgement with it."),
                field="reference", part=part)
        truth[part] = decision
    counts = Counter(truth.values())
    if not counts[OK] or not counts[NG]:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The reference holds {ok} OK and {ng} NG parts: an attribute agreement "
                      "study needs both, to measure misses and false alarms."),
            field="reference", ok=counts[OK], ng=counts[NG])
    ops, parts, r = study.operators, study.parts, len(study.trials)
    appraisers = tuple(_appraiser(o, parts, decisions, truth, r) for o in ops)
    pairs = tuple(PairKappa(a, b, cohen_kappa([(x, y) for p in parts for x, y in zip(
        decisions[(a, p)], decisions[(b, p)], strict=True)])) for a, b in combinations(ops, 2))
    every = [{d for o in ops for d in decisions[(o, p)]} for p in parts]
    between = percent(100 * sum(1 for seen in every if len(seen) == 1) / len(parts))
    right = percent(100 * sum(1 for p, seen in zip(parts, every, strict=True)
                              if seen == {truth[p]}) / len(parts))
    verdicts = [a.verdict for a in appraisers]
    notes = [note for a in appraisers for note in _appraiser_notes(a)]
    for pair in pairs:
        shown = kappa_shown(pair.kappa)
        if shown is not None and shown <= KAPPA_GOOD:
            verdicts.append(MsaVerdict.MARGINAL)
            notes.append(Note(QT_TRANSLATE_NOOP(
                "Evidence", "Appraisers {first} and {second} agree with each other with kappa "
                            "{kappa}, not above 0.75."),
                {"first": pair.first, "second": pair.second, "kappa": str(shown)},
                "kappa_between"))
    return AttributeAgreement(ops, parts, r, appraisers, between, right, pairs,
                              worst(verdicts), tuple(notes))


def _appraiser(operator: str, parts: Sequence[str], decisions: Mapping[tuple[str, str],
               tuple[str, ...]], truth: Mapping[str, str], trials: int) -> AppraiserAgreement:
    mine = {p: decisions[(operator, p)] for p in parts}
    within = percent(100 * sum(1 for p in parts if len(set(mine[p])) == 1) / len(parts))
    effective = percent(100 * sum(1 for p in parts if set(mine[p]) == {truth[p]}) / len(parts))
    kappa = cohen_kappa([(d, truth[p]) for p in parts for d in mine[p]])
    bad = [p for p in parts if truth[p] == NG]
    good = [p for p in parts if truth[p] == OK]
    misses = sum(mine[p].count(OK) for p in bad)
    alarms = sum(mine[p].count(NG) for p in good)
    result = AppraiserAgreement(operator, within, effective, kappa, misses, len(bad) * trials,
                                alarms, len(good) * trials, MsaVerdict.ACCEPTABLE)
    verdict = worst((_rates_band(result), _kappa_band(kappa_shown(kappa))))
    return AppraiserAgreement(operator, within, effective, kappa, misses, len(bad) * trials,
                              alarms, len(good) * trials, verdict)


def _rates_band(a: AppraiserAgreement) -> MsaVerdict:
    if (a.effectiveness >= EFFECTIVE[0] and a.miss_rate <= MISS[0]
            and a.false_alarm_rate <= FALSE_ALARM[0]):
        return MsaVerdict.ACCEPTABLE
    if (a.effectiveness >= EFFECTIVE[1] and a.miss_rate <= MISS[1]
            and a.false_alarm_rate <= FALSE_ALARM[1]):
        return MsaVerdict.MARGINAL
    return MsaVerdict.UNACCEPTABLE


def _kappa_band(kappa: Decimal | None) -> MsaVerdict:
    if kappa is None or kappa < KAPPA_POOR:
        return MsaVerdict.UNACCEPTABLE
    return MsaVerdict.ACCEPTABLE if kappa > KAPPA_GOOD else MsaVerdict.MARGINAL


def _appraiser_notes(a: AppraiserAgreement) -> list[Note]:
    notes = []
    rates = {"operator": a.operator, "effectiveness": str(a.effectiveness),
             "miss": str(a.miss_rate), "false_alarm": str(a.false_alarm_rate)}
    band = _rates_band(a)
    if band is MsaVerdict.MARGINAL:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} "
                        "%, false alarm rate {false_alarm} %: marginally acceptable (90 %, 2 %, "
                        "5 % are acceptable); the customer must agree."), rates,
            "rates_marginal"))
    elif band is MsaVerdict.UNACCEPTABLE:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} "
                        "%, false alarm rate {false_alarm} %: unacceptable (at least 80 %, at "
                        "most 5 % and 10 %)."), rates, "rates_unacceptable"))
    kappa = kappa_shown(a.kappa)
    if kappa is not None and kappa < KAPPA_POOR:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Appraiser {operator} agrees with the reference with kappa {kappa}, "
                        "below 0.40: poor agreement."), {"operator": a.operator,
                                                         "kappa": str(kappa)}, "kappa_poor"))
    elif kappa is not None and kappa <= KAPPA_GOOD:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Appraiser {operator} agrees with the reference with kappa {kappa}, not "
                        "above 0.75."), {"operator": a.operator, "kappa": str(kappa)},
            "kappa_reference"))
    return notes
