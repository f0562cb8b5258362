"""`partdesk certificate list|print|verify` through the real entry point."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.documents.local_format import day as local_day
from desktop_app.domain.certification import Action
from desktop_app.services.sync_keys import SiteKeyService
from tests.conftest import PASSWORD
from tests.documents.test_certificate_pdf import text_of
from tests.services.certification_fixtures import Services, approved, make_part
from tests.sync.sites import make_site


@pytest.fixture
def issued(ctx, actors, monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    svc = Services(ctx)
    part = make_part(svc, actors)
    sid = approved(svc, actors, part, PASSWORD)
    number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    return svc, sid, number, str(ctx.folder.root)


def test_list_print_and_verify(issued, tmp_path, capsys):
    _, _, number, folder = issued
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["number"] == number and row["status"] == "valid"
    out = tmp_path / "cert.pdf"
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(out), "--lang", "zh"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "verify", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"Certificate {number} is genuine" in text and "JT-5401-220" in text


def test_verify_an_altered_file_fails_with_a_sentence(issued, tmp_path, capsys):
    _, _, number, folder = issued
    out = tmp_path / "cert.pdf"
    main(["--data-dir", folder, "--user", "insp", "certificate", "print", number, "--out",
          str(out)])
    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x20
    out.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "verify", str(out)]) == 15
    assert "NOT genuine" in capsys.readouterr().out


def test_a_file_printed_while_approved_verifies_as_suspended_later(issued, actors, tmp_path,
                                                                   capsys):
    svc, sid, number, folder = issued
    out = tmp_path / "approved.pdf"
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(out), "--lang", "en"]) == 0
    svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD,
                         reason="Customer complaint 8D-114")
    day = svc.ctx.clock()[:10]
    capsys.readouterr()
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "verify", str(out),
                 "--json"]) == 12
    data = json.loads(capsys.readouterr().out)
    assert (data["answer"], data["state"], data["since"], data["state_reason"]) == (
        "suspended", "suspended", day, "Customer complaint 8D-114")
    assert f"SUSPENDED in this register since {day}: Customer complaint 8D-114." \
        in data["message"]
    # Printed now, the same certificate says so; revoked, it still prints, as revoked.
    again = tmp_path / "suspended.pdf"
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(again), "--lang", "en"]) == 0
    printed = text_of(again.read_bytes())
    assert f"SUSPENDED — since {local_day(day, 'en')}" in printed
    assert "Customer complaint 8D-114" in printed
    assert "Approved" not in printed and "open-ended" not in printed
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="Fraud")
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(tmp_path / "x.pdf"), "--lang", "en"]) == 0
    assert "REVOKED — since" in text_of((tmp_path / "x.pdf").read_bytes())
    capsys.readouterr()
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "verify", "--payload",
                 svc.certificates.certificate(None, number).payload]) == 13
    assert "genuine but REVOKED in this register since" in capsys.readouterr().out


def verify_json(folder: str, payload: str, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--data-dir", folder, "--user", "admin", "certificate", "verify", "--payload",
                 payload, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_each_answer_has_its_code_word_and_exit_status(issued, actors, ctx, tmp_path, capsys):
    svc, sid, number, folder = issued
    payload = svc.certificates.certificate(None, number).payload
    code, data = verify_json(folder, payload, capsys)
    assert (code, data["answer"], data["state"], data["exit_status"]) == (0, "genuine", "valid", 0)
    assert data["message"].startswith(f"Certificate {number} is genuine")
    code, data = verify_json(folder, payload.replace("|P3|", "|P4|"), capsys)
    assert (code, data["answer"], data["reason"]) == (15, "not_genuine", "bad_signature")
    assert verify_json(folder, "PDC1|nothing", capsys)[:1] == (16,)
    # Another data folder: signed by a site not enrolled there, then enrolled (no package).
    other = make_site(tmp_path / "other", "BBB")
    other_folder = str(other.ctx.folder.root)
    code, data = verify_json(other_folder, payload, capsys)
    assert (code, data["answer"], data["site_code"]) == (14, "site_not_enrolled", "TST")
    key = SiteKeyService(ctx).write_key_file(tmp_path / "tst.partdesk-key")
    other.keys.enrol(other.admin, key.path, key.fingerprint)
    other.ctx.close()
    code, data = verify_json(other_folder, payload, capsys)
    assert (code, data["answer"], data["state"]) == (10, "genuine_unregistered", "")
    # Back in the register: edited since approval, suspended, revoked.
    svc.cert.update_submission(actors["eng"], sid, psw={"purchase_order": "PO-88"})
    code, data = verify_json(folder, payload, capsys)
    assert (code, data["answer"], data["state"]) == (18, "needs_reapproval", "needs_reapproval")
    svc.decisions.decide(actors["appr2"], sid, Action.APPROVE, PASSWORD)
    renewed_number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    renewed = svc.certificates.certificate(None, renewed_number).payload
    code, data = verify_json(folder, payload, capsys)
    assert (code, data["answer"], data["replaced_by"]) == (11, "superseded", renewed_number)
    svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD, reason="8D-114")
    code, data = verify_json(folder, renewed, capsys)
    assert (code, data["answer"], data["state"]) == (12, "suspended", "suspended")
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="IATF lost")
    code, data = verify_json(folder, renewed, capsys)
    assert (code, data["answer"], data["state_reason"]) == (13, "revoked", "IATF lost")
