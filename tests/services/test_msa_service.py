"""MSA studies through the service: recorded from sheets (CSV, French CSV, Excel) or lists,
refused with one sentence and nothing written, listed per gauge, the study answering for a
characteristic, who may record, and a study that arrives broken."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.domain.msa import GaugeRR, MsaVerdict, Reading
from desktop_app.domain.msa_attribute import AttributeAgreement
from desktop_app.services.msa import MsaService, MsaStudyDraft
from desktop_app.storage.models.core import RevisionRow
from desktop_app.storage.models.msa import MsaStudy
from tests.services.certification_fixtures import TODAY, Services, make_part
from tests.services.msa_fixtures import (
    HEADER,
    aiag_rows,
    judgement_rows,
    made_up_rows,
    write_sheet,
)


@pytest.fixture
def setup(ctx, actors):
    svc = Services(ctx)
    part = make_part(svc, actors)
    msa = MsaService(ctx, today=lambda: TODAY)
    return svc, part, msa, msa.gauge_id("mic-220")


def _revisions(ctx) -> int:
    with ctx.unit_of_work() as uow:
        return uow.session.execute(select(func.count()).select_from(RevisionRow)).scalar_one()


def test_the_aiag_example_recorded_from_a_csv_sheet(setup, actors, tmp_path):
    _, _, msa, gauge = setup
    sheet = write_sheet(tmp_path / "grr.csv", HEADER, aiag_rows())
    info = msa.record_sheet(actors["insp"], gauge, sheet, tolerance="4",
                            studied_on="2026-11-02", conducted_by="K. Ouali")
    assert (info.kind, info.operators, info.parts, info.trials) == ("variable", 3, 10, 3)
    assert (info.pct_ev, info.pct_av, info.pct_grr, info.pct_pv) == ("18.4", "20.9", "27.9",
                                                                     "96.0")
    assert (info.pct_grr_tolerance, info.ndc, info.verdict) == ("45.4", "4", "unacceptable")
    assert (info.gauge_code, info.studied_on, info.conducted_by) == (
        "MIC-220", "2026-11-02", "K. Ouali")
    [listed] = msa.studies_of_gauge(actors["appr"], gauge)
    assert listed == info
    detail = msa.study(actors["appr"], info.study_id)
    assert isinstance(detail.result, GaugeRR) and detail.result.interaction_pooled
    assert detail.result.ndc == 4


def test_a_french_csv_and_an_excel_workbook_read_alike(setup, actors, tmp_path):
    _, _, msa, gauge = setup
    rows = made_up_rows(0.001)
    french = write_sheet(tmp_path / "grr-fr.csv", ["Opérateur", "Pièce", "Essai", "Valeur"],
                         [[o, p, t, str(v).replace(".", ",")] for o, p, t, v in rows], ";")
    book = Workbook()
    sheet = book.active
    sheet.append(["Appraiser", "Sample", "Trial", "Reading"])
    for o, p, t, v in rows:
        sheet.append([o, p, t, float(v)])
    book.save(tmp_path / "grr.xlsx")
    a = msa.record_sheet(actors["eng"], gauge, french, tolerance="0.2")
    b = msa.record_sheet(actors["eng"], gauge, tmp_path / "grr.xlsx", tolerance="0,2")
    figures = ("pct_grr", "pct_grr_tolerance", "ndc", "verdict", "operators", "parts", "trials")
    assert [getattr(a, f) for f in figures] == [getattr(b, f) for f in figures]
    assert a.verdict == "acceptable" and int(a.ndc) >= 5


def test_an_attribute_agreement_study_from_a_sheet_with_its_reference(setup, actors, tmp_path):
    _, _, msa, gauge = setup
    sheet = write_sheet(tmp_path / "go-nogo.csv", [*HEADER, "reference"], judgement_rows())
    info = msa.record_sheet(actors["insp"], gauge, sheet)
    assert (info.kind, info.operators, info.parts, info.trials) == ("attribute", 3, 10, 2)
    assert (info.effectiveness, info.miss_rate, info.false_alarm_rate, info.kappa) == (
        "90.0", "12.5", "16.7", "0.80")
    assert info.verdict == "unacceptable" and info.pct_grr == info.ndc == ""
    result = msa.study(actors["insp"], info.study_id).result
    assert isinstance(result, AttributeAgreement)
    assert [a.operator for a in result.appraisers] == ["A", "B", "C"]


@pytest.mark.parametrize(("header", "rows", "words"), [
    (["operator", "part", "value"], [["A", 1, "1.0"]], "no trial column"),
    (HEADER, [["A", 1, "x", "1.0"]], "Row 2: the trial 'x' is not a whole number"),
    (HEADER, [["A", 1, 1, "1.0"], ["A", 2, 1, "abc"]], "Row 3: value 'abc' is not a number"),
    (HEADER, [*aiag_rows()[:-1]], "not balanced: operator C has no trial 3 of part 10"),
    (HEADER, [r for r in aiag_rows() if r[0] != "C" and r[1] <= 4],
     "at least 5 parts; the readings name 4"),
    (HEADER, [["A", 1, 1, "OK"], ["A", 1, 2, "NG"]], "needs a reference column"),
    ([*HEADER, "reference"], [["A", 1, 1, "OK", "OK"], ["B", 1, 1, "OK", "NG"]],
     "Row 3: part 1 has the reference NG here and OK above"),
    ([*HEADER, "reference"], [["A", 1, 1, "OK", "OK"], ["A", 2, 1, "peut-être", "NG"]],
     "Row 3: 'peut-être' is neither OK nor NG"),
])
def test_a_bad_sheet_is_refused_with_one_sentence_and_nothing_written(
        setup, actors, ctx, tmp_path, header, rows, words):
    _, _, msa, gauge = setup
    before = _revisions(ctx)
    sheet = write_sheet(tmp_path / "bad.csv", header, rows)
    with pytest.raises(ValidationError) as caught:
        msa.record_sheet(actors["insp"], gauge, sheet)
    sentence = caught.value.message()
    assert words in sentence and "\n" not in sentence and sentence.endswith(".")
    assert _revisions(ctx) == before


def test_what_a_study_names_must_exist_and_fit(setup, actors, ctx, tmp_path):
    svc, part, msa, gauge = setup
    readings = [Reading(*row[:3], str(row[3])) for row in made_up_rows(0.001)]
    with pytest.raises(NotFound):
        msa.record_study(actors["insp"], MsaStudyDraft("0" * 8, readings))
    with pytest.raises(NotFound):
        msa.gauge_id("NO-SUCH")
    for day, words in (("2026-11-27", "after today"), ("26/11/2026", "not a date")):
        with pytest.raises(ValidationError, match=words):
            msa.record_study(actors["insp"], MsaStudyDraft(gauge, readings, studied_on=day))
    with pytest.raises(ValidationError, match="above zero"):
        msa.record_study(actors["insp"], MsaStudyDraft(gauge, readings, tolerance="-0.2"))
    with pytest.raises(ValidationError, match="kind of study 'both'"):
        msa.record_study(actors["insp"], MsaStudyDraft(gauge, readings, kind="both"))
    from desktop_app.services.evidence_dto import GaugeDraft
    other = svc.evidence.add_gauge(actors["insp"], GaugeDraft(
        "CAL-9", "Caliper", "0-150 mm", "0.01", "2026-06-01", "2027-06-01")).gauge_id
    with pytest.raises(ValidationError, match="Characteristic 1 is measured with gauge MIC-220, "
                                              "not CAL-9"):
        msa.record_study(actors["insp"], MsaStudyDraft(
            other, readings, characteristic_id=part["chars"]["1"]))
    assert msa.studies_of_gauge(actors["insp"], gauge) == []


def test_a_study_of_a_characteristic_takes_its_tolerance_and_unit(setup, actors):
    _, part, msa, gauge = setup
    readings = [Reading(*row[:3], str(row[3])) for row in made_up_rows(0.004)]
    info = msa.record_study(actors["eng"], MsaStudyDraft(
        gauge, readings, characteristic_id=part["chars"]["1"]))
    assert (info.tolerance, info.unit, info.characteristic_number, info.part_id) == (
        "0.2", "mm", "1", part["part_id"])
    assert info.verdict == "marginal"
    assert Decimal("10") <= Decimal(info.pct_grr_tolerance) <= Decimal("30")
    assert info.conducted_by == actors["eng"].display_name


def test_who_may_record_a_study(setup, actors, tmp_path):
    _, _, msa, gauge = setup
    sheet = write_sheet(tmp_path / "grr.csv", HEADER, made_up_rows(0.001))
    for who in ("appr", "admin"):
        with pytest.raises(PermissionDenied):
            msa.record_sheet(actors[who], gauge, sheet)
    for who in ("eng", "insp"):  # who may edit gauges
        assert msa.record_sheet(actors[who], gauge, sheet).verdict == "acceptable"
    for who in ("appr", "admin", "eng", "insp"):
        assert len(msa.studies_of_gauge(actors[who], gauge)) == 2


def test_the_study_answering_for_a_characteristic(setup, actors):
    svc, part, msa, gauge = setup
    insp = actors["insp"]

    def study(noise: float, on: str, characteristic: str = "") -> str:
        readings = [Reading(*row[:3], str(row[3])) for row in made_up_rows(noise)]
        return msa.record_study(insp, MsaStudyDraft(
            gauge, readings, tolerance="0.2", studied_on=on,
            characteristic_id=part["chars"][characteristic] if characteristic else "")).study_id

    one, two = part["chars"]["1"], part["chars"]["2"]
    assert msa.latest_for_characteristic(insp, one) is None
    first = study(0.001, "2026-09-01")
    assert msa.latest_for_characteristic(insp, one).study_id == first
    later = study(0.004, "2026-10-01")  # a newer study of the gauge supersedes the older one
    assert msa.latest_for_characteristic(insp, two).verdict == "marginal"
    own = study(0.001, "2026-08-01", "1")  # older, but made for characteristic 1
    assert msa.latest_for_characteristic(insp, one).study_id == own
    assert msa.latest_for_characteristic(insp, two).study_id == later
    assert [s.study_id for s in msa.studies_of_gauge(insp, gauge)] == [later, first, own]


def test_a_study_that_arrives_broken_is_listed_invalid_and_answers_for_nothing(
        setup, actors, ctx):
    """What another site could send: readings that make no study (one operator)."""
    _, part, msa, gauge = setup
    with ctx.unit_of_work() as uow:
        state = uow.records.create("msa_study", {
            "gauge_id": gauge, "kind": "variable", "studied_on": "2026-11-01",
            "readings": [{"operator": "A", "part": str(p), "trial": t, "value": f"1.{p}{t}"}
                         for p in range(1, 6) for t in (1, 2)]}, actors["insp"], reason="test")
    [listed] = msa.studies_of_gauge(actors["insp"], gauge)
    assert (listed.study_id, listed.verdict, listed.valid) == (state.record_id, "invalid", False)
    assert "at least 2 operators" in listed.problem
    detail = msa.study(actors["insp"], state.record_id)
    assert detail.result is None and detail.problem_text() == listed.problem
    assert msa.latest_for_characteristic(actors["insp"], part["chars"]["1"]) is None
    with ctx.unit_of_work() as uow:
        row = uow.session.get(MsaStudy, state.record_id)
        assert row is not None and row.operators == 0 and row.pct_grr == ""


def test_verdicts_are_the_domains(setup, actors):
    _, _, msa, gauge = setup
    for noise, verdict in ((0.001, MsaVerdict.ACCEPTABLE), (0.004, MsaVerdict.MARGINAL),
                           (0.03, MsaVerdict.UNACCEPTABLE)):
        readings = [Reading(*row[:3], str(row[3])) for row in made_up_rows(noise)]
        info = msa.record_study(actors["insp"], MsaStudyDraft(gauge, readings, tolerance="0.2"))
        assert info.verdict == verdict
