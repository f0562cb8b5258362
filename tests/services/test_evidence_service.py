"""Recording evidence through the services: characteristics, gauges, reports, corrections and the
queries certification relies on. Real SQLite files, actors of every role."""

from __future__ import annotations

import random

import pytest

from desktop_app.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.services.evidence_dto import (
    CharacteristicDraft,
    GaugeDraft,
    ReportDraft,
    ResultDraft,
)
from tests.services.evidence_fixtures import make_part, make_service


@pytest.fixture
def evidence(ctx):
    return make_service(ctx)


@pytest.fixture
def part(ctx, actors, evidence):
    return make_part(ctx, actors, evidence)


def readings(mean: float, sd: float, n: int, seed: int = 1) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple(f"{rng.gauss(mean, sd):.4f}" for _ in range(n))


def test_characteristics_keep_balloon_order_and_computed_limits(evidence, part):
    chars = evidence.queries.characteristics(part["part_id"])
    assert [c.number for c in chars] == ["1", "2", "10"]
    hole = chars[0]
    assert (hole.lower_limit, hole.upper_limit, hole.gauge_code) == ("11.9", "12.1", "MIC-014")
    assert (chars[2].lower_limit, chars[2].upper_limit) == ("180", "")


def test_bad_characteristics_are_refused_with_their_row_and_nothing_is_stored(
        evidence, part, actors):
    with pytest.raises(ValidationError, match=r"Row 6: The lower limit 5 must be below"):
        evidence.add_characteristics(actors["eng"], part["part_id"], [
            CharacteristicDraft("20", "Ok", lower_limit="1", upper_limit="2"),
            CharacteristicDraft("21", "Bad", lower_limit="5", upper_limit="4"),
        ], first_row=5)
    with pytest.raises(ValidationError, match="already exists"):
        evidence.add_characteristic(actors["eng"], part["part_id"],
                                    CharacteristicDraft("1", "Again", upper_limit="3"))
    with pytest.raises(ValidationError, match="'1,2x' is not a number"):
        evidence.add_characteristic(actors["eng"], part["part_id"],
                                    CharacteristicDraft("30", "x", nominal="1,2x",
                                                        upper_limit="3"))
    assert len(evidence.queries.characteristics(part["part_id"])) == 3
    with pytest.raises(PermissionDenied):
        evidence.add_characteristic(actors["insp"], part["part_id"],
                                    CharacteristicDraft("40", "x", upper_limit="3"))


def test_gauges_register_refuses_bad_dates_and_duplicates(evidence, part, actors):
    gauges = {g.code: g for g in evidence.queries.gauges()}
    assert gauges["CAL-007"].overdue and not gauges["MIC-014"].overdue
    with pytest.raises(ValidationError, match="before the calibration date"):
        evidence.add_gauge(actors["insp"], GaugeDraft("X-1", "Plug gauge", calibrated_on=
                                                      "2026-05-01", due_on="2026-04-01"))
    with pytest.raises(ValidationError, match="already in the register"):
        evidence.add_gauge(actors["insp"], GaugeDraft("mic-014", "Micrometer",
                                                      calibrated_on="2026-01-01",
                                                      due_on="2027-01-01"))
    with pytest.raises(PermissionDenied):
        evidence.add_gauge(actors["appr"], GaugeDraft("Y-1", "Plug", calibrated_on="2026-01-01",
                                                      due_on="2027-01-01"))


def test_a_report_computes_verdicts_and_marks_an_overdue_gauge(evidence, part, actors):
    c = part["chars"]
    detail = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", title="Initial samples", sample_size=5,
        tested_on="2026-11-20", operator="N. Mansouri"), [
        ResultDraft(c["1"], ("12.01", "11.98", "12.02", "12.00", "11.99")),
        ResultDraft(c["2"], ("150.1", "150.6", "149.9", "150.0", "150.2")),
    ])
    s = detail.summary
    assert s.number == "TR-TST-2026-0001" and s.verdict == "fail" and s.gauge_overdue
    by_number = {r.number: r for r in detail.sets}
    assert by_number["1"].verdict == "pass" and not by_number["1"].gauge_overdue
    flange = by_number["2"]
    assert flange.verdict == "fail" and flange.gauge_overdue
    assert [str(v) for v in flange.reading_verdicts()] == ["pass", "fail", "pass", "pass", "pass"]
    assert any("CAL-007" in w.text() and "7.1.5.2.1" in w.text() for w in detail.warnings)
    checks = evidence.queries.gauge_checks(part["part_id"])
    assert {(g.gauge_code, g.in_calibration) for g in checks} == {("MIC-014", True),
                                                                  ("CAL-007", False)}


def test_limits_are_copied_so_a_later_change_never_regrades_old_evidence(evidence, part, actors):
    c = part["chars"]
    evidence.record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                           [ResultDraft(c["1"], ("12.05",))])
    evidence.update_characteristic(actors["eng"], c["1"], CharacteristicDraft(
        "1", "Hole diameter", "12", "-0.02", "0.02", gauge_code="MIC-014"))
    old = evidence.queries.results_of_characteristic(c["1"])[0]
    assert (old.lower_limit, old.upper_limit, old.verdict) == ("11.9", "12.1", "pass")


def test_bad_readings_are_refused_and_nothing_is_half_written(evidence, part, actors):
    c = part["chars"]
    with pytest.raises(ValidationError, match="Characteristic 2, reading 3: 'abc' is not a number"):
        evidence.record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional"), [
            ResultDraft(c["1"], ("12.0",)), ResultDraft(c["2"], ("150", "150.1", "abc"))])
    with pytest.raises(ValidationError, match="has no readings"):
        evidence.record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                               [ResultDraft(c["1"], ("", " "))])
    with pytest.raises(ValidationError, match="not one of"):
        evidence.record_report(actors["insp"], ReportDraft(part["part_id"], "x-ray"))
    with pytest.raises(NotFound):
        evidence.record_report(actors["insp"], ReportDraft("no-such-part", "material"))
    assert evidence.queries.reports(part["part_id"]) == []


def test_a_correction_supersedes_with_a_reason_and_the_old_report_stays(evidence, part, actors):
    c = part["chars"]
    first = evidence.record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                                   [ResultDraft(c["1"], ("12.5",))]).summary
    with pytest.raises(ValidationError, match="needs a reason"):
        evidence.supersede_report(actors["insp"], first.report_id,
                                  ReportDraft(part["part_id"], "dimensional"), [], " ")
    second = evidence.supersede_report(
        actors["insp"], first.report_id, ReportDraft(part["part_id"], "dimensional"),
        [ResultDraft(c["1"], ("12.05",))], "typo: 12.05 read as 12.5").summary
    assert second.supersedes == first.report_id and second.verdict == "pass"
    reports = {r.number: r for r in evidence.queries.reports(part["part_id"])}
    assert reports[first.number].superseded_by == second.report_id
    assert reports[first.number].verdict == "fail"  # kept as it was
    current = evidence.queries.evidence_of_part(part["part_id"]).reports
    assert [r.number for r in current] == [second.number]
    with pytest.raises(ValidationError, match="already corrected"):
        evidence.supersede_report(actors["insp"], first.report_id,
                                  ReportDraft(part["part_id"], "dimensional"), [], "again")
    coverage = {x.characteristic.number: x for x in
                evidence.queries.dimensional_coverage(part["part_id"])}
    assert coverage["1"].result_count == 1 and coverage["1"].latest_verdict == "pass"
    assert coverage["2"].latest_verdict == "no_data"


def test_capability_summary_of_special_characteristics(evidence, part, actors):
    c = part["chars"]
    evidence.record_report(actors["insp"], ReportDraft(part["part_id"], "capability",
                                                       tested_on="2026-11-21"), [
        ResultDraft(c["1"], readings(12.0, 0.012, 100)),
        ResultDraft(c["10"], tuple(str(200 + i % 7) for i in range(12))),
    ])
    summary = {s.number: s for s in evidence.queries.special_capability(part["part_id"])}
    hole = summary["1"]
    assert hole.n == 100 and float(hole.ppk) > 2 and hole.band == "acceptable"
    assert hole.acceptance == "acceptable"
    hardness = summary["10"]
    assert hardness.acceptance == "insufficient_data" and hardness.ppk
    assert any("Only 12 readings" in n for n in hardness.notes)
    # The 200…206 saw-tooth drops by 6 once: beyond the moving-range limit, a special cause.
    assert {"indicative_only", "unstable"} <= set(hardness.codes) and not hardness.cpk
    assert "unstable" not in hole.codes and hole.cpk
    assert "2" not in summary  # a standard characteristic


def test_material_report_without_readings_uses_the_stated_result(evidence, part, actors):
    detail = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "salt_spray", standard="ISO 9227", laboratory="CRAPC",
        lab_kind="external", stated_result="conforming", tested_on="2026-10-01",
        issued_on="2026-10-30"))
    assert detail.summary.verdict == "pass"
    assert any("17025" in w.text() for w in detail.warnings)
    with pytest.raises(ValidationError, match="issued"):
        evidence.record_report(actors["insp"], ReportDraft(
            part["part_id"], "material", tested_on="2026-10-05", issued_on="2026-10-01"))


def test_calibration_on_the_day_measured_comes_from_the_gauge_history(evidence, part, actors):
    c = part["chars"]
    gauges = {g.code: g for g in evidence.queries.gauges()}
    evidence.recalibrate_gauge(actors["insp"], gauges["CAL-007"].gauge_id, "2026-02-01",
                               "2027-02-01")
    assert not {g.code: g for g in evidence.queries.gauges()}["CAL-007"].overdue
    old = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2025-06-15"),
        [ResultDraft(c["2"], ("150.1",))])
    assert not old.sets[0].gauge_overdue and old.sets[0].gauge_due_on == "2026-01-10"
    gap = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-01-20"),
        [ResultDraft(c["2"], ("150.1",))])
    assert gap.sets[0].gauge_overdue and gap.warnings
    new = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-03-01"),
        [ResultDraft(c["2"], ("150.1",))])
    assert not new.sets[0].gauge_overdue and new.sets[0].gauge_calibrated_on == "2026-02-01"
    with pytest.raises(ValidationError, match="before the calibration date"):
        evidence.recalibrate_gauge(actors["insp"], gauges["CAL-007"].gauge_id, "2026-05-01",
                                   "2026-04-01")
