"""PPAP element 8 (measurement system analysis studies) answered by the MSA studies of the gauges
the part's characteristics are measured with: missing, marginal and unacceptable studies each
give one finding; an acceptable study on every gauge satisfies the element."""

from __future__ import annotations

import pytest

from desktop_app.domain.certification import SubmissionKind
from desktop_app.domain.certification_checks import (
    ElementEntry,
    EvidenceFacts,
    GaugeStudyFact,
    check_submission,
    msa_findings,
    required_elements,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.msa import Reading
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.evidence_dto import CharacteristicDraft, GaugeDraft
from desktop_app.services.msa import MsaService, MsaStudyDraft
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import TODAY, Services, make_part
from tests.services.msa_fixtures import made_up_rows


@pytest.fixture
def setup(ctx, actors):
    svc = Services(ctx)
    part = make_part(svc, actors)
    msa = MsaService(ctx, today=lambda: TODAY)
    return svc, part, msa


def _submission(svc: Services, actors, part, msa_na: bool = False) -> str:
    """Evidence for 9 and 10, N/A for the rest but element 8 (unless `msa_na`)."""
    eng = actors["eng"]
    sid = svc.cert.create_submission(eng, part["part_id"]).summary.submission_id
    svc.cert.link_evidence(eng, sid, "09", [part["dimensional"]])
    svc.cert.link_evidence(eng, sid, "10", [part["material"]])
    for code in required_elements(SubmissionKind.PPAP, 3, {}, False):
        if code not in ("09", "10") and (code != "08" or msa_na):
            svc.cert.mark_not_applicable(eng, sid, code, "Not required by Jetour for this part")
    return sid


def _study(msa: MsaService, actors, gauge: str, noise: float, on: str = "2026-11-02") -> None:
    readings = [Reading(*row[:3], str(row[3])) for row in made_up_rows(noise)]
    msa.record_study(actors["insp"], MsaStudyDraft(gauge, readings, tolerance="0.2",
                                                   studied_on=on))


def _element8(result) -> list:
    return [f for f in result.findings if f.element == "08"]


def test_without_a_study_each_gauge_is_a_finding_and_the_submission_waits(setup, actors):
    svc, part, msa = setup
    sid = _submission(svc, actors, part)
    [finding] = _element8(svc.cert.check(actors["eng"], sid))
    assert (finding.code, finding.blocking) == ("msa_missing", True)
    assert finding.message == (
        "Gauge MIC-220 (characteristics 1, 2) has no measurement system analysis study: record "
        "a gauge R&R or an attribute agreement study of it.")
    with pytest.raises(ValidationError, match="MIC-220"):
        svc.cert.submit(actors["eng"], sid)


def test_an_acceptable_study_on_every_gauge_satisfies_element_8(setup, actors):
    svc, part, msa = setup
    sid = _submission(svc, actors, part)
    _study(msa, actors, msa.gauge_id("MIC-220"), 0.001)
    assert _element8(svc.cert.check(actors["eng"], sid)) == []
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    svc.decisions.decide(actors["appr"], sid, "approve", PASSWORD)


def test_a_marginal_study_needs_the_customers_agreement_and_refuses_nothing(setup, actors):
    svc, part, msa = setup
    sid = _submission(svc, actors, part)
    _study(msa, actors, msa.gauge_id("MIC-220"), 0.004)
    [finding] = _element8(svc.cert.check(actors["eng"], sid))
    assert (finding.code, finding.blocking) == ("msa_marginal", False)
    text = finding.message
    assert text.startswith("Gauge MIC-220 (characteristics 1, 2): its gauge R&R of 2026-11-02 "
                           "has %GRR ")
    assert text.endswith("between 10 and 30 %: acceptable only with the customer's agreement.")
    svc.cert.submit(actors["eng"], sid)


def test_an_unacceptable_study_refuses_and_a_later_good_one_answers(setup, actors):
    svc, part, msa = setup
    sid = _submission(svc, actors, part)
    gauge = msa.gauge_id("MIC-220")
    _study(msa, actors, gauge, 0.03, on="2026-10-01")
    [finding] = _element8(svc.cert.check(actors["eng"], sid))
    assert (finding.code, finding.blocking) == ("msa_unacceptable", True)
    assert "its gauge R&R of 2026-10-01 is unacceptable (%GRR" in finding.message
    assert "ndc" in finding.message
    with pytest.raises(ValidationError):
        svc.cert.submit(actors["eng"], sid)
    _study(msa, actors, gauge, 0.001, on="2026-11-20")  # the gauge repaired and studied again
    assert _element8(svc.cert.check(actors["eng"], sid)) == []


def test_every_gauge_answers_for_itself(setup, actors):
    svc, part, msa = setup
    svc.evidence.add_gauge(actors["insp"], GaugeDraft("GO-12", "Calibre tampon 12 H9", "12 mm",
                                                      "", "2026-06-01", "2027-06-01"))
    svc.evidence.add_characteristics(actors["eng"], part["part_id"], [
        CharacteristicDraft("3", "Hole go / no-go", unit="", gauge_code="GO-12",
                            data_type="attribute")])
    sid = _submission(svc, actors, part)
    _study(msa, actors, msa.gauge_id("MIC-220"), 0.001)
    [finding] = _element8(svc.cert.check(actors["eng"], sid))
    assert "Gauge GO-12 (characteristics 3)" in finding.message and finding.blocking


def test_marked_not_applicable_element_8_asks_nothing(setup, actors):
    svc, part, msa = setup
    sid = _submission(svc, actors, part, msa_na=True)
    assert _element8(svc.cert.check(actors["eng"], sid)) == []


def test_an_msa_report_linked_by_hand_leaves_the_check_to_the_approver(setup, actors, tmp_path):
    svc, part, msa = setup
    sid = _submission(svc, actors, part)
    pdf = tmp_path / "msa.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    file_id = AttachmentService(svc.ctx).attach_file(
        actors["insp"], part["part_id"], pdf, "test_report").attachment_id
    svc.cert.link_evidence(actors["eng"], sid, "08", [file_id])
    [finding] = _element8(svc.cert.check(actors["eng"], sid))
    assert (finding.code, finding.blocking) == ("msa_missing", False)
    assert "check that the evidence linked to element 8 covers it" in finding.message
    svc.cert.submit(actors["eng"], sid)


# -- the rule itself, without a database ---------------------------------------------------------


def test_without_gauges_element_8_needs_evidence_or_a_reason_as_before():
    findings = check_submission(kind=SubmissionKind.PPAP, level=3, part_id="p", elements={},
                                customer_choices={}, bulk_material=False, deviations={},
                                facts=EvidenceFacts())
    assert "08" in {f.element for f in findings if f.code == "missing_element"}
    assert not [f for f in findings if f.code.startswith("msa_")]


def test_a_retained_element_8_asks_nothing_of_the_gauges():
    facts = EvidenceFacts(gauges=(GaugeStudyFact("MIC-1", ("1",)),))
    findings = check_submission(kind=SubmissionKind.PPAP, level=2, part_id="p", elements={},
                                customer_choices={}, bulk_material=False, deviations={},
                                facts=facts)
    assert not [f for f in findings if f.element == "08"]


def test_an_attribute_study_finding_names_its_rates():
    gauge = GaugeStudyFact("GO-1", ("3", "4"), "attribute", "marginal", "2026-10-02",
                           (("effectiveness", "85.0"), ("false_alarm", "6.0"),
                            ("kappa", "0.78"), ("miss", "2.0")))
    [finding] = msa_findings(ElementEntry(), (gauge,))
    assert finding.message() == (
        "Gauge GO-1 (characteristics 3, 4): its attribute agreement study of 2026-10-02 is only "
        "marginally acceptable (effectiveness 85.0 %, miss rate 2.0 %, false alarm rate 6.0 %, "
        "kappa 0.78): acceptable only with the customer's agreement.")
    assert not finding.blocking
    acceptable = GaugeStudyFact("GO-1", ("3",), "attribute", "acceptable", "2026-10-02")
    assert msa_findings(ElementEntry(), (acceptable,)) == []
    assert msa_findings(ElementEntry(na_reason="no gauges in the control plan"), (gauge,)) == []
