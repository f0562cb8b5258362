"""The Evidence tab of a part: reports with their readings and histograms, attached files with a
preview, and the characteristics of the drawing.

Files are attached by dropping them on the tab or with "Attach files…"; the work (type check by
content, copy into the store, record) runs on the task runner with a progress dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.evidence import (
    REPORT_TYPE_LABELS,
    VERDICT_LABELS,
    ReportType,
    Verdict,
    optional_decimal,
)
from desktop_app.domain.people import Permission
from desktop_app.services.evidence_dto import AttachmentInfo, CapabilitySummary, ReportDetail
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.screen_room import grow_within_screen
from desktop_app.ui.widgets.control_chart_widget import ControlChartWidget
from desktop_app.ui.widgets.evidence_characteristics_widget import EvidenceCharacteristicsWidget
from desktop_app.ui.widgets.evidence_files_widget import EvidenceFilesWidget
from desktop_app.ui.widgets.histogram_widget import HistogramWidget
from desktop_app.ui.widgets.measurement_grid import (
    FAIL_COLOR,
    PASS_COLOR,
    GridColumn,
    MeasurementGridWidget,
)
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow
from desktop_app.ui.widgets.tables import keep_whole, read_only_table

EVIDENCE_TYPES = ("test_report", "measurement_set", "attachment", "characteristic", "gauge")


def _item(text: str, data: Any = None, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # plain text: never interpreted as HTML
    item.setToolTip(text)  # long standards and statuses are elided
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if color is not None:
        item.setBackground(color)
    return item


def _verdict_color(verdict: str) -> QColor | None:
    return {"pass": PASS_COLOR, "fail": FAIL_COLOR}.get(verdict)


class EvidenceWidget(QWidget):
    files_attached = Signal(list)  # AttachmentInfo of the files attached by the last drop/pick

    def __init__(self, session: UiSession, part_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.part_id = part_id
        self._queries = EvidenceQueries(session.ctx)
        self.reports: list = []
        self.attachments_loaded: list[AttachmentInfo] = []
        self.characteristics: list = []
        self.capability: list[CapabilitySummary] = []
        self.detail: ReportDetail | None = None
        self.grid_sets: list = []  # the measured (variable) results, one grid column each
        self.loaded = False
        self.setAcceptDrops(True)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.tabs = QTabWidget(objectName="evidence_tabs")
        can_record = self.session.actor.can(Permission.RECORD_EVIDENCE)

        # reports
        self.new_report_button = QPushButton(objectName="new_report_button")
        self.import_measurements_button = QPushButton(objectName="import_measurements_button")
        self.correct_button = QPushButton(objectName="correct_report_button")
        self.correct_button.setEnabled(False)
        for button in (self.new_report_button, self.import_measurements_button):
            allow(button, self.session.actor, Permission.RECORD_EVIDENCE)  # says who may
        self.correct_button.setVisible(can_record)
        self.reports_table = self._table("reports_table", 6)
        # The standard can be long: a fixed width (elided, tooltip) keeps verdict and status
        # in view.
        for column, width in ((1, 100), (2, 130)):  # type and standard
            self.reports_table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Interactive)
            self.reports_table.setColumnWidth(column, width)
        self.report_heading = QLabel(objectName="report_heading")
        self.report_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.report_heading.setWordWrap(True)
        self.grid = MeasurementGridWidget()
        self.histogram = HistogramWidget()
        self.control_chart = ControlChartWidget()  # beside the histogram: stability first
        self.capability_notes = MessageLabel(objectName="capability_notes")
        self.report_notes = MessageLabel(objectName="report_notes")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.report_heading)
        right_layout.addWidget(self.grid, 2)
        charts = QHBoxLayout()
        charts.addWidget(self.histogram, 1)
        charts.addWidget(self.control_chart, 1)
        right_layout.addLayout(charts, 3)
        # The findings of a study can run to several sentences: they scroll rather than push
        # the grid and the charts out of the tab.
        notes_area = QScrollArea(objectName="capability_notes_area")
        notes_area.setWidget(self.capability_notes)
        notes_area.setWidgetResizable(True)
        notes_area.setFrameShape(QScrollArea.Shape.NoFrame)
        notes_area.setMaximumHeight(self.capability_notes.fontMetrics().lineSpacing() * 5 + 8)
        notes_area.viewport().setAutoFillBackground(False)  # the tab's own background
        self.capability_notes.setAutoFillBackground(False)
        self.capability_notes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        right_layout.addWidget(notes_area)
        right_layout.addWidget(self.report_notes)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.reports_table)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([560, 740])  # the list keeps its verdict and status in view
        reports_page = QWidget()
        layout = QVBoxLayout(reports_page)
        layout.addLayout(self._row(self.new_report_button, self.import_measurements_button,
                                   self.correct_button))
        layout.addWidget(split, 1)
        self.tabs.addTab(reports_page, "")

        # files
        self.files = EvidenceFilesWidget(self.session, self.part_id)
        self.files_table = self.files.table
        self.preview = self.files.preview
        self.files_message = self.files.message
        self.tabs.addTab(self.files, "")

        # characteristics
        self.chars = EvidenceCharacteristicsWidget(self.session)
        self.characteristics_table = self.chars.table
        self.tabs.addTab(self.chars, "")

        self.message = MessageLabel(objectName="evidence_message")
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.message)

    @staticmethod
    def _table(name: str, columns: int) -> QTableWidget:
        table = read_only_table(name, columns)
        table.setAlternatingRowColors(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        keep_whole(table, 0)  # report and characteristic numbers
        return table

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _connect_signals(self) -> None:
        self.session.events.data_changed.connect(self._on_events_data_changed)
        self.files.files_attached.connect(self.files_attached.emit)
        self.reports_table.itemSelectionChanged.connect(self._on_reports_table_selection)
        self.grid.column_selected.connect(self._on_grid_column_selected)
        self.new_report_button.clicked.connect(self._on_new_report_button_clicked)
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.import_measurements_button.clicked.connect(
            lambda: self._open_import("measurements"))
        self.chars.import_requested.connect(lambda: self._open_import("characteristics"))
        self.chars.add_requested.connect(self._on_add_characteristic_clicked)
        self.chars.edit_requested.connect(self._on_edit_characteristic_requested)

    def tab_title(self) -> str:
        """The text of this widget's tab in the part dialog."""
        return self.tr("Evidence")

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, self.tr("Reports"))
        self.tabs.setTabText(1, self.tr("Files"))
        self.tabs.setTabText(2, self.tr("Characteristics"))
        self.new_report_button.setText(self.tr("New report…"))
        self.import_measurements_button.setText(self.tr("Import measurements…"))
        self.correct_button.setText(self.tr("Correct this report…"))
        self.reports_table.setHorizontalHeaderLabels([
            self.tr("Number"), self.tr("Type"), self.tr("Standard"), self.tr("Tested on"),
            self.tr("Verdict"), self.tr("Status")])
        if self.loaded:
            self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        queries, part_id = self._queries, self.part_id

        def load() -> tuple:
            return (queries.reports(part_id), queries.attachments(part_id),
                    queries.dimensional_coverage(part_id), queries.special_capability(part_id))

        self.session.tasks.submit(load, on_done=self._on_loaded, on_error=self._show_message)

    def _on_events_data_changed(self, change: Change) -> None:
        if change.touches(*EVIDENCE_TYPES):
            self.refresh()

    def _on_loaded(self, result: tuple) -> None:
        self.reports, self.attachments_loaded, self.characteristics, self.capability = result
        self.loaded = True
        self._fill()

    def _fill(self) -> None:
        selected = self._selected(self.reports_table)
        self.reports_table.setRowCount(len(self.reports))
        for row, r in enumerate(self.reports):
            verdict = tr("Evidence", VERDICT_LABELS[Verdict(r.verdict)])
            status = (self.tr("Superseded") if r.superseded_by else self.tr("Current"))
            if r.gauge_overdue:
                status += " · " + self.tr("gauge out of calibration")
            values = [r.number, tr("Evidence", REPORT_TYPE_LABELS[ReportType(r.report_type)]),
                      r.standard, local_day(r.tested_on), verdict, status]
            for col, text in enumerate(values):
                self.reports_table.setItem(row, col, _item(
                    text, r.report_id, _verdict_color(r.verdict) if col == 4 else None))
        self._reselect(self.reports_table, selected)
        self.files.set_reports([(r.report_id, r.number) for r in self.reports])
        self.files.set_attachments(self.attachments_loaded)
        self.chars.set_data(self.characteristics, self.capability)

    @staticmethod
    def _selected(table: QTableWidget) -> Any:
        items = table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    @staticmethod
    def _reselect(table: QTableWidget, key: Any) -> None:
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if key is not None and item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
                table.selectRow(row)
                return

    def _show_message(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))

    # -- reports ---------------------------------------------------------------------------

    def _on_reports_table_selection(self) -> None:
        report_id = self._selected(self.reports_table)
        if report_id is None:
            return
        queries = self._queries
        self.session.tasks.submit(lambda: queries.report(report_id), on_done=self.show_report,
                                  on_error=self._show_message)

    def show_report(self, detail: ReportDetail) -> None:
        self.detail = detail
        s = detail.summary
        self.correct_button.setEnabled(not s.superseded_by)
        kind = tr("Evidence", REPORT_TYPE_LABELS[ReportType(s.report_type)])
        heading = f"{s.number} — {s.title or kind}"
        extra = [x for x in (s.standard, s.laboratory, s.accreditation, s.operator) if x]
        self.report_heading.setText("\n".join([heading, " · ".join(extra)]))
        # Judged (OK / NG) and counted results have no numbers to grid or chart: their counts
        # are said in the notes.
        self.grid_sets = [r for r in detail.sets if not r.attribute]
        columns = [GridColumn(r.characteristic_id, r.number, r.description, r.limits, r.unit)
                   for r in self.grid_sets]
        rows = max((len(r.readings) for r in self.grid_sets), default=0)
        self.grid.set_columns(columns, rows=rows, editable=False)
        for index, result in enumerate(self.grid_sets):
            self.grid.model.set_readings(index, result.readings)
        notes = [self.tr("#{number} {description}: {counts}").format(
            number=r.number, description=r.description, counts=r.attribute_result().text(tr))
            for r in detail.sets if r.attribute]
        if s.superseded_by:
            notes.append(self.tr("Superseded by a correction; kept as recorded."))
        if s.supersedes:
            notes.append(self.tr("Corrects an earlier report: {reason}").format(
                reason=s.supersede_reason))
        for r in detail.sets:
            if r.gauge_overdue:
                notes.append(self.tr(
                    "#{number}: gauge {gauge} was past its calibration due date ({due}) on "
                    "{day}; an impact assessment is needed (IATF 16949 7.1.5.2.1).").format(
                    number=r.number, gauge=r.gauge_code, due=local_day(r.gauge_due_on),
                    day=local_day(r.measured_on)))
        if not detail.sets:
            notes.append(s.conclusion)
        text = "\n".join(n for n in notes if n)
        if any(r.gauge_overdue for r in detail.sets) or s.verdict == "fail":
            self.report_notes.show_error(text)
        else:
            self.report_notes.show_info(text)
        if self.grid_sets:
            self._on_grid_column_selected(0)
        else:
            self.histogram.clear()
            self.control_chart.clear()
            self.capability_notes.clear()

    def _on_grid_column_selected(self, column: int) -> None:
        if self.detail is None or not 0 <= column < len(self.grid_sets):
            return
        result = self.grid_sets[column]
        self.histogram.set_data(self.grid.model.values(column), result.limits,
                                optional_decimal(result.nominal),
                                f"#{result.number} {result.description}", result.unit,
                                result.subgroup_size)
        self.control_chart.set_data(self.grid.model.values(column), result.subgroup_size,
                                    f"#{result.number} {result.description}")
        notes = result.capability_notes(tr) if len(result.readings) > 1 else []
        self.capability_notes.show_info("\n".join(notes))

    def _on_new_report_button_clicked(self) -> None:
        from desktop_app.ui.dialogs.report_dialog import ReportDialog

        self.report_dialog = ReportDialog(self.session, self.part_id, self)
        self.report_dialog.open()

    def _on_correct_button_clicked(self) -> None:
        from desktop_app.ui.dialogs.report_dialog import ReportDialog

        if self.detail is not None:
            self.report_dialog = ReportDialog(self.session, self.part_id, self,
                                              corrects=self.detail)
            self.report_dialog.open()

    def _open_import(self, mode: str) -> None:
        from desktop_app.ui.dialogs.evidence_import_dialog import EvidenceImportDialog

        self.import_dialog = EvidenceImportDialog(self.session, self.part_id, mode, self)
        self.import_dialog.open()

    def _on_edit_characteristic_requested(self, info: Any) -> None:
        from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog

        self.characteristic_dialog = CharacteristicDialog(self.session, self.part_id, self,
                                                          existing=info)
        self.characteristic_dialog.open()

    def _on_add_characteristic_clicked(self) -> None:
        from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog

        self.characteristic_dialog = CharacteristicDialog(self.session, self.part_id, self)
        self.characteristic_dialog.open()

    # -- files -----------------------------------------------------------------------------

    @property
    def attachments(self) -> list[AttachmentInfo]:
        return self.files.attachments

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(u.isLocalFile() for u in urls) and \
                self.session.actor.can(Permission.RECORD_EVIDENCE):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Files dropped anywhere on the tab are attached to the part."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.tabs.setCurrentWidget(self.files)
            self.files.attach_paths(paths)


def evidence_tab(dialog: Any) -> EvidenceWidget | None:
    """The "Evidence" tab of the part dialog (registered in its EXTRA_TABS): shown for a saved
    part; the dialog grows to a useful size when the tab is opened, within its screen."""
    detail = getattr(dialog, "detail", None)
    if detail is None:
        return None
    widget = EvidenceWidget(dialog.session, detail.part_id, dialog)

    def grow(index: int) -> None:
        if dialog.tabs.widget(index) is widget:
            grow_within_screen(dialog)

    dialog.tabs.currentChanged.connect(grow)
    return widget
