"""`partdesk certificate list|print|verify` through the real entry point."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.certification import Action
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, approved, make_part


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
    assert main(["--data-dir", folder, "certificate", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["number"] == number and row["status"] == "valid"
    out = tmp_path / "cert.pdf"
    assert main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(out), "--lang", "zh"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["--data-dir", folder, "certificate", "verify", str(out)]) == 0
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
    assert main(["--data-dir", folder, "certificate", "verify", str(out)]) == 15
    assert "NOT genuine" in capsys.readouterr().out


def test_printing_a_revoked_certificate_is_refused(issued, actors, tmp_path, capsys):
    svc, sid, number, folder = issued
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="Fraud")
    code = main(["--data-dir", folder, "--user", "insp", "certificate", "print", number,
                 "--out", str(tmp_path / "x.pdf")])
    assert code == 2
    assert "is revoked" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(["--data-dir", folder, "certificate", "verify", "--payload",
                 svc.certificates.certificate(None, number).payload]) == 13
    assert "genuine but REVOKED in this register" in capsys.readouterr().out
