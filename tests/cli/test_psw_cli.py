"""`partdesk psw show|print` on the demo data: signed in like every data command, one sentence
when something is wrong."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from desktop_app.cli import main
from tests.documents.psw_fixtures import DEMO_PASSWORD, demo_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return str(demo_folder(tmp_path_factory))


@pytest.fixture
def run(folder, monkeypatch, capsys):
    monkeypatch.setenv("PARTDESK_PASSWORD", DEMO_PASSWORD)

    def invoke(*argv: str, user: str = "n.mansouri") -> tuple[int, str, str]:
        code = main(["--data-dir", folder, "--user", user, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def test_print_in_french_and_in_arabic(run, tmp_path) -> None:
    code, out, err = run("psw", "show", "SUB-MSR-2026-0001", "--json")
    assert code == 0, err
    shown = json.loads(out)
    number = shown["Part information"]["Customer part number"]
    assert shown["Submission results"]["These results meet all design record requirements"] \
        in ("yes", "no")
    pdf = tmp_path / "psw-fr.pdf"
    code, out, err = run("psw", "print", "sub-msr-2026-0001", "--lang", "fr", "--out", str(pdf))
    assert code == 0, err
    assert "psw-fr.pdf" in out
    reader = PdfReader(pdf)
    assert reader.metadata.title == "Certificat de soumission de pièce (PSW) — SUB-MSR-2026-0001"
    text = reader.pages[0].extract_text()
    assert number in text and "INFORMATIONS SUR LA PIÈCE" in text
    # Without --lang the warrant follows the language of messages.
    pdf = tmp_path / "psw-ar.pdf"
    code, out, err = run("--lang", "ar", "psw", "print", "SUB-MSR-2026-0001", "--out", str(pdf),
                         "--json")
    assert code == 0, err
    assert json.loads(out)["language"] == "ar"
    assert PdfReader(pdf).metadata.title.startswith("شهادة تقديم القطعة")


def test_unknown_submission_and_wrong_password_get_one_sentence(run, tmp_path,
                                                                monkeypatch) -> None:
    pdf = tmp_path / "none.pdf"
    code, _out, err = run("psw", "print", "SUB-MSR-2026-9999", "--out", str(pdf))
    assert code == 3 and err.strip() == "Submission SUB-MSR-2026-9999 does not exist."
    assert not pdf.exists()
    monkeypatch.setenv("PARTDESK_PASSWORD", "not-the-password-1")
    code, _out, err = run("psw", "print", "SUB-MSR-2026-0001", "--out", str(pdf))
    assert code != 0 and err.strip().count("\n") == 0 and "password" in err
    assert not pdf.exists()
    code, _out, err = run("psw", "show", "SUB-MSR-2026-0001")
    assert code != 0 and not _out
