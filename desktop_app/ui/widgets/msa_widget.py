"""The measurement system analysis studies of one gauge (PPAP element 8), under the gauges
register: each study with %GRR (of the total variation and of the tolerance) and ndc, or the
effectiveness and kappa of an attribute study, and its verdict coloured by band (acceptable
green, customer agreement amber, unacceptable red); the reasons of the chosen study (else the
latest) below. Who may
edit gauges records a study from a CSV or Excel sheet."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.msa import MSA_KIND_LABELS, MSA_VERDICT_LABELS, MsaKind, MsaVerdict
from desktop_app.domain.people import Permission
from desktop_app.services.evidence_dto import GaugeInfo
from desktop_app.services.msa import MsaService, MsaStudyDetail, MsaStudyInfo
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import set_date_format
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.measurement_grid import FAIL_COLOR, PASS_COLOR
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow

MARGINAL_COLOR = QColor("#ffe0b2")  # amber: the customer must agree
INVALID_COLOR = QColor("#e0e0e0")
VERDICT_COLORS = {MsaVerdict.ACCEPTABLE: PASS_COLOR, MsaVerdict.MARGINAL: MARGINAL_COLOR,
                  MsaVerdict.UNACCEPTABLE: FAIL_COLOR}
COLUMNS = 8


def verdict_text(verdict: str) -> str:
    try:
        return tr("Evidence", MSA_VERDICT_LABELS[MsaVerdict(verdict)])
    except ValueError:
        return tr("MsaWidget", "Invalid: the readings make no study")


def verdict_color(verdict: str) -> QColor:
    try:
        return VERDICT_COLORS[MsaVerdict(verdict)]
    except ValueError:
        return INVALID_COLOR


class MsaRecordDialog(QDialog):
    """Record a study of a gauge from a sheet: one row per reading (operator, part, trial,
    value; a reference column for OK / NG)."""

    def __init__(self, session: UiSession, gauge: GaugeInfo, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("msa_record_dialog")
        self._session = session
        self.gauge = gauge
        self.saved: MsaStudyInfo | None = None
        self.file_edit = QLineEdit(objectName="msa_file_edit")
        self.browse_button = QPushButton(objectName="msa_browse_button")
        self.tolerance_edit = QLineEdit(objectName="msa_tolerance_edit")
        self.date_edit = set_date_format(QDateEdit(QDate.currentDate(), objectName="msa_date_edit",
                                                   calendarPopup=True))
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.by_edit = QLineEdit(objectName="msa_by_edit")
        self.note_edit = QLineEdit(objectName="msa_note_edit")
        self.hint = QLabel(objectName="msa_sheet_hint", wordWrap=True)
        self.message = MessageLabel(objectName="msa_record_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(5)]
        self.form.addRow(self._labels[0], file_row)
        for label, widget in zip(self._labels[1:], (self.tolerance_edit, self.date_edit,
                                                    self.by_edit, self.note_edit), strict=True):
            self.form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self.resize(560, 280)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("MsaWidget", "Record an MSA study of {gauge}").format(
            gauge=self.gauge.code))
        self.hint.setText(tr(
            "MsaWidget", "A CSV or Excel sheet with one row per reading: operator, part, trial "
                         "and value (a number for a gauge R&R; OK or NG for an attribute "
                         "agreement study, with the part's right decision in a reference "
                         "column). At least 2 operators, 5 parts and 2 trials."))
        self.browse_button.setText(tr("MsaWidget", "Browse…"))
        self.tolerance_edit.setPlaceholderText(tr("MsaWidget", "USL − LSL, for %GRR of the "
                                                               "tolerance"))
        self.by_edit.setPlaceholderText(self._session.actor.display_name)
        for label, text in zip(self._labels, (
                tr("MsaWidget", "Readings"), tr("MsaWidget", "Tolerance"),
                tr("MsaWidget", "Study date"), tr("MsaWidget", "Conducted by"),
                tr("MsaWidget", "Note")), strict=True):
            label.setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("MsaWidget", "Readings of the study"), "",
            tr("MsaWidget", "Sheets (*.csv *.xlsx *.xls *.xlsb *.ods);;All files (*)"))
        if path:
            self.file_edit.setText(path)

    def _on_save_clicked(self) -> None:
        path = self.file_edit.text().strip()
        if not path:
            self.message.show_error(tr("MsaWidget", "Choose the sheet of readings."))
            return
        service, actor, gauge_id = MsaService(self._session.ctx), self._session.actor, \
            self.gauge.gauge_id
        tolerance, by, note = (self.tolerance_edit.text(), self.by_edit.text(),
                               self.note_edit.text())
        on = self.date_edit.date().toString("yyyy-MM-dd")
        self.buttons.setEnabled(False)
        self._session.tasks.submit(
            lambda: service.record_sheet(actor, gauge_id, path, tolerance=tolerance,
                                         studied_on=on, conducted_by=by, note=note),
            on_done=self._on_saved, on_error=self._on_failed, changes=Change.of("msa_study"))

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.show_error(error_text(exc))

    def _on_saved(self, info: MsaStudyInfo) -> None:
        self.saved = info
        self.accept()


class MsaWidget(QWidget):
    """The studies of the gauge chosen in the register (`show_gauge`)."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("msa_widget")
        self.session = session
        self._service = MsaService(session.ctx)
        self.gauge: GaugeInfo | None = None
        self.studies: list[MsaStudyInfo] = []
        self.detail: MsaStudyDetail | None = None
        self.dialog: MsaRecordDialog | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.title = QLabel(objectName="msa_title")
        self.record_button = QPushButton(objectName="record_msa_button")
        allow(self.record_button, self.session.actor, Permission.RECORD_EVIDENCE,
              enabled=False)  # a gauge chosen enables it (for those who may)
        self.table = QTableWidget(0, COLUMNS, objectName="msa_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Text from the data is shown as plain text (conducted by, notes with names).
        self.reasons = QLabel(objectName="msa_reasons", wordWrap=True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.message = MessageLabel(objectName="msa_message")
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reasons)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.record_button.clicked.connect(self._on_record_button_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.session.events.data_changed.connect(self._on_events_data_changed)

    def retranslate_ui(self) -> None:
        self.record_button.setText(tr("MsaWidget", "Record a study from a file…"))
        self.table.setHorizontalHeaderLabels([
            tr("MsaWidget", "Date"), tr("MsaWidget", "Study"),
            tr("MsaWidget", "Operators × parts × trials"), tr("MsaWidget", "%GRR (variation)"),
            tr("MsaWidget", "%GRR (tolerance)"), tr("MsaWidget", "ndc / effectiveness"),
            tr("MsaWidget", "Verdict"), tr("MsaWidget", "Conducted by")])
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- loading ---------------------------------------------------------------------------

    def show_gauge(self, gauge: GaugeInfo | None) -> None:
        if gauge is not None and self.gauge is not None and gauge.gauge_id == self.gauge.gauge_id:
            return
        self.gauge = gauge
        self.studies, self.detail = [], None
        self._fill()
        self.refresh()

    def refresh(self) -> None:
        if self.gauge is None:
            return
        service, actor, gauge_id = self._service, self.session.actor, self.gauge.gauge_id
        self.session.tasks.submit(lambda: (gauge_id, service.studies_of_gauge(actor, gauge_id)),
                                  on_done=self._on_loaded,
                                  on_error=lambda e: self.message.show_error(error_text(e)))

    def _on_events_data_changed(self, change: Change) -> None:
        if change.touches("msa_study", "gauge"):
            self.refresh()

    def _on_loaded(self, loaded: tuple[str, list[MsaStudyInfo]]) -> None:
        gauge_id, studies = loaded
        if self.gauge is None or gauge_id != self.gauge.gauge_id:
            return  # another gauge was chosen meanwhile
        self.studies = studies
        self.detail = None
        self._fill()
        self._load_detail()  # the latest study's reasons, until one is chosen

    def _fill(self) -> None:
        if self.gauge is None:
            self.title.setText(tr("MsaWidget", "Measurement system analysis: choose a gauge "
                                               "in the register."))
        elif not self.studies:
            self.title.setText(tr("MsaWidget", "Measurement system analysis of {gauge}: no "
                                               "study yet.").format(gauge=self.gauge.code))
        else:
            self.title.setText(tr("MsaWidget", "Measurement system analysis of {gauge}").format(
                gauge=self.gauge.code))
        allow(self.record_button, self.session.actor, Permission.RECORD_EVIDENCE,
              enabled=self.gauge is not None)
        self.table.setRowCount(len(self.studies))
        for row, s in enumerate(self.studies):
            kind = (tr("Evidence", MSA_KIND_LABELS[MsaKind(s.kind)])
                    if s.kind in tuple(MsaKind) else s.kind)
            attribute = s.kind == MsaKind.ATTRIBUTE
            values = (
                local_day(s.studied_on), kind + (" ⚠" if s.conflict else ""),
                f"{s.operators} × {s.parts} × {s.trials}" if s.valid else "—",
                "" if attribute else _pct(s.pct_grr), "" if attribute else _pct(
                    s.pct_grr_tolerance),
                _pct(s.effectiveness) if attribute else s.ndc,
                verdict_text(s.verdict), s.conducted_by)
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.study_id)
                if col == 6:
                    item.setBackground(verdict_color(s.verdict))
                self.table.setItem(row, col, item)
        self._show_reasons()

    # -- the selected study ------------------------------------------------------------------

    def selected(self) -> MsaStudyInfo | None:
        items = self.table.selectedItems()
        key = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return next((s for s in self.studies if s.study_id == key), None)

    def shown(self) -> MsaStudyInfo | None:
        """The study whose reasons are shown: the chosen one, else the latest."""
        return self.selected() or (self.studies[0] if self.studies else None)

    def _on_table_selection_changed(self) -> None:
        self.detail = None
        self._show_reasons()
        self._load_detail()

    def _load_detail(self) -> None:
        study = self.shown()
        if study is None:
            return
        service, actor, study_id = self._service, self.session.actor, study.study_id
        self.session.tasks.submit(lambda: service.study(actor, study_id),
                                  on_done=self._on_detail_loaded,
                                  on_error=lambda e: self.message.show_error(error_text(e)))

    def _on_detail_loaded(self, detail: MsaStudyDetail) -> None:
        study = self.shown()
        if study is not None and study.study_id == detail.info.study_id:
            self.detail = detail
            self._show_reasons()

    def _show_reasons(self) -> None:
        detail = self.detail
        if detail is None:
            self.reasons.clear()
        elif detail.result is None:
            self.reasons.setText(detail.problem_text(tr))
        else:
            lines = [note.text(lambda context, text: tr(context, text))
                     for note in detail.result.notes]
            self.reasons.setText("\n".join(lines) or verdict_text(detail.info.verdict))

    def _on_record_button_clicked(self) -> None:
        if self.gauge is None:
            return
        self.dialog = MsaRecordDialog(self.session, self.gauge, self)
        self.dialog.open()


def _pct(value: str) -> str:
    return f"{value} %" if value else "—"
