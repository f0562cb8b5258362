"""`partdesk integration` and `partdesk roadmap ...` through the real entry point."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.roadmap import RoadmapService
from tests.conftest import PASSWORD
from tests.services.roadmap_fixtures import STANDARD_LIST, approve, make_programme, reference_file


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    root = tmp_path / "d"
    assert main(["--data-dir", str(root), "init", "--site-code", "MSR", "--site-name",
                 "Massar Rouiba", "--admin", "admin"]) == 0
    ctx = open_context(DataFolder(root))
    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    from desktop_app.domain.people import Role

    people.add_person(admin, "eng", "Eng Person", Role.ENGINEER, PASSWORD)
    programme = make_programme(ctx, admin, monkeypatch)
    eng = people.sign_in("eng", PASSWORD)
    RoadmapService(ctx).save_step(eng, {
        "code": "R-01", "title": "Seats in series", "model_id": programme.model_id,
        "target_date": "2025-09-30", "target_rate": "8",
        "components": [{"name": "Seat frame", "apqp_phase": 4, "volumes": {"2026-Q1": 900}}]})
    ctx.close()
    return root, programme


def run(root: Path, *args: str, user: str = "eng") -> int:
    return main(["--data-dir", str(root), "--user", user, *args])


def test_import_link_then_integration_json(folder, tmp_path, capsys) -> None:
    root, programme = folder
    listing = reference_file(tmp_path, STANDARD_LIST)
    assert run(root, "roadmap", "import-list", "X70", str(listing), "--dry-run") == 0
    assert "5 sets, 5 added" in capsys.readouterr().out
    assert run(root, "roadmap", "import-list", "X70", str(listing)) == 0
    capsys.readouterr()
    assert run(root, "roadmap", "link", "X70", "SEAT", "SEAT-01",
               "--supply-start", "2026-03-01") == 0
    assert run(root, "roadmap", "link", "X70", "SEAT", "DASH-SEAT") != 0
    assert "belongs to another vehicle model" in capsys.readouterr().err
    approve(programme, "SEAT-01", date(2026, 2, 1))
    assert run(root, "integration", "--model", "X70", "--date", "2026-06-01", "--json") == 0
    [model] = json.loads(capsys.readouterr().out)
    assert model["rate"] == "8"
    assert {s["code"]: s["reason"] for s in model["sets"]}["SEAT"] == "counts"
    assert model["next_milestone"]["date"] == "2027-01-15"
    assert run(root, "integration", "--model", "X70", "--date", "2026-06-01") == 0
    text = capsys.readouterr().out
    assert "[x] SEAT" in text and "no local part linked" in text and "Total: 8 %" in text


def test_bad_list_is_one_sentence_on_stderr(folder, tmp_path, capsys) -> None:
    root, _ = folder
    bad = reference_file(tmp_path, [["A", "Seats", "set", "70"], ["B", "Glass", "set", "31"]])
    assert run(root, "roadmap", "import-list", "X70", str(bad)) == 2
    err = capsys.readouterr().err.strip()
    assert err == "The reference list sums to 101 %, 1 % more than 100 %."


def test_steps_and_reports(folder, tmp_path, capsys) -> None:
    root, _ = folder
    assert run(root, "roadmap", "steps", "--late", "--json") == 0
    [step] = json.loads(capsys.readouterr().out)
    assert step["code"] == "R-01" and step["late"]
    xlsx = tmp_path / "status.xlsx"
    assert run(root, "roadmap", "report", "--out", str(xlsx), "--report-lang", "en") == 0
    book = load_workbook(xlsx)
    assert "X70" in book.sheetnames
    assert book["Roadmap"]["B2"].value == "R-01"
    pdf = tmp_path / "status.pdf"
    assert run(root, "roadmap", "report", "--out", str(pdf), "--report-lang", "en") == 0
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Integration rate and roadmap" in text and "R-01" in text
    assert run(root, "roadmap", "report", "--out", str(tmp_path / "x.doc")) != 0


def test_regulatory_rules_are_shown_with_their_texts_and_changed_by_the_administrator(
        folder, capsys) -> None:
    root, _ = folder
    assert run(root, "roadmap", "rules", "X70") == 0
    out = capsys.readouterr().out
    assert "(defaults)" in out and "Decree 22-384 art. 5" in out
    assert "12 months of grace — Decree 24-159 art. 30" in out
    assert "cut ends as soon as the rate is reached: no — Assumption" in out
    assert run(root, "roadmap", "rules", "X70", "--grace-months", "6") != 0  # an engineer
    assert "not allowed to edit the regulatory rules" in capsys.readouterr().err
    assert run(root, "roadmap", "rules", "X70", "--grace-months", "6", "--grace-source",
               "Référentiel 2026 art. 12", "--freeze", "no", "--milestone",
               "2:12:Référentiel 2026 art. 4", "--json", user="admin") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["grace_months"], data["freeze"], data["default"]) == (6, False, False)
    assert data["grace_source"] == "Référentiel 2026 art. 12"
    assert data["milestones"] == [{"years": 2, "target": "12",
                                   "source": "Référentiel 2026 art. 4"}]
    assert run(root, "integration", "--model", "X70") == 0
    assert "6 months of grace" in capsys.readouterr().out


def test_deliveries_are_recorded_against_the_interim_quantity(folder, capsys, monkeypatch):
    from desktop_app.domain.certificates import DecisionFact
    from desktop_app.domain.certification import Action
    from desktop_app.services import approvals, roadmap_sources

    root, programme = folder
    real = approvals.build_periods
    interim = DecisionFact(programme.parts["SEAT-01"], "sub-1", Action.APPROVE_INTERIM,
                           date(2026, 1, 5), "2026-01-05T09:00:00Z", None, "CERT-1", 500,
                           (0, "site", "rev"))

    def with_interim(facts, deliveries=()):  # an interim approval for 500 pieces, no date
        return real([*facts, interim], deliveries)

    monkeypatch.setattr(approvals, "build_periods", with_interim)
    # the periods certification gives (the programme's stand-ins set aside), with that approval
    monkeypatch.setattr(roadmap_sources, "approval_periods", lambda ctx, ids: {
        p: approvals.ApprovalService(ctx).approval_periods(ids).get(p, []) for p in ids})
    monkeypatch.setattr(roadmap_sources, "all_approval_periods",
                        lambda ctx: approvals.ApprovalService(ctx).approval_periods())
    assert run(root, "roadmap", "interim") == 0
    assert "0 / 500" in capsys.readouterr().out
    assert run(root, "roadmap", "deliver", "SEAT-01", "300", "--date", "2026-02-01") == 0
    assert "200 remaining" in capsys.readouterr().out
    assert run(root, "roadmap", "deliver", "SEAT-01", "0") != 0
    assert "whole number of pieces" in capsys.readouterr().err
    assert run(root, "roadmap", "deliver", "SEAT-01", "250", "--date", "2026-02-10",
               "--json") == 0
    [usage] = json.loads(capsys.readouterr().out)
    assert (usage["shipped"], usage["used_up"], usage["ends_on"]) == (550, True, "2026-02-11")


def test_a_status_is_set_by_hand_only_with_a_reason(folder, capsys) -> None:
    root, _ = folder
    assert run(root, "roadmap", "steps", "--json") == 0
    [step] = json.loads(capsys.readouterr().out)
    assert step["status"] == "missed" and step["late"]  # 0 % on 2025-09-30, nothing forecast
    assert run(root, "roadmap", "set-status", "X70", "R-01", "achieved") != 0
    assert "needs a reason" in capsys.readouterr().err
    assert run(root, "roadmap", "set-status", "X70", "R-01", "achieved", "--reason",
               "Counted by the Ministry from the first batch") == 0
    assert "(set by hand; the rate gives Missed)" in capsys.readouterr().out
    assert run(root, "roadmap", "steps", "--status", "achieved") == 0
    assert "R-01" in capsys.readouterr().out
    xlsx = root.parent / "status.xlsx"  # the report for an inspection shows what the rate says
    assert run(root, "roadmap", "report", "--out", str(xlsx), "--report-lang", "en") == 0
    assert load_workbook(xlsx)["Roadmap"]["H2"].value == "Missed"
    capsys.readouterr()
    assert run(root, "roadmap", "set-status", "X70", "R-01", "computed") == 0
    assert capsys.readouterr().out.strip() == "Step R-01: Missed"
