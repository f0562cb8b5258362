"""Decisions on submissions, each with an electronic signature after re-entering the password.

A decision writes, in one transaction: the submission's new state, a signature record covering
that exact submission revision, an insert-only decision record and, when it grants an approval,
an insert-only certificate record (a signed snapshot). A wrong password changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.certificates import certificate_number
from desktop_app.domain.certification import (
    DECISIONS,
    GRANTING,
    NEEDS_REASON,
    Action,
    State,
    SubmissionKind,
    action_done,
    apply_decision,
    check_separation,
    next_state,
    signature_meaning,
    transition_for,
)
from desktop_app.domain.errors import CONTEXT, AccountDisabled, StaleEdit, ValidationError
from desktop_app.domain.people import Actor, Role
from desktop_app.domain.revisions import uuid7
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.services.certificate_builder import build_certificate
from desktop_app.services.certification import (
    WHAT,
    CertificationService,
    load_submission,
    require_no_conflict,
    site_code,
)
from desktop_app.services.certification_dto import FindingInfo, SubmissionDetail
from desktop_app.services.certification_read import edited_since_approval, evidence_producers
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.certification import Certificate
from desktop_app.storage.models.core import Person


class ApprovalContradictsEvidence(ValidationError):
    """A granting decision refused because the submission's evidence does not support it: the
    completeness and consistency checks, run again at decision time, name the first problem
    (in the reader's language, like the rest of the sentence) and how many there are."""

    def __init__(self, action: Action, first: FindingInfo, count: int) -> None:
        self.action = action
        self.first = first
        super().__init__(QT_TRANSLATE_NOOP(
            "Errors", "This submission cannot be {action}: {first} (problems found: {count}; "
                      "see the check list)."),
            action=action_done(action), first=first.text(), count=count)

    def message(self, translate: Translate = untranslated) -> str:
        params = {**self.params, "action": translate("Certification", action_done(self.action)),
                  "first": self.first.text(translate)}
        try:
            return translate(CONTEXT, self.template).format(**params)
        except (KeyError, IndexError, ValueError):
            return self.template.format(**self.params)


class DecisionService:
    def __init__(self, ctx: ServiceContext, certification: CertificationService | None = None,
                 people: PeopleService | None = None,
                 clock: Callable[[], str] | None = None) -> None:
        self._ctx = ctx
        self._cert = certification or CertificationService(ctx)
        self._people = people or PeopleService(ctx)
        self._clock = clock or ctx.clock

    def meaning(self, actor: Actor, submission_id: str, action: Action) -> str:
        """What the signer reads before signing ("approved as PPAP level 3")."""
        detail = self._cert.submission(actor, submission_id)
        return signature_meaning(action, detail.summary.kind, detail.summary.level)

    def decide(self, actor: Actor, submission_id: str, action: Action, password: str, *,
               reason: str = "", valid_until: date | None = None, quantity_limit: int | None = None,
               action_plan: str = "", expected_rev_id: str | None = None) -> SubmissionDetail:
        action = Action(action)
        if action not in DECISIONS:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{action} is not a decision."),
                                  action=str(action))
        extra = self._validate(action, reason, valid_until, quantity_limit, action_plan)
        # Everything that can refuse is checked before the password is asked for...
        self._preflight(actor, submission_id, action, expected_rev_id)
        # ...then the signature's re-authentication: a wrong password writes nothing.
        self._people.confirm_password(actor, password)
        with self._ctx.unit_of_work() as uow:
            current = self._preflight_in(uow, actor, submission_id, action, expected_rev_id)
            return self._write(uow, actor, current, action, reason.strip(), extra)

    def _validate(self, action: Action, reason: str, valid_until: date | None,
                  quantity_limit: int | None, action_plan: str) -> dict[str, Any]:
        if action in NEEDS_REASON and not reason.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "This decision needs a reason, which is recorded with the signature."),
                field="reason")
        if action is not Action.APPROVE_INTERIM:
            return {}
        if valid_until is None and not quantity_limit:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "An interim approval is limited by an expiry date, a quantity or both."),
                field="valid_until")
        if quantity_limit is not None and quantity_limit <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The quantity of an interim approval is a positive number of parts."),
                field="quantity_limit")
        today = self._clock()[:10]
        if valid_until is not None and valid_until.isoformat() <= today:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The expiry date of an interim approval lies in the future."),
                field="valid_until")
        if not action_plan.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "An interim approval needs the supplier's corrective action plan."),
                field="action_plan")
        return {"until": valid_until.isoformat() if valid_until else "",
                "quantity": str(quantity_limit or ""), "action_plan": action_plan.strip()}

    def _preflight(self, actor: Actor, submission_id: str, action: Action,
                   expected_rev_id: str | None) -> None:
        with self._ctx.unit_of_work() as uow:
            self._preflight_in(uow, actor, submission_id, action, expected_rev_id)

    def _preflight_in(self, uow: UnitOfWork, actor: Actor, submission_id: str, action: Action,
                      expected_rev_id: str | None) -> Any:
        current = load_submission(uow, submission_id)
        require_no_conflict(current)
        transition = transition_for(action, State(current.fields["state"]))
        # The role is read again: a person whose role changed since signing in is held to it.
        person = uow.session.get(Person, actor.user_id)
        if person is not None and not person.active:
            raise AccountDisabled(user=actor.username)
        holder = actor if person is None else Actor(actor.user_id, actor.username,
                                                    actor.display_name, Role(person.role),
                                                    actor.site_id)
        holder.require(transition.permission)
        check_separation(action, holder, set(current.fields.get("prepared_by", ())),
                         evidence_producers(uow, self._cert.evidence, current))
        if action is Action.APPROVE and not edited_since_approval(uow, current):
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "This submission is approved as it stands; it needs no new approval."))
        if action in GRANTING:
            # The evidence may have changed since the submission went to the customer (a new
            # report, a lower Ppk, a deviation withdrawn): no approval contradicts it.
            result = self._cert._check(uow, current)
            if not result.ok:
                raise ApprovalContradictsEvidence(action, result.problems[0],
                                                  len(result.problems))
        if expected_rev_id is not None and current.winner.rev_id != expected_rev_id:
            raise StaleEdit(what=WHAT, key=current.fields.get("number", submission_id),
                            author=current.winner.author)
        return current

    def _write(self, uow: UnitOfWork, actor: Actor, current: Any, action: Action, reason: str,
               interim: dict[str, Any]) -> SubmissionDetail:
        before = State(current.fields["state"])
        target = next_state(action, before, str(current.fields.get("suspended_from", "")))
        now = self._clock()
        decision_id, signature_id = uuid7(), uuid7()
        certificate_id = uuid7() if action in GRANTING else ""
        f = apply_decision(current.fields, action, target, decision_id, interim, reason)
        if current.owner in ("", self._ctx.site_id):
            submission = uow.records.update(current.record_id, f, actor, reason=str(action),
                                            what=WHAT)
        else:
            # Another site's submission: its owner alone writes it. The decision record says
            # what was decided on this revision; every site derives the state from it.
            submission = replace(current, winner=replace(current.winner, fields=f))
        covers = submission.winner.rev_id
        kind, level = SubmissionKind(f["kind"]), int(f["level"])
        person = uow.session.get(Person, actor.user_id)
        signature = {
            "subject_type": "submission", "subject_id": current.record_id,
            "covers_rev_id": covers, "signer_id": actor.user_id,
            "printed_name": person.display_name if person else actor.display_name,
            "title": person.title if person else "",
            "meaning": signature_meaning(action, kind, level), "signed_at": now,
        }
        uow.records.create("signature", signature, actor, reason="signed", record_id=signature_id)
        valid_until = interim.get("until", "") if action is Action.APPROVE_INTERIM else ""
        quantity = interim.get("quantity", "") if action is Action.APPROVE_INTERIM else ""
        if action is Action.REINSTATE and target is State.INTERIM:
            old = f.get("interim") or {}
            valid_until, quantity = str(old.get("until", "")), str(old.get("quantity", ""))
        uow.records.create("decision", {
            "submission_id": current.record_id, "submission_rev_id": covers,
            "part_id": f["part_id"], "kind": str(kind), "action": str(action),
            "state_after": str(target), "decided_by": actor.user_id, "decided_at": now,
            "valid_until": valid_until, "quantity_limit": quantity, "reason": reason,
            "signature_id": signature_id, "certificate_id": certificate_id,
            "action_plan": interim.get("action_plan", "") if action is Action.APPROVE_INTERIM
            else "",
        }, actor, reason=str(action), record_id=decision_id)
        if certificate_id:
            self._issue(uow, actor, submission, certificate_id, decision_id, signature_id, now)
        uow.audit.record(actor.username, f"submission.{action}", f"submission:{current.record_id}",
                         {"decision": decision_id, "covers": covers})
        return self._cert._reader.detail(uow, actor, submission)

    def _issue(self, uow: UnitOfWork, actor: Actor, submission: Any, certificate_id: str,
               decision_id: str, signature_id: str, now: str) -> None:
        """Number the certificate with this site's code and seal it with this site's key, once:
        the signed QR payload is stored in the record (`data.payload`, `data.key_fingerprint`),
        so that every site prints this seal and none ever seals it with its own key."""
        uow.session.flush()
        year = int(now[:4])
        code = site_code(uow, self._ctx.site_id)
        sequence = int(uow.session.execute(
            select(func.coalesce(func.max(Certificate.sequence), 0)).where(
                Certificate.site_id == self._ctx.site_id, Certificate.year == year)
        ).scalar_one()) + 1
        number = certificate_number(code, year, sequence)
        data = build_certificate(uow, self._cert.parts, self._cert.evidence, self._ctx.site_id,
                                 submission, number, now[:10], self._ctx.signing_key())
        uow.records.create("certificate", {
            "number": number, "site_id": self._ctx.site_id, "year": year, "sequence": sequence,
            "submission_id": submission.record_id, "decision_id": decision_id,
            "signature_id": signature_id, "part_id": submission.fields["part_id"],
            "covers_rev_id": submission.winner.rev_id, "data": data.to_json(),
        }, actor, reason="certificate issued", record_id=certificate_id)
