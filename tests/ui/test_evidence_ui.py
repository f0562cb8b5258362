"""The evidence tab as a person uses it: the grid colours readings as they are typed, files
dropped on the tab are attached, images and PDFs are previewed, histograms show the limits."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QLineEdit

from desktop_app.domain.evidence import Limits
from desktop_app.services.evidence_dto import ReportDraft, ResultDraft
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.pages.gauges_page import GaugesPage
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.evidence_widget import EvidenceWidget
from desktop_app.ui.widgets.histogram_widget import HistogramWidget
from desktop_app.ui.widgets.measurement_grid import (
    FAIL_COLOR,
    PASS_COLOR,
    GridColumn,
    MeasurementGridWidget,
)
from tests.services.evidence_fixtures import make_part, make_service


@pytest.fixture
def session(ctx, actors, tmp_path):
    events = AppEvents()
    tasks = TaskRunner(events)
    yield UiSession(ctx=ctx, actor=actors["insp"], tasks=tasks, events=events,
                    settings=Settings(tmp_path / "settings.ini"))
    tasks.shutdown()


@pytest.fixture
def part(ctx, actors):
    return make_part(ctx, actors, make_service(ctx))


def test_the_grid_colours_each_reading_as_it_is_typed(qtbot):
    grid = MeasurementGridWidget()
    qtbot.addWidget(grid)
    grid.set_columns([GridColumn("c1", "1", "Hole", Limits(Decimal("11.9"), Decimal("12.1")),
                                 "mm")], rows=3)
    grid.show()
    index = grid.model.index(0, 0)
    grid.table.setCurrentIndex(index)
    grid.table.edit(index)
    editor = grid.table.findChild(QLineEdit, "reading_editor")
    assert editor is not None
    qtbot.keyClicks(editor, "12.0")
    assert editor.property("verdict") == "pass"
    assert editor.palette().base().color() == PASS_COLOR
    editor.clear()
    qtbot.keyClicks(editor, "12.5")
    assert editor.property("verdict") == "fail"
    assert editor.palette().base().color() == FAIL_COLOR
    assert "outside the limits of characteristic 1" in grid.message.text()
    editor.clear()
    qtbot.keyClicks(editor, "12,0a")
    assert editor.property("verdict") == "invalid"
    assert grid.message.text() == "'12,0a' is not a number."
    # committing: a number is kept and coloured, a non-number is refused with a sentence
    assert grid.model.setData(index, "12.05")
    assert grid.model.data(index, Qt.ItemDataRole.BackgroundRole) == PASS_COLOR
    assert grid.model.setData(grid.model.index(1, 0), "11.5")
    assert grid.model.data(grid.model.index(1, 0), Qt.ItemDataRole.BackgroundRole) == FAIL_COLOR
    assert not grid.model.setData(grid.model.index(2, 0), "abc")
    assert grid.message.text() == "Sample 3, characteristic 1: 'abc' is not a number."
    assert grid.model.readings(0) == ("12.05", "11.5")


def test_the_histogram_draws_the_limits_and_readable_labels(qtbot):
    histogram = HistogramWidget()
    qtbot.addWidget(histogram)
    readings = [Decimal("12.0") + Decimal(i % 7 - 3) / 100 for i in range(50)]
    histogram.set_data(readings, Limits(Decimal("11.9"), Decimal("12.1")), Decimal("12"),
                       "#1 Hole", "mm")
    histogram.resize(600, 300)
    histogram.show()
    assert sum(histogram.counts) == 50
    assert histogram.edges[0] < 11.9 and histogram.edges[-1] > 12.1
    assert "n = 50" in histogram.summary_text() and "Ppk" in histogram.summary_text()
    # Where the widget says it draws the limit lines follows from the font's metrics; read it
    # rather than guess it, then look at the drawn pixels of one row near the bottom of the plot
    # (below the LSL/USL/nominal/mean labels, above the axis), every column of it.
    lower, upper = histogram.limit_line_positions()
    plot = histogram.plot_area()
    assert plot.left() < lower < upper < plot.right()
    image = histogram.grab().toImage()
    scale = image.devicePixelRatio()  # physical pixels per widget pixel on this screen
    y = round((plot.bottom() - 4) * scale)
    red = [x / scale for x in range(image.width())
           if _is_limit_red(image.pixelColor(x, y))]
    # A 2-pixel line, antialiased, covers at least one whole column within a pixel of its x.
    for x in (lower, upper):
        assert any(abs(column - x) <= 1.5 for column in red), (x, red)
    assert all(min(abs(column - lower), abs(column - upper)) <= 1.5 for column in red), red


def _is_limit_red(color: QColor) -> bool:
    """The limit lines' red (#c62828), not the pinker red of failing bars (#e57373)."""
    return color.red() > 180 and color.green() < 80 and color.blue() < 80


def _drop(widget, paths: list[Path]) -> None:
    """What Qt delivers when files from a file manager are dropped: drag enter, then drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(drop)
    assert drop.isAccepted()


def test_drag_and_drop_attaches_files_and_refuses_a_renamed_program(
        ctx, session, part, qtbot, tmp_path):
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    photo = tmp_path / "photo.png"
    assert image.save(str(photo))
    exe = tmp_path / "certificate.pdf"
    exe.write_bytes(b"MZ" + b"\x00" * 300)
    with qtbot.waitSignal(widget.files_attached, timeout=10000) as blocker:
        _drop(widget, [photo, exe])
    assert [a.original_name for a in blocker.args[0]] == ["photo.png"]
    assert blocker.args[0][0].kind == "photo"
    assert "certificate.pdf" in widget.files_message.text()
    assert "not an allowed file type" in widget.files_message.text()
    qtbot.waitUntil(lambda: len(widget.attachments) == 1)
    assert widget.files_table.item(0, 4).text() == blocker.args[0][0].blob_sha256


def test_images_and_pdfs_are_previewed_inside_the_app(ctx, session, part, qtbot, tmp_path):
    from reportlab.pdfgen import canvas

    from desktop_app.services.attachments import AttachmentService

    pdf = tmp_path / "report.pdf"
    page = canvas.Canvas(str(pdf))
    page.drawString(100, 750, "Salt spray 720 h: conforming")
    page.save()
    image = QImage(80, 60, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    png = tmp_path / "photo.png"
    image.save(str(png))
    files = AttachmentService(ctx)
    files.attach_file(session.actor, part["part_id"], pdf, "test_report")
    files.attach_file(session.actor, part["part_id"], png, "photo")
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitUntil(lambda: len(widget.attachments) == 2)
    widget.tabs.setCurrentIndex(1)
    rows = {widget.files_table.item(r, 0).text(): r for r in range(2)}
    widget.files_table.selectRow(rows["photo.png"])
    qtbot.waitUntil(lambda: widget.preview.mode == widget.preview.IMAGE)
    shown = widget.preview.image.pixmap().toImage()  # scaled down when the pane is smaller
    assert not shown.isNull()
    assert shown.pixelColor(shown.width() // 2, shown.height() // 2).name() == "#ff0000"
    widget.files_table.selectRow(rows["report.pdf"])
    qtbot.waitUntil(lambda: widget.preview.mode == widget.preview.PDF)
    assert widget.preview.pdf_document.pageCount() == 1


def test_a_report_shows_its_grid_histogram_and_overdue_gauge(ctx, session, part, actors,
                                                             qtbot):
    c = part["chars"]
    make_service(ctx).record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-11-20"), [
        ResultDraft(c["1"], ("12.01", "11.98", "12.3")), ResultDraft(c["2"], ("150.1",))])
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    assert widget.reports_table.item(0, 4).text() == "Fail"
    widget.reports_table.selectRow(0)
    qtbot.waitUntil(lambda: widget.detail is not None)
    model = widget.grid.model
    assert model.data(model.index(2, 0), Qt.ItemDataRole.BackgroundRole) == FAIL_COLOR
    assert sum(widget.histogram.counts) == 3
    assert "Only 3 readings" in widget.capability_notes.text()
    assert "CAL-007" in widget.report_notes.text() and "7.1.5.2.1" in widget.report_notes.text()
    assert widget.characteristics_table.rowCount() == 3
    first = [widget.characteristics_table.item(0, col).text() for col in range(10)]
    assert first[0] == "1" and first[7].startswith("Fail")
    assert first[9] == "Only 3 readings (30 needed)"


def test_gauges_page_marks_an_overdue_gauge(ctx, session, part, qtbot):
    page = GaugesPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.gauges) == 2)
    rows = {page.table.item(r, 0).text(): r for r in range(2)}
    assert page.table.item(rows["CAL-007"], 6).text() == "Overdue"
    assert page.table.item(rows["MIC-014"], 6).text() == "In calibration"


def test_the_part_dialog_has_an_evidence_tab(ctx, session, part, qtbot):
    from desktop_app.services.parts import PartService
    from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs

    dialog = PartDialog(session, PartRefs(), PartService(ctx).part(part["part_id"]))
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Evidence" in titles
    widget = dialog.tabs.widget(titles.index("Evidence"))
    assert isinstance(widget, EvidenceWidget) and widget.part_id == part["part_id"]
    qtbot.waitUntil(lambda: widget.loaded)


def test_a_report_typed_in_the_dialog_is_recorded_with_computed_verdicts(
        ctx, session, part, qtbot):
    from desktop_app.ui.dialogs.report_dialog import ReportDialog

    dialog = ReportDialog(session, part["part_id"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.grid.model.columnCount() == 3)
    model = dialog.grid.model
    numbers = [model.column(i).number for i in range(3)]
    hole = numbers.index("1")
    for row, text in enumerate(("12.02", "11.95", "12.2")):
        assert model.setData(model.index(row, hole), text)
    assert not model.setData(model.index(3, hole), "12.o")
    dialog.standard_edit.setText("Plan JT-5801 A")
    dialog.tested_edit.setDate(dialog.tested_edit.date().fromString("2026-11-20", "yyyy-MM-dd"))
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.buttons.accepted.emit()
    summary = dialog.recorded.summary
    assert summary.verdict == "fail" and summary.standard == "Plan JT-5801 A"
    (result,) = dialog.recorded.sets
    assert result.readings == ("12.02", "11.95", "12.2") and not result.gauge_overdue


def test_measurements_are_imported_through_the_preview_dialog(ctx, session, part, qtbot,
                                                               tmp_path):
    from desktop_app.ui.dialogs.evidence_import_dialog import EvidenceImportDialog

    path = tmp_path / "cmm.csv"
    path.write_text("Feature;Actual\n1;12,01\n1;12,03\n2;150,2\n", encoding="utf-8")
    dialog = EvidenceImportDialog(session, part["part_id"], "measurements")
    qtbot.addWidget(dialog)
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview_table.rowCount() == 2 and dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.apply_button.click()
    assert dialog.result.summary.verdict == "pass"
    assert len(make_service(ctx).queries.reports(part["part_id"])) == 1


def test_save_a_copy_from_the_files_tab(ctx, session, part, qtbot, tmp_path):
    from desktop_app.services.attachments import AttachmentService

    source = tmp_path / "notes.txt"
    source.write_text("Visual check: no burrs.\n", encoding="utf-8")
    info = AttachmentService(ctx).attach_file(session.actor, part["part_id"], source, "other")
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: len(widget.attachments) == 1)
    target = tmp_path / "out" / "copy.txt"
    target.parent.mkdir()
    widget.files.save_copy(info, target)
    qtbot.waitUntil(lambda: target.exists())
    assert target.read_text(encoding="utf-8") == "Visual check: no burrs.\n"
    widget.files_table.selectRow(0)
    qtbot.waitUntil(lambda: "No preview" in widget.preview.message.text())


def test_a_report_is_corrected_with_a_reason_never_edited(ctx, session, part, actors, qtbot):
    from desktop_app.ui.dialogs.report_dialog import ReportDialog

    c = part["chars"]
    service = make_service(ctx)
    first = service.record_report(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", standard="Plan A", tested_on="2026-11-20"),
        [ResultDraft(c["1"], ("12.01", "120.2"))])
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.loaded)
    widget.reports_table.selectRow(0)
    qtbot.waitUntil(lambda: widget.detail is not None and widget.correct_button.isEnabled())
    widget.correct_button.click()
    dialog = widget.report_dialog
    assert isinstance(dialog, ReportDialog) and dialog.standard_edit.text() == "Plan A"
    qtbot.waitUntil(lambda: dialog.grid.model.columnCount() == 3)
    model = dialog.grid.model
    hole = [model.column(i).number for i in range(3)].index("1")
    assert model.readings(hole) == ("12.01", "120.2")
    dialog.buttons.accepted.emit()  # no reason yet: refused with a sentence
    qtbot.waitUntil(lambda: "needs a reason" in dialog.message.text())
    assert model.setData(model.index(1, hole), "12.02")
    dialog.reason_edit.setText("120.2 typed for 12.02")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.buttons.accepted.emit()
    new = dialog.recorded.summary
    assert new.supersedes == first.summary.report_id and new.verdict == "pass"
    old = service.queries.report(first.summary.report_id)
    assert old.summary.superseded_by == new.report_id and old.sets[0].readings == (
        "12.01", "120.2")


def test_open_with_the_system_viewer_hands_over_a_verified_copy_with_a_safe_name(
        ctx, session, part, qtbot, tmp_path, monkeypatch):
    from desktop_app.services.attachments import AttachmentService
    from desktop_app.ui.widgets import evidence_files_widget

    opened: list[QUrl] = []
    monkeypatch.setattr(evidence_files_widget.QDesktopServices, "openUrl",
                        lambda url: opened.append(url) or True)
    source = tmp_path / "a:b|c.pdf"
    source.write_bytes(b"%PDF-1.4\n%%EOF\n")
    AttachmentService(ctx).attach_file(session.actor, part["part_id"], source, "test_report")
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: len(widget.attachments) == 1)
    widget.files_table.selectRow(0)
    widget.files.open_button.click()
    qtbot.waitUntil(lambda: bool(opened))
    path = Path(opened[0].toLocalFile())
    assert path.name == "a_b_c.pdf" and path.read_bytes() == b"%PDF-1.4\n%%EOF\n"


def test_a_language_switch_retranslates_the_tab_in_place(ctx, session, part, actors, qtbot,
                                                         languages):
    make_service(ctx).record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                                    [ResultDraft(part["chars"]["1"], ("12.0", "12.05"))])
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    widget.reports_table.selectRow(0)
    qtbot.waitUntil(lambda: widget.detail is not None)
    languages.apply("ar")
    qtbot.waitUntil(lambda: widget.layoutDirection() == Qt.LayoutDirection.RightToLeft)
    assert widget.reports_table.rowCount() == 1
    assert widget.tabs.count() == 3 and widget.tabs.tabText(0)
    assert widget.grid.model.readings(0) == ("12.0", "12.05")


def test_a_gauge_is_added_and_recalibrated_from_the_gauges_page(ctx, session, part, qtbot):
    from PySide6.QtCore import QDate

    page = GaugesPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.gauges) == 2)
    page.add_button.click()
    dialog = page.dialog
    dialog.code_edit.setText("bore-03")
    dialog.type_edit.setText("Alésomètre 10-18 mm")
    dialog.calibrated_edit.setDate(QDate(2026, 5, 1))
    dialog.due_edit.setDate(QDate(2026, 4, 1))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "before the calibration date" in dialog.message.text())
    dialog.due_edit.setDate(QDate(2027, 5, 1))
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: len(page.gauges) == 3)
    assert dialog.saved.code == "BORE-03"
    rows = {page.table.item(r, 0).text(): r for r in range(3)}
    page.table.selectRow(rows["CAL-007"])
    page.calibrate_button.click()
    again = page.dialog
    assert again.code_edit.isReadOnly() and again.code_edit.text() == "CAL-007"
    again.calibrated_edit.setDate(QDate.currentDate())
    again.due_edit.setDate(QDate.currentDate().addYears(1))
    with qtbot.waitSignal(again.accepted, timeout=10000):
        again.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not {g.code: g for g in page.gauges}["CAL-007"].overdue)


def test_a_file_attached_by_mistake_is_withdrawn_with_a_reason(ctx, session, part, qtbot,
                                                               tmp_path):
    from desktop_app.services.attachments import AttachmentService

    source = tmp_path / "wrong.txt"
    source.write_text("not this part\n", encoding="utf-8")
    info = AttachmentService(ctx).attach_file(session.actor, part["part_id"], source, "other")
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: len(widget.attachments) == 1)
    widget.files.withdraw(info, " ")
    qtbot.waitUntil(lambda: "Say why" in widget.files_message.text())
    widget.files.withdraw(info, "Attached to the wrong part")
    qtbot.waitUntil(lambda: widget.attachments == [])
    history = ctx.unit_of_work
    with history() as uow:
        revisions = uow.records.history(info.attachment_id)
    assert [r.reason for r in revisions][-1] == "Attached to the wrong part"
    assert ctx.blobs.exists(info.blob_sha256)  # the bytes stay


def test_a_characteristic_is_changed_and_old_results_keep_their_limits(
        ctx, session, part, actors, qtbot):
    from desktop_app.services.evidence_dto import CharacteristicInfo
    from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog

    session.actor = actors["eng"]
    service = make_service(ctx)
    service.record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                          [ResultDraft(part["chars"]["1"], ("12.08",))])
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.loaded)
    widget.characteristics_table.selectRow(0)
    widget.chars.edit_button.click()
    dialog = widget.characteristic_dialog
    assert isinstance(dialog, CharacteristicDialog)
    assert dialog.edits["lower_tol"].text() == "-0.1" and dialog.edits["lower_limit"].text() == ""
    dialog.edits["upper_tol"].setText("0.05")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.buttons.accepted.emit()
    assert isinstance(dialog.added, CharacteristicInfo) and dialog.added.upper_limit == "12.05"
    (old,) = service.queries.results_of_characteristic(part["chars"]["1"])
    assert old.upper_limit == "12.1" and old.verdict == "pass"


def test_files_dropped_while_a_report_is_chosen_are_attached_to_that_report(
        ctx, session, part, actors, qtbot, tmp_path):
    detail = make_service(ctx).record_report(actors["insp"], ReportDraft(
        part["part_id"], "salt_spray", standard="ISO 9227", stated_result="conforming"))
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.files.report_combo.count() == 2)
    widget.files.report_combo.setCurrentIndex(1)
    pdf = tmp_path / "lab.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with qtbot.waitSignal(widget.files_attached, timeout=10000) as blocker:
        _drop(widget, [pdf])
    assert blocker.args[0][0].report_id == detail.summary.report_id
    qtbot.waitUntil(lambda: len(widget.attachments) == 1)
    assert widget.files_table.item(0, 2).text() == detail.summary.number
    assert [a.original_name for a in make_service(ctx).queries.report(
        detail.summary.report_id).attachments] == ["lab.pdf"]


def test_a_report_on_a_part_without_characteristics_says_what_to_do(ctx, actors, session, qtbot):
    from desktop_app.domain.parts import PartDraft
    from desktop_app.services.parts import PartService
    from desktop_app.ui.dialogs.report_dialog import ReportDialog

    bare = PartService(ctx).register_part(actors["eng"], PartDraft(
        part_number="JT-9090", revision="A", designation="Cale", family="other")).part_id
    dialog = ReportDialog(session, bare)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "no characteristics yet" in dialog.message.text())
    assert "Add characteristic" in dialog.message.text()
    assert dialog.grid.model.columnCount() == 0
