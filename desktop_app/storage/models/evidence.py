"""Query tables of test evidence: characteristics, gauges, test reports, measurement sets and
attachments. Each is materialised from its own record's fields only; parts, reports and gauges are
referred to by record id as plain text (no foreign keys between query tables)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.domain.attributes import DataType, attribute_result, data_type_of
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evidence import Limits, natural_key, parse_readings, set_verdict
from desktop_app.domain.revisions import RecordState
from desktop_app.storage.models.base import Base
from desktop_app.storage.projections import RowProjection, register


class Characteristic(Base):
    """A characteristic of a part revision (a balloon on the drawing)."""

    __tablename__ = "characteristics"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[str] = mapped_column(String(20))
    sort_key: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300))
    nominal: Mapped[str] = mapped_column(String(40), default="")
    lower_tol: Mapped[str] = mapped_column(String(40), default="")
    upper_tol: Mapped[str] = mapped_column(String(40), default="")
    lower_limit: Mapped[str] = mapped_column(String(40), default="")
    upper_limit: Mapped[str] = mapped_column(String(40), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    char_class: Mapped[str] = mapped_column(String(10), default="standard")
    method: Mapped[str] = mapped_column(String(200), default="")
    gauge_id: Mapped[str] = mapped_column(String(36), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    # variable (measured against limits), attribute (OK / NG) or defects (count per sample)
    data_type: Mapped[str] = mapped_column(String(12), default="variable",
                                           server_default="variable")

    __table_args__ = (Index("ix_characteristics_part_sort", "part_id", "sort_key"),)


class Gauge(Base):
    """A measuring instrument of the gauges register with its calibration interval."""

    __tablename__ = "gauges"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    gauge_type: Mapped[str] = mapped_column(String(120))
    range_text: Mapped[str] = mapped_column(String(80), default="")
    resolution: Mapped[str] = mapped_column(String(40), default="")
    calibrated_on: Mapped[str] = mapped_column(String(10), default="")
    due_on: Mapped[str] = mapped_column(String(10), default="", index=True)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class TestReport(Base):
    """A test report (dimensional, material, performance, ...). Insert-only: a correction is a
    new report whose `supersedes` names the old one."""

    __tablename__ = "test_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), index=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    report_type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    standard: Mapped[str] = mapped_column(String(120), default="")
    laboratory: Mapped[str] = mapped_column(String(200), default="")
    lab_kind: Mapped[str] = mapped_column(String(10), default="internal")
    accreditation: Mapped[str] = mapped_column(String(120), default="")
    sample_size: Mapped[int] = mapped_column(Integer, default=0)
    tested_on: Mapped[str] = mapped_column(String(10), default="")
    issued_on: Mapped[str] = mapped_column(String(10), default="")
    operator: Mapped[str] = mapped_column(String(200), default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    stated_result: Mapped[str] = mapped_column(String(20), default="")
    supersedes: Mapped[str] = mapped_column(String(36), default="", index=True)
    supersede_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[str] = mapped_column(String(32), default="")
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class MeasurementSet(Base):
    """The readings of one characteristic in one report, with the limits and gauge copied on."""

    __tablename__ = "measurement_sets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(36), index=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    characteristic_id: Mapped[str] = mapped_column(String(36), index=True)
    char_number: Mapped[str] = mapped_column(String(20), default="")
    sort_key: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(String(300), default="")
    char_class: Mapped[str] = mapped_column(String(10), default="standard")
    nominal: Mapped[str] = mapped_column(String(40), default="")
    lower_limit: Mapped[str] = mapped_column(String(40), default="")
    upper_limit: Mapped[str] = mapped_column(String(40), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    gauge_id: Mapped[str] = mapped_column(String(36), default="")
    gauge_code: Mapped[str] = mapped_column(String(40), default="")
    gauge_calibrated_on: Mapped[str] = mapped_column(String(10), default="")
    gauge_due_on: Mapped[str] = mapped_column(String(10), default="")
    gauge_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    measured_on: Mapped[str] = mapped_column(String(10), default="")
    subgroup_size: Mapped[int] = mapped_column(Integer, default=1)
    reading_count: Mapped[int] = mapped_column(Integer, default=0)
    readings: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of decimal text
    verdict: Mapped[str] = mapped_column(String(10), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    # Attribute results: the data type copied from the characteristic, the parts nonconforming
    # (np) and the total defects; readings are then "OK" / "NG" or defect counts.
    data_type: Mapped[str] = mapped_column(String(12), default="variable",
                                           server_default="variable")
    nonconforming: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    defects: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Attachment(Base):
    """A file attached to a part (and optionally to a report); the bytes are in the blob store."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    report_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    kind: Mapped[str] = mapped_column(String(24))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    blob_sha256: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    attached_at: Mapped[str] = mapped_column(String(32), default="")
    attached_by: Mapped[str] = mapped_column(String(64), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


__all__ = ["Attachment", "Characteristic", "Gauge", "MeasurementSet", "TestReport"]


# -- projections ------------------------------------------------------------------------------


def _s(state: RecordState, name: str, default: str = "") -> str:
    value = state.fields.get(name, default)
    return default if value is None else str(value)


def _characteristic_row(s: RecordState) -> dict[str, Any]:
    return {
        "part_id": _s(s, "part_id"), "number": _s(s, "number"),
        "sort_key": natural_key(_s(s, "number")), "description": _s(s, "description"),
        "nominal": _s(s, "nominal"), "lower_tol": _s(s, "lower_tol"),
        "upper_tol": _s(s, "upper_tol"), "lower_limit": _s(s, "lower_limit"),
        "upper_limit": _s(s, "upper_limit"), "unit": _s(s, "unit"),
        "char_class": _s(s, "char_class", "standard"), "method": _s(s, "method"),
        "gauge_id": _s(s, "gauge_id"), "data_type": _data_type(s),
    }


def _data_type(s: RecordState) -> str:
    try:
        return str(data_type_of(_s(s, "data_type")))
    except ValidationError:  # a type this version does not know (from a newer site)
        return str(DataType.VARIABLE)


def _gauge_row(s: RecordState) -> dict[str, Any]:
    return {
        "code": _s(s, "code"), "gauge_type": _s(s, "gauge_type"),
        "range_text": _s(s, "range_text"), "resolution": _s(s, "resolution"),
        "calibrated_on": _s(s, "calibrated_on"), "due_on": _s(s, "due_on"),
    }


def _report_row(s: RecordState) -> dict[str, Any]:
    return {
        "number": _s(s, "number"), "part_id": _s(s, "part_id"),
        "report_type": _s(s, "report_type"), "title": _s(s, "title"),
        "standard": _s(s, "standard"), "laboratory": _s(s, "laboratory"),
        "lab_kind": _s(s, "lab_kind", "internal"), "accreditation": _s(s, "accreditation"),
        "sample_size": int(s.fields.get("sample_size") or 0),
        "tested_on": _s(s, "tested_on"), "issued_on": _s(s, "issued_on"),
        "operator": _s(s, "operator"), "conclusion": _s(s, "conclusion"),
        "stated_result": _s(s, "stated_result"), "supersedes": _s(s, "supersedes"),
        "supersede_reason": _s(s, "supersede_reason"),
        "recorded_at": s.winner.created_at, "recorded_by": s.winner.author,
    }


def _set_row(s: RecordState) -> dict[str, Any]:
    data_type = DataType(_data_type(s))
    if data_type.is_attribute:
        return _attribute_set_row(s, data_type)
    raw = s.fields.get("readings") or []
    readings = parse_readings(raw if isinstance(raw, list) else [])
    limits = Limits.from_fields(_s(s, "lower_limit"), _s(s, "upper_limit"))
    verdict = set_verdict(readings, limits) if (limits.lower, limits.upper) != (None, None) else ""
    return {
        "report_id": _s(s, "report_id"), "part_id": _s(s, "part_id"),
        "characteristic_id": _s(s, "characteristic_id"), "char_number": _s(s, "char_number"),
        "sort_key": natural_key(_s(s, "char_number")), "description": _s(s, "description"),
        "char_class": _s(s, "char_class", "standard"), "nominal": _s(s, "nominal"),
        "lower_limit": _s(s, "lower_limit"), "upper_limit": _s(s, "upper_limit"),
        "unit": _s(s, "unit"), "gauge_id": _s(s, "gauge_id"), "gauge_code": _s(s, "gauge_code"),
        "gauge_calibrated_on": _s(s, "gauge_calibrated_on"),
        "gauge_due_on": _s(s, "gauge_due_on"),
        "gauge_overdue": bool(s.fields.get("gauge_overdue", False)),
        "measured_on": _s(s, "measured_on"),
        "subgroup_size": int(s.fields.get("subgroup_size") or 1),
        "reading_count": len(readings),
        "readings": json.dumps([str(v) for v in readings]),
        "verdict": str(verdict), "data_type": str(DataType.VARIABLE), "nonconforming": 0,
        "defects": 0,
    }


def _attribute_set_row(s: RecordState, data_type: DataType) -> dict[str, Any]:
    raw = s.fields.get("readings") or []
    readings = [str(r) for r in raw] if isinstance(raw, list) else []
    result = attribute_result(readings, data_type)
    return {
        "report_id": _s(s, "report_id"), "part_id": _s(s, "part_id"),
        "characteristic_id": _s(s, "characteristic_id"), "char_number": _s(s, "char_number"),
        "sort_key": natural_key(_s(s, "char_number")), "description": _s(s, "description"),
        "char_class": _s(s, "char_class", "standard"), "nominal": "", "lower_limit": "",
        "upper_limit": "", "unit": _s(s, "unit"), "gauge_id": _s(s, "gauge_id"),
        "gauge_code": _s(s, "gauge_code"),
        "gauge_calibrated_on": _s(s, "gauge_calibrated_on"),
        "gauge_due_on": _s(s, "gauge_due_on"),
        "gauge_overdue": bool(s.fields.get("gauge_overdue", False)),
        "measured_on": _s(s, "measured_on"), "subgroup_size": 1,
        "reading_count": result.n, "readings": json.dumps(readings),
        "verdict": str(result.verdict), "data_type": str(data_type),
        "nonconforming": result.np, "defects": result.defects,
    }


def _attachment_row(s: RecordState) -> dict[str, Any]:
    return {
        "part_id": _s(s, "part_id"), "report_id": _s(s, "report_id"), "kind": _s(s, "kind"),
        "original_name": _s(s, "original_name"), "content_type": _s(s, "content_type"),
        "size": int(s.fields.get("size") or 0), "blob_sha256": _s(s, "blob_sha256"),
        "note": _s(s, "note"), "attached_at": s.winner.created_at,
        "attached_by": s.winner.author,
    }


register(RowProjection("characteristic", Characteristic, _characteristic_row))
register(RowProjection("gauge", Gauge, _gauge_row))
register(RowProjection("test_report", TestReport, _report_row))
register(RowProjection("measurement_set", MeasurementSet, _set_row))
register(RowProjection("attachment", Attachment, _attachment_row))
