"""Frozen data of the evidence services: drafts going in, summaries coming out.

Numbers are decimal text, dates ISO text; capability indices are text rounded down to 0.001.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop_app.domain.attributes import AttributeResult, DataType, attribute_result
from desktop_app.domain.capability import Note, capability
from desktop_app.domain.evidence import (
    Limits,
    Verdict,
    optional_decimal,
    parse_readings,
    reading_verdict,
    set_verdict,
)
from desktop_app.domain.text import Translate, untranslated


@dataclass(frozen=True, slots=True)
class CharacteristicDraft:
    """A characteristic as typed or imported. Limits as absolute values or signed tolerances."""

    number: str
    description: str
    nominal: str = ""
    lower_tol: str = ""
    upper_tol: str = ""
    lower_limit: str = ""
    upper_limit: str = ""
    unit: str = "mm"
    char_class: str = "standard"
    method: str = ""
    gauge_code: str = ""  # code of a gauge in the register (or empty)
    data_type: str = "variable"  # variable, attribute (OK / NG) or defects (count per sample)


@dataclass(frozen=True, slots=True)
class CharacteristicInfo:
    characteristic_id: str
    part_id: str
    number: str
    description: str
    nominal: str
    lower_tol: str
    upper_tol: str
    lower_limit: str
    upper_limit: str
    unit: str
    char_class: str
    method: str
    gauge_id: str
    gauge_code: str
    conflict: bool
    rev_id: str = ""  # current revision, to guard an edit against a lost update
    data_type: str = "variable"

    @property
    def attribute(self) -> bool:
        return DataType(self.data_type).is_attribute

    @property
    def limits(self) -> Limits:
        return Limits.from_fields(self.lower_limit, self.upper_limit)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class GaugeDraft:
    code: str
    gauge_type: str
    range_text: str = ""
    resolution: str = ""
    calibrated_on: str = ""  # ISO date
    due_on: str = ""  # ISO date


@dataclass(frozen=True, slots=True)
class GaugeInfo:
    gauge_id: str
    code: str
    gauge_type: str
    range_text: str
    resolution: str
    calibrated_on: str
    due_on: str
    overdue: bool  # past its due date today
    conflict: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ReportDraft:
    part_id: str
    report_type: str
    title: str = ""
    standard: str = ""
    laboratory: str = ""
    lab_kind: str = "internal"
    accreditation: str = ""  # ISO/IEC 17025 accreditation reference
    sample_size: int = 0
    tested_on: str = ""  # ISO date; today when empty
    issued_on: str = ""
    operator: str = ""
    conclusion: str = ""
    stated_result: str = ""  # for reports without readings: conforming / not_conforming


@dataclass(frozen=True, slots=True)
class ResultDraft:
    """Readings of one characteristic; the gauge defaults to the characteristic's gauge."""

    characteristic_id: str
    readings: tuple[str, ...]
    gauge_code: str = ""
    subgroup_size: int = 1


@dataclass(frozen=True, slots=True)
class MeasurementSetInfo:
    set_id: str
    report_id: str
    part_id: str
    characteristic_id: str
    number: str
    description: str
    char_class: str
    nominal: str
    lower_limit: str
    upper_limit: str
    unit: str
    gauge_code: str
    gauge_calibrated_on: str
    gauge_due_on: str
    gauge_overdue: bool  # impact assessment needed (IATF 16949 7.1.5.2.1)
    measured_on: str
    subgroup_size: int
    readings: tuple[str, ...]
    verdict: str
    data_type: str = "variable"

    @property
    def attribute(self) -> bool:
        return DataType(self.data_type).is_attribute

    def attribute_result(self) -> AttributeResult:
        return attribute_result(list(self.readings), DataType(self.data_type))

    @property
    def limits(self) -> Limits:
        return Limits(optional_decimal(self.lower_limit), optional_decimal(self.upper_limit))

    def reading_verdicts(self) -> tuple[Verdict, ...]:
        if self.attribute:
            return tuple(Verdict.FAIL if r in ("NG",) or (r.isdigit() and int(r) > 0)
                         else Verdict.PASS for r in self.readings)
        limits = self.limits
        return tuple(reading_verdict(v, limits) for v in parse_readings(list(self.readings)))

    def capability_fields(self) -> dict[str, Any]:
        if self.attribute:
            return {}
        result = capability(parse_readings(list(self.readings)), self.limits, self.subgroup_size)
        return {**result.to_fields(), "notes": [n.text() for n in result.notes]}

    def capability_notes(self, translate: Translate = untranslated) -> list[str]:
        if self.attribute:
            return [self.attribute_result().text(translate)]
        result = capability(parse_readings(list(self.readings)), self.limits, self.subgroup_size)
        return [n.text(translate) for n in result.notes]

    def to_json(self) -> dict[str, Any]:
        if self.attribute:
            result = self.attribute_result()
            return {**asdict(self),
                    "readings": [{"value": r, "verdict": str(v)} for r, v in
                                 zip(self.readings, self.reading_verdicts(), strict=True)],
                    "verdict": str(result.verdict), "attribute": result.to_fields()}
        limits = self.limits
        values = parse_readings(list(self.readings))
        return {
            **asdict(self),
            "readings": [{"value": str(v), "verdict": str(reading_verdict(v, limits))}
                         for v in values],
            "verdict": str(set_verdict(values, limits)),
            "capability": self.capability_fields(),
        }


@dataclass(frozen=True, slots=True)
class ReportSummary:
    report_id: str
    number: str
    part_id: str
    report_type: str
    title: str
    standard: str
    laboratory: str
    lab_kind: str
    accreditation: str
    sample_size: int
    tested_on: str
    issued_on: str
    operator: str
    conclusion: str
    stated_result: str
    supersedes: str
    supersede_reason: str
    superseded_by: str  # id of the report that corrects this one, or empty
    recorded_at: str
    recorded_by: str
    verdict: str  # computed from the readings; the stated result when there are none
    set_count: int
    gauge_overdue: bool
    conflict: bool

    @property
    def current(self) -> bool:
        return not self.superseded_by

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    attachment_id: str
    part_id: str
    report_id: str
    kind: str
    original_name: str
    content_type: str
    size: int
    blob_sha256: str
    note: str
    attached_at: str
    attached_by: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ReportDetail:
    summary: ReportSummary
    sets: tuple[MeasurementSetInfo, ...]
    attachments: tuple[AttachmentInfo, ...]
    warnings: tuple[Note, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary.to_json(),
            "results": [s.to_json() for s in self.sets],
            "attachments": [a.to_json() for a in self.attachments],
            "warnings": [w.text() for w in self.warnings],
        }


@dataclass(frozen=True, slots=True)
class PartEvidence:
    """Everything recorded for one part revision (for certification)."""

    part_id: str
    reports: tuple[ReportSummary, ...]
    attachments: tuple[AttachmentInfo, ...]

    def to_json(self) -> dict[str, Any]:
        return {"part_id": self.part_id, "reports": [r.to_json() for r in self.reports],
                "attachments": [a.to_json() for a in self.attachments]}


@dataclass(frozen=True, slots=True)
class CharacteristicCoverage:
    """Whether a characteristic has dimensional results in a current report."""

    characteristic: CharacteristicInfo
    result_count: int
    latest_verdict: str  # pass / fail / no_data (no results)
    latest_report_number: str
    latest_measured_on: str


@dataclass(frozen=True, slots=True)
class CapabilitySummary:
    """Capability of one special characteristic (CC/SC) from its latest current result."""

    characteristic_id: str
    number: str
    description: str
    char_class: str
    lower_limit: str
    upper_limit: str
    unit: str
    report_id: str
    report_number: str
    n: int
    cpk: str
    ppk: str
    band: str  # band of Ppk: not_acceptable / customer_agreement / acceptable / ""
    acceptance: str  # band, or insufficient_data (< 30 readings) / undefined / no_data
    verdict: str
    notes: tuple[str, ...]
    # The study's findings (domain/capability.py FindingCode in each note's `code`): what
    # certification checks and the approver sees.
    findings: tuple[Note, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.findings)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [{"code": n.code, "text": n.text()} for n in self.findings]
        return data


@dataclass(frozen=True, slots=True)
class GaugeCheck:
    """The calibration state of the gauge used for one result, on the day it was measured."""

    set_id: str
    report_id: str
    report_number: str
    char_number: str
    gauge_code: str
    measured_on: str
    calibrated_on: str
    due_on: str
    in_calibration: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def readings_json(text: str) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(text or "[]"))
