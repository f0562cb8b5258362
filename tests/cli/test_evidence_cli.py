"""`partdesk evidence ...` through the real entry point: gauges, characteristics, a report with
readings from a file and attached files, shown as JSON with verdicts and indices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.domain.people import Role
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from tests.conftest import PASSWORD
from tests.services.evidence_fixtures import register_part


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    root = tmp_path / "d"
    assert main(["--data-dir", str(root), "init", "--site-code", "MSR", "--site-name",
                 "Massar Rouiba", "--admin", "admin"]) == 0
    ctx = open_context(DataFolder(root))
    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    people.add_person(admin, "eng", "Eng Person", Role.ENGINEER, PASSWORD)
    register_part(ctx, people.sign_in("eng", PASSWORD), "JT-5801")
    ctx.close()
    return root


def run(root: Path, *args: str, user: str = "eng") -> int:
    return main(["--data-dir", str(root), "--user", user, *args])


def test_record_a_report_from_a_file_attach_and_show_json(root, tmp_path, capsys):
    assert run(root, "evidence", "add-gauge", "MIC-014", "--type", "Micrometer",
               "--calibrated", "2026-01-01", "--due", "2026-03-01") == 0
    chars = tmp_path / "chars.csv"
    chars.write_text("number,description,nominal,lower tolerance,upper tolerance,class,gauge\n"
                     "1,Hole,12,-0.1,0.1,CC,MIC-014\n2,Length,150,-0.5,0.5,,\n")
    assert run(root, "evidence", "import-characteristics", "JT-5801", str(chars)) == 0
    readings = tmp_path / "cmm.csv"
    readings.write_text("characteristic,value\n" + "".join(
        f"1,{12 + (i % 5 - 2) / 100:.2f}\n" for i in range(40)) + "2,150.7\n")
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    capsys.readouterr()
    assert run(root, "evidence", "record", "JT-5801", "--type", "dimensional", "--readings",
               str(readings), "--tested-on", "2026-11-20", "--attach", str(pdf)) == 0
    captured = capsys.readouterr()
    assert "MIC-014" in captured.err and "7.1.5.2.1" in captured.err
    assert run(root, "--json", "evidence", "show", "TR-MSR-2026-0001") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["verdict"] == "fail"
    hole = {r["number"]: r for r in shown["results"]}["1"]
    assert hole["verdict"] == "pass" and hole["gauge_overdue"] is True
    assert hole["capability"]["n"] == 40 and hole["capability"]["ppk"]
    assert all(r["verdict"] == "pass" for r in hole["readings"])
    assert shown["attachments"][0]["original_name"] == "rapport.pdf"
    assert len(shown["attachments"][0]["blob_sha256"]) == 64
    assert run(root, "--json", "evidence", "gauges") == 0
    assert json.loads(capsys.readouterr().out)[0]["overdue"] is True


def test_bad_input_exits_non_zero_with_one_sentence(root, tmp_path, capsys):
    exe = tmp_path / "cert.pdf"
    exe.write_bytes(b"MZ" + b"\x00" * 100)
    assert run(root, "evidence", "attach", "JT-5801", str(exe), "--kind", "material_cert_3.1") \
        == 2
    err = capsys.readouterr().err.strip()
    assert "not an allowed file type" in err and len(err.splitlines()) == 1
    assert run(root, "evidence", "add-gauge", "G-1", "--type", "Plug", "--calibrated",
               "2026-05-01", "--due", "2026-01-01") == 2
    assert "before the calibration date" in capsys.readouterr().err


def test_verify_reports_an_attached_file_altered_on_disk(root, tmp_path, capsys):
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 100)
    assert run(root, "--json", "evidence", "attach", "JT-5801", str(photo), "--kind",
               "photo") == 0
    sha = json.loads(capsys.readouterr().out)[0]["blob_sha256"]
    assert run(root, "verify") == 0
    blob = root / "blobs" / sha[:2] / sha
    blob.chmod(0o644)
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x02" * 100)
    capsys.readouterr()
    assert run(root, "verify") == 1
    assert f"file {sha[:12]}: bytes do not match the hash (altered)" in capsys.readouterr().err
    out = tmp_path / "out"
    assert run(root, "evidence", "files", "JT-5801") == 0
    attachment_id = capsys.readouterr().out.split()[0]
    assert run(root, "evidence", "save", attachment_id, "--out", str(out)) != 0
    assert "altered" in capsys.readouterr().err


def test_dry_run_then_a_correction_from_the_command_line(root, tmp_path, capsys):
    chars = tmp_path / "chars.csv"
    chars.write_text("number,description,lsl,usl\n1,Width,9.9,10.1\n")
    assert run(root, "evidence", "import-characteristics", "JT-5801", str(chars)) == 0
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("1\n10.0\n101\n")
    capsys.readouterr()
    assert run(root, "--json", "evidence", "record", "JT-5801", "--type", "dimensional",
               "--readings", str(wrong), "--dry-run") == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["results"] == [{"number": "1", "n": 2, "failing": 1, "verdict": "fail"}]
    assert run(root, "evidence", "reports", "JT-5801") == 0
    assert "No reports." in capsys.readouterr().out
    assert run(root, "evidence", "record", "JT-5801", "--type", "dimensional", "--readings",
               str(wrong)) == 0
    right = tmp_path / "right.csv"
    right.write_text("1\n10.0\n10.01\n")
    assert run(root, "evidence", "record", "JT-5801", "--type", "dimensional", "--readings",
               str(right), "--supersedes", "TR-MSR-2026-0001") == 2
    assert "needs a reason" in capsys.readouterr().err
    assert run(root, "evidence", "record", "JT-5801", "--type", "dimensional", "--readings",
               str(right), "--supersedes", "TR-MSR-2026-0001", "--reason", "101 for 10.1") == 0
    capsys.readouterr()
    assert run(root, "evidence", "reports", "JT-5801") == 0
    listing = capsys.readouterr().out
    assert "TR-MSR-2026-0002  dimensional  pass" in listing
    assert "TR-MSR-2026-0001  dimensional  fail" in listing and "(superseded)" in listing
