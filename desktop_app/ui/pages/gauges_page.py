"""The gauges register: identifiers, types, ranges, resolutions and calibration dates; gauges
past their due date are marked (results taken with them need an impact assessment)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import Permission
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import GaugeDraft, GaugeInfo
from desktop_app.services.gauges import GaugeService
from desktop_app.ui.app_events import Change
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import set_date_format
from desktop_app.ui.pages.base import Page, UiSession, error_text, heading_label
from desktop_app.ui.shortcuts import add_save_shortcut
from desktop_app.ui.widgets.empty_hint import EmptyHint
from desktop_app.ui.widgets.measurement_grid import FAIL_COLOR
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.msa_widget import MsaWidget
from desktop_app.ui.widgets.permission import allow
from desktop_app.ui.widgets.scan_field import ScanField
from desktop_app.ui.widgets.tables import keep_whole


def _date_edit(name: str, value: QDate) -> QDateEdit:
    edit = set_date_format(QDateEdit(value, objectName=name))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class GaugeDialog(QDialog):
    """Add a gauge, or record a new calibration of one (`gauge` given)."""

    def __init__(self, session: UiSession, gauge: GaugeInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gauge_dialog")
        self.session = session
        self.gauge = gauge
        self.saved: GaugeInfo | None = None
        today = QDate.currentDate()
        self.code_edit = QLineEdit(objectName="gauge_code_edit")
        self.type_edit = QLineEdit(objectName="gauge_type_edit")
        self.range_edit = QLineEdit(objectName="gauge_range_edit")
        self.resolution_edit = QLineEdit(objectName="gauge_resolution_edit")
        self.calibrated_edit = _date_edit("calibrated_on_edit", today)
        self.due_edit = _date_edit("due_on_edit", today.addYears(1))
        self.message = MessageLabel(objectName="gauge_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        self._labels = [QLabel() for _ in range(6)]
        for label, widget in zip(self._labels, (self.code_edit, self.type_edit, self.range_edit,
                                                self.resolution_edit, self.calibrated_edit,
                                                self.due_edit), strict=True):
            form.addRow(label, widget)
        if gauge is not None:
            for edit, value in ((self.code_edit, gauge.code), (self.type_edit, gauge.gauge_type),
                                (self.range_edit, gauge.range_text),
                                (self.resolution_edit, gauge.resolution)):
                edit.setText(value)
                edit.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_save_clicked)
        add_save_shortcut(self, self.buttons.button(QDialogButtonBox.StandardButton.Save))
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Add a gauge") if self.gauge is None
                            else self.tr("Record a calibration"))
        for label, text in zip(self._labels, (
                self.tr("Identifier"), self.tr("Type"), self.tr("Range"), self.tr("Resolution"),
                self.tr("Calibrated on"), self.tr("Calibration due on")), strict=True):
            label.setText(text)

    def _on_save_clicked(self) -> None:
        service, actor = GaugeService(self.session.ctx), self.session.actor
        done = self.calibrated_edit.date().toString("yyyy-MM-dd")
        due = self.due_edit.date().toString("yyyy-MM-dd")
        if self.gauge is None:
            draft = GaugeDraft(self.code_edit.text(), self.type_edit.text(),
                               self.range_edit.text(), self.resolution_edit.text(), done, due)

            def work() -> GaugeInfo:
                return service.add_gauge(actor, draft)
        else:
            gauge_id = self.gauge.gauge_id

            def work() -> GaugeInfo:
                return service.recalibrate_gauge(actor, gauge_id, done, due)
        self.session.tasks.submit(work, on_done=self._on_saved,
                                  on_error=lambda e: self.message.show_error(error_text(e)),
                                  changes=Change.of("gauge"))

    def _on_saved(self, gauge: GaugeInfo) -> None:
        self.saved = gauge
        self.accept()


class GaugesPage(Page):
    page_id = "gauges"

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._service = EvidenceService(session.ctx)
        self.gauges: list[GaugeInfo] = []
        self.dialog: GaugeDialog | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Gauges")

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.search_edit = QLineEdit(objectName="gauge_search_edit")
        self.add_button = QPushButton(objectName="add_gauge_button")
        self.calibrate_button = QPushButton(objectName="calibrate_gauge_button")
        can = self.session.actor.can(Permission.RECORD_EVIDENCE)
        allow(self.add_button, self.session.actor, Permission.RECORD_EVIDENCE)  # says who may
        self.calibrate_button.setVisible(can)
        self.table = QTableWidget(0, 7, objectName="gauges_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        keep_whole(self.table, 0)  # the gauge code
        self.empty_hint = EmptyHint(self.table, lambda: self.tr(
            "No gauge matches this search.") if self.search_edit.text().strip() else self.tr(
            "No gauge registered yet: add one with “Add gauge…”."))
        self.message = MessageLabel(objectName="gauges_message")
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.calibrate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(row)
        # Under the register, the MSA studies of the selected gauge (PPAP element 8).
        self.msa = MsaWidget(self.session)
        self.split = QSplitter(Qt.Orientation.Vertical, objectName="gauges_split")
        self.split.addWidget(self.table)
        self.split.addWidget(self.msa)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self.refresh())
        # Enter (a barcode scanner's too) selects the gauge a code names exactly.
        self.scan = ScanField(self.search_edit, self.session.tasks, self._gauge_coded,
                              self._on_gauge_scanned, lambda _code: self.refresh())
        self.add_button.clicked.connect(lambda: self._open_dialog(None))
        self.calibrate_button.clicked.connect(self._on_calibrate_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Gauges register"))
        self.search_edit.setPlaceholderText(self.tr("Search by identifier or type"))
        self.add_button.setText(self.tr("Add gauge…"))
        self.calibrate_button.setText(self.tr("Record calibration…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Identifier"), self.tr("Type"), self.tr("Range"), self.tr("Resolution"),
            self.tr("Calibrated on"), self.tr("Due on"), self.tr("Status")])
        self._fill()

    def refresh(self, change: Change | None = None) -> None:
        if change is not None and not change.touches("gauge"):
            return
        service, search = self._service, self.search_edit.text()
        self.session.tasks.submit(lambda: service.queries.gauges(search),
                                  on_done=self._on_loaded,
                                  on_error=lambda e: self.message.show_error(error_text(e)))

    def _on_loaded(self, gauges: list[GaugeInfo]) -> None:
        self.gauges = gauges
        self._fill()
        self.empty_hint.update_hint()

    def _gauge_coded(self, code: str) -> GaugeInfo | None:
        """The gauge whose identifier is `code` (on the worker)."""
        return next((g for g in self._service.queries.gauges(code)
                     if g.code.casefold() == code.casefold()), None)

    def _on_gauge_scanned(self, gauge: GaugeInfo) -> None:
        # The search for the same text ran before this look-up: its rows are in the table.
        row = next((i for i, g in enumerate(self.gauges) if g.gauge_id == gauge.gauge_id), -1)
        if row >= 0:
            self.table.selectRow(row)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.gauges))
        for row, g in enumerate(self.gauges):
            status = self.tr("Overdue") if g.overdue else self.tr("In calibration")
            code = f"{g.code} ⚠" if g.conflict else g.code
            values = (code, g.gauge_type, g.range_text, g.resolution, local_day(g.calibrated_on),
                      local_day(g.due_on),
                      status)
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, g.gauge_id)
                if g.overdue and col >= 5:
                    item.setBackground(FAIL_COLOR)
                    item.setToolTip(self.tr("Past its calibration due date: results taken with "
                                            "it need an impact assessment."))
                self.table.setItem(row, col, item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.calibrate_button.setEnabled(bool(self.table.selectedItems()))
        self.msa.show_gauge(self._selected_gauge())

    def _selected_gauge(self) -> GaugeInfo | None:
        items = self.table.selectedItems()
        key = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return next((g for g in self.gauges if g.gauge_id == key), None)

    def _on_calibrate_clicked(self) -> None:
        items = self.table.selectedItems()
        if items:
            key = items[0].data(Qt.ItemDataRole.UserRole)
            gauge = next((g for g in self.gauges if g.gauge_id == key), None)
            self._open_dialog(gauge)

    def _open_dialog(self, gauge: GaugeInfo | None) -> None:
        self.dialog = GaugeDialog(self.session, gauge, self)
        self.dialog.open()
