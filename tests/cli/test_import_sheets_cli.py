"""`partdesk parts import` (and the other sheet imports) on sheets as people have them: a cover
sheet, a merged title, a logo row and a blank row above the header; `--sheet` and
`--header-row`; run in-process against a real data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.services.context import ServiceContext
from tests.cli.test_evidence_cli import root  # noqa: F401 - a fixture
from tests.cli.test_roadmap_cli import folder  # noqa: F401 - a fixture
from tests.conftest import PASSWORD
from tests.files.sheets_as_people_have_them import HEADER_ROW, parts_csv, parts_workbook


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


def test_parts_import_finds_the_parts_sheet_and_its_header(run, tmp_path: Path) -> None:
    path = parts_workbook(tmp_path / "programme.xlsx")
    code, out, _ = run("parts", "import", str(path), "--dry-run", "--json")
    assert code == 0
    preview = json.loads(out)
    assert (preview["sheet"], preview["header_row"]) == ("Pièces", HEADER_ROW)
    assert preview["counts"]["new"] == 20 and preview["rows"][0]["row"] == HEADER_ROW + 1
    code, out, err = run("parts", "import", str(path))
    assert code == 0, err
    assert "Sheet Pièces (of Couverture, Pièces), header row 4" in out
    assert "Imported: 20 new" in out
    code, out, _ = run("parts", "list", "--json")
    assert json.loads(out)["total"] == 20


def test_sheet_and_header_row_given_on_the_command_line(run, tmp_path: Path) -> None:
    path = parts_workbook(tmp_path / "programme.xlsx")
    code, out, err = run("parts", "import", str(path), "--sheet", "1", "--dry-run")
    assert code == 2
    assert "No row at the top of sheet Couverture of programme.xlsx names the columns" in err
    code, out, err = run("parts", "import", str(path), "--sheet", "Pièces", "--header-row", "2",
                         "--dry-run")
    assert code == 2 and err.strip() == ("Column A of the header row (row 2) of programme.xlsx "
                                         "has no name; give every column a name.")
    code, out, err = run("parts", "import", str(path), "--sheet", "pièces", "--header-row",
                         str(HEADER_ROW))
    assert code == 0 and "Imported: 20 new" in out, err
    with pytest.raises(SystemExit):
        run("parts", "import", str(path), "--header-row", "0")


def test_a_csv_with_title_lines_imports_from_the_command_line(run, tmp_path: Path) -> None:
    path = parts_csv(tmp_path / "programme.csv")
    code, out, err = run("parts", "import", str(path))
    assert code == 0, err
    assert "Header row 4" in out and "Imported: 20 new" in out


def test_a_reference_list_below_a_title_on_its_second_sheet(folder, tmp_path: Path,  # noqa: F811
                                                            capsys) -> None:
    from openpyxl import Workbook

    from tests.services.roadmap_fixtures import STANDARD_LIST

    data_dir, _programme = folder
    workbook = Workbook()
    workbook.active.title = "Sommaire"
    workbook.active.append(["Liste de référence Jetour X70 — édition 3"])
    sheet = workbook.create_sheet("Liste")
    sheet.append(["Taux d'intégration — liste de référence"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["Code ensemble", "Désignation", "Type", "Taux contributif"])
    for row in STANDARD_LIST:
        sheet.append(row)
    path = tmp_path / "liste.xlsx"
    workbook.save(path)

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "--user", "eng", *args])

    assert run("roadmap", "import-list", "X70", str(path), "--sheet", "Sommaire",
               "--dry-run") == 2
    assert "No row at the top of sheet Sommaire of liste.xlsx" in capsys.readouterr().err
    assert run("roadmap", "import-list", "X70", str(path), "--dry-run") == 0
    assert "5 sets, 5 added" in capsys.readouterr().out
    assert run("roadmap", "import-list", "X70", str(path), "--sheet", "2",
               "--header-row", "3") == 0
    assert "5 sets, 5 added" in capsys.readouterr().out


def test_characteristics_and_readings_below_titles_with_sheet_options(
        root: Path, tmp_path: Path, capsys) -> None:  # noqa: F811
    from openpyxl import Workbook

    def run(*args: str) -> int:
        return main(["--data-dir", str(root), "--user", "eng", *args])

    workbook = Workbook()
    workbook.active.title = "Garde"
    workbook.active.append(["Plan JT-5801 indice A — cotes à contrôler"])
    sheet = workbook.create_sheet("Cotes")
    sheet.append(["Relevé dimensionnel — pièce JT-5801"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["Repère", "Désignation", "Cote nominale", "Tol inf", "Tol sup"])
    sheet.append(["1", "Diamètre trou", 12, -0.1, 0.1])
    sheet.append(["2", "Longueur", 150, -0.5, 0.5])
    chars = tmp_path / "cotes.xlsx"
    workbook.save(chars)
    assert run("evidence", "import-characteristics", "JT-5801", str(chars), "--dry-run") == 0
    assert "Would add 2 characteristics." in capsys.readouterr().out
    assert run("evidence", "import-characteristics", "JT-5801", str(chars), "--sheet",
               "Garde") == 2
    assert "No row at the top of sheet Garde of cotes.xlsx" in capsys.readouterr().err
    assert run("evidence", "import-characteristics", "JT-5801", str(chars), "--sheet", "2",
               "--header-row", "3") == 0
    assert "Added 2 characteristics." in capsys.readouterr().out

    # Readings, one column per characteristic, below a title and the lab's name.
    readings = tmp_path / "labo.csv"
    readings.write_text("Laboratoire Massar — relevés\n\nÉchantillon;1;2\n" + "".join(
        f"{i};12.0{i % 5};150.{i % 3}\n" for i in range(1, 11)), encoding="utf-8")
    assert run("--json", "evidence", "record", "JT-5801", "--type", "dimensional",
               "--readings", str(readings), "--dry-run") == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["n"]) for r in shown["results"]] == [("1", 10), ("2", 10)]
    assert run("evidence", "record", "JT-5801", "--type", "dimensional", "--readings",
               str(readings), "--header-row", "1", "--dry-run") == 2
    assert "No column is a characteristic of this part" in capsys.readouterr().err
