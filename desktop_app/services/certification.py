"""Submissions: create for a part revision, link evidence to elements, check, submit, review.

Decisions (approve, interim, reject, suspend, reinstate, revoke) with their electronic signature
are in `services/certification_decisions.py`; certificates in `services/certificates.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select

from desktop_app.domain.certification import (
    EDITABLE_STATES,
    STATE_LABELS,
    Action,
    State,
    SubmissionKind,
    decided_elsewhere,
    next_state,
)
from desktop_app.domain.certification_checks import ElementEntry, check_submission
from desktop_app.domain.errors import NotFound, RecordInConflict, ValidationError
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.ppap import ELEMENTS_BY_CODE, LEVELS, Reason
from desktop_app.domain.revisions import RecordState
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.certification_dto import (
    CheckResult,
    EvidenceRef,
    FindingInfo,
    SubmissionDetail,
    SubmissionSummary,
)
from desktop_app.services.certification_read import SubmissionReader
from desktop_app.services.certification_sources import (
    EvidenceSource,
    PartFacts,
    QueriesEvidenceSource,
    RecordPartFacts,
)
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.deviations import deviation_cover
from desktop_app.services.laboratories import report_laboratory_findings
from desktop_app.services.site import site_code
from desktop_app.storage.models.certification import Submission, decisions_elsewhere

WHAT = "Submission"


class SubmissionIncomplete(ValidationError):
    """Submitting with findings: the first finding, and how many there are."""


def load_submission(uow: UnitOfWork, submission_id: str) -> RecordState:
    """The submission as it stands: its own fields, moved on by the decisions other sites made
    on its current revision (a site decides on another site's submission without writing it)."""
    state = uow.records.state(submission_id)
    if state is None or state.deleted or state.record_type != "submission":
        raise NotFound(what=WHAT, key=submission_id)
    found = decisions_elsewhere(uow.session, {state.record_id: (state.winner.rev_id,
                                                                state.owner)})
    if not found:
        return state
    fields = decided_elsewhere(state.fields, found[state.record_id])
    return replace(state, winner=replace(state.winner, fields=fields))


def require_no_conflict(state: RecordState) -> None:
    if state.conflict:
        raise RecordInConflict(what=WHAT, key=state.fields.get("number", state.record_id))


def element_entries(fields: dict[str, Any]) -> dict[str, ElementEntry]:
    return {code: ElementEntry(tuple(e.get("evidence", ())), str(e.get("na_reason", "")))
            for code, e in (fields.get("elements") or {}).items()}


class CertificationService:
    def __init__(self, ctx: ServiceContext, parts: PartFacts | None = None,
                 evidence: EvidenceSource | None = None,
                 today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self.parts = parts or RecordPartFacts()
        self.evidence = evidence or QueriesEvidenceSource(ctx)
        self._today = today or ctx.today  # never before the last change recorded here
        self._reader = SubmissionReader(self.parts, self.evidence)

    # -- reading ---------------------------------------------------------------------------

    def count_submissions(self, actor: Actor, search: str = "", state: str = "") -> int:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            stmt = self._filtered(select(func.count()).select_from(Submission), search, state)
            return int(uow.session.execute(stmt).scalar_one())

    def list_submissions(self, actor: Actor, offset: int = 0, limit: int = 100,
                         search: str = "", state: str = "") -> list[SubmissionSummary]:
        """A page of submissions, newest change first (pages come straight from SQLite)."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            stmt = self._filtered(select(Submission), search, state).order_by(
                Submission.updated_at.desc(), Submission.id).offset(offset).limit(limit)
            rows = uow.session.execute(stmt).scalars().all()
            return [self._reader.summary(uow, row) for row in rows]

    def _filtered(self, stmt: Any, search: str, state: str) -> Any:
        if state:
            stmt = stmt.where(Submission.state == state)
        if search.strip():
            like = f"%{search.strip()}%"
            stmt = stmt.where(or_(Submission.number.ilike(like), Submission.part_id.ilike(like)))
        return stmt

    def submission(self, actor: Actor, submission_id: str) -> SubmissionDetail:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            return self._reader.detail(uow, actor, load_submission(uow, submission_id))

    def submissions_of_part(self, actor: Actor, part_id: str) -> list[SubmissionSummary]:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(Submission).where(
                Submission.part_id == part_id).order_by(Submission.updated_at)).scalars().all()
            return [self._reader.summary(uow, row) for row in rows]

    def evidence_candidates(self, actor: Actor, part_id: str) -> list[EvidenceRef]:
        """Evidence of the part revision that a person may link (reports, then files)."""
        actor.require(Permission.VIEW)
        candidates = getattr(self.evidence, "candidates", None)
        items = candidates(part_id) if candidates is not None else []
        return [EvidenceRef(i.evidence_id, i.label, i.sha256, i.kind, True) for i in items]

    def check(self, actor: Actor, submission_id: str) -> CheckResult:
        """Completeness and consistency: what is missing before the submission can go."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            return self._check(uow, load_submission(uow, submission_id))

    def _check(self, uow: UnitOfWork, state: RecordState) -> CheckResult:
        f = state.fields
        entries = element_entries(f)
        ids = [eid for e in entries.values() for eid in e.evidence_ids]
        facts = self.evidence.facts(uow, f["part_id"], ids)
        # Only a deviation record the customer approved, still valid today, waives a finding.
        valid, lapsed = deviation_cover(uow, f["part_id"], self._today(),
                                        dict(f.get("deviations") or {}))
        findings = check_submission(
            kind=SubmissionKind(f["kind"]), level=int(f["level"]), part_id=f["part_id"],
            elements=entries, customer_choices=dict(f.get("customer_choices") or {}),
            bulk_material=bool(f.get("bulk_material")), deviations=valid, facts=facts,
            lapsed=lapsed)
        # Element 12: a report from a laboratory whose accreditation had expired, or outside
        # its scope (before the notices that refuse nothing).
        findings = sorted([*findings, *report_laboratory_findings(uow, ids)],
                          key=lambda x: not x.blocking)
        return CheckResult(tuple(FindingInfo(x.code, x.element, x.template, x.params,
                                             x.blocking) for x in findings))

    # -- preparing -------------------------------------------------------------------------

    def create_submission(self, actor: Actor, part_id: str,
                          kind: SubmissionKind = SubmissionKind.PPAP, level: int = 3,
                          reason: Reason = Reason.INITIAL, reason_detail: str = "",
                          bulk_material: bool = False) -> SubmissionDetail:
        actor.require(Permission.PREPARE_SUBMISSION)
        _check_level(level)
        reason = Reason(reason)
        if reason is Reason.OTHER and not reason_detail.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The reason \u201cOther\u201d needs a few words saying what it is."),
                field="reason_detail")
        with self._ctx.unit_of_work() as uow:
            info = self.parts.part_info(uow, part_id)
            if not info.found:
                raise NotFound(what="Part", key=part_id)
            year = self._today().year
            code = site_code(uow, self._ctx.site_id)
            prefix = f"SUB-{code}-{year}-"
            taken = uow.session.execute(select(func.count()).select_from(Submission).where(
                Submission.number.like(prefix + "%"))).scalar_one()
            state = uow.records.create("submission", {
                "number": f"{prefix}{taken + 1:04d}", "part_id": part_id,
                "kind": str(SubmissionKind(kind)), "level": level, "reason": str(reason),
                "reason_detail": reason_detail.strip(), "bulk_material": bool(bulk_material),
                "state": str(State.DRAFT), "round": 1, "site_id": self._ctx.site_id,
                "created_by": actor.user_id, "prepared_by": [actor.user_id],
                "customer_choices": {}, "elements": {}, "deviations": {}, "psw": {},
            }, actor, reason="submission created")
            return self._reader.detail(uow, actor, state)

    def update_submission(self, actor: Actor, submission_id: str, *,
                          expected_rev_id: str | None = None, level: int | None = None,
                          reason: Reason | None = None, reason_detail: str | None = None,
                          customer_choices: dict[str, str] | None = None,
                          bulk_material: bool | None = None, psw: dict[str, str] | None = None,
                          deviations: dict[str, str] | None = None) -> SubmissionDetail:
        changes: dict[str, Any] = {}
        if level is not None:
            _check_level(level)
            changes["level"] = level
        if reason is not None:
            changes["reason"] = str(Reason(reason))
        if reason_detail is not None:
            changes["reason_detail"] = reason_detail.strip()
        if customer_choices is not None:
            bad = [c for c, v in customer_choices.items()
                   if c not in ELEMENTS_BY_CODE or v not in ("S", "R")]
            if bad:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "A customer choice is S (submit) or R (retain) for a known "
                              "element; {element} is not."), element=bad[0])
            changes["customer_choices"] = dict(customer_choices)
        if bulk_material is not None:
            changes["bulk_material"] = bool(bulk_material)
        if psw is not None:
            changes["psw"] = {str(k): str(v) for k, v in psw.items()}
        if deviations is not None:
            changes["deviations"] = {str(k): str(v).strip() for k, v in deviations.items()
                                     if str(v).strip()}
        return self._edit(actor, submission_id, lambda f: {**f, **changes},
                          "submission edited", expected_rev_id)

    def link_evidence(self, actor: Actor, submission_id: str, element: str,
                      evidence_ids: list[str], expected_rev_id: str | None = None
                      ) -> SubmissionDetail:
        _check_element(element)

        def change(f: dict[str, Any]) -> dict[str, Any]:
            elements = {k: dict(v) for k, v in (f.get("elements") or {}).items()}
            entry = elements.setdefault(element, {"evidence": [], "na_reason": ""})
            entry["evidence"] = list(dict.fromkeys([*entry.get("evidence", []), *evidence_ids]))
            entry["na_reason"] = ""
            return {**f, "elements": elements}

        return self._edit(actor, submission_id, change, f"evidence linked to element {element}",
                          expected_rev_id)

    def unlink_evidence(self, actor: Actor, submission_id: str, element: str, evidence_id: str,
                        expected_rev_id: str | None = None) -> SubmissionDetail:
        _check_element(element)

        def change(f: dict[str, Any]) -> dict[str, Any]:
            elements = {k: dict(v) for k, v in (f.get("elements") or {}).items()}
            entry = elements.setdefault(element, {"evidence": [], "na_reason": ""})
            entry["evidence"] = [e for e in entry.get("evidence", []) if e != evidence_id]
            return {**f, "elements": elements}

        return self._edit(actor, submission_id, change,
                          f"evidence unlinked from element {element}", expected_rev_id)

    def mark_not_applicable(self, actor: Actor, submission_id: str, element: str, reason: str,
                            expected_rev_id: str | None = None) -> SubmissionDetail:
        """Mark an element not applicable with a reason; an empty reason clears the mark."""
        _check_element(element)

        def change(f: dict[str, Any]) -> dict[str, Any]:
            elements = {k: dict(v) for k, v in (f.get("elements") or {}).items()}
            entry = elements.setdefault(element, {"evidence": [], "na_reason": ""})
            entry["na_reason"] = reason.strip()
            if reason.strip():
                entry["evidence"] = []
            return {**f, "elements": elements}

        return self._edit(actor, submission_id, change,
                          f"element {element} marked not applicable" if reason.strip()
                          else f"element {element} applicable again", expected_rev_id)

    def _edit(self, actor: Actor, submission_id: str, change: Any, reason: str,
              expected_rev_id: str | None) -> SubmissionDetail:
        actor.require(Permission.PREPARE_SUBMISSION)
        with self._ctx.unit_of_work() as uow:
            current = load_submission(uow, submission_id)
            require_no_conflict(current)
            state = State(current.fields["state"])
            if state not in EDITABLE_STATES:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "A submission that is {state} cannot be edited."),
                    state=STATE_LABELS[state].lower())
            fields = change(dict(current.fields))
            fields["prepared_by"] = list(dict.fromkeys([*fields.get("prepared_by", []),
                                                        actor.user_id]))
            new = uow.records.update(submission_id, fields, actor, reason,
                                     expected_rev_id=expected_rev_id, what=WHAT)
            return self._reader.detail(uow, actor, new)

    # -- workflow without a signature --------------------------------------------------------

    def submit(self, actor: Actor, submission_id: str) -> SubmissionDetail:
        """Send to the customer after the completeness and consistency checks pass."""
        actor.require(Permission.PREPARE_SUBMISSION)
        with self._ctx.unit_of_work() as uow:
            current = load_submission(uow, submission_id)
            require_no_conflict(current)
            next_state(Action.SUBMIT, State(current.fields["state"]))
            result = self._check(uow, current)
            if not result.ok:
                first = result.problems[0].message
                raise SubmissionIncomplete(QT_TRANSLATE_NOOP(
                    "Errors", "The submission cannot be submitted: {first} (problems found: "
                              "{count}; see the check list)."),
                    first=first, count=len(result.problems))
            return self._move(uow, actor, current, Action.SUBMIT, prepared=True)

    def start_review(self, actor: Actor, submission_id: str) -> SubmissionDetail:
        actor.require(Permission.REVIEW_SUBMISSION)
        with self._ctx.unit_of_work() as uow:
            current = load_submission(uow, submission_id)
            require_no_conflict(current)
            return self._move(uow, actor, current, Action.START_REVIEW)

    def reopen(self, actor: Actor, submission_id: str) -> SubmissionDetail:
        """After a rejection: back to draft for a resubmission (the next round)."""
        actor.require(Permission.PREPARE_SUBMISSION)
        with self._ctx.unit_of_work() as uow:
            current = load_submission(uow, submission_id)
            require_no_conflict(current)
            return self._move(uow, actor, current, Action.REOPEN, prepared=True,
                              extra={"round": int(current.fields.get("round", 1)) + 1})

    def _move(self, uow: UnitOfWork, actor: Actor, current: RecordState, action: Action,
              prepared: bool = False, extra: dict[str, Any] | None = None) -> SubmissionDetail:
        target = next_state(action, State(current.fields["state"]))
        fields = {**current.fields, "state": str(target), **(extra or {})}
        if prepared:
            fields["prepared_by"] = list(dict.fromkeys([*fields.get("prepared_by", []),
                                                        actor.user_id]))
        new = uow.records.update(current.record_id, fields, actor, reason=str(action), what=WHAT)
        return self._reader.detail(uow, actor, new)


def _check_level(level: int) -> None:
    if level not in LEVELS:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "A PPAP level is 1 to 5."),
                              field="level")


def _check_element(code: str) -> None:
    if code not in ELEMENTS_BY_CODE:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "There is no PPAP element {element}."),
                              element=code)
