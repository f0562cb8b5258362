"""`partdesk certificate list|print|verify` through the real entry point."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.certification import Action
from desktop_app.services.sync_keys import SiteKeyService
from tests.conftest import PASSWORD
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


def test_printing_a_revoked_certificate_is_refused(issued, actors, tmp_path, capsys):
    svc, sid, number, folder = issued
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="Fraud")
    code = main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(tmp_path / "x.pdf")])
    assert code == 2
    assert "is revoked" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "verify", "--payload",
                 svc.certificates.certificate(None, number).payload]) == 13
    assert "genuine but REVOKED in this register" in capsys.readouterr().out


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
    assert (code, data["answer"], data["state"]) == (11, "not_current", "needs_reapproval")
    svc.decisions.decide(actors["appr2"], sid, Action.APPROVE, PASSWORD)
    renewed = svc.certificates.certificate(None, svc.cert.submission(
        actors["appr"], sid).decisions[-1].certificate_number).payload
    svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD, reason="8D-114")
    code, data = verify_json(folder, renewed, capsys)
    assert (code, data["answer"], data["state"]) == (12, "suspended", "suspended")
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="IATF lost")
    assert verify_json(folder, renewed, capsys)[1]["answer"] == "revoked"
