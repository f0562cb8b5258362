"""Frozen data the certification services hand to the UI and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from desktop_app.domain.certificates import CertificateData
from desktop_app.domain.certification import Action, CertificateStatus, State, SubmissionKind
from desktop_app.domain.text import Translate, untranslated


@dataclass(frozen=True, slots=True)
class SubmissionSummary:
    submission_id: str
    number: str
    part_id: str
    part_number: str
    designation: str
    drawing_revision: str
    kind: SubmissionKind
    level: int
    reason: str
    state: State
    round: int
    updated_at: str
    conflict: bool

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "kind": str(self.kind), "state": str(self.state)}


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    evidence_id: str
    label: str
    sha256: str
    kind: str
    belongs: bool  # to the submission's part revision


@dataclass(frozen=True, slots=True)
class ElementRow:
    code: str
    number: str
    label: str
    matrix: str  # "S", "R" or "*" at the submission's level
    requirement: str  # resolved: "S" or "R" (level 4 takes the customer's choice)
    required: bool  # must be covered before submitting
    evidence: tuple[EvidenceRef, ...]
    na_reason: str
    generated: bool = False  # the warrant is generated from the submission

    @property
    def covered(self) -> bool:
        return self.generated or bool(self.evidence) or bool(self.na_reason.strip())


@dataclass(frozen=True, slots=True)
class SignatureInfo:
    signature_id: str
    printed_name: str
    title: str
    meaning: str
    signed_at: str
    covers_rev_id: str
    covers_current: bool  # False: the submission was edited after signing


@dataclass(frozen=True, slots=True)
class DecisionInfo:
    decision_id: str
    action: Action
    state_after: State
    decided_by: str  # printed name
    decided_at: str
    valid_until: str
    quantity_limit: str
    reason: str
    signature: SignatureInfo | None
    certificate_number: str
    site_code: str = ""  # the site that decided (and signed)
    origin_verified: bool = True  # its origin signature verifies with a key enrolled here


@dataclass(frozen=True, slots=True)
class FindingInfo:
    """One thing a submission lacks, as a template and its parameters so that the screen shows
    it in the person's language (`text(tr)`); `message` is the English text (logs, --json)."""

    code: str
    element: str
    template: str
    params: tuple[tuple[str, str], ...] = ()
    blocking: bool = True  # False: for the approver to see (customer agreement), refuses nothing

    def text(self, translate: Translate = untranslated) -> str:
        params = dict(self.params)
        if "name" in params and self.code in ("missing_element", "no_results"):
            params["name"] = translate("Ppap", params["name"])  # the element's label
        return translate("Errors", self.template).format(**params)

    @property
    def message(self) -> str:
        return self.text()


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[FindingInfo, ...]

    @property
    def problems(self) -> tuple[FindingInfo, ...]:
        """The findings that refuse a submission or an approval."""
        return tuple(f for f in self.findings if f.blocking)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class SubmissionDetail:
    summary: SubmissionSummary
    rev_id: str
    reason_detail: str
    bulk_material: bool
    customer_choices: dict[str, str]
    elements: tuple[ElementRow, ...]
    decisions: tuple[DecisionInfo, ...]
    prepared_by: tuple[str, ...]  # printed names
    deviations: dict[str, str]
    psw: dict[str, str]
    interim_until: str
    interim_quantity: str
    action_plan: str
    actions: tuple[Action, ...]  # what this actor may do now (state, role, separation of duties)
    # action -> why it is not offered: (message template, params), translated by the caller
    blocked: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CertificateSummary:
    certificate_id: str
    number: str
    part_number: str
    kind: str
    level: int
    disposition: str
    valid_until: str
    issued_on: str
    status: CertificateStatus
    submission_id: str
    expiring_soon: bool  # interim approval ending within 30 days

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": str(self.status)}


@dataclass(frozen=True, slots=True)
class VerificationResult:
    verdict: str  # domain.certificates.Verdict value
    number: str
    site_code: str
    body: dict[str, Any]
    certificate: CertificateData | None  # the local register's copy, when known
    status: str  # the local register's status, when known

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "number": self.number, "site_code": self.site_code,
                "payload": self.body, "status": self.status}


@dataclass(frozen=True, slots=True)
class PswSummary:
    """The Part Submission Warrant, section by section, as (label, value) pairs."""

    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

    def to_json(self) -> dict[str, Any]:
        return {title: dict(rows) for title, rows in self.sections}
