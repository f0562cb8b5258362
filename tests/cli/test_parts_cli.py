"""`partdesk parts|suppliers|models ...` run in-process against a real data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.cli import main
from desktop_app.services.context import ServiceContext
from tests.conftest import PASSWORD


@pytest.fixture
def run(ctx: ServiceContext, actors, monkeypatch, capsys):
    data_dir = str(ctx.folder.root)
    ctx.close()
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)

    def invoke(*argv: str, user: str = "eng") -> tuple[int, str, str]:
        code = main(["--data-dir", data_dir, "--user", user, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def sheet(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_import_dry_run_then_real_then_list_search_and_export(run, tmp_path) -> None:
    assert run("models", "add", "X70", "--carmaker", "Jetour", "--model", "X70 Plus",
               "--approval-date", "2023-05-26")[0] == 0
    path = sheet(tmp_path / "parts.xlsx", [
        ["Référence", "Indice", "Désignation", "Fournisseur", "Matière", "Masse (kg)", "Modèle"],
        ["JT-5801", "A", "Traverse avant", "SNS Rouiba", "DC04", 2.35, "X70"],
        ["JT-1102", "B", "@SUM(A1)", "SNS Rouiba", "10B21", 0.012, ""],
    ])
    code, out, _ = run("parts", "import", str(path), "--dry-run", "--json")
    assert code == 0
    preview = json.loads(out)
    assert preview["counts"]["new"] == 2 and preview["new_suppliers"] == ["SNS Rouiba"]
    code, out, _ = run("parts", "list", "--json")
    assert json.loads(out)["total"] == 0  # the dry run wrote nothing

    code, out, err = run("parts", "import", str(path), "--strict")
    assert code == 2 and "SNS Rouiba" in out and "Nothing was imported" in out
    code, out, _ = run("parts", "import", str(path))
    assert code == 0 and "2 new" in out
    code, out, _ = run("parts", "import", str(path), "--json")
    assert json.loads(out)["counts"]["unchanged"] == 2

    code, out, _ = run("parts", "list", "--search", "trav", "--json")
    rows = json.loads(out)["parts"]
    assert [r["part_number"] for r in rows] == ["JT-5801"]
    code, out, _ = run("parts", "list", "--model", "X70")
    assert "JT-5801" in out and "JT-1102" not in out and "1 of 1 part" in out

    out_file = tmp_path / "export.xlsx"
    code, out, _ = run("parts", "export", "--out", str(out_file))
    assert code == 0
    values = [[c.value for c in row] for row in load_workbook(out_file).active.iter_rows()]
    assert values[0][0] == "Part number"
    assert values[1][2] == "@SUM(A1)"  # as recorded: a text cell Excel never runs
    assert values[2][6] == 2.35

    # French messages: a CSV that French Excel opens in columns; it re-imports unchanged.
    csv_file = tmp_path / "export.csv"
    assert run("--lang", "fr", "parts", "export", "--out", str(csv_file))[0] == 0
    lines = csv_file.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Référence pièce;Indice;Désignation;")
    assert "'@SUM(A1);" in lines[1] and ";0,012;" in lines[1]
    code, out, _ = run("parts", "import", str(csv_file), "--json")
    assert code == 0 and json.loads(out)["counts"]["unchanged"] == 2
    # The option wins over the language.
    assert run("--lang", "fr", "parts", "export", "--out", str(csv_file), "--csv", "comma")[0] == 0
    lines = csv_file.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Référence pièce,Indice,") and ",0.012," in lines[1]
    assert run("parts", "export", "--out", str(csv_file), "--csv", "semicolon")[0] == 0
    assert csv_file.read_bytes().decode("utf-8-sig").startswith("Part number;Revision;")


def test_bad_file_gets_one_sentence_and_an_exit_status(run, tmp_path) -> None:
    fake = tmp_path / "parts.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    code, _out, err = run("parts", "import", str(fake))
    assert code == 2
    assert err.strip().count("\n") == 0 and "not an Excel workbook" in err


def test_inspector_cannot_import_and_suppliers_commands(run, tmp_path) -> None:
    path = sheet(tmp_path / "p.xlsx", [["Part number", "Rev", "Name"], ["P-1", "A", "Clip"]])
    code, _out, err = run("parts", "import", str(path), user="insp")
    assert code == 4 and "not allowed to edit parts" in err
    assert run("suppliers", "add", "Massar Verre", "--code", "MVR",
               "--iatf16949-expiry", "2027-12-31")[0] == 0
    code, out, _ = run("suppliers", "list", "--json")
    assert json.loads(out)[0]["iatf16949_expiry"] == "2027-12-31"
    code, out, _ = run("parts", "import", str(path), "--map", "designation=C")
    assert code == 0
    code, out, _ = run("parts", "show", "P-1", "--json")
    assert json.loads(out)["designation"] == "Clip"
