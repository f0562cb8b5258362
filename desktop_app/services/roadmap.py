"""Roadmap steps of the joint programme: edit, list (late ones marked), sign off by both parties."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.integration import RateHistory, parse_day
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.roadmap import (
    Party,
    SignOff,
    StepAssessment,
    StepComponent,
    StepDraft,
    StepStatus,
    computed_status,
    is_late,
    manual_status,
    signed_by_both,
    vehicle_volumes,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services import roadmap_sources as sources
from desktop_app.services.context import ServiceContext
from desktop_app.services.integration import rate_histories
from desktop_app.storage.models.roadmap import ReferenceSet, RoadmapStep, StepSignoff


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


@dataclass(frozen=True, slots=True)
class SignOffInfo:
    signoff_id: str
    party: Party
    signer_name: str
    comment: str
    signed_at: str
    current: bool  # covers the step as it is now

    def to_json(self) -> dict[str, Any]:
        return {"party": str(self.party), "signer": self.signer_name, "comment": self.comment,
                "signed_at": self.signed_at, "current": self.current}


@dataclass(frozen=True, slots=True)
class StepSummary:
    step_id: str
    rev_id: str
    code: str
    title: str
    model_id: str
    model_code: str
    milestone_years: int | None
    target_rate: Decimal
    target_date: date
    baseline_date: date | None
    forecast_date: date | None
    owner: str
    status: StepStatus  # the manual status when one is set (with its reason), else computed
    late: bool  # from the computed status: its target date passed without the rate
    days_late: int
    components: tuple[StepComponent, ...]
    required_evidence: tuple[str, ...]
    signoffs: tuple[SignOffInfo, ...]
    conflict: bool
    computed_status: StepStatus = StepStatus.AT_RISK
    rate_at_target: Decimal = Decimal(0)  # actual once the date passed, forecast before
    reached_on: date | None = None  # the day the rate reached the target (or is expected to)
    manual_status: StepStatus | None = None
    status_reason: str = ""
    vehicle_volumes: tuple[tuple[str, int], ...] = ()  # vehicles of the model planned per period

    @property
    def mismatch(self) -> bool:
        """A status set by hand that differs from the computed one."""
        return self.manual_status is not None and self.manual_status is not self.computed_status

    @property
    def signed_by_both(self) -> bool:
        return signed_by_both([SignOff(s.party, s.signer_name, s.signed_at)
                               for s in self.signoffs if s.current])

    def to_json(self) -> dict[str, Any]:
        return {
            "step_id": self.step_id, "code": self.code, "title": self.title,
            "model": self.model_code, "milestone_years": self.milestone_years,
            "target_rate": str(self.target_rate), "target_date": _iso(self.target_date),
            "baseline_date": _iso(self.baseline_date), "forecast_date": _iso(self.forecast_date),
            "owner": self.owner, "status": str(self.status),
            "computed_status": str(self.computed_status),
            "rate_at_target": str(self.rate_at_target), "reached_on": _iso(self.reached_on),
            "manual_status": str(self.manual_status or ""), "status_reason": self.status_reason,
            "mismatch": self.mismatch, "late": self.late,
            "vehicle_volumes": {p: v for p, v in self.vehicle_volumes},
            "days_late": self.days_late, "components": [c.to_json() for c in self.components],
            "required_evidence": list(self.required_evidence),
            "signoffs": [s.to_json() for s in self.signoffs],
            "signed_by_both": self.signed_by_both,
        }


def _with_checked_components(session: Any, draft: StepDraft, model: sources.ModelRef
                             ) -> StepDraft:
    """Each component's part belongs to the step's model and its set is in the model's
    reference list; a component linked to a part without a family takes the part's."""
    parts = sources.parts(session, [c.part_id for c in draft.components if c.part_id])
    codes = {c.casefold() for c in session.execute(select(ReferenceSet.code).where(
        ReferenceSet.model_id == draft.model_id)).scalars()}
    components = []
    for c in draft.components:
        if c.part_id:
            part = parts.get(c.part_id)
            if part is None:
                raise NotFound(what="Part", key=c.part_id)
            if draft.model_id not in part.model_ids:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Part {part} of the component {name} belongs to another vehicle "
                    "model than {model}."), field="components", part=part.number, name=c.name,
                    model=model.code)
            if not c.family:
                c = replace(c, family=part.family)
        if c.set_code and c.set_code.casefold() not in codes:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The set {set} of the component {name} is not in the reference list "
                "of {model}."), field="components", set=c.set_code, name=c.name,
                model=model.code)
        components.append(c)
    return replace(draft, components=tuple(components))


class RoadmapService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    def list_steps(self, actor: Actor | None, model_id: str | None = None,
                   status: StepStatus | None = None, late_only: bool = False) -> list[StepSummary]:
        """Steps in target-date order; `status` filters on the status shown (manual or
        computed), `late_only` keeps those whose target date passed without the rate."""
        sources.require_view(actor)
        today = self._today()
        histories = rate_histories(self._ctx, [model_id] if model_id else self._model_ids(),
                                   today)
        with self._ctx.unit_of_work() as uow:
            stmt = select(RoadmapStep).order_by(RoadmapStep.target_date, RoadmapStep.code)
            if model_id:
                stmt = stmt.where(RoadmapStep.model_id == model_id)
            rows = uow.session.execute(stmt).scalars().all()
            steps = self._summaries(uow, rows, histories, today)
        if status:
            steps = [s for s in steps if s.status is status]
        return [s for s in steps if s.late] if late_only else steps

    def step(self, actor: Actor | None, step_id: str) -> StepSummary:
        sources.require_view(actor)
        return self._reload(step_id)

    def _model_ids(self) -> list[str]:
        with self._ctx.unit_of_work() as uow:
            return [m.model_id for m in sources.vehicle_models(uow.session)]

    def _reload(self, step_id: str) -> StepSummary:
        """The summary of one step, read after its change was committed."""
        today = self._today()
        with self._ctx.unit_of_work() as uow:
            row = uow.session.get(RoadmapStep, step_id)
            if row is None:
                raise NotFound(what="Roadmap step", key=step_id)
            model_id = row.model_id
        histories = rate_histories(self._ctx, [model_id], today)
        with self._ctx.unit_of_work() as uow:
            row = uow.session.get(RoadmapStep, step_id)
            if row is None:
                raise NotFound(what="Roadmap step", key=step_id)
            return self._summaries(uow, [row], histories, today)[0]

    def _summaries(self, uow: Any, rows: Sequence[RoadmapStep],
                   histories: Mapping[str, tuple[RateHistory, RateHistory]],
                   today: date) -> list[StepSummary]:
        models = {m.model_id: m for m in sources.vehicle_models(uow.session)}
        signoffs: dict[str, list[StepSignoff]] = {}
        ids = [r.id for r in rows]
        for start in range(0, len(ids), 500):
            for s in uow.session.execute(select(StepSignoff).where(
                    StepSignoff.step_id.in_(ids[start:start + 500])).order_by(
                    StepSignoff.signed_at)).scalars():
                signoffs.setdefault(s.step_id, []).append(s)
        result = []
        for r in rows:
            record = uow.records.require(r.id, "Roadmap step")
            rev_id = record.winner.rev_id
            target = date.fromisoformat(r.target_date)
            forecast = parse_day(r.forecast_date, "forecast date")
            actual_rate, forecast_rate = histories.get(r.model_id, (RateHistory(), RateHistory()))
            rate = Decimal(r.target_rate)
            assessed: StepAssessment = computed_status(target, rate, actual_rate, forecast_rate,
                                                       today)
            manual = StepStatus(r.status) if r.status and r.status_reason else None
            model = models.get(r.model_id)
            result.append(StepSummary(
                step_id=r.id, rev_id=rev_id, code=r.code, title=r.title, model_id=r.model_id,
                model_code=model.code if model else r.model_id,
                milestone_years=r.milestone_years, target_rate=rate,
                target_date=target, baseline_date=parse_day(r.baseline_date, "baseline date"),
                forecast_date=forecast, owner=r.owner, status=manual or assessed.status,
                late=is_late(assessed.status),
                days_late=assessed.days_late(target, today),
                components=tuple(StepComponent.from_json(c) for c in json.loads(r.components)),
                required_evidence=tuple(json.loads(r.required_evidence)),
                signoffs=tuple(SignOffInfo(s.id, Party(s.party), s.signer_name, s.comment,
                                           s.signed_at, s.covers_rev_id == rev_id)
                               for s in signoffs.get(r.id, [])),
                conflict=r.conflict, computed_status=assessed.status,
                rate_at_target=assessed.rate_at_target, reached_on=assessed.reached_on,
                manual_status=manual, status_reason=r.status_reason if manual else "",
                vehicle_volumes=vehicle_volumes(record.fields.get("vehicle_volumes"))))
        return result

    def save_step(self, actor: Actor, data: Mapping[str, Any], step_id: str | None = None,
                  expected_rev_id: str | None = None) -> StepSummary:
        """Add or change a step. Its target date may not precede the model's approval date and
        its code is unique within the model."""
        actor.require(Permission.EDIT_ROADMAP)
        draft = StepDraft.parse(data)
        with self._ctx.unit_of_work() as uow:
            model = sources.vehicle_model(uow.session, draft.model_id)
            draft.check_against(model.code, model.approval_date)
            taken = uow.session.execute(select(RoadmapStep.id).where(
                RoadmapStep.model_id == draft.model_id, RoadmapStep.code == draft.code,
                RoadmapStep.id != (step_id or ""))).first()
            if taken:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "{model} already has a roadmap step {code}."), field="code",
                    model=model.code, code=draft.code)
            draft = _with_checked_components(uow.session, draft, model)
            if step_id:
                state = uow.records.update(step_id, draft.fields(), actor, "step changed",
                                           expected_rev_id, what="Roadmap step")
            else:
                state = uow.records.create("roadmap_step", draft.fields(), actor, "step added")
        return self._reload(state.record_id)

    def set_status(self, actor: Actor, step_id: str, status: StepStatus | None,
                   reason: str = "") -> StepSummary:
        """Set a status by hand, with the reason it differs from the computed one; None goes
        back to the computed status."""
        actor.require(Permission.EDIT_ROADMAP)
        with self._ctx.unit_of_work() as uow:
            code = uow.session.execute(select(RoadmapStep.code).where(
                RoadmapStep.id == step_id)).scalar() or ""
            manual, why = manual_status(str(status) if status else "", reason, code)
            uow.records.patch(step_id, {"status": str(manual) if manual else "",
                                        "status_reason": why}, actor,
                              "status set by hand: " + why if manual else "status computed",
                              what="Roadmap step")
        return self._reload(step_id)

    def remove_step(self, actor: Actor, step_id: str) -> None:
        actor.require(Permission.EDIT_ROADMAP)
        with self._ctx.unit_of_work() as uow:
            uow.records.tombstone(step_id, actor, "step removed", what="Roadmap step")

    def sign_off(self, actor: Actor, step_id: str, party: Party, comment: str = "") -> StepSummary:
        """Sign a step for one party (insert-only). The same person cannot sign for both."""
        actor.require(Permission.SIGN_OFF_ROADMAP)
        with self._ctx.unit_of_work() as uow:
            state = uow.records.require(step_id, "Roadmap step")
            if state.conflict:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "This step was edited at two sites; merge it before signing."))
            rev_id = state.winner.rev_id
            for s in uow.session.execute(select(StepSignoff).where(
                    StepSignoff.step_id == step_id, StepSignoff.covers_rev_id == rev_id)).scalars():
                if s.signer_id == actor.user_id and s.party != str(party):
                    raise ValidationError(QT_TRANSLATE_NOOP(
                        "Errors", "{user} already signed this step for the other party; each "
                        "party signs with its own person."), user=actor.display_name)
                if s.party == str(party):
                    raise ValidationError(QT_TRANSLATE_NOOP(
                        "Errors", "This version of the step is already signed for that party."))
            uow.records.create("step_signoff", {
                "step_id": step_id, "party": str(party), "signer_id": actor.user_id,
                "signer_name": actor.display_name, "comment": comment.strip(),
                "signed_at": self._ctx.clock(), "covers_rev_id": rev_id,
            }, actor, "step signed off")
        return self._reload(step_id)
