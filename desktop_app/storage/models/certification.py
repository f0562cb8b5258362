"""Query tables of certification: submissions, decisions, signatures, certificates.

Decisions, signatures and certificates are insert-only records; a submission is edited (its
revisions are what a signature covers). Each table is a projection of its own record's fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Boolean, Index, Integer, Select, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from desktop_app.domain.certification import decided_elsewhere
from desktop_app.domain.revisions import RecordState
from desktop_app.storage.models.base import Base
from desktop_app.storage.models.core import RecordRow, RevisionRow
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


class Deviation(Base):
    """A deviation as the supplier requested it (its status comes from the customer's
    decisions, read beside it: a projection reads its own record only)."""

    __tablename__ = "deviations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), index=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    characteristic_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    description: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[str] = mapped_column(String(10), default="")
    quantity_limit: Mapped[str] = mapped_column(String(20), default="")
    quantity_used: Mapped[int] = mapped_column(Integer, default=0)
    site_id: Mapped[str] = mapped_column(String(36), default="")
    requested_by: Mapped[str] = mapped_column(String(36), default="")
    requested_at: Mapped[str] = mapped_column(String(32), default="")
    rev_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[str] = mapped_column(String(32))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class DeviationDecision(Base):
    __tablename__ = "deviation_decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    deviation_id: Mapped[str] = mapped_column(String(36), index=True)
    deviation_rev_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    part_id: Mapped[str] = mapped_column(String(36), default="")
    characteristic_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    valid_until: Mapped[str] = mapped_column(String(10), default="")
    quantity_limit: Mapped[str] = mapped_column(String(20), default="")
    decided_by: Mapped[str] = mapped_column(String(36), default="")
    decided_at: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    signature_id: Mapped[str] = mapped_column(String(36), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class ProductionEnd(Base):
    """When series production of a part revision ended: its records' retention runs from it."""

    __tablename__ = "production_ends"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    ended_on: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[str] = mapped_column(String(32))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class RetentionPolicy(Base):
    """A customer's retention period in years (instead of the default one year)."""

    __tablename__ = "retention_policies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer: Mapped[str] = mapped_column(String(120), index=True)
    years: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(200), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


def _production_end_row(s: RecordState) -> dict:
    f = s.fields
    return {"part_id": f.get("part_id", ""), "ended_on": f.get("ended_on", ""),
            "note": f.get("note", ""), "updated_at": s.winner.created_at}


def _retention_policy_row(s: RecordState) -> dict:
    f = s.fields
    return {"customer": f.get("customer", ""), "years": int(f.get("years", 1)),
            "reference": f.get("reference", "")}


def _deviation_row(s: RecordState) -> dict:
    f = s.fields
    return {
        "number": f.get("number", ""), "part_id": f.get("part_id", ""),
        "characteristic_ids": json.dumps(sorted(f.get("characteristic_ids") or [])),
        "description": f.get("description", ""), "valid_until": f.get("valid_until", ""),
        "quantity_limit": f.get("quantity_limit", ""),
        "quantity_used": int(f.get("quantity_used", 0)), "site_id": f.get("site_id", ""),
        "requested_by": f.get("requested_by", ""), "requested_at": f.get("requested_at", ""),
        "rev_id": s.winner.rev_id, "updated_at": s.winner.created_at,
    }


def _deviation_decision_row(s: RecordState) -> dict:
    f = s.fields
    return {
        "deviation_id": f.get("deviation_id", ""),
        "deviation_rev_id": f.get("deviation_rev_id", ""), "action": f.get("action", ""),
        "part_id": f.get("part_id", ""),
        "characteristic_ids": json.dumps(sorted(f.get("characteristic_ids") or [])),
        "valid_until": f.get("valid_until", ""), "quantity_limit": f.get("quantity_limit", ""),
        "decided_by": f.get("decided_by", ""), "decided_at": f.get("decided_at", ""),
        "reason": f.get("reason", ""), "signature_id": f.get("signature_id", ""),
    }


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


def decisions_elsewhere(session: Session, submissions: Mapping[str, tuple[str, str]]
                        ) -> dict[str, list[dict[str, Any]]]:
    """For each submission id -> (current rev id, owning site): the decisions made on that very
    revision by other sites, oldest first (by Lamport counter), as their fields with their `id`.
    A site decides on another site's submission without writing it (domain.certification)."""
    found: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
    ids = sorted(submissions)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Decision.id, Decision.submission_id, Decision.submission_rev_id,
                   RecordRow.owner_site_id, RevisionRow.lamport, RevisionRow.fields)
            .join(RecordRow, RecordRow.record_id == Decision.id)
            .join(RevisionRow, RevisionRow.rev_id == RecordRow.current_rev_id)
            .where(Decision.submission_id.in_(ids[start:start + 500])))
        for decision_id, sub_id, covers, owner, lamport, fields in rows:
            current, sub_owner = submissions[sub_id]
            if covers != current or not owner or owner == sub_owner:
                continue
            found.setdefault(sub_id, []).append(
                (lamport, decision_id, {**json.loads(fields), "id": decision_id}))
    return {k: [d for _, _, d in sorted(v, key=lambda t: (t[0], t[1]))]
            for k, v in found.items()}


def in_causal_order(stmt: Select) -> Select:
    """`stmt` (over decisions) joined to the revision that wrote each decision and ordered by its
    Lamport counter, then site and revision id: the order decisions were taken in, whatever the
    clocks of the deciding computers said. Adds the three ordering columns to the rows."""
    return (stmt.add_columns(RevisionRow.lamport, RevisionRow.site_id, RevisionRow.rev_id)
            .join(RecordRow, RecordRow.record_id == Decision.id)
            .join(RevisionRow, RevisionRow.rev_id == RecordRow.current_rev_id)
            .order_by(RevisionRow.lamport, RevisionRow.site_id, RevisionRow.rev_id))


def refresh_decided_states(session: Session, submission_ids: Iterable[str]) -> None:
    """Set each submission row's state to what its own fields and the decisions of other sites
    on its current revision make it: the same rows whatever order revisions arrive in."""
    ids = sorted({i for i in submission_ids if i})
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Submission.id, Submission.state, RecordRow.current_rev_id,
                   RecordRow.owner_site_id, RevisionRow.fields)
            .join(RecordRow, RecordRow.record_id == Submission.id)
            .join(RevisionRow, RevisionRow.rev_id == RecordRow.current_rev_id)
            .where(Submission.id.in_(ids[start:start + 500]))).all()
        elsewhere = decisions_elsewhere(session, {r[0]: (r[2], r[3]) for r in rows})
        for sub_id, shown, _, _, fields in rows:
            own = json.loads(fields)
            state = decided_elsewhere(own, elsewhere.get(sub_id, ())).get("state", "draft")
            if state != shown:
                session.execute(update(Submission).where(Submission.id == sub_id)
                                .values(state=state))


# The state of a submission also depends on the decisions other sites made on it: both
# projections refresh it after their rows are written (decisions come first, by type name).
register(RowProjection("submission", Submission, _submission_row, after=lambda session, states:
                       refresh_decided_states(session, (s.record_id for s in states
                                                        if not s.deleted))))
register(RowProjection("decision", Decision, _decision_row, after=lambda session, states:
                       refresh_decided_states(session, (str(s.fields.get("submission_id", ""))
                                                        for s in states))))
register(RowProjection("signature", Signature, _signature_row))
register(RowProjection("certificate", Certificate, _certificate_row))
register(RowProjection("deviation", Deviation, _deviation_row))
register(RowProjection("deviation_decision", DeviationDecision, _deviation_decision_row))
register(RowProjection("production_end", ProductionEnd, _production_end_row))
register(RowProjection("retention_policy", RetentionPolicy, _retention_policy_row))

__all__ = ["Certificate", "Decision", "Deviation", "DeviationDecision", "ProductionEnd",
           "RetentionPolicy", "Signature", "Submission", "decisions_elsewhere",
           "refresh_decided_states"]
