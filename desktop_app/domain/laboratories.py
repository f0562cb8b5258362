"""Inspection documents (EN 10204:2004) and test laboratories (ISO/IEC 17025).

EN 10204 names four types of inspection document; the standard is published in English, French
and German, and the French designations are the ones written on the documents PartDesk's users
receive, so they are kept exactly (never translated):

- 2.1 declaration of compliance with the order — attestation de conformité à la commande
  (no test results);
- 2.2 test report — relevé de contrôle (non-specific inspection results);
- 3.1 inspection certificate 3.1 — certificat de réception 3.1 (specific inspection, validated
  by the manufacturer's authorised inspection representative, independent of manufacturing);
- 3.2 inspection certificate 3.2 — certificat de réception 3.2 (also validated by the
  purchaser's authorised representative or the inspector designated by official regulations).

A specific inspection (3.1, 3.2) is made on the delivered product: its heat (cast) number ties
the results to the material. A laboratory's ISO/IEC 17025 accreditation has a scope (the tests
it covers) and an expiry date: a report tested after the expiry, or by a test outside the scope,
gets a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.domain.certification_checks import Finding
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP


class En10204Type(StrEnum):
    DECLARATION = "2.1"
    TEST_REPORT = "2.2"
    CERTIFICATE_31 = "3.1"
    CERTIFICATE_32 = "3.2"


# The standard's English designations (translated on screen like any label)...
EN10204_LABELS = {
    En10204Type.DECLARATION: QT_TRANSLATE_NOOP("Laboratories", "Declaration of compliance with "
                                                               "the order"),
    En10204Type.TEST_REPORT: QT_TRANSLATE_NOOP("Laboratories", "Test report"),
    En10204Type.CERTIFICATE_31: QT_TRANSLATE_NOOP("Laboratories", "Inspection certificate 3.1"),
    En10204Type.CERTIFICATE_32: QT_TRANSLATE_NOOP("Laboratories", "Inspection certificate 3.2"),
}
# ...and its French designations, as printed on the documents: data, not translations.
EN10204_FRENCH = {
    En10204Type.DECLARATION: "attestation de conformité à la commande",
    En10204Type.TEST_REPORT: "relevé de contrôle",
    En10204Type.CERTIFICATE_31: "certificat de réception 3.1",
    En10204Type.CERTIFICATE_32: "certificat de réception 3.2",
}
SPECIFIC = frozenset({En10204Type.CERTIFICATE_31, En10204Type.CERTIFICATE_32})


@dataclass(frozen=True, slots=True)
class InspectionDocumentDraft:
    report_id: str
    doc_type: str
    heat_number: str = ""
    inspector: str = ""  # 3.1 and 3.2: the manufacturer's authorised inspection representative
    inspector_title: str = ""
    cosigner: str = ""  # 3.2: the purchaser's representative or the regulatory inspector
    cosigner_organisation: str = ""

    def checked(self) -> InspectionDocumentDraft:
        """The draft cleaned, or the first thing its type requires that is missing."""
        try:
            kind = En10204Type(self.doc_type.strip())
        except ValueError:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "An EN 10204 inspection document is of type 2.1, 2.2, 3.1 or 3.2."),
                field="doc_type") from None
        clean = InspectionDocumentDraft(
            self.report_id, str(kind), self.heat_number.strip(), self.inspector.strip(),
            self.inspector_title.strip(), self.cosigner.strip(),
            self.cosigner_organisation.strip())
        if kind in SPECIFIC and not clean.heat_number:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A {type} ({french}) is a specific inspection of the delivered "
                          "material: it names the heat number."),
                field="heat_number", type=str(kind), french=EN10204_FRENCH[kind])
        if kind in SPECIFIC and not clean.inspector:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A {type} ({french}) is validated by the manufacturer's authorised "
                          "inspection representative, independent of manufacturing: name "
                          "them."), field="inspector", type=str(kind),
                french=EN10204_FRENCH[kind])
        if kind is En10204Type.CERTIFICATE_32 and not clean.cosigner:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A 3.2 certificate (certificat de réception 3.2) is also validated by "
                          "the purchaser's authorised representative or the inspector "
                          "designated by official regulations: name them."), field="cosigner")
        if kind is not En10204Type.CERTIFICATE_32 and clean.cosigner:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Only a 3.2 certificate carries a co-signature by the purchaser's "
                          "representative."), field="cosigner")
        if kind not in SPECIFIC and clean.inspector:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A {type} ({french}) is issued by the manufacturer without an "
                          "inspection representative; record a 3.1 for a specific "
                          "inspection."), field="inspector", type=str(kind),
                french=EN10204_FRENCH[kind])
        return clean


@dataclass(frozen=True, slots=True)
class Accreditation:
    """A laboratory's ISO/IEC 17025 accreditation."""

    laboratory: str
    body: str  # e.g. ALGERAC, COFRAC, CNAS
    number: str
    scope: tuple[str, ...]  # the test methods covered, e.g. "ISO 6892-1"
    valid_until: str  # ISO date

    def expired_on(self, day: str) -> bool:
        return bool(self.valid_until) and self.valid_until < day

    def covers(self, standard: str) -> bool:
        """Whether a test method is within the scope (an empty scope, or a method that is no
        published standard, says nothing)."""
        wanted = _key(standard)
        return not self.scope or not names_a_standard(standard) or any(
            _key(s) and (_key(s) in wanted or wanted in _key(s)) for s in self.scope)


# The references of published test standards (a customer's own specification is judged by the
# customer, not by an accreditation scope).
_STANDARD = re.compile(r"\s*(ISO|IEC|EN|ASTM|DIN|NF|BS|GB|SAE|JIS|VDA)\b", re.IGNORECASE)


def names_a_standard(text: str) -> bool:
    return bool(_STANDARD.match(text))


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class ReportLab:
    """What the check needs of a linked test report."""

    number: str
    laboratory: str
    accreditation: str  # the reference written on the report
    standard: str
    tested_on: str


def find_accreditation(report: ReportLab, labs: Iterable[Accreditation]) -> Accreditation | None:
    """The accreditation a report refers to: by its number, else by the laboratory's name."""
    labs = list(labs)
    number, name = _key(report.accreditation), _key(report.laboratory)
    return (next((a for a in labs if number and _key(a.number) == number), None)
            or next((a for a in labs if name and _key(a.laboratory) == name), None))


def laboratory_findings(reports: Sequence[ReportLab],
                        labs: Iterable[Accreditation]) -> list[Finding]:
    """Element 12 (qualified laboratory documentation): a linked report made by a recorded
    laboratory after its accreditation expired, or by a test outside its scope."""
    labs = list(labs)
    findings: list[Finding] = []
    for report in reports:
        lab = find_accreditation(report, labs)
        if lab is None:
            continue
        if lab.expired_on(report.tested_on):
            findings.append(Finding("lab_accreditation_expired", QT_TRANSLATE_NOOP(
                "Errors", "Report {report} was tested on {tested} by {laboratory}, whose ISO/IEC "
                          "17025 accreditation {accreditation} expired on {expired}."),
                tuple(sorted({"report": report.number, "tested": report.tested_on,
                              "laboratory": lab.laboratory, "accreditation": lab.number,
                              "expired": lab.valid_until}.items())), "12"))
        elif not lab.covers(report.standard):
            findings.append(Finding("lab_outside_scope", QT_TRANSLATE_NOOP(
                "Errors", "Report {report} applies {standard}, which is outside the ISO/IEC "
                          "17025 accreditation scope of {laboratory}."),
                tuple(sorted({"report": report.number, "standard": report.standard,
                              "laboratory": lab.laboratory}.items())), "12"))
    return findings
