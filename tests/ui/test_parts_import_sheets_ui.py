"""The parts import dialog on a workbook as people have it (issue 14): it shows the sheet it read
and the row it took as header; the person changes the sheet and the header row, and the preview
follows, read again in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox

from desktop_app.domain.parts import SupplierDraft
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.suppliers import SupplierService
from desktop_app.ui.dialogs.parts_import_dialog import MAPPING, ROWS, PartsImportDialog
from tests.files.sheets_as_people_have_them import COMPANY, TITLE, parts_workbook

DONE = 3


def type_row(qtbot, spin: QAbstractSpinBox, number: int) -> None:
    """What a person does: select the number, type another, press Enter."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(number))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def double_click(qtbot, widget, pos) -> None:
    """A press and release, then the double click (an item view acts on a pressed item)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_the_person_changes_the_sheet_and_the_header_row_and_the_preview_follows(
        ctx, actors, ui_session, qtbot, tmp_path) -> None:
    SupplierService(ctx).add_supplier(actors["eng"], SupplierDraft(name="SNS Rouiba", code="SNS"))
    session = ui_session("eng")
    dialog = PartsImportDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(parts_workbook(tmp_path / "programme.xlsx")))
    assert not dialog.sheet_bar.isVisible()  # nothing read yet
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == MAPPING
                    and dialog.preview is not None)

    # Read from the second sheet, its header in row 4, past the title, the logo, a blank row.
    combo, spin = dialog.sheet_combo, dialog.header_spin
    assert dialog.sheet_bar.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == ["Couverture", "Pièces"]
    assert combo.currentText() == "Pièces" and spin.value() == 4
    assert dialog.header_note.text() == "Found by its column names"
    rows = dialog.sheet_rows
    assert [rows.verticalHeaderItem(r).text() for r in range(4)] == ["1", "2", "4", "5"]
    assert rows.item(0, 0).text() == TITLE and rows.item(1, 3).text() == COMPANY
    assert rows.item(2, 0).text() == "Référence" and rows.item(2, 0).font().bold()
    assert not rows.item(3, 0).font().bold()
    assert dialog.mapping_combo("part_number").currentIndex() == 1  # column A
    assert dialog.mapping_combo("mass_kg").currentIndex() == 5

    # The cover sheet: nothing there names the columns; the dialog says so and lets choose.
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: "No row at the top of sheet Couverture" in dialog.message.text())
    assert dialog.preview is None and dialog.header_note.text() == "No header row found"
    assert dialog.sheet_rows.item(0, 0).text() == "Programme d'intégration — Couverture"
    assert dialog.steps.currentIndex() == MAPPING

    # Back to the parts sheet: found again.
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.preview is not None and combo.currentText() == "Pièces")
    assert spin.value() == 4 and dialog.message.text() == ""

    # The person takes row 2 (the logo's row): it does not name every column.
    type_row(qtbot, spin, 2)
    qtbot.waitUntil(lambda: "header row (row 2)" in dialog.message.text())
    assert dialog.preview is None
    assert dialog.steps.currentIndex() == MAPPING  # Enter took the number, pressed no button

    # Then row 4 by hand: the preview follows, every part new.
    type_row(qtbot, spin, 4)
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.header_note.text() == "Chosen by hand"
    assert dialog.preview.layout.header_row == 4 and not dialog.preview.layout.detected
    assert dialog.mapping_combo("designation").currentIndex() == 3
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == ROWS)
    assert [r.number for r in dialog.rows_model.rows][:3] == [5, 6, 7]
    assert "20 new" in dialog.counts_label.text()

    # Back on the mapping, a double-click on a row of the sheet takes it as the header.
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    rows = dialog.sheet_rows
    first_part = rows.visualItemRect(rows.item(3, 0)).center()  # sheet row 5
    double_click(qtbot, rows.viewport(), first_part)
    qtbot.waitUntil(lambda: "Row 5 of programme.xlsx holds data" in dialog.message.text())
    assert spin.value() == 5 and dialog.preview is None
    header = rows.visualItemRect(rows.item(2, 0)).center()  # sheet row 4
    double_click(qtbot, rows.viewport(), header)
    qtbot.waitUntil(lambda: dialog.preview is not None)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == ROWS)
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == DONE, timeout=10000)
    assert PartService(ctx).page(PartQuery()).total == 20
