"""The parts page as a person uses it: search, sort, filter, edit in the dialog, import a sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt

from desktop_app.domain.parts import PartDraft, PartStatus, SupplierDraft, VehicleModelDraft
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService
from desktop_app.services.suppliers import SupplierService, VehicleModelService
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.dialogs.part_dialog import PartDialog
from desktop_app.ui.dialogs.parts_import_dialog import PartsImportDialog
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.pages.parts_page import PartsPage
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner


@pytest.fixture
def registry(ctx, actors, tmp_path):
    eng = actors["eng"]
    sns = SupplierService(ctx).add_supplier(eng, SupplierDraft(name="SNS Rouiba", code="SNS"))
    x70 = VehicleModelService(ctx).add_model(eng, VehicleModelDraft(
        code="X70", carmaker="Jetour", model="X70 Plus"))
    sheet = tmp_path / "setup.csv"
    sheet.write_text("Part number,Revision,Designation,Family,Mass (kg),Supplier\n" + "".join(
        f"JT-{1000 + i},A,Support {i},{'body_stamping' if i % 2 else 'fastener'},{i},"
        f"{'SNS' if i % 5 == 0 else ''}\n" for i in range(250)), encoding="utf-8")
    PartsImportService(ctx).apply(eng, sheet)  # one transaction: fast to set up
    parts = PartService(ctx)
    parts.register_part(eng, PartDraft(part_number="JX7-5301010", revision="A",
                                       designation="Traverse avant", family="body_stamping",
                                       vehicle_model_ids=(x70.model_id,), material="HC340LA"))
    return {"sns": sns.supplier_id, "x70": x70.model_id}


def make_page(ctx, actor, qtbot, tmp_path):
    events = AppEvents()
    tasks = TaskRunner(events)
    session = UiSession(ctx=ctx, actor=actor, tasks=tasks, events=events,
                        settings=Settings(tmp_path / "settings.ini"))
    page = PartsPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitUntil(lambda: page.model.total > 0 and not page.model.loading)
    return page, tasks


@pytest.fixture
def page(ctx, actors, registry, qtbot, tmp_path):
    page, tasks = make_page(ctx, actors["eng"], qtbot, tmp_path)
    yield page
    tasks.shutdown()


def shown_numbers(page: PartsPage) -> list[str]:
    return [r.part_number for r in page.model.loaded_rows()]


def test_table_pages_from_the_database_and_shows_the_total(page, qtbot) -> None:
    assert page.model.total == 251
    assert "251 parts" in page.total_label.text()
    assert len(page.model.loaded_rows()) <= page.model.page_size  # only what is needed
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.row_object(250) is not None)
    assert page.model.row_object(250).part_number == "JX7-5301010"


def test_typing_in_the_search_box_filters_the_table(page, qtbot) -> None:
    qtbot.keyClicks(page.search_edit, "trav av")
    qtbot.waitUntil(lambda: page.model.total == 1 and not page.model.loading)
    assert shown_numbers(page) == ["JX7-5301010"]
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "rouiba")  # the supplier's name
    qtbot.waitUntil(lambda: page.model.total == 50 and not page.model.loading)


def test_filters_and_sorting_by_header(page, qtbot, registry) -> None:
    qtbot.waitUntil(lambda: page.model_filter.count() == 2)
    page.model_filter.setCurrentIndex(page.model_filter.findData(registry["x70"]))
    qtbot.waitUntil(lambda: page.model.total == 1 and not page.model.loading)
    page.model_filter.setCurrentIndex(0)
    page.family_filter.setCurrentIndex(page.family_filter.findData("fastener"))
    qtbot.waitUntil(lambda: page.model.total == 125 and not page.model.loading)
    page.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)  # mass
    qtbot.waitUntil(lambda: page.model.sort_key == "mass" and not page.model.loading
                    and shown_numbers(page)[:1] == ["JT-1248"])


def test_edit_a_part_in_the_dialog_with_validation_as_you_type(page, qtbot, ctx) -> None:
    target = PartService(ctx).find("JX7-5301010")
    page.open_part(target.part_id)
    qtbot.waitUntil(lambda: isinstance(page.dialog, PartDialog) and page.dialog.isVisible())
    dialog = page.dialog
    assert [dialog.tabs.tabText(i) for i in range(3)] == ["Details", "Designations", "History"]
    qtbot.waitUntil(lambda: dialog.history.tree.topLevelItemCount() == 1)
    dialog.mass_edit.clear()
    qtbot.keyClicks(dialog.mass_edit, "2,x")
    assert not dialog.save_button.isEnabled()
    assert "is not a number" in dialog.message.text()
    dialog.mass_edit.clear()
    qtbot.keyClicks(dialog.mass_edit, "2,35")
    assert dialog.save_button.isEnabled() and dialog.message.text() == ""
    dialog.designation_edit.clear()
    assert "designation is empty" in dialog.message.text()
    qtbot.keyClicks(dialog.designation_edit, "Traverse avant renforcee")
    dialog.designation_edits["zh"].insert("前横梁")  # QTest types ASCII only
    with qtbot.waitSignal(dialog.part_saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = PartService(ctx).part(target.part_id)
    assert saved.draft.mass_kg == "2.35"
    assert saved.draft.designations == {"zh": "前横梁"}
    qtbot.waitUntil(lambda: not page.model.loading)
    page.search_edit.setText("前横")
    page._on_search_timer_timeout()
    qtbot.waitUntil(lambda: page.model.total == 1 and not page.model.loading)


def test_a_released_part_is_locked_in_the_dialog(page, qtbot, ctx, actors) -> None:
    part = PartService(ctx).find("JT-1000")
    PartService(ctx).change_status(actors["eng"], part.part_id, PartStatus.RELEASED)
    page.open_part(part.part_id)
    qtbot.waitUntil(lambda: isinstance(page.dialog, PartDialog) and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog.designation_edit.isReadOnly() and not dialog.save_button.isVisible()
    assert "locked" in dialog.message.text()
    qtbot.mouseClick(dialog.new_revision_button, Qt.MouseButton.LeftButton)
    assert not dialog.designation_edit.isReadOnly() and dialog.number_edit.isReadOnly()
    assert not dialog.save_button.isEnabled()  # no revision typed yet
    qtbot.keyClicks(dialog.revision_edit, "B")
    with qtbot.waitSignal(dialog.part_saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    new = PartService(ctx).find("JT-1000", "B")
    assert new.draft.replaces == part.part_id


def test_an_inspector_sees_but_cannot_edit(ctx, actors, registry, qtbot, tmp_path) -> None:
    page, tasks = make_page(ctx, actors["insp"], qtbot, tmp_path)
    try:
        assert not page.new_button.isEnabled() and not page.import_button.isEnabled()
    finally:
        tasks.shutdown()


def write_sheet(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Référence", "Indice", "Libellé long", "Fournisseur", "Masse (kg)"])
    sheet.append(["JT-1000", "A", "Support 0", "SNS", "0"])  # unchanged
    sheet.append(["JT-1001", "A", "Support 1 modifié", "", "1"])  # changed
    sheet.append(["NEW-1", "A", "Gousset", "Tôlerie Kabylie", "0,4"])  # new, new supplier
    workbook.save(path)
    return path


def test_walk_the_import_preview_to_the_end(page, qtbot, ctx, tmp_path) -> None:
    dialog = PartsImportDialog(page.session, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(write_sheet(tmp_path / "pièces.xlsx")))
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 1)
    designation = dialog.mapping_combo("designation")
    assert designation.currentIndex() == 0  # "Libellé long" is not recognised
    designation.setCurrentIndex(3)  # column C
    assert dialog.mapping_combo("mass_kg").currentIndex() == 5
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2)
    statuses = [r.status.value for r in dialog.rows_model.rows]
    assert statuses == ["unchanged", "changed", "new"]
    assert "Tôlerie Kabylie" in dialog.counts_label.text()
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 3, timeout=10000)
    assert "1 new part revisions, 1 changed" in dialog.summary_label.text()
    parts = PartService(ctx)
    assert parts.find("NEW-1").supplier_name == "Tôlerie Kabylie"
    assert parts.page(PartQuery()).total == 252
    qtbot.waitUntil(lambda: page.model.total == 252)  # the page heard of the change


def test_import_of_a_fake_workbook_says_so(page, qtbot, tmp_path) -> None:
    fake = tmp_path / "parts.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    dialog = PartsImportDialog(page.session, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(fake))
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not an Excel workbook" in dialog.message.text())
    assert dialog.steps.currentIndex() == 0


def test_export_of_the_current_view(page, qtbot, tmp_path) -> None:
    page.search_edit.setText("traverse")
    page._on_search_timer_timeout()
    qtbot.waitUntil(lambda: page.model.total == 1 and not page.model.loading)
    target = tmp_path / "view.csv"
    page.export_to(target)
    qtbot.waitUntil(lambda: target.exists() and "1 part written" in page.message.text())
    assert "JX7-5301010" in target.read_text(encoding="utf-8-sig")


def test_csv_export_dialog_proposes_french_excel_in_french(page, qtbot, tmp_path,
                                                           monkeypatch) -> None:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QFileDialog

    asked: list[tuple[str, str]] = []
    target = tmp_path / "vue.csv"

    def save_as(parent, caption, name, filters, selected):
        asked.append((filters, selected))
        return str(target), selected

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    previous = QLocale()
    QLocale.setDefault(QLocale("fr"))  # what switching the interface to French does
    try:
        page.search_edit.setText("JT-1005")
        page._on_search_timer_timeout()
        qtbot.waitUntil(lambda: page.model.total == 1 and not page.model.loading)
        qtbot.mouseClick(page.export_csv_button, Qt.MouseButton.LeftButton)
    finally:
        QLocale.setDefault(previous)
    filters, selected = asked[0]
    assert filters.count("*.csv") == 2 and "French Excel" in selected
    qtbot.waitUntil(lambda: target.exists() and "1 part written" in page.message.text())
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Part number;Revision;Designation;")
    assert lines[1].startswith("JT-1005;A;Support 5;") and ";5;" in lines[1]

    # The other filter writes commas, whatever the language.
    comma = next(f for f in page.csv_filters() if "French" not in f)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(target), comma))
    target.unlink()
    qtbot.mouseClick(page.export_csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists())
    assert target.read_bytes().decode("utf-8-sig").startswith("Part number,Revision,")


def test_a_file_changed_after_the_preview_is_said_and_checked_again(page, qtbot, ctx,
                                                                      tmp_path) -> None:
    path = tmp_path / "parts.csv"
    path.write_text("Part number,Revision,Designation\nNEW-7,A,Clip\n", encoding="utf-8")
    dialog = PartsImportDialog(page.session, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(path))
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 1)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # same mapping: no read
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2)
    path.write_text("Part number,Revision,Designation\nNEW-7,A,Clip\nNEW-8,A,Vis\n",
                    encoding="utf-8")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "changed since it was checked" in dialog.message.text())
    qtbot.waitUntil(lambda: len(dialog.rows_model.rows) == 2, timeout=10000)
    assert dialog.steps.currentIndex() == 2 and PartService(ctx).page(PartQuery()).total == 251
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 3, timeout=10000)
    assert PartService(ctx).page(PartQuery()).total == 253


def test_masses_and_volumes_are_written_the_french_way_in_french(ctx, actors, qtbot, tmp_path,
                                                                 languages) -> None:
    parts = PartService(ctx)
    parts.register_part(actors["eng"], PartDraft(part_number="JX7-2810010", revision="B",
                                                 designation="Traverse", mass_kg="5.2",
                                                 annual_volume=40000))
    languages.apply("fr")
    page, tasks = make_page(ctx, actors["eng"], qtbot, tmp_path)
    try:
        model = page.model
        row = next(r for r in range(model.rowCount())
                   if model.data(model.index(r, 0)) == "JX7-2810010")
        shown = [model.data(model.index(row, c)) for c in range(model.columnCount())]
        assert "5,2" in shown and "5.2" not in shown
        assert "40\u202f000" in shown  # French groups with a narrow no-break space
        assert page.total_label.text() == "1 pièce"
    finally:
        tasks.shutdown()
