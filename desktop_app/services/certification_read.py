"""Reading submissions into DTOs: the element matrix, decisions and signatures, allowed actions."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.domain.certification import (
    GRANTING,
    Action,
    State,
    SubmissionKind,
    allowed_actions,
    check_separation,
)
from desktop_app.domain.certification_checks import OTS_ELEMENTS, required_elements
from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.people import Actor
from desktop_app.domain.ppap import WARRANT, elements_for, requirement
from desktop_app.domain.revisions import RecordState
from desktop_app.services.certification_dto import (
    DecisionInfo,
    ElementRow,
    EvidenceRef,
    SignatureInfo,
    SubmissionDetail,
    SubmissionSummary,
)
from desktop_app.services.certification_sources import EvidenceSource, PartFacts
from desktop_app.services.context import UnitOfWork
from desktop_app.storage.models.certification import (
    Certificate,
    Decision,
    Signature,
    Submission,
    in_causal_order,
)
from desktop_app.storage.models.core import Person, Site


def person_name(uow: UnitOfWork, user_id: str) -> str:
    person = uow.session.get(Person, user_id)
    return person.display_name if person is not None else user_id[:8]


def evidence_producers(uow: UnitOfWork, evidence: EvidenceSource, state: RecordState) -> set[str]:
    ids = [eid for e in (state.fields.get("elements") or {}).values()
           for eid in e.get("evidence", ())]
    facts = evidence.facts(uow, state.fields.get("part_id", ""), ids)
    return {p for item in facts.items.values() for p in item.produced_by}


def edited_since_approval(uow: UnitOfWork, state: RecordState) -> bool:
    """An approved submission may be approved again only after an edit (re-approval): its head
    is no longer the revision the last decision's signature covers."""
    if state.fields.get("state") != str(State.APPROVED):
        return True
    decision = uow.session.get(Decision, str(state.fields.get("last_decision_id", "")))
    return decision is None or decision.submission_rev_id != state.winner.rev_id


def _site_code(uow: UnitOfWork, site_id: str) -> str:
    site = uow.session.get(Site, site_id) if site_id else None
    return site.code if site is not None and site.code else site_id[:8]


def signature_info(row: Signature, current_rev_id: str) -> SignatureInfo:
    return SignatureInfo(row.id, row.printed_name, row.title, row.meaning, row.signed_at,
                         row.covers_rev_id, row.covers_rev_id == current_rev_id)


class SubmissionReader:
    def __init__(self, parts: PartFacts, evidence: EvidenceSource) -> None:
        self.parts = parts
        self.evidence = evidence

    def summary(self, uow: UnitOfWork, row: Submission) -> SubmissionSummary:
        info = self.parts.part_info(uow, row.part_id)
        return SubmissionSummary(
            submission_id=row.id, number=row.number, part_id=row.part_id,
            part_number=info.part_number, designation=info.designation,
            drawing_revision=info.drawing_revision, kind=SubmissionKind(row.kind),
            level=row.level, reason=row.reason, state=State(row.state), round=row.round,
            updated_at=row.updated_at, conflict=row.conflict)

    def detail(self, uow: UnitOfWork, actor: Actor, state: RecordState) -> SubmissionDetail:
        uow.session.flush()
        f = state.fields
        row = uow.session.get(Submission, state.record_id)
        assert row is not None
        kind = SubmissionKind(f["kind"])
        level = int(f["level"])
        choices = dict(f.get("customer_choices") or {})
        bulk = bool(f.get("bulk_material"))
        required = set(required_elements(kind, level, choices, bulk))
        entries = f.get("elements") or {}
        ids = [eid for e in entries.values() for eid in e.get("evidence", ())]
        facts = self.evidence.facts(uow, f["part_id"], ids)
        rows = []
        for element in elements_for(bulk):
            if kind is SubmissionKind.OTS and element.code not in (*OTS_ELEMENTS, WARRANT):
                continue
            entry = entries.get(element.code, {})
            refs = []
            for eid in entry.get("evidence", ()):
                item = facts.items.get(eid)
                refs.append(EvidenceRef(eid, item.label if item else eid[:8],
                                        item.sha256 if item else "", item.kind if item else "",
                                        bool(item and item.part_id == f["part_id"])))
            rows.append(ElementRow(
                code=element.code, number=element.number, label=element.label,
                matrix=element.matrix[level - 1],
                requirement=str(requirement(element.code, level, choices).value),
                required=element.code in required, evidence=tuple(refs),
                na_reason=str(entry.get("na_reason", "")), generated=element.code == WARRANT))
        current_rev = state.winner.rev_id
        signatures = {s.id: s for s in uow.session.execute(select(Signature).where(
            Signature.subject_id == state.record_id)).scalars()}
        certificates = {c.decision_id: c.number for c in uow.session.execute(select(
            Certificate).where(Certificate.submission_id == state.record_id)).scalars()}
        decisions = []
        for d in uow.session.execute(in_causal_order(select(Decision).where(
                Decision.submission_id == state.record_id))).scalars():
            sig = signatures.get(d.signature_id)
            site_id, verified = uow.records.origin(uow.records.require(d.id).winner.rev_id)
            decisions.append(DecisionInfo(
                d.id, Action(d.action), State(d.state_after), person_name(uow, d.decided_by),
                d.decided_at, d.valid_until, d.quantity_limit, d.reason,
                signature_info(sig, current_rev) if sig else None, certificates.get(d.id, ""),
                _site_code(uow, site_id), verified))
        actions, blocked = self._actions(uow, actor, state)
        interim = f.get("interim") or {}
        return SubmissionDetail(
            summary=self.summary(uow, row), rev_id=current_rev,
            reason_detail=str(f.get("reason_detail", "")), bulk_material=bulk,
            customer_choices=choices, elements=tuple(rows), decisions=tuple(decisions),
            prepared_by=tuple(person_name(uow, u) for u in f.get("prepared_by", ())),
            deviations=dict(f.get("deviations") or {}), psw=dict(f.get("psw") or {}),
            interim_until=str(interim.get("until", "")),
            interim_quantity=str(interim.get("quantity", "")),
            action_plan=str(interim.get("action_plan", "")),
            actions=tuple(actions), blocked=blocked)

    def _actions(self, uow: UnitOfWork, actor: Actor, state: RecordState
                 ) -> tuple[list[Action], dict[str, tuple[str, tuple[tuple[str, str], ...]]]]:
        if state.conflict:
            return [], {}
        possible = allowed_actions(State(state.fields["state"]), actor)
        if Action.APPROVE in possible and not edited_since_approval(uow, state):
            possible.remove(Action.APPROVE)
        if not any(a in GRANTING for a in possible):
            return possible, {}
        producers = evidence_producers(uow, self.evidence, state)
        prepared = set(state.fields.get("prepared_by", ()))
        actions, blocked = [], {}
        for action in possible:
            try:
                check_separation(action, actor, prepared, producers)
            except PermissionDenied as exc:
                blocked[str(action)] = (exc.template, tuple(
                    (k, str(v)) for k, v in sorted(exc.params.items())))
                continue
            actions.append(action)
        return actions, blocked
