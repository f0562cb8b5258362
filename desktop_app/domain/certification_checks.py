"""Completeness and consistency of a submission before it goes to the customer.

Pure: the service gathers the facts (what each linked evidence record is, the characteristics of
the part revision, capability and calibration) and this module says what is missing, one finding
per problem, each a translatable sentence with named parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from desktop_app.domain.capability import Band, FindingCode, Note, band_of
from desktop_app.domain.certification import SubmissionKind
from desktop_app.domain.ppap import (
    ELEMENTS_BY_CODE,
    WARRANT,
    Requirement,
    elements_for,
    requirement,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

PPK_MINIMUM = Decimal("1.33")
# An OTS engineering approval looks at fully tooled samples: design, dimensions, material and
# performance, appearance; the warrant is generated.
OTS_ELEMENTS = ("01b", "09", "10", "13")
# The results measured on the samples: wherever a level asks for them, only linked evidence
# answers them, never "not applicable" (every part has a drawing and a material).
RESULT_ELEMENTS = ("09", "10")
# Level 5 submits nothing but the warrant, yet the complete data of level 3 is reviewed at the
# supplier's plant: it must be there.
COMPLETE_DATA_LEVEL = 3
# Measurement system analysis: answered by the studies of the gauges the part is measured with.
MSA_ELEMENT = "08"


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One evidence record as certification sees it."""

    evidence_id: str
    record_type: str  # "test_report", "attachment", ...
    part_id: str
    label: str
    sha256: str
    kind: str = ""  # "dimensional", "material", "performance", "msa", "capability", ...
    produced_by: tuple[str, ...] = ()  # user ids of the people who produced it
    date: str = ""
    covers: tuple[str, ...] = ()  # characteristic ids with a dimensional result in it


@dataclass(frozen=True, slots=True)
class CharacteristicFact:
    characteristic_id: str
    number: str
    description: str
    special_class: str = ""  # "", "CC", "SC"
    ppk: Decimal | None = None
    # The findings of its capability study (domain/capability.py), when it was computed here.
    capability: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class CalibrationIssue:
    gauge: str
    evidence_label: str
    date: str


@dataclass(frozen=True, slots=True)
class GaugeStudyFact:
    """A gauge the part's characteristics are measured with, and the verdict of the MSA study
    that answers for it (services/msa.py); no `verdict` without a valid study."""

    gauge: str  # its identifier
    characteristics: tuple[str, ...]  # the numbers of the characteristics measured with it
    kind: str = ""  # "variable" (gauge R&R) or "attribute" (attribute agreement)
    verdict: str = ""  # "acceptable", "marginal", "unacceptable"
    studied_on: str = ""
    figures: tuple[tuple[str, str], ...] = ()  # grr, grr_tolerance, ndc / effectiveness, ...


@dataclass(frozen=True, slots=True)
class EvidenceFacts:
    items: dict[str, EvidenceItem] = field(default_factory=dict)
    characteristics: tuple[CharacteristicFact, ...] = ()
    calibration_issues: tuple[CalibrationIssue, ...] = ()
    gauges: tuple[GaugeStudyFact, ...] = ()


@dataclass(frozen=True, slots=True)
class ElementEntry:
    evidence_ids: tuple[str, ...] = ()
    na_reason: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # "missing_element", "foreign_evidence", "unknown_evidence", "uncovered", ...
    template: str
    params: tuple[tuple[str, str], ...] = ()
    element: str = ""
    # False for what the approver must see but which refuses nothing (a capability that needs
    # the customer's agreement).
    blocking: bool = True

    def message(self, translate: Translate = untranslated) -> str:
        return translate("Errors", self.template).format(**dict(self.params))


# Why a recorded deviation waives nothing, by its status (domain/deviations.py).
DEVIATION_NOT_VALID = {
    "requested": QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) relies on deviation {deviation}, "
                  "which the customer has not approved yet."),
    "rejected": QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) relies on deviation {deviation}, "
                  "which the customer rejected."),
    "expired": QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) relies on deviation {deviation}, "
                  "which has expired."),
    "used_up": QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) relies on deviation {deviation}, "
                  "whose quantity is used up."),
    "changed": QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) relies on deviation {deviation}, "
                  "which was changed after the customer approved it."),
    "": QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) relies on deviation {deviation}, "
                  "which is not valid."),
}


def _f(code: str, template: str, element: str = "", **params: str) -> Finding:
    return Finding(code, template, tuple(sorted(params.items())), element)


def required_elements(kind: SubmissionKind, level: int, customer_choices: dict[str, str],
                      bulk_material: bool) -> list[str]:
    """Codes of the elements that must be covered (evidence or N/A with a reason): those the
    level submits, and at level 5 the complete data of level 3, reviewed on site."""
    if kind is SubmissionKind.OTS:
        return list(OTS_ELEMENTS)
    basis = COMPLETE_DATA_LEVEL if level == 5 else level
    codes = [e.code for e in elements_for(bulk_material)
             if requirement(e.code, basis, customer_choices) is Requirement.SUBMIT]
    if bulk_material and customer_choices.get("bulk") != "R" and "bulk" not in codes:
        codes.append("bulk")
    return [c for c in codes if c != WARRANT]


def _customer_choices_missing(kind: SubmissionKind, level: int, customer_choices: dict[str, str],
                              bulk_material: bool) -> Iterator[Finding]:
    """At level 4 the customer says, element by element, what to submit and what to retain:
    a submission with an element left without that choice cannot be complete."""
    if kind is not SubmissionKind.PPAP or level != 4:
        return
    for element in elements_for(bulk_material):
        if (element.requirement(4) is Requirement.CUSTOMER
                and customer_choices.get(element.code) not in ("S", "R")):
            yield _f("customer_choice", QT_TRANSLATE_NOOP(
                "Errors", "Element {number} ({name}) has no customer choice: at level 4 the "
                          "customer says for every element whether to submit or retain it."),
                element.code, number=element.number, name=element.label)


def check_submission(*, kind: SubmissionKind, level: int, part_id: str,
                     elements: dict[str, ElementEntry], customer_choices: dict[str, str],
                     bulk_material: bool, deviations: dict[str, str],
                     facts: EvidenceFacts,
                     lapsed: dict[str, tuple[str, str]] | None = None) -> list[Finding]:
    """`deviations`: characteristic id -> the number of a valid deviation (approved by the
    customer, not expired, its quantity not used up) covering it; `lapsed`: characteristic id ->
    (number, status) of a recorded deviation that does not hold (any more)."""
    findings: list[Finding] = list(_customer_choices_missing(kind, level, customer_choices,
                                                             bulk_material))
    for code in required_elements(kind, level, customer_choices, bulk_material):
        entry = elements.get(code, ElementEntry())
        if code in RESULT_ELEMENTS and not entry.evidence_ids:
            findings.append(_f("no_results", QT_TRANSLATE_NOOP(
                "Errors", "Element {number} ({name}) needs linked evidence at this level: the "
                          "results measured on the samples cannot be marked not applicable."),
                code, number=ELEMENTS_BY_CODE[code].number, name=ELEMENTS_BY_CODE[code].label))
        elif (not entry.evidence_ids and not entry.na_reason.strip()
              and not (code == MSA_ELEMENT and facts.gauges)):
            # (element 8 of a part measured with gauges: each gauge's study answers for it)
            findings.append(_f("missing_element", QT_TRANSLATE_NOOP(
                "Errors", "Element {number} ({name}) is required at this level: link evidence "
                          "or mark it not applicable with a reason."),
                code, number=ELEMENTS_BY_CODE[code].number, name=ELEMENTS_BY_CODE[code].label))
    linked = [(code, eid) for code, entry in sorted(elements.items())
              for eid in entry.evidence_ids]
    for code, eid in linked:
        item = facts.items.get(eid)
        if item is None:
            findings.append(_f("unknown_evidence", QT_TRANSLATE_NOOP(
                "Errors", "Evidence {evidence} linked to element {number} does not exist here."),
                code, evidence=eid, number=ELEMENTS_BY_CODE[code].number))
        elif item.part_id != part_id:
            findings.append(_f("foreign_evidence", QT_TRANSLATE_NOOP(
                "Errors", "Evidence \u201c{evidence}\u201d linked to element {number} belongs to "
                          "another part revision."),
                code, evidence=item.label, number=ELEMENTS_BY_CODE[code].number))
    dimensional = elements.get("09", ElementEntry())
    wanted = dimensional.evidence_ids or "09" in required_elements(
        kind, level, customer_choices, bulk_material)
    if wanted and not dimensional.na_reason.strip():
        covered = {c for eid in dimensional.evidence_ids
                   for c in (facts.items[eid].covers if eid in facts.items else ())}
        for char in facts.characteristics:
            if char.characteristic_id not in covered:
                findings.append(_f("uncovered", QT_TRANSLATE_NOOP(
                    "Errors", "Characteristic {number} ({description}) has no dimensional "
                              "result in the linked evidence."),
                    "09", number=char.number, description=char.description))
    # A special characteristic below the capability requirement needs a valid deviation, for
    # OTS samples as for PPAP; only PPAP asks for a capability study of every one.
    for char in facts.characteristics:
        if not char.special_class or (deviations.get(char.characteristic_id) or "").strip():
            continue
        waived = (lapsed or {}).get(char.characteristic_id)
        needs = char.ppk is None and kind is SubmissionKind.PPAP or (
            char.ppk is not None and char.ppk < PPK_MINIMUM)
        if waived and needs:
            findings.append(_f("deviation_not_valid",
                               DEVIATION_NOT_VALID.get(waived[1], DEVIATION_NOT_VALID[""]),
                               "11", number=char.number, cls=char.special_class,
                               deviation=waived[0]))
        elif char.ppk is None:
            if kind is SubmissionKind.PPAP:
                findings.append(_f("no_capability", QT_TRANSLATE_NOOP(
                    "Errors", "Special characteristic {number} ({cls}) has no Ppk; record a "
                              "capability study or reference a deviation."),
                    "11", number=char.number, cls=char.special_class))
        elif char.ppk < PPK_MINIMUM:
            findings.append(_f("low_capability", QT_TRANSLATE_NOOP(
                "Errors", "Special characteristic {number} ({cls}) has Ppk {ppk}, below 1.33; "
                          "improve the process or reference a deviation."),
                "11", number=char.number, cls=char.special_class, ppk=str(char.ppk)))
    for issue in facts.calibration_issues:
        findings.append(_f("calibration", QT_TRANSLATE_NOOP(
            "Errors", "Gauge {gauge} was out of calibration on {date} when \u201c{evidence}\u201d "
                      "was measured; an impact assessment is needed."),
            gauge=issue.gauge, date=issue.date, evidence=issue.evidence_label))
    findings += capability_notices(facts, deviations)
    if MSA_ELEMENT in required_elements(kind, level, customer_choices, bulk_material) or \
            elements.get(MSA_ELEMENT, ElementEntry()).evidence_ids:
        findings += msa_findings(elements.get(MSA_ELEMENT, ElementEntry()), facts.gauges)
    return findings


MSA_FINDINGS = {
    ("missing", True): QT_TRANSLATE_NOOP(
        "Errors", "Gauge {gauge} (characteristics {numbers}) has no measurement system analysis "
                  "study: record a gauge R&R or an attribute agreement study of it."),
    ("missing", False): QT_TRANSLATE_NOOP(
        "Errors", "Gauge {gauge} (characteristics {numbers}) has no measurement system analysis "
                  "study recorded here: check that the evidence linked to element 8 covers it."),
    ("variable", "unacceptable"): QT_TRANSLATE_NOOP(
        "Errors", "Gauge {gauge} (characteristics {numbers}): its gauge R&R of {date} is "
                  "unacceptable (%GRR {grr} % of the total variation, {grr_tolerance} % of the "
                  "tolerance, ndc {ndc}); improve the measurement system and study it again."),
    ("variable", "marginal"): QT_TRANSLATE_NOOP(
        "Errors", "Gauge {gauge} (characteristics {numbers}): its gauge R&R of {date} has %GRR "
                  "{grr} % of the total variation and {grr_tolerance} % of the tolerance, "
                  "between 10 and 30 %: acceptable only with the customer's agreement."),
    ("attribute", "unacceptable"): QT_TRANSLATE_NOOP(
        "Errors", "Gauge {gauge} (characteristics {numbers}): its attribute agreement study of "
                  "{date} is unacceptable (effectiveness {effectiveness} %, miss rate {miss} %, "
                  "false alarm rate {false_alarm} %, kappa {kappa}); improve the check and study "
                  "it again."),
    ("attribute", "marginal"): QT_TRANSLATE_NOOP(
        "Errors", "Gauge {gauge} (characteristics {numbers}): its attribute agreement study of "
                  "{date} is only marginally acceptable (effectiveness {effectiveness} %, miss "
                  "rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}): acceptable "
                  "only with the customer's agreement."),
}


def msa_findings(entry: ElementEntry, gauges: tuple[GaugeStudyFact, ...]) -> list[Finding]:
    """Element 8 (measurement system analysis studies), for every gauge the part's
    characteristics are measured with: no valid study refuses the submission (unless evidence is
    linked to the element by hand: then it is for the approver to check), an unacceptable one
    refuses it, a marginal one needs the customer's agreement. Marked not applicable with a
    reason, the element asks nothing."""
    if entry.na_reason.strip():
        return []
    out: list[Finding] = []
    for gauge in gauges:
        base = {"gauge": gauge.gauge, "numbers": ", ".join(gauge.characteristics)}
        if not gauge.verdict:
            blocking = not entry.evidence_ids
            out.append(Finding("msa_missing", MSA_FINDINGS[("missing", blocking)],
                               tuple(sorted(base.items())), MSA_ELEMENT, blocking))
            continue
        template = MSA_FINDINGS.get((gauge.kind, gauge.verdict))
        if template is None:
            continue  # acceptable
        figures = {k: v or "—" for k, v in dict(gauge.figures).items()}
        params = {**base, "date": gauge.studied_on, "grr": "—", "grr_tolerance": "—",
                  "ndc": "—", "effectiveness": "—", "miss": "—", "false_alarm": "—",
                  "kappa": "—", **figures}
        out.append(Finding(f"msa_{gauge.verdict}", template, tuple(sorted(params.items())),
                           MSA_ELEMENT, gauge.verdict == "unacceptable"))
    return out


CAPABILITY_NOTICES = {
    FindingCode.CUSTOMER_AGREEMENT: QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) has Ppk {ppk}, between 1.33 and "
                  "1.67: acceptable only with the customer's agreement."),
    FindingCode.INDICATIVE_ONLY: QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}): its Ppk comes from {n} readings "
                  "only and is indicative below 30; a preliminary study wants 100 readings "
                  "from 25 subgroups, or the customer's agreement."),
    FindingCode.SMALL_STUDY: QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}): its capability study has {n} "
                  "readings in {subgroups} subgroups, fewer than the 100 readings from 25 "
                  "subgroups of a preliminary study; the customer must agree."),
    FindingCode.ONE_SIDED: QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}) has a one-sided limit: its "
                  "acceptance criteria are agreed with the customer."),
    FindingCode.NON_NORMAL: QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}): its readings do not look normally "
                  "distributed (Anderson-Darling A² {a2}); its acceptance criteria are agreed "
                  "with the customer."),
    FindingCode.UNSTABLE: QT_TRANSLATE_NOOP(
        "Errors", "Special characteristic {number} ({cls}): the process is not stable "
                  "(points beyond the control limits of the {chart} chart: {count}); remove "
                  "the special causes or agree with the customer."),
}


def capability_notices(facts: EvidenceFacts, deviations: dict[str, str]) -> list[Finding]:
    """What the capability studies of the special characteristics ask the customer to agree
    to: the same findings as the study shows (domain/capability.py), for the approver to see;
    none refuses the submission ("not acceptable", below 1.33, is `low_capability` above). A
    deviation covering the characteristic is that agreement."""
    out: list[Finding] = []
    for char in facts.characteristics:
        waiver = (deviations.get(char.characteristic_id) or "").strip()
        if not char.special_class or len(waiver) >= 3:
            continue
        base = {"number": char.number, "cls": char.special_class}
        if band_of(char.ppk) is Band.CUSTOMER_AGREEMENT:
            out.append(_notice(FindingCode.CUSTOMER_AGREEMENT, ppk=str(char.ppk), **base))
        for note in char.capability:
            if note.code in CAPABILITY_NOTICES and note.code != FindingCode.CUSTOMER_AGREEMENT:
                params = {k: str(v) for k, v in note.params.items()
                          if k in ("n", "subgroups", "a2", "count", "chart")}
                out.append(_notice(FindingCode(note.code), **base, **params))
    return out


def _notice(code: FindingCode, **params: str) -> Finding:
    return Finding(f"capability_{code}", CAPABILITY_NOTICES[code],
                   tuple(sorted(params.items())), "11", blocking=False)
