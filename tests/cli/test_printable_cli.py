"""Names from the data or from file names are printed with control and bidi characters escaped,
so that one cannot split a result line, recolour the terminal or reorder a line; --json is exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.cli.common import printable, printable_lines
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Role
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from tests.conftest import PASSWORD
from tests.services.evidence_fixtures import register_part

NAME = "rapport\n\x1b[31mrouge\u202e.pdf"
SHOWN = "rapport\\n\\x1b[31mrouge\\u202e.pdf"
DESIGNATION = "Traverse\tavant\r\n\u2066\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u2069 \u4e2d"
DESIGNATION_SHOWN = (
    "Traverse\\tavant\\r\\n\\u2066\u0627\u0644\u0639\u0631\u0628\u064a\u0629\\u2069 \u4e2d"
)
RAW = ("\n", "\r", "\t", "\x1b", "\u202e", "\u2066", "\u2069")


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
    eng = people.sign_in("eng", PASSWORD)
    register_part(ctx, eng, "JT-5801")
    PartService(ctx).register_part(eng, PartDraft(
        part_number="JT-5802", revision="A", designation=DESIGNATION, family="body_stamping"))
    ctx.close()
    return root


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(root), "--user", "eng", *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(text: str) -> str:
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert not any(c in text[:-1] for c in RAW), text
    return text[:-1]


def test_printable_escapes_controls_and_bidi_overrides_only() -> None:
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                 *range(0x2066, 0x206A), 0x2028, 0x2029):
        shown = printable(chr(code))
        assert shown.startswith("\\") and shown.isprintable(), hex(code)
    assert printable("a\nb\r\tc\x1b[0m\u202e") == "a\\nb\\r\\tc\\x1b[0m\\u202e"
    kept = "Pièce n° 12 — العربية 中文 C:\\Users\\ä"
    assert printable(kept) == kept
    assert printable_lines("one\ntwo\x1b[2J") == "one\ntwo\\x1b[2J"


def test_an_attached_file_name_is_printed_escaped_on_one_line(root, tmp_path, capsys) -> None:
    pdf = tmp_path / NAME
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, out, _ = run(capsys, root, "evidence", "attach", "JT-5801", str(pdf), "--kind",
                       "test_report")
    assert code == 0 and one_line(out).startswith(SHOWN + "  application/pdf")
    code, out, _ = run(capsys, root, "evidence", "files", "JT-5801")
    assert code == 0 and f" test_report        {SHOWN}  SHA-256 " in one_line(out)
    code, out, _ = run(capsys, root, "--json", "evidence", "files", "JT-5801")
    assert code == 0 and json.loads(out)[0]["original_name"] == NAME  # exact
    # The same file again: the refusal names both files, on one line of stderr.
    code, out, err = run(capsys, root, "evidence", "attach", "JT-5801", str(pdf), "--kind",
                         "test_report")
    assert (code, out) == (2, "") and one_line(err).count(SHOWN) == 2


def test_a_designation_is_printed_escaped_in_lists_and_details(root, capsys) -> None:
    code, out, _ = run(capsys, root, "parts", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and lines[-1] == "2 of 2 parts"
    assert DESIGNATION_SHOWN[:40] in lines[1] and not any(c in out for c in RAW[1:])
    code, out, _ = run(capsys, root, "parts", "show", "JT-5802")
    assert code == 0 and f"designation: {DESIGNATION_SHOWN}\n" in out
    code, out, _ = run(capsys, root, "--json", "parts", "show", "JT-5802")
    assert json.loads(out)["designation"] == DESIGNATION  # exact


def test_a_name_typed_in_a_command_is_escaped_in_the_refusal(root, capsys) -> None:
    code, out, err = run(capsys, root, "parts", "show", "JT\n\x1b[8m")
    assert (code, out) == (3, "") and "JT\\n\\x1b[8m" in one_line(err)


def test_verify_prints_a_stray_file_name_escaped(root, capsys) -> None:
    (root / "blobs" / "ab").mkdir(parents=True, exist_ok=True)
    (root / "blobs" / "ab" / "stray\n\x1b[31m").write_bytes(b"x")
    capsys.readouterr()
    assert main(["--data-dir", str(root), "verify"]) == 1
    err = capsys.readouterr().err
    assert "stray\\n\\x1b[31m" in err and "\x1b" not in err
    assert all(line.startswith(("file ", "database", "audit", "revision", "site key"))
               for line in err.splitlines()), err

