"""Measurement system analysis (PPAP element 8): gauge R&R by the ANOVA method of the AIAG MSA
manual (4th edition), for a crossed study: every operator measures every part the same number
of times (trials).

The two-way ANOVA with interaction (random effects; k operators, n parts, r trials):

    SS operator    = n r  Σ (ō_i - x̄)²                       df k - 1
    SS part        = k r  Σ (p̄_j - x̄)²                       df n - 1
    SS interaction = r   ΣΣ (c̄_ij - ō_i - p̄_j + x̄)²          df (k - 1)(n - 1)
    SS equipment   =    ΣΣΣ (x_ijt - c̄_ij)²                  df k n (r - 1)   (repeatability)

F of the interaction = MS interaction / MS equipment; F of operators and parts = their MS / MS
interaction. When the interaction's p-value is above 0.25 it is pooled into the repeatability, as
the manual does: MS pooled = (SS interaction + SS equipment) / (df interaction + df equipment),
and a second table without the interaction is shown, operators and parts tested against it.

Variance components (expected mean squares; a negative estimate is set to 0):

    EV² = τ²  = MS equipment (or MS pooled)
    ω²        = (MS interaction - MS equipment) / r         (0 when pooled)
    γ²        = (MS operator - MS interaction) / (n r)      (MS pooled when pooled)
    PV² = β²  = (MS part - MS interaction) / (k r)          (MS pooled when pooled)
    AV² = γ² + ω²,  GRR² = EV² + AV²,  TV² = GRR² + PV²

%EV, %AV, %GRR, %PV are 100 × σ / TV (the manual's "% of total variation"); %GRR of the
tolerance is 100 × 6 GRR / tolerance; ndc = floor(1.41 × PV / GRR). Percentages are shown to
one decimal (half up) and the bands compare the value shown: below 10 % acceptable; 10 to 30 %
may be acceptable depending on the application, with the customer's agreement; above 30 %
unacceptable; ndc must be at least 5. The verdict is the worst of %GRR of the total variation,
%GRR of the tolerance (when a tolerance is given: a PPAP gauge controls product) and ndc.

Attribute agreement (OK / NG checks) is in `domain/msa_attribute.py`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from desktop_app.domain.capability import Note
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.f_distribution import f_survival
from desktop_app.domain.text import QT_TRANSLATE_NOOP

MIN_OPERATORS = 2
MIN_TRIALS = 2
MIN_PARTS = 5
POOL_ABOVE = 0.25  # the interaction's p-value above which it is pooled into the repeatability
ACCEPTABLE_BELOW = Decimal("10")
UNACCEPTABLE_ABOVE = Decimal("30")
MIN_NDC = 5
NDC_FACTOR = 1.41
STUDY_SPREAD = 6  # σ multiplier of the "% of tolerance" (AIAG 4th edition: 6σ)
MAX_LABEL = 60  # characters of an operator's or a part's name
MAX_TRIALS = 100


class MsaKind(StrEnum):
    VARIABLE = "variable"  # gauge R&R (ANOVA)
    ATTRIBUTE = "attribute"  # attribute agreement (OK / NG)


MSA_KIND_LABELS = {
    MsaKind.VARIABLE: QT_TRANSLATE_NOOP("Evidence", "Gauge R&R (ANOVA)"),
    MsaKind.ATTRIBUTE: QT_TRANSLATE_NOOP("Evidence", "Attribute agreement"),
}


class MsaVerdict(StrEnum):
    ACCEPTABLE = "acceptable"
    MARGINAL = "marginal"  # may be acceptable depending on the application: customer agreement
    UNACCEPTABLE = "unacceptable"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {MsaVerdict.ACCEPTABLE: 0, MsaVerdict.MARGINAL: 1, MsaVerdict.UNACCEPTABLE: 2}

MSA_VERDICT_LABELS = {
    MsaVerdict.ACCEPTABLE: QT_TRANSLATE_NOOP("Evidence", "Acceptable"),
    MsaVerdict.MARGINAL: QT_TRANSLATE_NOOP(
        "Evidence", "May be acceptable (customer agreement)"),
    MsaVerdict.UNACCEPTABLE: QT_TRANSLATE_NOOP("Evidence", "Unacceptable"),
}


def worst(verdicts: Iterable[MsaVerdict]) -> MsaVerdict:
    return max(verdicts, key=lambda v: v.rank, default=MsaVerdict.ACCEPTABLE)


def percent(value: float) -> Decimal:
    """A percentage as it is shown and compared: one decimal, half up."""
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grr_band(pct: Decimal) -> MsaVerdict:
    """The AIAG band of a %GRR (as shown)."""
    if pct < ACCEPTABLE_BELOW:
        return MsaVerdict.ACCEPTABLE
    if pct <= UNACCEPTABLE_ABOVE:
        return MsaVerdict.MARGINAL
    return MsaVerdict.UNACCEPTABLE


# -- the readings of a crossed study -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading: who, which part, which trial, and the value (a number for a gauge R&R,
    "OK" / "NG" for an attribute agreement study)."""

    operator: str
    part: str
    trial: int
    value: Decimal | float | str


@dataclass(frozen=True, slots=True)
class Crossed:
    """Readings laid out operator × part × trial, every cell complete."""

    operators: tuple[str, ...]  # in the order first read
    parts: tuple[str, ...]
    trials: tuple[int, ...]  # sorted
    cells: dict[tuple[str, str], tuple[Decimal | float | str, ...]]  # values in trial order

    def values(self, operator: str, part: str) -> tuple[Decimal | float | str, ...]:
        return self.cells[(operator, part)]


def _refuse(template: str, **params: object) -> ValidationError:
    return ValidationError(template, field="readings", **params)


def crossed(readings: Sequence[Reading]) -> Crossed:
    """Check that the readings form a balanced crossed study and lay them out; the first problem
    is refused with one sentence."""
    by_cell: dict[tuple[str, str], dict[int, Decimal | float | str]] = {}
    operators: dict[str, None] = {}
    parts: dict[str, None] = {}
    for r in readings:
        operator, part = str(r.operator).strip(), str(r.part).strip()
        if not operator or not part:
            raise _refuse(QT_TRANSLATE_NOOP(
                "Errors", "A reading of trial {trial} names no operator or no part; every "
                          "reading names both."), trial=r.trial)
        if len(operator) > MAX_LABEL or len(part) > MAX_LABEL:
            raise _refuse(QT_TRANSLATE_NOOP(
                "Errors", "An operator or a part is named in at most {limit} characters."),
                limit=MAX_LABEL)
        if (isinstance(r.trial, bool) or not isinstance(r.trial, int)
                or not 1 <= r.trial <= MAX_TRIALS):
            raise _refuse(QT_TRANSLATE_NOOP(
                "Errors", "Operator {operator}, part {part}: trials are numbered from 1 to "
                          "{limit}."), operator=operator, part=part, limit=MAX_TRIALS)
        operators.setdefault(operator, None)
        parts.setdefault(part, None)
        cell = by_cell.setdefault((operator, part), {})
        if r.trial in cell:
            raise _refuse(QT_TRANSLATE_NOOP(
                "Errors", "Operator {operator} read part {part} twice as trial {trial}."),
                operator=operator, part=part, trial=r.trial)
        cell[r.trial] = r.value
    if len(operators) < MIN_OPERATORS:
        raise _refuse(QT_TRANSLATE_NOOP(
            "Errors", "A measurement system study needs at least {min} operators; the readings "
                      "name {count}."),
            min=MIN_OPERATORS, count=len(operators))
    if len(parts) < MIN_PARTS:
        raise _refuse(QT_TRANSLATE_NOOP(
            "Errors", "A measurement system study needs at least {min} parts; the readings name "
                      "{count}."),
            min=MIN_PARTS, count=len(parts))
    trials = tuple(sorted({t for cell in by_cell.values() for t in cell}))
    if len(trials) < MIN_TRIALS:
        raise _refuse(QT_TRANSLATE_NOOP(
            "Errors", "A measurement system study needs at least {min} trials by every operator "
                      "on every part; the readings hold {count}."),
            min=MIN_TRIALS, count=len(trials))
    cells: dict[tuple[str, str], tuple[Decimal | float | str, ...]] = {}
    for operator in operators:
        for part in parts:
            cell = by_cell.get((operator, part), {})
            missing = [t for t in trials if t not in cell]
            if missing:
                raise _refuse(QT_TRANSLATE_NOOP(
                    "Errors", "The study is not balanced: operator {operator} has no trial "
                              "{trial} of part {part}, where every operator reads every part "
                              "in trials {trials}."),
                    operator=operator, part=part, trial=missing[0],
                    trials=", ".join(str(t) for t in trials))
            cells[(operator, part)] = tuple(cell[t] for t in trials)
    return Crossed(tuple(operators), tuple(parts), trials, cells)


# -- gauge R&R -----------------------------------------------------------------------------------


class Source(StrEnum):
    OPERATOR = "operator"
    PART = "part"
    INTERACTION = "interaction"
    REPEATABILITY = "repeatability"  # "equipment" in the manual's table
    TOTAL = "total"


SOURCE_LABELS = {
    Source.OPERATOR: QT_TRANSLATE_NOOP("Evidence", "Operators"),
    Source.PART: QT_TRANSLATE_NOOP("Evidence", "Parts"),
    Source.INTERACTION: QT_TRANSLATE_NOOP("Evidence", "Operators × parts"),
    Source.REPEATABILITY: QT_TRANSLATE_NOOP("Evidence", "Equipment (repeatability)"),
    Source.TOTAL: QT_TRANSLATE_NOOP("Evidence", "Total"),
}


@dataclass(frozen=True, slots=True)
class AnovaRow:
    source: Source
    df: int
    ss: float
    ms: float | None = None  # not for the total
    f: float | None = None  # None where there is no test (or its denominator is 0)
    p: float | None = None


@dataclass(frozen=True, slots=True)
class VarianceComponents:
    repeatability: float  # τ², EV²
    operator: float  # γ²
    interaction: float  # ω²
    part: float  # β², PV²

    @property
    def reproducibility(self) -> float:  # AV²
        return self.operator + self.interaction

    @property
    def grr(self) -> float:
        return self.repeatability + self.reproducibility

    @property
    def total(self) -> float:
        return self.grr + self.part


@dataclass(frozen=True, slots=True)
class GaugeRR:
    operators: tuple[str, ...]
    parts: tuple[str, ...]
    trials: int
    # with the interaction: operator, part, interaction, equipment, total
    anova: tuple[AnovaRow, ...]
    # without it, when pooled (p > 0.25): operator, part, equipment (pooled), total
    pooled: tuple[AnovaRow, ...]
    variances: VarianceComponents
    tolerance: Decimal | None
    ndc: int
    verdict: MsaVerdict
    notes: tuple[Note, ...]

    @property
    def interaction_pooled(self) -> bool:
        return bool(self.pooled)

    @property
    def interaction_p(self) -> float | None:
        return self.anova[2].p

    # standard deviations
    @property
    def ev(self) -> float:
        return math.sqrt(self.variances.repeatability)

    @property
    def av(self) -> float:
        return math.sqrt(self.variances.reproducibility)

    @property
    def grr(self) -> float:
        return math.sqrt(self.variances.grr)

    @property
    def pv(self) -> float:
        return math.sqrt(self.variances.part)

    @property
    def tv(self) -> float:
        return math.sqrt(self.variances.total)

    # % of the total variation, as shown
    @property
    def pct_ev(self) -> Decimal:
        return percent(100 * self.ev / self.tv)

    @property
    def pct_av(self) -> Decimal:
        return percent(100 * self.av / self.tv)

    @property
    def pct_grr(self) -> Decimal:
        return percent(100 * self.grr / self.tv)

    @property
    def pct_pv(self) -> Decimal:
        return percent(100 * self.pv / self.tv)

    @property
    def pct_grr_tolerance(self) -> Decimal | None:
        if self.tolerance is None:
            return None
        return percent(100 * STUDY_SPREAD * self.grr / float(self.tolerance))

    def summary(self) -> dict[str, str]:
        """The figures a register shows, as text ("" when not given)."""
        tol = self.pct_grr_tolerance
        return {"pct_ev": str(self.pct_ev), "pct_av": str(self.pct_av),
                "pct_grr": str(self.pct_grr), "pct_pv": str(self.pct_pv),
                "pct_grr_tolerance": "" if tol is None else str(tol), "ndc": str(self.ndc),
                "verdict": str(self.verdict)}


def _test(numerator: float, numerator_df: int, denominator: float, denominator_df: int
          ) -> tuple[float | None, float | None]:
    if denominator <= 0:
        return None, None
    f = numerator / denominator
    return f, f_survival(f, numerator_df, denominator_df)


def gauge_rr(readings: Sequence[Reading], tolerance: Decimal | None = None) -> GaugeRR:
    """The gauge R&R of a crossed study by the ANOVA method (see the module docstring)."""
    study = crossed(readings)
    if tolerance is not None and not (tolerance.is_finite() and tolerance > 0):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The tolerance of a gauge R&R is the width of the specification, above "
                      "zero."), field="tolerance")
    cells: dict[tuple[str, str], list[float]] = {}
    for key, values in study.cells.items():
        floats = []
        for trial, value in zip(study.trials, values, strict=True):
            number = _number(value)
            if number is None:
                raise _refuse(QT_TRANSLATE_NOOP(
                    "Errors", "The reading of part {part} by operator {operator} in trial "
                              "{trial} is not a finite number."),
                    operator=key[0], part=key[1], trial=trial)
            floats.append(number)
        cells[key] = floats
    ops, parts = study.operators, study.parts
    k, n, r = len(ops), len(parts), len(study.trials)
    # Centre on the first reading: sums of squares of deviations lose nothing to large offsets.
    origin = cells[(ops[0], parts[0])][0]
    x = {key: [v - origin for v in values] for key, values in cells.items()}
    cell_mean = {key: math.fsum(v) / r for key, v in x.items()}
    grand = math.fsum(cell_mean.values()) / (k * n)
    op_mean = {o: math.fsum(cell_mean[(o, p)] for p in parts) / n for o in ops}
    part_mean = {p: math.fsum(cell_mean[(o, p)] for o in ops) / k for p in parts}
    ss_op = n * r * math.fsum((op_mean[o] - grand) ** 2 for o in ops)
    ss_part = k * r * math.fsum((part_mean[p] - grand) ** 2 for p in parts)
    ss_int = r * math.fsum((cell_mean[(o, p)] - op_mean[o] - part_mean[p] + grand) ** 2
                           for o in ops for p in parts)
    ss_e = math.fsum((v - cell_mean[key]) ** 2 for key, values in x.items() for v in values)
    df_op, df_part, df_int, df_e = k - 1, n - 1, (k - 1) * (n - 1), k * n * (r - 1)
    ms_op, ms_part, ms_int, ms_e = ss_op / df_op, ss_part / df_part, ss_int / df_int, ss_e / df_e
    if ms_e <= 0 or all(len(set(values)) == 1 for values in cells.values()):
        raise _refuse(QT_TRANSLATE_NOOP(
            "Errors", "Every operator read every part the same in every trial: the gauge's "
                      "resolution is too coarse for a gauge R&R to see its repeatability."))
    total = AnovaRow(Source.TOTAL, k * n * r - 1, ss_op + ss_part + ss_int + ss_e)
    f_int, p_int = _test(ms_int, df_int, ms_e, df_e)
    f_op, p_op = _test(ms_op, df_op, ms_int, df_int)
    f_part, p_part = _test(ms_part, df_part, ms_int, df_int)
    anova = (AnovaRow(Source.OPERATOR, df_op, ss_op, ms_op, f_op, p_op),
             AnovaRow(Source.PART, df_part, ss_part, ms_part, f_part, p_part),
             AnovaRow(Source.INTERACTION, df_int, ss_int, ms_int, f_int, p_int),
             AnovaRow(Source.REPEATABILITY, df_e, ss_e, ms_e), total)
    notes: list[Note] = []
    pooled: tuple[AnovaRow, ...] = ()
    if p_int is not None and p_int > POOL_ABOVE:
        df_pool, ss_pool = df_int + df_e, ss_int + ss_e
        ms_pool = ss_pool / df_pool
        f_op, p_op = _test(ms_op, df_op, ms_pool, df_pool)
        f_part, p_part = _test(ms_part, df_part, ms_pool, df_pool)
        pooled = (AnovaRow(Source.OPERATOR, df_op, ss_op, ms_op, f_op, p_op),
                  AnovaRow(Source.PART, df_part, ss_part, ms_part, f_part, p_part),
                  AnovaRow(Source.REPEATABILITY, df_pool, ss_pool, ms_pool), total)
        variances = VarianceComponents(ms_pool, max(0.0, (ms_op - ms_pool) / (n * r)), 0.0,
                                       max(0.0, (ms_part - ms_pool) / (k * r)))
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "The operator × part interaction is not significant (p = {p}, above "
                        "0.25): it is pooled into the repeatability."), {"p": f"{p_int:.3f}"},
            "interaction_pooled"))
    else:
        variances = VarianceComponents(ms_e, max(0.0, (ms_op - ms_int) / (n * r)),
                                       max(0.0, (ms_int - ms_e) / r),
                                       max(0.0, (ms_part - ms_int) / (k * r)))
    grr = math.sqrt(variances.grr)
    ndc = math.floor(NDC_FACTOR * math.sqrt(variances.part) / grr)
    result = GaugeRR(ops, parts, r, anova, pooled, variances, tolerance, ndc,
                     MsaVerdict.ACCEPTABLE, ())
    verdict, why = _verdict(result)
    return GaugeRR(ops, parts, r, anova, pooled, variances, tolerance, ndc, verdict,
                   (*notes, *why))


def _number(value: Decimal | float | str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    return number if math.isfinite(number) else None


_GRR_NOTES = {
    ("total", MsaVerdict.MARGINAL): QT_TRANSLATE_NOOP(
        "Evidence", "%GRR is {value} % of the total variation, between 10 and 30 %: it may be "
                    "acceptable depending on the application, with the customer's agreement."),
    ("total", MsaVerdict.UNACCEPTABLE): QT_TRANSLATE_NOOP(
        "Evidence", "%GRR is {value} % of the total variation, above 30 %: unacceptable; "
                    "improve the measurement system."),
    ("tolerance", MsaVerdict.MARGINAL): QT_TRANSLATE_NOOP(
        "Evidence", "%GRR is {value} % of the tolerance, between 10 and 30 %: it may be "
                    "acceptable depending on the application, with the customer's agreement."),
    ("tolerance", MsaVerdict.UNACCEPTABLE): QT_TRANSLATE_NOOP(
        "Evidence", "%GRR is {value} % of the tolerance, above 30 %: unacceptable; improve the "
                    "measurement system."),
}


def _verdict(result: GaugeRR) -> tuple[MsaVerdict, list[Note]]:
    verdicts, notes = [], []
    for basis, pct in (("total", result.pct_grr), ("tolerance", result.pct_grr_tolerance)):
        if pct is None:
            continue
        band = grr_band(pct)
        verdicts.append(band)
        if band is not MsaVerdict.ACCEPTABLE:
            notes.append(Note(_GRR_NOTES[(basis, band)], {"value": str(pct)},
                              f"grr_{basis}_{band}"))
    if result.ndc < MIN_NDC:
        verdicts.append(MsaVerdict.UNACCEPTABLE)
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "The measurement system tells {ndc} distinct categories of parts apart; "
                        "at least 5 are required: unacceptable."), {"ndc": result.ndc},
            "ndc_low"))
    return worst(verdicts), notes
