"""Submissions and decisions: kinds, states, the transition table, separation of duties.

Everything here is pure: the services read records, ask these functions what is allowed and write
what they say. OTS (off-tooling sample engineering approval) comes first, then PPAP, then SOP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.people import Actor, Permission, Role
from desktop_app.domain.text import QT_TRANSLATE_NOOP


class SubmissionKind(StrEnum):
    OTS = "ots"  # off-tooling sample engineering approval
    PPAP = "ppap"


KIND_LABELS = {
    SubmissionKind.OTS: QT_TRANSLATE_NOOP("Certification", "OTS engineering approval"),
    SubmissionKind.PPAP: QT_TRANSLATE_NOOP("Certification", "PPAP"),
}


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    INTERIM = "interim"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


STATE_LABELS = {
    State.DRAFT: QT_TRANSLATE_NOOP("Certification", "Draft"),
    State.SUBMITTED: QT_TRANSLATE_NOOP("Certification", "Submitted"),
    State.UNDER_REVIEW: QT_TRANSLATE_NOOP("Certification", "Under review"),
    State.APPROVED: QT_TRANSLATE_NOOP("Certification", "Approved"),
    State.INTERIM: QT_TRANSLATE_NOOP("Certification", "Interim approval"),
    State.REJECTED: QT_TRANSLATE_NOOP("Certification", "Rejected"),
    State.SUSPENDED: QT_TRANSLATE_NOOP("Certification", "Suspended"),
    State.REVOKED: QT_TRANSLATE_NOOP("Certification", "Revoked"),
}

# OTS outcomes are "approved" or "conditionally approved" (the interim state).
OTS_INTERIM_LABEL = QT_TRANSLATE_NOOP("Certification", "Conditionally approved")

def state_label(kind: SubmissionKind, state: State) -> str:
    """The state as people say it: an OTS interim approval is "conditionally approved"."""
    if kind is SubmissionKind.OTS and state is State.INTERIM:
        return OTS_INTERIM_LABEL
    return STATE_LABELS[state]


APPROVED_STATES = frozenset({State.APPROVED, State.INTERIM})
# While the customer looks at a submission its content is frozen.
EDITABLE_STATES = frozenset({State.DRAFT, State.APPROVED, State.INTERIM, State.SUSPENDED})


class Action(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    APPROVE_INTERIM = "approve_interim"
    REJECT = "reject"
    REOPEN = "reopen"  # resubmission after a rejection: back to draft, next round
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"


ACTION_LABELS = {
    Action.SUBMIT: QT_TRANSLATE_NOOP("Certification", "Submit"),
    Action.START_REVIEW: QT_TRANSLATE_NOOP("Certification", "Start review"),
    Action.APPROVE: QT_TRANSLATE_NOOP("Certification", "Approve"),
    Action.APPROVE_INTERIM: QT_TRANSLATE_NOOP("Certification", "Interim approval"),
    Action.REJECT: QT_TRANSLATE_NOOP("Certification", "Reject"),
    Action.REOPEN: QT_TRANSLATE_NOOP("Certification", "Reopen for resubmission"),
    Action.SUSPEND: QT_TRANSLATE_NOOP("Certification", "Suspend"),
    Action.REINSTATE: QT_TRANSLATE_NOOP("Certification", "Reinstate"),
    Action.REVOKE: QT_TRANSLATE_NOOP("Certification", "Revoke"),
}

# Decisions are signed with a password re-entry and recorded as insert-only decision records.
DECISIONS = frozenset({Action.APPROVE, Action.APPROVE_INTERIM, Action.REJECT, Action.SUSPEND,
                       Action.REINSTATE, Action.REVOKE})
# Decisions that grant an approval: separation of duties applies to these.
GRANTING = frozenset({Action.APPROVE, Action.APPROVE_INTERIM, Action.REINSTATE})
# Decisions that need a written reason.
NEEDS_REASON = frozenset({Action.REJECT, Action.SUSPEND, Action.REVOKE, Action.REINSTATE})

RESTORE = "restore"  # target of REINSTATE: the state held before the suspension


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: str  # a State value, or RESTORE
    permission: Permission


def _t(action: Action, sources: set[State], target: str, permission: Permission) -> Transition:
    return Transition(action, frozenset(sources), target, permission)


TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.SUBMIT, {State.DRAFT}, State.SUBMITTED, Permission.PREPARE_SUBMISSION),
    _t(Action.START_REVIEW, {State.SUBMITTED}, State.UNDER_REVIEW, Permission.REVIEW_SUBMISSION),
    # An interim approval is upgraded once the action plan is closed; an approved submission
    # edited since its signature is approved again (re-approval), with a new certificate.
    _t(Action.APPROVE, {State.UNDER_REVIEW, State.INTERIM, State.APPROVED}, State.APPROVED,
       Permission.DECIDE_SUBMISSION),
    _t(Action.APPROVE_INTERIM, {State.UNDER_REVIEW}, State.INTERIM, Permission.DECIDE_SUBMISSION),
    _t(Action.REJECT, {State.SUBMITTED, State.UNDER_REVIEW}, State.REJECTED,
       Permission.DECIDE_SUBMISSION),
    _t(Action.REOPEN, {State.REJECTED}, State.DRAFT, Permission.PREPARE_SUBMISSION),
    _t(Action.SUSPEND, {State.APPROVED, State.INTERIM}, State.SUSPENDED,
       Permission.DECIDE_SUBMISSION),
    _t(Action.REINSTATE, {State.SUSPENDED}, RESTORE, Permission.DECIDE_SUBMISSION),
    _t(Action.REVOKE, {State.APPROVED, State.INTERIM, State.SUSPENDED}, State.REVOKED,
       Permission.DECIDE_SUBMISSION),
)
TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition_for(action: Action, state: State) -> Transition:
    transition = TRANSITIONS_BY_ACTION[action]
    if state not in transition.sources:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "A submission that is {state} cannot be {action}."),
            state=STATE_LABELS[state].lower(), action=_PAST[action])
    return transition


_PAST = {
    Action.SUBMIT: QT_TRANSLATE_NOOP("Certification", "submitted"),
    Action.START_REVIEW: QT_TRANSLATE_NOOP("Certification", "taken into review"),
    Action.APPROVE: QT_TRANSLATE_NOOP("Certification", "approved"),
    Action.APPROVE_INTERIM: QT_TRANSLATE_NOOP("Certification", "given an interim approval"),
    Action.REJECT: QT_TRANSLATE_NOOP("Certification", "rejected"),
    Action.REOPEN: QT_TRANSLATE_NOOP("Certification", "reopened"),
    Action.SUSPEND: QT_TRANSLATE_NOOP("Certification", "suspended"),
    Action.REINSTATE: QT_TRANSLATE_NOOP("Certification", "reinstated"),
    Action.REVOKE: QT_TRANSLATE_NOOP("Certification", "revoked"),
}


def action_done(action: Action) -> str:
    """The action as a past participle ("approved", "reinstated"), marked for translation."""
    return _PAST[action]


def next_state(action: Action, state: State, suspended_from: str = "") -> State:
    transition = transition_for(action, state)
    if transition.target == RESTORE:
        return State(suspended_from) if suspended_from in APPROVED_STATES else State.APPROVED
    return State(transition.target)


def allowed_actions(state: State, actor: Actor) -> list[Action]:
    """What the state allows and the actor's role permits (separation of duties is checked by
    `check_separation` with the facts of the submission)."""
    return [t.action for t in TRANSITIONS if state in t.sources and actor.can(t.permission)]


def check_separation(action: Action, actor: Actor, prepared_by: set[str],
                     evidence_producers: set[str]) -> None:
    """Nobody grants an approval to a submission they prepared or to evidence they produced;
    an administrator never decides (their role lacks the permission)."""
    if actor.role is Role.ADMINISTRATOR and action in DECISIONS:
        raise PermissionDenied(user=actor.username, role=str(actor.role),
                               action=QT_TRANSLATE_NOOP("Permissions", "decide on submissions"))
    if action not in GRANTING:
        return
    if actor.user_id in prepared_by:
        raise PermissionDenied(QT_TRANSLATE_NOOP(
            "Errors", "{user} prepared this submission and cannot approve it; another approver "
                      "must decide."), user=actor.username)
    if actor.user_id in evidence_producers:
        raise PermissionDenied(QT_TRANSLATE_NOOP(
            "Errors", "{user} produced evidence in this submission and cannot approve it; "
                      "another approver must decide."), user=actor.username)


def signature_meaning(action: Action, kind: SubmissionKind, level: int) -> str:
    """The meaning a signer reads and signs, in English (the certificate prints it as stored)."""
    what = f"PPAP level {level}" if kind is SubmissionKind.PPAP else "OTS engineering approval"
    return {
        Action.APPROVE: f"approved as {what}",
        Action.APPROVE_INTERIM: (f"interim approval as {what}" if kind is SubmissionKind.PPAP
                                 else "conditionally approved as OTS engineering approval"),
        Action.REJECT: f"rejected as {what}",
        Action.SUSPEND: f"approval as {what} suspended",
        Action.REINSTATE: f"approval as {what} reinstated",
        Action.REVOKE: f"approval as {what} revoked",
    }[action]


def approval_type_text(kind: SubmissionKind, level: int, state: State) -> str:
    if kind is SubmissionKind.OTS:
        return "OTS" + (" (conditional)" if state is State.INTERIM else "")
    return f"PPAP level {level}" + (" (interim)" if state is State.INTERIM else "")


class CertificateStatus(StrEnum):
    VALID = "valid"
    INTERIM = "interim"
    EXPIRED = "expired"  # interim past its date
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    NEEDS_REAPPROVAL = "needs_reapproval"  # the submission was edited after the signature
    CONFLICT = "conflict"


CERTIFICATE_STATUS_LABELS = {
    CertificateStatus.VALID: QT_TRANSLATE_NOOP("Certification", "Valid"),
    CertificateStatus.INTERIM: QT_TRANSLATE_NOOP("Certification", "Interim"),
    CertificateStatus.EXPIRED: QT_TRANSLATE_NOOP("Certification", "Expired"),
    CertificateStatus.SUSPENDED: QT_TRANSLATE_NOOP("Certification", "Suspended"),
    CertificateStatus.REVOKED: QT_TRANSLATE_NOOP("Certification", "Revoked"),
    CertificateStatus.SUPERSEDED: QT_TRANSLATE_NOOP("Certification", "Superseded"),
    CertificateStatus.NEEDS_REAPPROVAL: QT_TRANSLATE_NOOP("Certification", "Needs re-approval"),
    CertificateStatus.CONFLICT: QT_TRANSLATE_NOOP("Certification", "Conflicting edits"),
}

# A certificate in these states is not printed (its state is undecided); every other state
# prints, with a banner when it is no longer valid.
UNPRINTABLE = frozenset({CertificateStatus.CONFLICT})


def certificate_status(*, submission_state: State, conflict: bool, covered_rev_id: str,
                       current_rev_id: str, superseded: bool, interim_until: str,
                       today: str, decision_id: str, latest_decision_id: str
                       ) -> CertificateStatus:
    """The state of a certificate from its submission (dates as ISO text)."""
    if conflict:
        return CertificateStatus.CONFLICT
    if submission_state is State.REVOKED:
        return CertificateStatus.REVOKED
    if superseded or (latest_decision_id and decision_id != latest_decision_id
                      and submission_state in APPROVED_STATES):
        return CertificateStatus.SUPERSEDED
    if submission_state is State.SUSPENDED:
        return CertificateStatus.SUSPENDED
    if covered_rev_id != current_rev_id:
        return CertificateStatus.NEEDS_REAPPROVAL
    if submission_state is State.INTERIM:
        if interim_until and interim_until < today:
            return CertificateStatus.EXPIRED
        return CertificateStatus.INTERIM
    if submission_state is State.APPROVED:
        return CertificateStatus.VALID
    return CertificateStatus.REVOKED


def apply_decision(fields: Mapping[str, Any], action: Action, state_after: State,
                   decision_id: str, interim: Mapping[str, Any] | None = None,
                   reason: str = "") -> dict[str, Any]:
    """The submission's fields after a decision: its state, the decision that set it, and what
    the decision carries (the state a suspension interrupts, an interim approval's limits, a
    rejection's reasons)."""
    f = dict(fields)
    before = str(f.get("state", ""))
    f["state"] = str(state_after)
    f["last_decision_id"] = decision_id
    if action is Action.SUSPEND:
        f["suspended_from"] = before
    if action is Action.APPROVE_INTERIM:
        f["interim"] = dict(interim or {})
    if action is Action.APPROVE:
        f["interim"] = {}
    if action is Action.REJECT:
        f["reject_reasons"] = reason
    return f


def decided_elsewhere(fields: Mapping[str, Any],
                      decisions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A submission as decisions of other sites left it.

    A site decides on a submission it does not own without writing the submission (only its
    owner does): its decision record says what it decided on which revision. `decisions` are
    those made on the submission's current revision by sites other than its owner, oldest
    first (each with its record `id`); a later edit by the owner starts from the result."""
    f = dict(fields)
    for d in decisions:
        try:
            action, after = Action(str(d.get("action"))), State(str(d.get("state_after")))
        except ValueError:
            continue
        interim = {"until": str(d.get("valid_until", "")),
                   "quantity": str(d.get("quantity_limit", "")),
                   "action_plan": str(d.get("action_plan", ""))}
        f = apply_decision(f, action, after, str(d.get("id", "")), interim,
                           str(d.get("reason", "")))
    return f
