"""A Q-DAS AQDEF file through the evidence import: its characteristics land with the right limits,
its readings in a test report dated by the file and naming its operators, in the real SQLite
database; a problem names the line of the file; nothing is written when anything is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.files.aqdef import AqdefFile
from desktop_app.services.evidence_dto import ReportDraft
from desktop_app.services.evidence_import import EvidenceImportService
from tests.files.aqdef_samples import (
    BURRS,
    DESCRIPTION,
    FLATNESS,
    HOLE,
    compact_values,
    dfq_compact,
    dfq_k_fields,
)
from tests.services.evidence_fixtures import make_part, make_service, register_part


@pytest.fixture
def fresh(ctx, actors):
    """A part without characteristics yet, and the importer."""
    evidence = make_service(ctx)
    return register_part(ctx, actors["eng"], "JT-5801"), EvidenceImportService(ctx, evidence)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


@pytest.mark.parametrize("sample", [dfq_k_fields, dfq_compact])
def test_characteristics_then_readings_land_in_the_database(ctx, actors, fresh, tmp_path,
                                                            sample):
    part_id, importer = fresh
    source = importer.read(_file(tmp_path, "JT-5801.dfq", sample()))
    assert isinstance(source, AqdefFile)
    preview = importer.preview_characteristics(part_id, source)
    assert preview.ok and [line for line, _ in preview.drafts] == [4, 10, 14]
    importer.import_characteristics(actors["eng"], part_id, source)
    stored = make_service(ctx).queries.characteristics(part_id)
    assert [(c.number, c.description, c.nominal, c.lower_limit, c.upper_limit, c.unit,
             c.data_type) for c in stored] == [
        ("1", "Hole diameter", "12", "11.9", "12.1", "mm", "variable"),
        ("2", "Flange flatness", "", "", "0.05", "mm", "variable"),
        ("3", "Burr-free edge", "", "", "", "", "attribute"),
    ]

    readings = importer.preview_measurements(part_id, source)
    assert readings.shape == "aqdef" and readings.ok and readings.reading_count == 30
    assert (readings.first_day, readings.tested_on) == ("2025-05-13", "2025-05-13")
    assert readings.operators == ("A. Benali", "K. Haddad") and readings.notes == ()
    detail = importer.import_measurements(actors["insp"], ReportDraft(part_id, "dimensional"),
                                          source)
    report = make_service(ctx).queries.report(detail.summary.report_id)
    assert (report.summary.tested_on, report.summary.operator) == ("2025-05-13",
                                                                   "A. Benali, K. Haddad")
    sets = {s.number: s for s in report.sets}
    assert sets["1"].readings == tuple(HOLE) and sets["1"].verdict == "pass"
    assert (sets["1"].lower_limit, sets["1"].upper_limit) == ("11.9", "12.1")
    assert sets["2"].readings == tuple(FLATNESS) and sets["2"].verdict == "pass"
    assert sets["2"].upper_limit == "0.05" and sets["2"].lower_limit == ""
    assert sets["3"].readings == tuple("NG" if b else "OK" for b in BURRS)
    assert sets["3"].verdict == "fail" and report.summary.verdict == "fail"


def test_a_description_with_its_values_beside_it(ctx, actors, fresh, tmp_path):
    part_id, importer = fresh
    dfd = _file(tmp_path, "M1.dfd", DESCRIPTION)
    _file(tmp_path, "M1.dfx", compact_values())
    importer.import_characteristics(actors["eng"], part_id, importer.read(dfd))
    detail = importer.import_measurements(actors["insp"], ReportDraft(
        part_id, "dimensional", tested_on="2025-05-14", operator="Quality lab"),
        importer.read(dfd))
    assert (detail.summary.tested_on, detail.summary.operator) == ("2025-05-14", "Quality lab")
    assert sum(len(s.readings) for s in detail.sets) == 30


def test_a_characteristic_problem_names_the_line_and_nothing_is_added(ctx, actors, fresh,
                                                                      tmp_path):
    part_id, importer = fresh
    text = DESCRIPTION.replace("K2110/1 11.9", "K2110/1 12.1").replace("K2111/1 12.1",
                                                                       "K2111/1 11.9")
    source = importer.read(_file(tmp_path, "bad.dfq", text))
    preview = importer.preview_characteristics(part_id, source)
    assert [(p.row, p.message) for p in preview.problems] == [
        (4, "Line 4: The lower limit 12.1 must be below the upper limit 11.9.")]
    with pytest.raises(ValidationError) as caught:
        importer.import_characteristics(actors["eng"], part_id, source)
    assert caught.value.message() == "Line 4: The lower limit 12.1 must be below the upper " \
                                     "limit 11.9."
    assert make_service(ctx).queries.characteristics(part_id) == []


def test_characteristics_already_on_the_part_are_named_with_their_line(ctx, actors, tmp_path):
    evidence = make_service(ctx)
    part = make_part(ctx, actors, evidence)
    importer = EvidenceImportService(ctx, evidence)
    preview = importer.preview_characteristics(
        part["part_id"], importer.read(_file(tmp_path, "x.dfq", DESCRIPTION)))
    assert [p.message for p in preview.problems] == [
        "Line 4: Characteristic 1 already exists on this part.",
        "Line 10: Characteristic 2 already exists on this part."]


def test_excluded_values_other_limits_and_another_part_are_noted(ctx, actors, tmp_path):
    evidence = make_service(ctx)
    part = make_part(ctx, actors, evidence)  # 1: 11.9 … 12.1, 2: 149.5 … 150.5, 10: ≥ 180 HV
    importer = EvidenceImportService(ctx, evidence)
    text = "\n".join([
        "K0100 2", "K1001 JT-9999", "K2001/1 1", "K2002/1 Hole", "K2110/1 11.9", "K2111/1 12.1",
        "K2001/2 2", "K2002/2 Length", "K2101/2 150", "K2112/2 -0.3", "K2113/2 0.3",
        "K0001/1 12.00", "K0012/1 mic-014", "K0001/1 12.50", "K0002/1 255", "K0001/1 12.02",
        "K0001/2 150.1", "K0012/2 GAUGE-99", "K0001/2 150.2",
    ])
    preview = importer.preview_measurements(part["part_id"],
                                            importer.read(_file(tmp_path, "n.dfq", text)))
    assert preview.ok and {r.number: r.readings for r in preview.results} == {
        "1": ("12.00", "12.02"), "2": ("150.1", "150.2")}
    assert {r.number: r.gauge_code for r in preview.results} == {"1": "MIC-014", "2": ""}
    assert [n.text() for n in preview.notes] == [
        "The file is for part JT-9999 (K1001), not JT-5801: check that it is the right file.",
        "Characteristic 1: 1 reading(s) that the measuring program excluded (K0002 255 or 256) "
        "are left out.",
        "Characteristic 2: the file's limits (149.7 … 150.3) differ from this part's "
        "(149.5 … 150.5); the part's limits grade the readings.",
        "Characteristic 2: the gauge named in the file (GAUGE-99, K0012) is not one gauge of the "
        "register; the characteristic's own gauge is recorded.",
    ]
    assert preview.tested_on == "" and preview.operators == ()
    detail = importer.import_measurements(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-11-20"),
        importer.read(_file(tmp_path, "n.dfq", text)))
    assert [w.text() for w in detail.warnings][:4] == [n.text() for n in preview.notes]


def test_readings_of_characteristics_not_on_the_part_refuse_the_report(ctx, actors, tmp_path):
    evidence = make_service(ctx)
    part = make_part(ctx, actors, evidence)
    importer = EvidenceImportService(ctx, evidence)
    source = importer.read(_file(tmp_path, "JT.dfq", dfq_k_fields()))
    preview = importer.preview_measurements(part["part_id"], source)
    assert preview.unknown == ("3",) and not preview.ok
    with pytest.raises(ValidationError, match="Characteristic 3 in the file is not a "
                                              "characteristic of this part."):
        importer.import_measurements(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                                     source)
    assert evidence.queries.reports(part["part_id"]) == []


def test_a_reading_that_does_not_fit_the_characteristic_names_its_line(ctx, actors, tmp_path):
    evidence = make_service(ctx)
    part = make_part(ctx, actors, evidence)
    importer = EvidenceImportService(ctx, evidence)
    text = "K0100 1\nK2001/1 1\nK2002/1 Hole\nK2004/1 1\nK0020/1 5\nK0021/1 1\n"
    source = importer.read(_file(tmp_path, "attr.dfq", text))
    preview = importer.preview_measurements(part["part_id"], source)
    assert [p.message for p in preview.problems] == [
        "Line 5: Characteristic 1 is measured on this part, but the file judges it as an "
        "attribute (K2004 1)."]
    with pytest.raises(ValidationError, match="^Line 5: Characteristic 1 is measured"):
        importer.import_measurements(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                                     source)


def test_subgroups_of_an_attribute_become_ok_and_ng_samples(ctx, actors, fresh, tmp_path):
    part_id, importer = fresh
    text = ("K0100 1\nK2001/1 7\nK2002/1 Weld present\nK2004/1 1\n"
            "K0020/1 5\nK0021/1 2\nK0004/1 02.06.2025/10:00:00\nK0020/1 3\nK0021/1 0\n")
    source = importer.read(_file(tmp_path, "weld.dfq", text))
    importer.import_characteristics(actors["eng"], part_id, source)
    (result,) = importer.preview_measurements(part_id, source).results
    assert result.readings == ("NG", "NG", "OK", "OK", "OK", "OK", "OK", "OK")
    assert result.failing == 2 and result.verdict == "fail"


def test_a_pdf_named_dfq_is_refused_before_anything_is_read(fresh, tmp_path):
    _part_id, importer = fresh
    path = tmp_path / "cmm.dfq"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(ValidationError, match="^cmm.dfq is named as a Q-DAS AQDEF file but is a "
                                              "PDF document.$"):
        importer.read(path)
