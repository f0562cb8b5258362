"""The evidence import dialog on a lab's workbook as people have it (issue 14): a cover sheet,
readings below a title; it shows the sheet and the header row it took, and the person changes
them, the preview following."""

from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtCore import Qt

from tests.ui.test_evidence_ui import part, session  # noqa: F401 - fixtures


def lab_workbook(path):
    workbook = Workbook()
    workbook.active.title = "Garde"
    workbook.active.append(["Rapport d'essai — laboratoire Massar"])
    workbook.active.append(["Échantillons reçus le 20 novembre 2026"])
    sheet = workbook.create_sheet("Relevés")
    sheet.append(["Relevés dimensionnels JT-5801"])
    sheet.merge_cells("A1:C1")
    sheet.append([])
    sheet.append(["Échantillon", "1", "2"])  # one column per characteristic
    for i in range(1, 6):
        sheet.append([i, 12.0 + i / 100, 150.1])
    workbook.save(path)
    return path


def test_the_person_changes_the_sheet_and_header_row_of_readings(part, session, qtbot,  # noqa: F811
                                                                 tmp_path) -> None:
    from desktop_app.ui.dialogs.evidence_import_dialog import EvidenceImportDialog

    dialog = EvidenceImportDialog(session, part["part_id"], "measurements")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sheet_combo.isVisible()
    dialog.load(lab_workbook(tmp_path / "labo.xlsx"))
    qtbot.waitUntil(lambda: dialog.preview is not None)
    combo, spin = dialog.sheet_combo, dialog.header_spin
    assert combo.isVisible() and combo.currentText() == "Relevés" and spin.value() == 3
    assert [combo.itemText(i) for i in range(combo.count())] == ["Garde", "Relevés"]
    assert dialog.preview.shape == "wide" and dialog.preview.reading_count == 10

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # the cover sheet: no header there
    qtbot.waitUntil(lambda: "No row at the top of sheet Garde" in dialog.message.text())
    assert dialog.table is None and combo.currentText() == "Garde"

    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.table is not None and combo.currentText() == "Relevés")
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.reading_count == 10)

    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "4")  # the first sample as header: its numbers are data
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Row 4 of labo.xlsx holds data" in dialog.message.text())
    spin.selectAll()
    qtbot.keyClicks(spin, "3")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table is not None and dialog.message.text() == "")
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.reading_count == 10)
    assert dialog.apply_button.isEnabled()
