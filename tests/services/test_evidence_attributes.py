"""Attribute characteristics (OK / NG, defects per sample): recorded with their counts, p and np,
failed by any nonconforming part, never asked for a Ppk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.attributes import DataType, attribute_result
from desktop_app.domain.certification import SubmissionKind
from desktop_app.domain.certification_checks import ElementEntry, check_submission
from desktop_app.domain.errors import ValidationError
from desktop_app.services.certification_sources import QueriesEvidenceSource
from desktop_app.services.evidence_dto import CharacteristicDraft, ReportDraft, ResultDraft
from tests.services.evidence_fixtures import make_part, make_service


@pytest.fixture
def evidence(ctx):
    return make_service(ctx)


@pytest.fixture
def part(ctx, actors, evidence):
    made = make_part(ctx, actors, evidence)
    added = evidence.add_characteristics(actors["eng"], made["part_id"], [
        CharacteristicDraft("20", "Weld spatter on visible face", char_class="SC",
                            data_type="attribute", method="Visual, master sample"),
        CharacteristicDraft("21", "Paint inclusions", data_type="defects"),
    ])
    made["chars"].update({c.number: c.characteristic_id for c in added})
    return made


def test_ok_ng_samples_give_counts_p_np_and_a_verdict(evidence, part, actors):
    c = part["chars"]
    detail = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-11-20"), [
        ResultDraft(c["20"], ("OK", "ok", "NG", "OK", "nok", "C", "OK", "OK", "OK", "OK")),
        ResultDraft(c["21"], ("0", "2", "0", "1", "0")),
    ])
    sets = {s.number: s for s in detail.sets}
    ok_ng, defects = sets["20"], sets["21"]
    assert ok_ng.readings == ("OK", "OK", "NG", "OK", "NG", "OK", "OK", "OK", "OK", "OK")
    assert ok_ng.verdict == "fail" and detail.summary.verdict == "fail"
    result = ok_ng.attribute_result()
    assert (result.n, result.np, result.p) == (10, 2, Decimal("0.2"))
    assert "10 samples: 2 nonconforming (np = 2, p = 0.2000)" in ok_ng.capability_notes()[0]
    assert "unless the customer agreed" in ok_ng.capability_notes()[0]
    counts = defects.attribute_result()
    assert (counts.n, counts.np, counts.defects, counts.u) == (5, 2, 3, Decimal("0.6"))
    assert defects.to_json()["attribute"]["p"] == "0.4000"
    # The characteristics keep no limits and say what they are.
    chars = {ch.number: ch for ch in evidence.queries.characteristics(part["part_id"])}
    assert chars["20"].data_type == "attribute" and chars["20"].lower_limit == ""
    assert chars["21"].data_type == "defects"


def test_all_ok_passes_and_a_special_attribute_is_never_asked_for_a_ppk(
        evidence, part, actors, ctx):
    c = part["chars"]
    detail = evidence.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-11-20"),
        [ResultDraft(c["20"], ("OK",) * 5)])
    assert detail.sets[0].verdict == "pass"
    capability = {s.number for s in evidence.queries.special_capability(part["part_id"])}
    assert "20" not in capability and {"1", "10"} <= capability
    with ctx.unit_of_work() as uow:
        facts = QueriesEvidenceSource(ctx).facts(uow, part["part_id"],
                                                 [detail.summary.report_id])
    findings = check_submission(
        kind=SubmissionKind.PPAP, level=3, part_id=part["part_id"],
        elements={"09": ElementEntry((detail.summary.report_id,))}, customer_choices={},
        bulk_material=False, deviations={}, facts=facts)
    about_20 = [f for f in findings if ("number", "20") in f.params]
    assert [f.code for f in about_20] == []  # covered, and no Ppk asked of an OK/NG check
    assert any(f.code == "no_capability" and ("number", "1") in f.params for f in findings)


def test_a_word_that_is_no_judgement_is_refused_with_its_sample(evidence, part, actors):
    c = part["chars"]
    with pytest.raises(ValidationError, match="Characteristic 20, sample 3: 'maybe' is "
                                              "neither OK nor NG"):
        evidence.record_report(actors["insp"], ReportDraft(
            part["part_id"], "dimensional", tested_on="2026-11-20"),
            [ResultDraft(c["20"], ("OK", "NG", "maybe"))])
    with pytest.raises(ValidationError, match="sample 2: '1.5' is not a number of defects"):
        evidence.record_report(actors["insp"], ReportDraft(
            part["part_id"], "dimensional", tested_on="2026-11-20"),
            [ResultDraft(c["21"], ("0", "1.5"))])
    with pytest.raises(ValidationError, match="characteristic type 'colour'"):
        evidence.add_characteristic(actors["eng"], part["part_id"], CharacteristicDraft(
            "22", "Colour", data_type="colour"))


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=200))
def test_counts_agree_with_an_independent_count(counts):
    readings = [str(k) for k in counts]
    result = attribute_result(readings, DataType.DEFECTS)
    bad = len([k for k in counts if k])
    assert (result.n, result.np, result.defects) == (len(counts), bad, sum(counts))
    assert result.p == (Decimal(bad) / len(counts)).quantize(Decimal("0.0001"),
                                                             rounding="ROUND_FLOOR")
    assert result.verdict == ("fail" if bad else "pass")
    judged = attribute_result(["NG" if k else "OK" for k in counts], DataType.ATTRIBUTE)
    assert (judged.np, judged.verdict) == (bad, result.verdict)


def test_attribute_characteristics_and_their_judgements_are_imported(ctx, actors, tmp_path):
    from desktop_app.services.evidence_import import EvidenceImportService

    evidence = make_service(ctx)
    made = make_part(ctx, actors, evidence)
    importer = EvidenceImportService(ctx, evidence)
    chars = tmp_path / "ballons.csv"
    chars.write_text("Repère;Désignation;Nature;Classe\n"
                     "30;Aspect soudure;attribute;SC\n31;Inclusions peinture;defects;\n",
                     encoding="utf-8")
    added = importer.import_characteristics(actors["eng"], made["part_id"],
                                            importer.read(chars))
    assert [(c.number, c.data_type) for c in added] == [("30", "attribute"), ("31", "defects")]
    readings = tmp_path / "controle.csv"
    readings.write_text("Feature,Result\n30,OK\n30,NG\n31,0\n30,ok\n31,3\n", encoding="utf-8")
    preview = importer.preview_measurements(made["part_id"], importer.read(readings))
    assert preview.ok
    by_number = {r.number: r for r in preview.results}
    assert by_number["30"].readings == ("OK", "NG", "OK") and by_number["30"].failing == 1
    assert by_number["31"].verdict == "fail"
    bad = tmp_path / "bad.csv"
    bad.write_text("Feature,Result\n30,OK\n30,peut-être\n", encoding="utf-8")
    problems = importer.preview_measurements(made["part_id"], importer.read(bad)).problems
    assert [p.message for p in problems] == [
        "Row 3: 'peut-être' is not a judgement of characteristic 30 (OK / NG, or a number of "
        "defects)."]
