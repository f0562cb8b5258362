"""Parts sheets laid out as people make them, written in the test (openpyxl, a hand-made ODF zip,
plain CSV): a cover sheet first, then the parts sheet with a merged title row, a row holding the
logo, a blank row, and only then the header and the parts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.drawing.image import Image

TITLE = "Liste des pièces — programme d'intégration"
COVER = "Programme d'intégration — Couverture"
COVER_LINES = [[COVER], [], ["Fournisseur : Massar Composants Automobiles"],
               ["Modèle : Jetour X70 Plus"], ["Édition du 2 décembre 2026"], [],
               ["Document interne — ne pas diffuser"]]
COMPANY = "Massar Composants Automobiles — Rouiba"
FRENCH_HEADER = ["Référence", "Indice", "Désignation", "Fournisseur", "Masse (kg)", "Famille"]
HEADER_ROW = 4  # title, logo, blank, header


def parts(count: int = 20) -> list[list[object]]:
    return [[f"JX7-{2800 + i}", "A", f"Support de pare-chocs {i}", "SNS", round(0.25 + i / 10, 2),
             "Emboutissage"] for i in range(count)]


def _logo() -> Image:
    from PIL import Image as Picture

    data = io.BytesIO()
    Picture.new("RGB", (120, 40), (0, 70, 140)).save(data, format="PNG")
    data.seek(0)
    return Image(data)


def parts_workbook(path: Path, header: list[str] | None = None, count: int = 20,
                   sheet_name: str = "Pièces") -> Path:
    """Sheet 1 a cover page; sheet 2 the parts, with a title merged over A1:F1, the logo (an
    image) and the company's name in row 2, row 3 blank, the header in row 4."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Couverture"
    for line in COVER_LINES:
        cover.append(line)
    cover.merge_cells("A1:F1")
    sheet = workbook.create_sheet(sheet_name)
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:F1")
    sheet.add_image(_logo(), "A2")
    sheet["D2"] = COMPANY  # row 3 stays blank
    for column, name in enumerate(header or FRENCH_HEADER, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=name)
    for offset, row in enumerate(parts(count), start=HEADER_ROW + 1):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=offset, column=column, value=value)
    workbook.save(path)
    return path


def parts_csv(path: Path, count: int = 20) -> Path:
    """A CSV saved by French Excel from such a sheet: the title and the company's name above
    the header, as Excel writes merged title cells (separators after the text), a blank line."""
    lines = [TITLE + ";;;;;", ";;;" + COMPANY + ";;", ";;;;;", ";".join(FRENCH_HEADER)]
    lines += [";".join(str(v).replace(".", ",") if isinstance(v, float) else str(v)
                       for v in row) for row in parts(count)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods_cell(value: object, span: int = 1) -> str:
    spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, float | int):
        return (f'<table:table-cell office:value-type="float" office:value="{value}"{spanned}>'
                f"<text:p>{value}</text:p></table:table-cell>")
    cell = (f'<table:table-cell office:value-type="string"{spanned}><text:p>'
            f"{escape(str(value))}</text:p></table:table-cell>")
    return cell + "<table:covered-table-cell/>" * (span - 1)


def _ods_row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def parts_ods(path: Path, count: int = 20) -> Path:
    """The same workbook as LibreOffice saves it: a cover sheet, then the parts sheet whose
    title spans A1:F1 (merged), the company's name in row 2, row 3 blank, the header in row 4."""
    cover = "".join(_ods_row([_ods_cell(v) for v in line] or ["<table:table-cell/>"])
                    for line in COVER_LINES)
    body = [_ods_row([_ods_cell(TITLE, span=6)]),
            _ods_row([_ods_cell(None)] * 3 + [_ods_cell(COMPANY)]),
            _ods_row(["<table:table-cell/>"]),
            _ods_row([_ods_cell(v) for v in FRENCH_HEADER])]
    body += [_ods_row([_ods_cell(v) for v in row]) for row in parts(count)]
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="Couverture">{cover}</table:table>'
               f'<table:table table:name="Pièces">{"".join(body)}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
