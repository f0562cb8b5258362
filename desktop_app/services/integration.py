"""The integration rate of each vehicle model: today, on any date, as a forecast; its state.

Reads the reference list, the links to local parts, the approval periods from certification and
the milestone rules; everything is computed by the pure functions of `domain.integration` and
`domain.milestones`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.approvals import ApprovalPeriod
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.integration import (
    RateHistory,
    ReferenceEntry,
    SetKind,
    SetLink,
    evaluate,
    forecast_history,
    parse_day,
    parse_rate,
    rate_history,
)
from desktop_app.domain.milestones import (
    DEFAULT_RULES,
    DEFAULT_SUPPLY_RULES,
    Milestone,
    MilestoneRule,
    SupplyRules,
    check_rules,
    milestones_for,
    model_state,
    next_milestone,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.roadmap import planned_history
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services import roadmap_sources as sources
from desktop_app.services.context import ServiceContext
from desktop_app.services.integration_dto import (
    LinkInfo,
    MilestoneStatus,
    ModelIntegration,
    RateSeries,
    SetRate,
    iso_day,
)
from desktop_app.storage.models.roadmap import (
    MilestoneRuleRow,
    ReferenceSet,
    RegulatoryRuleSet,
    RoadmapStep,
    SetLinkRow,
)

Today = Callable[[], date]


@dataclass
class _Programme:
    model: sources.ModelRef
    sets: list[ReferenceSet]
    links: list[SetLinkRow]
    rules: list[MilestoneRule]
    periods: dict[str, list[ApprovalPeriod]]
    parts: dict[str, sources.PartRef]
    steps: list[tuple[date, Decimal]]
    supply: SupplyRules = DEFAULT_SUPPLY_RULES

    def entries(self) -> list[ReferenceEntry]:
        return [ReferenceEntry(s.code, s.name, SetKind(s.kind), Decimal(s.rate))
                for s in self.sets]

    def domain_links(self) -> list[SetLink]:
        code_of = {s.id: s.code for s in self.sets}
        return [SetLink(code_of[ln.set_id], ln.part_id, parse_day(ln.supply_start, "supply"),
                        Decimal(ln.share), parse_day(ln.expected_approval, "approval"),
                        parse_day(ln.planned_supply_start, "supply"))
                for ln in self.links if ln.set_id in code_of]

    def milestones(self) -> list[Milestone]:
        return milestones_for(self.model.approval_date, self.rules)


def load_rules(session: Session, model_id: str) -> list[MilestoneRule]:
    rows = session.execute(select(MilestoneRuleRow).where(
        MilestoneRuleRow.model_id == model_id).order_by(MilestoneRuleRow.years)).scalars().all()
    if not rows:
        return list(DEFAULT_RULES)
    return [MilestoneRule(r.years, Decimal(r.target), r.reference) for r in rows]


def load_supply_rules(session: Session, model_id: str) -> tuple[SupplyRules, str | None]:
    """The model's rules for a missed milestone and their record id (None: the defaults)."""
    row = session.execute(select(RegulatoryRuleSet).where(
        RegulatoryRuleSet.model_id == model_id).order_by(RegulatoryRuleSet.id)).scalars().first()
    if row is None:
        return DEFAULT_SUPPLY_RULES, None
    return SupplyRules(row.grace_months, row.grace_source, Decimal(row.supply_cut),
                       row.supply_cut_source, row.cut_ends_early, row.cut_ends_early_source,
                       row.freeze, row.freeze_source), row.id


def load_programme(session: Session, model: sources.ModelRef) -> _Programme:
    """Everything but the approval periods, which certification reads in its own transaction
    (see `with_periods`)."""
    sets = list(session.execute(select(ReferenceSet).where(
        ReferenceSet.model_id == model.model_id).order_by(
        ReferenceSet.position, ReferenceSet.code)).scalars())
    links = list(session.execute(select(SetLinkRow).where(
        SetLinkRow.model_id == model.model_id)).scalars())
    part_ids = sorted({ln.part_id for ln in links})
    steps = [(date.fromisoformat(d), Decimal(r)) for d, r in session.execute(
        select(RoadmapStep.target_date, RoadmapStep.target_rate).where(
            RoadmapStep.model_id == model.model_id)) if d]
    return _Programme(model, sets, links, load_rules(session, model.model_id), {},
                      sources.parts(session, part_ids), steps,
                      load_supply_rules(session, model.model_id)[0])


def with_periods(ctx: ServiceContext, programmes: list[_Programme]) -> list[_Programme]:
    part_ids = sorted({ln.part_id for prog in programmes for ln in prog.links})
    periods = sources.approval_periods(ctx, part_ids)
    for prog in programmes:
        prog.periods = {ln.part_id: periods.get(ln.part_id, []) for ln in prog.links}
    return programmes


def _milestone_statuses(prog: _Programme, actual: RateHistory, forecast: RateHistory,
                        today: date) -> list[MilestoneStatus]:
    return [MilestoneStatus(m.years, m.day, m.target, m.reference,
                            actual.at(m.day) if m.day <= today else None, forecast.at(m.day))
            for m in prog.milestones()]


def rate_histories(ctx: ServiceContext, model_ids: Sequence[str], today: date
                   ) -> dict[str, tuple[RateHistory, RateHistory]]:
    """Per model: the actual rate over time and the forecast from `today` (opens its own
    transactions; call it outside a unit of work)."""
    with ctx.unit_of_work() as uow:
        models = sources.vehicle_models(uow.session)
        programmes = [load_programme(uow.session, m) for m in models
                      if m.model_id in set(model_ids)]
    result = {}
    for prog in with_periods(ctx, programmes):
        entries, links = prog.entries(), prog.domain_links()
        result[prog.model.model_id] = (rate_history(entries, links, prog.periods),
                                       forecast_history(entries, links, prog.periods, today))
    return result


def integration_of(prog: _Programme, day: date, today: date) -> ModelIntegration:
    entries = prog.entries()
    links = prog.domain_links()
    result = evaluate(entries, links, prog.periods, day)
    actual = rate_history(entries, links, prog.periods)
    forecast = forecast_history(entries, links, prog.periods, today)
    statuses = _milestone_statuses(prog, actual, forecast, today)
    report = model_state(prog.milestones(), actual, forecast, day, prog.supply)
    by_day = {m.day: m for m in statuses}
    upcoming = next_milestone(prog.milestones(), day)
    total = sum((e.rate for e in entries), Decimal(0))
    set_rates = []
    for row, status in zip(prog.sets, result.sets, strict=True):
        infos = []
        for ln in prog.links:
            if ln.set_id != row.id:
                continue
            part = prog.parts.get(ln.part_id)
            infos.append(LinkInfo(
                ln.id, ln.set_id, ln.part_id, part.number if part else ln.part_id,
                part.name if part else "", Decimal(ln.share),
                parse_day(ln.supply_start, "supply"), parse_day(ln.expected_approval, "a"),
                parse_day(ln.planned_supply_start, "supply"),
                any(p.valid_on(day) for p in prog.periods.get(ln.part_id, ()))))
        set_rates.append(SetRate(row.id, row.code, row.name, SetKind(row.kind),
                                 Decimal(row.rate), status.contribution, status.reason,
                                 tuple(infos)))
    return ModelIntegration(
        model_id=prog.model.model_id, code=prog.model.code, name=prog.model.name,
        approval_date=prog.model.approval_date, day=day, rate=result.rate, listed_total=total,
        shortfall=Decimal(100) - total, sets=tuple(set_rates), milestones=tuple(statuses),
        next_milestone=by_day.get(upcoming.day) if upcoming else None, state=report.state,
        state_milestone=by_day.get(report.milestone.day) if report.milestone else None,
        grace_until=report.until, supply_factor=report.supply_factor, rules=prog.supply)


class IntegrationService:
    def __init__(self, ctx: ServiceContext, today: Today | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    def models(self, actor: Actor | None) -> list[sources.ModelRef]:
        sources.require_view(actor)
        with self._ctx.unit_of_work() as uow:
            return sources.vehicle_models(uow.session)

    def status(self, actor: Actor | None, model: str | None = None,
               day: date | None = None) -> list[ModelIntegration]:
        """Per model (or the one named by id or code): sets, which count and why, the rate,
        milestones, the next one and the state, on `day` (default today)."""
        sources.require_view(actor)
        today = self._today()
        with self._ctx.unit_of_work() as uow:
            models = ([sources.find_model(uow.session, model)] if model
                      else sources.vehicle_models(uow.session))
            programmes = [load_programme(uow.session, m) for m in models]
        return [integration_of(prog, day or today, today)
                for prog in with_periods(self._ctx, programmes)]

    def series(self, actor: Actor | None, model_id: str) -> RateSeries:
        """Actual, forecast and planned rate over time, from approval to a year after the last
        milestone."""
        sources.require_view(actor)
        today = self._today()
        with self._ctx.unit_of_work() as uow:
            prog = load_programme(uow.session, sources.vehicle_model(uow.session, model_id))
        with_periods(self._ctx, [prog])
        entries, links = prog.entries(), prog.domain_links()
        actual = rate_history(entries, links, prog.periods)
        forecast = forecast_history(entries, links, prog.periods, today)
        planned = planned_history(prog.steps)
        milestones = _milestone_statuses(prog, actual, forecast, today)
        start = prog.model.approval_date or today
        last = max([m.day for m in milestones] + [d for d, _ in prog.steps] + [today])
        end = date(last.year + 1, 1, 1)
        return RateSeries(prog.model.model_id, prog.model.code, start, end, today,
                          actual.points, forecast.points, planned.points, tuple(milestones))

    # -- links between sets and local parts ----------------------------------------------------

    def parts_of_model(self, actor: Actor | None, model_id: str) -> list[sources.PartRef]:
        """The parts used on a model: what a set of its reference list may link to."""
        sources.require_view(actor)
        with self._ctx.unit_of_work() as uow:
            return sources.parts_of_model(uow.session, model_id)

    def link_part(self, actor: Actor, set_id: str, part_id: str, share: object = "100",
                  supply_start: object = None, expected_approval: object = None,
                  planned_supply_start: object = None, link_id: str | None = None) -> str:
        """Link a local part to a set (or change a link); a part of another model is refused."""
        actor.require(Permission.EDIT_ROADMAP)
        share_value = parse_rate(share, what="share")
        if share_value == 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A part's share of its set must be above 0 %."), field="share")
        fields = {
            "set_id": set_id, "part_id": part_id, "share": str(share_value),
            "supply_start": iso_day(parse_day(supply_start, "supply start")),
            "expected_approval": iso_day(parse_day(expected_approval, "expected approval")),
            "planned_supply_start": iso_day(parse_day(planned_supply_start, "planned supply")),
        }
        with self._ctx.unit_of_work() as uow:
            row = uow.session.get(ReferenceSet, set_id)
            if row is None:
                raise NotFound(what="Set", key=set_id)
            part = sources.parts(uow.session, [part_id]).get(part_id)
            if part is None:
                raise NotFound(what="Part", key=part_id)
            if row.model_id not in part.model_ids:
                model = sources.vehicle_model(uow.session, row.model_id)
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Part {part} belongs to another vehicle model; it cannot realise "
                    "the set {set} of {model}."), field="part_id", part=part.number,
                    set=row.code, model=model.code)
            fields["model_id"] = row.model_id
            twin = uow.session.execute(select(SetLinkRow.id).where(
                SetLinkRow.set_id == set_id, SetLinkRow.part_id == part_id,
                SetLinkRow.id != (link_id or ""))).first()
            if twin:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Part {part} is already linked to the set {set}."),
                    field="part_id", part=part.number, set=row.code)
            if link_id:
                state = uow.records.update(link_id, fields, actor, "link changed", what="Link")
            else:
                state = uow.records.create("set_link", fields, actor, "part linked to set")
            return state.record_id

    def unlink(self, actor: Actor, link_id: str) -> None:
        actor.require(Permission.EDIT_ROADMAP)
        with self._ctx.unit_of_work() as uow:
            uow.records.tombstone(link_id, actor, "link removed", what="Link")

    # -- milestone rules -------------------------------------------------------------------------

    def milestone_rules(self, actor: Actor | None, model_id: str) -> list[MilestoneRule]:
        sources.require_view(actor)
        with self._ctx.unit_of_work() as uow:
            return load_rules(uow.session, model_id)

    def set_milestone_rules(self, actor: Actor, model_id: str,
                            rules: Sequence[tuple[object, object, str]]) -> list[MilestoneRule]:
        """Replace the milestones of a model (years, target %, regulatory reference)."""
        actor.require(Permission.EDIT_REGULATORY_RULES)
        parsed = [MilestoneRule.parse(y, t, ref, row=i) for i, (y, t, ref) in
                  enumerate(rules, start=1)]
        check_rules(parsed)
        with self._ctx.unit_of_work() as uow:
            sources.vehicle_model(uow.session, model_id)
            old = uow.session.execute(select(MilestoneRuleRow).where(
                MilestoneRuleRow.model_id == model_id)).scalars().all()
            by_years = {r.years: r for r in old}
            for rule in parsed:
                fields = {"model_id": model_id, "years": rule.years,
                          "target": str(rule.target), "reference": rule.reference}
                if rule.years in by_years:
                    uow.records.update(by_years.pop(rule.years).id, fields, actor,
                                       "milestone changed", what="Milestone")
                else:
                    uow.records.create("milestone_rule", fields, actor, "milestone added")
            for row in by_years.values():
                uow.records.tombstone(row.id, actor, "milestone removed", what="Milestone")
        return sorted(parsed, key=lambda r: r.years)

    # -- what a missed milestone brings ----------------------------------------------------------

    def supply_rules(self, actor: Actor | None, model_id: str) -> tuple[SupplyRules, bool]:
        """The model's grace length, supply cut, whether the cut ends early and freeze, and
        whether these are the defaults (decree 24-159)."""
        sources.require_view(actor)
        with self._ctx.unit_of_work() as uow:
            sources.vehicle_model(uow.session, model_id)
            rules, record_id = load_supply_rules(uow.session, model_id)
            return rules, record_id is None

    def set_supply_rules(self, actor: Actor, model_id: str,
                         data: Mapping[str, object]) -> SupplyRules:
        """Replace the model's rules for a missed milestone; each says the text it comes from."""
        actor.require(Permission.EDIT_REGULATORY_RULES)
        rules = SupplyRules.parse(data)
        with self._ctx.unit_of_work() as uow:
            sources.vehicle_model(uow.session, model_id)
            _, record_id = load_supply_rules(uow.session, model_id)
            fields = {"model_id": model_id, **rules.fields()}
            if record_id is None:
                uow.records.create("regulatory_rules", fields, actor, "regulatory rules set")
            else:
                uow.records.update(record_id, fields, actor, "regulatory rules changed",
                                   what="Regulatory rules")
        return rules
