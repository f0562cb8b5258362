"""Query tables of certification: submissions, decisions, signatures, certificates.

Decisions, signatures and certificates are insert-only records; a submission is edited (its
revisions are what a signature covers). Each table is a projection of its own record's fields.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.domain.revisions import RecordState
from desktop_app.storage.models.base import Base
from desktop_app.storage.projections import RowProjection, register


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), index=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    site_id: Mapped[str] = mapped_column(String(36))
    created_by: Mapped[str] = mapped_column(String(36))
    rev_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[str] = mapped_column(String(32), index=True)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(36), index=True)
    submission_rev_id: Mapped[str] = mapped_column(String(64))
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(20))
    state_after: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(36))
    decided_at: Mapped[str] = mapped_column(String(32), index=True)
    valid_until: Mapped[str] = mapped_column(String(10), default="")
    quantity_limit: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    signature_id: Mapped[str] = mapped_column(String(36), default="")
    certificate_id: Mapped[str] = mapped_column(String(36), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class Signature(Base):
    __tablename__ = "signatures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(36), index=True)
    covers_rev_id: Mapped[str] = mapped_column(String(64))
    signer_id: Mapped[str] = mapped_column(String(36))
    printed_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    meaning: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[str] = mapped_column(String(32))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), index=True)
    site_id: Mapped[str] = mapped_column(String(36))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    submission_id: Mapped[str] = mapped_column(String(36), index=True)
    decision_id: Mapped[str] = mapped_column(String(36))
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    part_number: Mapped[str] = mapped_column(String(80), default="")
    kind: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)
    disposition: Mapped[str] = mapped_column(String(16))
    valid_until: Mapped[str] = mapped_column(String(10), default="")
    covers_rev_id: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[str] = mapped_column(String(10), index=True)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_certificates_site_year", "site_id", "year", "sequence"),)


def _submission_row(s: RecordState) -> dict:
    f = s.fields
    return {
        "number": f.get("number", ""), "part_id": f.get("part_id", ""),
        "kind": f.get("kind", "ppap"), "level": int(f.get("level", 3)),
        "reason": f.get("reason", ""), "state": f.get("state", "draft"),
        "round": int(f.get("round", 1)), "site_id": f.get("site_id", ""),
        "created_by": f.get("created_by", ""), "rev_id": s.winner.rev_id,
        "updated_at": s.winner.created_at,
    }


def _decision_row(s: RecordState) -> dict:
    f = s.fields
    return {
        "submission_id": f.get("submission_id", ""),
        "submission_rev_id": f.get("submission_rev_id", ""),
        "part_id": f.get("part_id", ""), "kind": f.get("kind", "ppap"),
        "action": f.get("action", ""), "state_after": f.get("state_after", ""),
        "decided_by": f.get("decided_by", ""), "decided_at": f.get("decided_at", ""),
        "valid_until": f.get("valid_until", ""), "quantity_limit": f.get("quantity_limit", ""),
        "reason": f.get("reason", ""), "signature_id": f.get("signature_id", ""),
        "certificate_id": f.get("certificate_id", ""),
    }


def _signature_row(s: RecordState) -> dict:
    f = s.fields
    return {
        "subject_type": f.get("subject_type", ""), "subject_id": f.get("subject_id", ""),
        "covers_rev_id": f.get("covers_rev_id", ""), "signer_id": f.get("signer_id", ""),
        "printed_name": f.get("printed_name", ""), "title": f.get("title", ""),
        "meaning": f.get("meaning", ""), "signed_at": f.get("signed_at", ""),
    }


def _certificate_row(s: RecordState) -> dict:
    f = s.fields
    data = f.get("data", {}) or {}
    return {
        "number": f.get("number", ""), "site_id": f.get("site_id", ""),
        "year": int(f.get("year", 0)), "sequence": int(f.get("sequence", 0)),
        "submission_id": f.get("submission_id", ""), "decision_id": f.get("decision_id", ""),
        "part_id": f.get("part_id", ""), "part_number": data.get("part_number", ""),
        "kind": data.get("kind", "ppap"), "level": int(data.get("level", 0)),
        "disposition": data.get("disposition", ""), "valid_until": data.get("valid_until", ""),
        "covers_rev_id": f.get("covers_rev_id", ""), "issued_on": data.get("issued_on", ""),
    }


register(RowProjection("submission", Submission, _submission_row))
register(RowProjection("decision", Decision, _decision_row))
register(RowProjection("signature", Signature, _signature_row))
register(RowProjection("certificate", Certificate, _certificate_row))

__all__ = ["Certificate", "Decision", "Signature", "Submission"]
