"""An MSA study as a record holds its raw readings; its result is always computed from them
(`result_of(fields)`), by the query table and by every screen alike, never stored as typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.msa import GaugeRR, MsaKind, MsaVerdict, Reading, gauge_rr
from desktop_app.domain.msa_attribute import AttributeAgreement, attribute_agreement

StudyResult = GaugeRR | AttributeAgreement


def readings_of(fields: Mapping[str, Any]) -> list[Reading]:
    """The readings of a study record (each {"operator", "part", "trial", "value"})."""
    out = []
    for item in fields.get("readings") or []:
        if not isinstance(item, Mapping):
            continue
        trial = item.get("trial")
        out.append(Reading(str(item.get("operator", "")), str(item.get("part", "")),
                           trial if isinstance(trial, int) else 0, str(item.get("value", ""))))
    return out


def tolerance_of(fields: Mapping[str, Any]) -> Decimal | None:
    text = str(fields.get("tolerance") or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal("NaN")  # refused by gauge_rr with its sentence


def result_of(fields: Mapping[str, Any]) -> StudyResult:
    """The gauge R&R or the attribute agreement of a study record; ValidationError when its
    readings do not make a study (the first problem, in one sentence)."""
    readings = readings_of(fields)
    if str(fields.get("kind", "")) == MsaKind.ATTRIBUTE:
        reference = fields.get("reference") or {}
        return attribute_agreement(readings, reference if isinstance(reference, Mapping) else {})
    return gauge_rr(readings, tolerance_of(fields))


@dataclass(frozen=True, slots=True)
class StudySummary:
    """What a register of studies shows; every figure as text, "" where it does not apply."""

    operators: int = 0
    parts: int = 0
    trials: int = 0
    pct_ev: str = ""
    pct_av: str = ""
    pct_grr: str = ""
    pct_pv: str = ""
    pct_grr_tolerance: str = ""
    ndc: str = ""
    effectiveness: str = ""
    miss_rate: str = ""
    false_alarm_rate: str = ""
    kappa: str = ""
    verdict: str = "invalid"  # an MsaVerdict, or "invalid": the readings make no study
    problem: str = ""  # why it is invalid (the English sentence)

    @property
    def valid(self) -> bool:
        return self.verdict != "invalid"


def summary_of(fields: Mapping[str, Any]) -> StudySummary:
    try:
        result = result_of(fields)
    except (ValidationError, ArithmeticError) as exc:
        return StudySummary(problem=str(exc)[:500])
    return StudySummary(len(result.operators), len(result.parts), result.trials,
                        **result.summary())


def verdict_of(summary: StudySummary) -> MsaVerdict | None:
    return MsaVerdict(summary.verdict) if summary.valid else None
