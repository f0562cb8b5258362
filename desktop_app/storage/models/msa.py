"""Query table of measurement system analysis studies (PPAP element 8): one row per study, its
result computed from the record's own readings (`domain/msa_study.py`), so that a study that
arrives from another site shows the same figures there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.domain.msa_study import summary_of
from desktop_app.domain.revisions import RecordState
from desktop_app.storage.models.base import Base
from desktop_app.storage.projections import RowProjection, register


class MsaStudy(Base):
    __tablename__ = "msa_studies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    gauge_id: Mapped[str] = mapped_column(String(36))
    characteristic_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    part_id: Mapped[str] = mapped_column(String(36), default="")
    kind: Mapped[str] = mapped_column(String(12))
    studied_on: Mapped[str] = mapped_column(String(10), default="")
    conducted_by: Mapped[str] = mapped_column(String(200), default="")
    tolerance: Mapped[str] = mapped_column(String(40), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    operators: Mapped[int] = mapped_column(Integer, default=0)
    parts: Mapped[int] = mapped_column(Integer, default=0)
    trials: Mapped[int] = mapped_column(Integer, default=0)
    # Gauge R&R (% of the total variation, of the tolerance; ndc), "" for an attribute study.
    pct_ev: Mapped[str] = mapped_column(String(12), default="")
    pct_av: Mapped[str] = mapped_column(String(12), default="")
    pct_grr: Mapped[str] = mapped_column(String(12), default="")
    pct_pv: Mapped[str] = mapped_column(String(12), default="")
    pct_grr_tolerance: Mapped[str] = mapped_column(String(12), default="")
    ndc: Mapped[str] = mapped_column(String(12), default="")
    # Attribute agreement: the worst appraiser's figures, "" for a gauge R&R.
    effectiveness: Mapped[str] = mapped_column(String(12), default="")
    miss_rate: Mapped[str] = mapped_column(String(12), default="")
    false_alarm_rate: Mapped[str] = mapped_column(String(12), default="")
    kappa: Mapped[str] = mapped_column(String(12), default="")
    # acceptable, marginal, unacceptable; "invalid" when the readings make no study
    verdict: Mapped[str] = mapped_column(String(12), default="invalid")
    problem: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[str] = mapped_column(String(32), default="")
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_msa_studies_gauge_date", "gauge_id", "studied_on"),)


def _text(state: RecordState, name: str) -> str:
    value = state.fields.get(name)
    return "" if value is None else str(value)


def _study_row(s: RecordState) -> dict[str, Any]:
    summary = summary_of(s.fields)
    return {
        "gauge_id": _text(s, "gauge_id"), "characteristic_id": _text(s, "characteristic_id"),
        "part_id": _text(s, "part_id"), "kind": _text(s, "kind"),
        "studied_on": _text(s, "studied_on"), "conducted_by": _text(s, "conducted_by"),
        "tolerance": _text(s, "tolerance"), "unit": _text(s, "unit"),
        "operators": summary.operators, "parts": summary.parts, "trials": summary.trials,
        "pct_ev": summary.pct_ev, "pct_av": summary.pct_av, "pct_grr": summary.pct_grr,
        "pct_pv": summary.pct_pv, "pct_grr_tolerance": summary.pct_grr_tolerance,
        "ndc": summary.ndc, "effectiveness": summary.effectiveness,
        "miss_rate": summary.miss_rate, "false_alarm_rate": summary.false_alarm_rate,
        "kappa": summary.kappa, "verdict": summary.verdict, "problem": summary.problem,
        "recorded_at": s.winner.created_at, "recorded_by": s.winner.author,
    }


register(RowProjection("msa_study", MsaStudy, _study_row))

__all__ = ["MsaStudy"]
