"""Query tables of the roadmap area, materialised from records.

Records (all fields are snapshots; decimals as text, dates as ISO text):

- "reference_set": an entry of a vehicle model's reference list (model_id, code, name, kind, rate,
  position);
- "set_link": a local part realising a set (model_id, set_id, part_id, share, supply_start,
  expected_approval, planned_supply_start);
- "milestone_rule": a regulatory milestone of a model (model_id, years, target, reference); a
  model without rules uses the defaults of decree 22-384;
- "roadmap_step": a step of the joint roadmap (see domain.roadmap.StepDraft.fields);
- "step_signoff": insert-only sign-off of a step by one party (step_id, party, signer_id,
  signer_name, comment, signed_at, covers_rev_id);
- "regulatory_rules": what happens when a model misses a milestone (model_id, grace_months,
  supply_cut, cut_ends_early, freeze, and the text each comes from); a model without one uses
  the defaults of decree 24-159 (domain.milestones.DEFAULT_RULE_SET);
- "delivery": parts shipped under an approval (part_id, delivered_on, quantity, note), counted
  against the quantity limit of an interim approval.
"""

from __future__ import annotations

import json

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base
from desktop_app.storage.projections import RowProjection, register


class ReferenceSet(Base):
    __tablename__ = "reference_sets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    rate: Mapped[str] = mapped_column(String(20))  # Decimal as text
    position: Mapped[int] = mapped_column(Integer, default=0)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class SetLinkRow(Base):
    __tablename__ = "set_links"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36), index=True)
    set_id: Mapped[str] = mapped_column(String(36), index=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    share: Mapped[str] = mapped_column(String(20), default="100")
    supply_start: Mapped[str] = mapped_column(String(10), default="")
    expected_approval: Mapped[str] = mapped_column(String(10), default="")
    planned_supply_start: Mapped[str] = mapped_column(String(10), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class MilestoneRuleRow(Base):
    __tablename__ = "milestone_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36), index=True)
    years: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(200), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class RoadmapStep(Base):
    __tablename__ = "roadmap_steps"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    target_rate: Mapped[str] = mapped_column(String(20), default="0")
    milestone_years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_date: Mapped[str] = mapped_column(String(10), index=True)
    baseline_date: Mapped[str] = mapped_column(String(10), default="")
    forecast_date: Mapped[str] = mapped_column(String(10), default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)  # manual; "" computed
    status_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    components: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    required_evidence: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class StepSignoff(Base):
    __tablename__ = "step_signoffs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    step_id: Mapped[str] = mapped_column(String(36), index=True)
    party: Mapped[str] = mapped_column(String(16))
    signer_id: Mapped[str] = mapped_column(String(36))
    signer_name: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[str] = mapped_column(String(32))
    covers_rev_id: Mapped[str] = mapped_column(String(64), default="")


class RegulatoryRuleSet(Base):
    __tablename__ = "regulatory_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36), index=True)
    grace_months: Mapped[int] = mapped_column(Integer)
    grace_source: Mapped[str] = mapped_column(Text, default="")
    supply_cut: Mapped[str] = mapped_column(String(20))  # % of the annual programme, as text
    supply_cut_source: Mapped[str] = mapped_column(Text, default="")
    cut_ends_early: Mapped[bool] = mapped_column(Boolean, default=False)
    cut_ends_early_source: Mapped[str] = mapped_column(Text, default="")
    freeze: Mapped[bool] = mapped_column(Boolean, default=True)
    freeze_source: Mapped[str] = mapped_column(Text, default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part_id: Mapped[str] = mapped_column(String(36), index=True)
    delivered_on: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")


TABLES = ("reference_sets", "set_links", "milestone_rules", "roadmap_steps", "step_signoffs",
          "regulatory_rules", "deliveries")


def _text(fields: dict, key: str, default: str = "") -> str:
    value = fields.get(key)
    return default if value is None else str(value)


register(RowProjection("reference_set", ReferenceSet, lambda s: {
    "model_id": _text(s.fields, "model_id"),
    "code": _text(s.fields, "code"),
    "name": _text(s.fields, "name"),
    "kind": _text(s.fields, "kind", "set"),
    "rate": _text(s.fields, "rate", "0"),
    "position": int(s.fields.get("position") or 0),
}))

register(RowProjection("set_link", SetLinkRow, lambda s: {
    "model_id": _text(s.fields, "model_id"),
    "set_id": _text(s.fields, "set_id"),
    "part_id": _text(s.fields, "part_id"),
    "share": _text(s.fields, "share", "100"),
    "supply_start": _text(s.fields, "supply_start"),
    "expected_approval": _text(s.fields, "expected_approval"),
    "planned_supply_start": _text(s.fields, "planned_supply_start"),
}))

register(RowProjection("milestone_rule", MilestoneRuleRow, lambda s: {
    "model_id": _text(s.fields, "model_id"),
    "years": int(s.fields.get("years") or 0),
    "target": _text(s.fields, "target", "0"),
    "reference": _text(s.fields, "reference"),
}))

register(RowProjection("roadmap_step", RoadmapStep, lambda s: {
    "model_id": _text(s.fields, "model_id"),
    "code": _text(s.fields, "code"),
    "title": _text(s.fields, "title"),
    "target_rate": _text(s.fields, "target_rate", "0"),
    "milestone_years": s.fields.get("milestone_years"),
    "target_date": _text(s.fields, "target_date"),
    "baseline_date": _text(s.fields, "baseline_date"),
    "forecast_date": _text(s.fields, "forecast_date"),
    "owner": _text(s.fields, "owner"),
    "status": _text(s.fields, "status"),
    "status_reason": _text(s.fields, "status_reason"),
    "components": json.dumps(s.fields.get("components") or [], ensure_ascii=False,
                             sort_keys=True),
    "required_evidence": json.dumps(s.fields.get("required_evidence") or [],
                                    ensure_ascii=False),
}))

register(RowProjection("step_signoff", StepSignoff, lambda s: {
    "step_id": _text(s.fields, "step_id"),
    "party": _text(s.fields, "party"),
    "signer_id": _text(s.fields, "signer_id"),
    "signer_name": _text(s.fields, "signer_name"),
    "comment": _text(s.fields, "comment"),
    "signed_at": _text(s.fields, "signed_at"),
    "covers_rev_id": _text(s.fields, "covers_rev_id"),
}))

register(RowProjection("regulatory_rules", RegulatoryRuleSet, lambda s: {
    "model_id": _text(s.fields, "model_id"),
    "grace_months": int(s.fields.get("grace_months") or 0),
    "grace_source": _text(s.fields, "grace_source"),
    "supply_cut": _text(s.fields, "supply_cut", "0"),
    "supply_cut_source": _text(s.fields, "supply_cut_source"),
    "cut_ends_early": bool(s.fields.get("cut_ends_early", False)),
    "cut_ends_early_source": _text(s.fields, "cut_ends_early_source"),
    "freeze": bool(s.fields.get("freeze", True)),
    "freeze_source": _text(s.fields, "freeze_source"),
}))

register(RowProjection("delivery", Delivery, lambda s: {
    "part_id": _text(s.fields, "part_id"),
    "delivered_on": _text(s.fields, "delivered_on"),
    "quantity": int(s.fields.get("quantity") or 0),
    "note": _text(s.fields, "note"),
}))
