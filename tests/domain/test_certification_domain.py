"""PPAP seed data, the transition table, completeness rules, payloads and approval periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.approvals import ApprovalKind, valid_on
from desktop_app.domain.certificates import DecisionFact, approval_periods, parse_payload
from desktop_app.domain.certification import (
    TRANSITIONS,
    Action,
    CertificateStatus,
    State,
    SubmissionKind,
    certificate_status,
    next_state,
)
from desktop_app.domain.certification_checks import (
    CalibrationIssue,
    CharacteristicFact,
    ElementEntry,
    EvidenceFacts,
    EvidenceItem,
    check_submission,
    required_elements,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.people import Permission
from desktop_app.domain.ppap import ELEMENTS, REASON_LABELS, Requirement, requirement


def test_seed_data_has_the_18_elements_ten_reasons_and_the_matrix():
    assert len({e.number for e in ELEMENTS}) == 18
    assert len(REASON_LABELS) == 10
    assert [requirement(c, 1) for c in ("01b", "13", "18")] == [
        Requirement.RETAIN, Requirement.SUBMIT, Requirement.SUBMIT]
    assert all(requirement(e.code, 5) is Requirement.RETAIN for e in ELEMENTS if e.code != "18")
    assert requirement("18", 5) is Requirement.RETAIN
    assert requirement("04", 4) is Requirement.RETAIN
    assert requirement("04", 4, {"04": "S"}) is Requirement.SUBMIT
    level3 = required_elements(SubmissionKind.PPAP, 3, {}, False)
    assert "18" not in level3 and {"01b", "09", "17"} <= set(level3) and "15" not in level3
    assert "bulk" in required_elements(SubmissionKind.PPAP, 3, {}, True)


def test_every_transition_names_its_permission_and_no_state_is_a_dead_end():
    assert {t.action for t in TRANSITIONS} == set(Action)
    assert all(isinstance(t.permission, Permission) for t in TRANSITIONS)
    assert next_state(Action.REINSTATE, State.SUSPENDED, "interim") is State.INTERIM
    with pytest.raises(ValidationError, match="A submission that is draft cannot be approved"):
        next_state(Action.APPROVE, State.DRAFT)


def test_checks_cover_capability_deviations_and_calibration():
    facts = EvidenceFacts(
        items={"r1": EvidenceItem("r1", "test_report", "p", "Dim", "aa", covers=("c1",)),
               "x": EvidenceItem("x", "test_report", "other", "Foreign", "bb")},
        characteristics=(CharacteristicFact("c1", "1", "Hole", "CC", Decimal("1.40")),
                         CharacteristicFact("c2", "2", "Flange", "SC", Decimal("1.10")),
                         CharacteristicFact("c3", "3", "Radius", "", None)),
        calibration_issues=(CalibrationIssue("CAL-7", "Dim", "2026-01-20"),))
    elements = {c: ElementEntry(na_reason="n/a") for c in
                required_elements(SubmissionKind.PPAP, 3, {}, False)}
    elements["09"] = ElementEntry(("r1",))
    elements["10"] = ElementEntry(("x",))
    findings = check_submission(kind=SubmissionKind.PPAP, level=3, part_id="p",
                                elements=elements, customer_choices={}, bulk_material=False,
                                deviations={}, facts=facts)
    codes = sorted(f.code for f in findings if f.blocking)
    assert codes == ["calibration", "foreign_evidence", "low_capability", "uncovered",
                     "uncovered"]
    # Ppk 1.40 refuses nothing but the approver sees that the customer must agree.
    assert [f.code for f in findings if not f.blocking] == ["capability_customer_agreement"]
    with_deviation = check_submission(
        kind=SubmissionKind.PPAP, level=3, part_id="p", elements=elements, customer_choices={},
        bulk_material=False, deviations={"c2": "DEV-1"}, facts=facts)
    assert "low_capability" not in {f.code for f in with_deviation}


def test_approval_periods_follow_decisions():
    def fact(action, day, sub="s1", until=None):
        return DecisionFact("p", sub, action, day, day.isoformat(), until, "C-1")

    periods = approval_periods([
        fact(Action.APPROVE_INTERIM, date(2026, 1, 10), until=date(2026, 3, 1)),
        fact(Action.APPROVE, date(2026, 2, 1)),
        fact(Action.SUSPEND, date(2026, 5, 1)),
        fact(Action.REINSTATE, date(2026, 6, 1)),
        fact(Action.REVOKE, date(2026, 9, 1)),
    ])["p"]
    assert [(p.kind, p.start, p.end) for p in periods] == [
        (ApprovalKind.INTERIM, date(2026, 1, 10), date(2026, 2, 1)),
        (ApprovalKind.APPROVED, date(2026, 2, 1), date(2026, 5, 1)),
        (ApprovalKind.APPROVED, date(2026, 6, 1), date(2026, 9, 1))]
    assert not valid_on(periods, date(2026, 5, 15)) and valid_on(periods, date(2026, 7, 1))
    expired = approval_periods([fact(Action.APPROVE_INTERIM, date(2026, 1, 10),
                                     until=date(2026, 2, 10))])["p"]
    assert expired[0].end == date(2026, 2, 10)
    superseded = approval_periods([fact(Action.APPROVE, date(2026, 1, 1)),
                                   fact(Action.APPROVE, date(2026, 4, 1), sub="s2"),
                                   fact(Action.REVOKE, date(2026, 5, 1), sub="s1")])["p"]
    assert [(p.start, p.end) for p in superseded] == [(date(2026, 1, 1), date(2026, 4, 1)),
                                                     (date(2026, 4, 1), None)]


def test_certificate_status_rules():
    base = dict(conflict=False, covered_rev_id="r", current_rev_id="r", superseded=False,
                interim_until="", today="2026-11-26", decision_id="d", latest_decision_id="d")
    assert certificate_status(submission_state=State.APPROVED, **base) is CertificateStatus.VALID
    assert certificate_status(submission_state=State.INTERIM,
                              **{**base, "interim_until": "2026-11-01"}) \
        is CertificateStatus.EXPIRED
    assert certificate_status(submission_state=State.APPROVED,
                              **{**base, "current_rev_id": "r2"}) \
        is CertificateStatus.NEEDS_REAPPROVAL
    assert certificate_status(submission_state=State.APPROVED, **{**base, "conflict": True}) \
        is CertificateStatus.CONFLICT


@pytest.mark.parametrize("text", ["", "PDC1|x", "PDC1|a|b|c|d|e|f|g|h|!!!", "PDC2|a|b|c|d|e|f|g|h|"
                                  + "A" * 86])
def test_malformed_payloads_are_recognised(text):
    assert parse_payload(text) is None


def test_results_need_evidence_and_a_low_ppk_needs_a_deviation_for_ots_too():
    facts = EvidenceFacts(
        items={"r1": EvidenceItem("r1", "test_report", "p", "Hardness", "aa", covers=("c3",))},
        characteristics=(CharacteristicFact("c3", "3", "Core hardness", "SC", Decimal("0.760")),))
    na = {c: ElementEntry(na_reason="n/a")
          for c in required_elements(SubmissionKind.OTS, 3, {}, False)}

    def codes(elements, deviations=None, kind=SubmissionKind.OTS, level=3):
        return [(f.code, f.element) for f in check_submission(
            kind=kind, level=level, part_id="p", elements=elements, customer_choices={},
            bulk_material=False, deviations=deviations or {}, facts=facts)]

    assert codes(na) == [("no_results", "09"), ("no_results", "10"), ("low_capability", "11")]
    linked = {**na, "09": ElementEntry(("r1",)), "10": ElementEntry(("r1",))}
    assert codes(linked) == [("low_capability", "11")]
    assert codes(linked, {"c3": "  "}) == [("low_capability", "11")]  # a blank is no deviation
    assert codes(linked, {"c3": "DEV-MSR-2026-003"}) == []
    # A recorded deviation that does not hold (expired, used up, not approved) is named.
    [lapsed] = check_submission(
        kind=SubmissionKind.OTS, level=3, part_id="p", elements=linked, customer_choices={},
        bulk_material=False, deviations={}, facts=facts,
        lapsed={"c3": ("DEV-MSR-2026-003", "expired")})
    assert (lapsed.code, lapsed.message()) == ("deviation_not_valid", (
        "Special characteristic 3 (SC) relies on deviation DEV-MSR-2026-003, which has "
        "expired."))
    # Level 5 reviews the complete data of level 3 at the supplier's plant.
    assert required_elements(SubmissionKind.PPAP, 5, {}, False) == \
        required_elements(SubmissionKind.PPAP, 3, {}, False)
    assert ("no_results", "09") in codes({}, kind=SubmissionKind.PPAP, level=5)
    # Level 1 (warrant only) asks for no results.
    assert "no_results" not in {c for c, _ in codes({}, kind=SubmissionKind.PPAP, level=1)}
