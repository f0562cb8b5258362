"""Query tables of test laboratories (ISO/IEC 17025 accreditation) and EN 10204 inspection
documents. Each table is a projection of its own record's fields."""

from __future__ import annotations

import json

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.domain.revisions import RecordState
from desktop_app.storage.models.base import Base
from desktop_app.storage.projections import RowProjection, register


class Laboratory(Base):
    __tablename__ = "laboratories"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    accreditation_body: Mapped[str] = mapped_column(String(120), default="")
    accreditation_number: Mapped[str] = mapped_column(String(120), default="")
    scope: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of test methods
    valid_until: Mapped[str] = mapped_column(String(10), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class InspectionDocument(Base):
    """An EN 10204 inspection document: what a test report is, as the standard names it."""

    __tablename__ = "inspection_documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(36), index=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    doc_type: Mapped[str] = mapped_column(String(4))
    heat_number: Mapped[str] = mapped_column(String(60), default="")
    inspector: Mapped[str] = mapped_column(String(200), default="")
    inspector_title: Mapped[str] = mapped_column(String(200), default="")
    cosigner: Mapped[str] = mapped_column(String(200), default="")
    cosigner_organisation: Mapped[str] = mapped_column(String(200), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


def _laboratory_row(s: RecordState) -> dict:
    f = s.fields
    return {"name": f.get("name", ""), "accreditation_body": f.get("accreditation_body", ""),
            "accreditation_number": f.get("accreditation_number", ""),
            "scope": json.dumps(list(f.get("scope") or [])),
            "valid_until": f.get("valid_until", "")}


def _document_row(s: RecordState) -> dict:
    f = s.fields
    return {k: f.get(k, "") for k in ("report_id", "part_id", "doc_type", "heat_number",
                                      "inspector", "inspector_title", "cosigner",
                                      "cosigner_organisation")}


register(RowProjection("laboratory", Laboratory, _laboratory_row))
register(RowProjection("inspection_document", InspectionDocument, _document_row))

__all__ = ["InspectionDocument", "Laboratory"]
