"""Record a test report: its header (type, standard, laboratory, dates, operator, conclusion)
and, for measured characteristics, the readings typed into the measurement grid.

Keyboard first: the grid has the focus once the characteristics are read, so a reading typed (by
a person or a USB gauge) lands in its first cell; Enter goes down, Tab across, Ctrl+S saves, and
Escape asks before dropping readings typed."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.evidence import (
    LAB_KIND_LABELS,
    REPORT_TYPE_LABELS,
    STATED_RESULT_LABELS,
    LabKind,
    ReportType,
    StatedResult,
)
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import (
    CharacteristicInfo,
    ReportDetail,
    ReportDraft,
    ResultDraft,
)
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.shortcuts import add_save_shortcut, shortcut
from desktop_app.ui.tab_order import set_tab_order
from desktop_app.ui.widgets.measurement_grid import GridColumn, MeasurementGridWidget
from desktop_app.ui.widgets.message_label import MessageLabel


class ReportDialog(QDialog):
    """A new report, or (`corrects` given) a correction: a new report that supersedes the old
    one, filled in with its header and readings, saved with a reason."""

    def __init__(self, session: UiSession, part_id: str, parent: QWidget | None = None,
                 corrects: ReportDetail | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_dialog")
        self.session = session
        self.part_id = part_id
        self.corrects = corrects
        self._service = EvidenceService(session.ctx)
        self.characteristics: list[CharacteristicInfo] = []
        self.recorded: ReportDetail | None = None
        self.typed = False  # readings typed here, asked about before Escape drops them
        self.discard_box: QMessageBox | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        # The form's fields join the dialog in retranslate_ui, after the grid and the buttons.
        set_tab_order(
            self.type_combo, self.title_edit, self.standard_edit, self.lab_edit,
            self.lab_kind_combo, self.accreditation_edit, self.sample_spin, self.subgroup_spin,
            self.tested_edit, self.operator_edit, self.result_combo, self.conclusion_edit,
            self.reason_edit if self.corrects is not None else None, self.grid.table,
            self.buttons)
        self.resize(1100, 680)
        if corrects is not None:
            self._fill_from(corrects)
        service = self._service
        session.tasks.submit(lambda: service.queries.characteristics(part_id),
                             on_done=self._on_characteristics_loaded,
                             on_error=lambda e: self.message.show_error(error_text(e)))

    def _build_ui(self) -> None:
        self.type_combo = QComboBox(objectName="report_type_combo")
        self.title_edit = QLineEdit(objectName="report_title_edit")
        self.standard_edit = QLineEdit(objectName="report_standard_edit")
        self.lab_edit = QLineEdit(objectName="report_lab_edit")
        self.lab_kind_combo = QComboBox(objectName="lab_kind_combo")
        self.accreditation_edit = QLineEdit(objectName="accreditation_edit")
        self.sample_spin = QSpinBox(objectName="sample_size_spin")
        self.sample_spin.setRange(0, 100000)
        self.sample_spin.setValue(5)
        self.subgroup_spin = QSpinBox(objectName="subgroup_size_spin")
        self.subgroup_spin.setRange(1, 10)
        self.tested_edit = QDateEdit(QDate.currentDate(), objectName="tested_on_edit")
        self.tested_edit.setCalendarPopup(True)
        self.tested_edit.setDisplayFormat("yyyy-MM-dd")
        self.operator_edit = QLineEdit(objectName="operator_edit")
        self.operator_edit.setText(self.session.actor.display_name)
        self.result_combo = QComboBox(objectName="stated_result_combo")
        self.conclusion_edit = QPlainTextEdit(objectName="conclusion_edit")
        self.conclusion_edit.setMaximumHeight(70)
        self.conclusion_edit.setTabChangesFocus(True)  # Tab goes on to the grid
        self.reason_edit = QLineEdit(objectName="correction_reason_edit")
        self.form = QFormLayout()
        self.form2 = QFormLayout()
        self.grid = MeasurementGridWidget()
        self.message = MessageLabel(objectName="report_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        add_save_shortcut(self, self.save_button)
        header = QHBoxLayout()
        header.addLayout(self.form, 1)
        header.addSpacing(16)
        header.addLayout(self.form2, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.sample_spin.valueChanged.connect(self._on_sample_spin_value_changed)
        self.grid.readings_changed.connect(self._on_grid_readings_changed)
        self.grid.all_filled.connect(self._on_grid_all_filled)

    def retranslate_ui(self) -> None:
        if self.corrects is None:
            self.setWindowTitle(self.tr("New test report"))
        else:
            self.setWindowTitle(self.tr("Correct report {number}").format(
                number=self.corrects.summary.number))
        for combo, labels, enum in ((self.type_combo, REPORT_TYPE_LABELS, ReportType),
                                    (self.lab_kind_combo, LAB_KIND_LABELS, LabKind),
                                    (self.result_combo, STATED_RESULT_LABELS, StatedResult)):
            current = combo.currentData()
            combo.clear()
            for member in enum:
                combo.addItem(tr("Evidence", labels[member]), str(member))
            combo.setCurrentIndex(max(0, combo.findData(current)))
        for form in (self.form, self.form2):
            while form.rowCount():
                form.takeRow(0)
        for index, (label, widget) in enumerate((
                (self.tr("Type"), self.type_combo), (self.tr("Title"), self.title_edit),
                (self.tr("Standard (e.g. ISO 9227)"), self.standard_edit),
                (self.tr("Laboratory"), self.lab_edit), (self.tr("Internal / external"),
                                                          self.lab_kind_combo),
                (self.tr("ISO/IEC 17025 accreditation"), self.accreditation_edit),
                (self.tr("Sample size"), self.sample_spin),
                (self.tr("Subgroup size (1: individual readings)"), self.subgroup_spin),
                (self.tr("Tested on"), self.tested_edit),
                (self.tr("Operator"), self.operator_edit),
                (self.tr("Laboratory's result (reports without readings)"), self.result_combo),
                (self.tr("Conclusion"), self.conclusion_edit))):
            (self.form if index < 7 else self.form2).addRow(label, widget)
        if self.corrects is not None:
            self.form2.addRow(self.tr("Reason for the correction"), self.reason_edit)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if shortcut("dialog.close").matches(event) and self.typed and self.recorded is None:
            self.ask_to_discard()
            return
        super().keyPressEvent(event)

    def ask_to_discard(self) -> QMessageBox:
        """Escape after readings were typed: close only when the person says so."""
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), self.tr(
            "Close without saving the readings typed?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("discard_box")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Discard).clicked.connect(self.reject)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.discard_box = box
        box.open()
        return box

    def _on_sample_spin_value_changed(self, value: int) -> None:
        if self.grid.model.columnCount():
            self.grid.model.set_row_count(value)

    def _on_grid_readings_changed(self) -> None:
        self.typed = True

    def _on_grid_all_filled(self) -> None:
        self.message.show_info(self.tr("Every reading is in; {keys} saves the report.").format(
            keys=shortcut("dialog.save").key_text()))

    def _on_characteristics_loaded(self, chars: list[CharacteristicInfo]) -> None:
        self.characteristics = chars
        if not chars:  # an empty grid says why, and what to do
            self.message.show_info(self.tr(
                "This part revision has no characteristics yet, so there is nothing to measure: "
                "use “Add characteristic…” or “Import characteristics…” "
                "on the Evidence tab, then record the readings. A report without readings (a "
                "material certificate, a test result) can be recorded now."))
        old = self.corrects
        rows = max([1, self.sample_spin.value()]
                   + [len(r.readings) for r in (old.sets if old else ())])
        self.grid.set_columns([GridColumn(c.characteristic_id, c.number, c.description,
                                          c.limits, c.unit, c.data_type) for c in chars],
                              rows=rows, editable=True)
        if old is not None:
            columns = {c.characteristic_id: i for i, c in enumerate(chars)}
            for result in old.sets:
                if result.characteristic_id in columns:
                    self.grid.model.set_readings(columns[result.characteristic_id],
                                                 result.readings)
        focused = self.focusWidget()
        if chars and (focused is None or focused is self.type_combo):
            self.grid.table.setFocus()  # the first reading typed lands in the first cell

    def _fill_from(self, old: ReportDetail) -> None:
        s = old.summary
        for combo, value in ((self.type_combo, s.report_type), (self.lab_kind_combo, s.lab_kind),
                             (self.result_combo, s.stated_result)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        for edit, value in ((self.title_edit, s.title), (self.standard_edit, s.standard),
                            (self.lab_edit, s.laboratory),
                            (self.accreditation_edit, s.accreditation),
                            (self.operator_edit, s.operator)):
            edit.setText(value)
        self.sample_spin.setValue(s.sample_size)
        if s.tested_on:
            self.tested_edit.setDate(QDate.fromString(s.tested_on, "yyyy-MM-dd"))
        self.conclusion_edit.setPlainText(s.conclusion)

    def draft(self) -> tuple[ReportDraft, list[ResultDraft]]:
        draft = ReportDraft(
            part_id=self.part_id, report_type=self.type_combo.currentData(),
            title=self.title_edit.text(), standard=self.standard_edit.text(),
            laboratory=self.lab_edit.text(), lab_kind=self.lab_kind_combo.currentData(),
            accreditation=self.accreditation_edit.text(), sample_size=self.sample_spin.value(),
            tested_on=self.tested_edit.date().toString("yyyy-MM-dd"),
            operator=self.operator_edit.text(), conclusion=self.conclusion_edit.toPlainText(),
            stated_result=self.result_combo.currentData() or "")
        results = []
        for index in range(self.grid.model.columnCount()):
            readings = self.grid.model.readings(index)
            if readings:
                results.append(ResultDraft(self.grid.model.column(index).key, readings,
                                           subgroup_size=self.subgroup_spin.value()))
        return draft, results

    def _on_save_clicked(self) -> None:
        if not self.grid.commit_editing():  # Ctrl+S while a reading is still being typed
            return
        draft, results = self.draft()
        service, actor = self._service, self.session.actor
        old, reason = self.corrects, self.reason_edit.text()
        self.buttons.setEnabled(False)
        if old is not None:
            old_id = old.summary.report_id
            self.session.tasks.submit(
                lambda: service.supersede_report(actor, old_id, draft, results, reason),
                on_done=self._on_recorded, on_error=self._on_failed,
                changes=Change.of("test_report", "measurement_set"))
            return
        self.session.tasks.submit(lambda: service.record_report(actor, draft, results),
                                  on_done=self._on_recorded, on_error=self._on_failed,
                                  changes=Change.of("test_report", "measurement_set"))

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.show_error(error_text(exc))

    def _on_recorded(self, detail: ReportDetail) -> None:
        self.recorded = detail
        self.buttons.setEnabled(True)
        if detail.warnings:
            box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(),
                              "\n\n".join(w.text(tr) for w in detail.warnings),
                              QMessageBox.StandardButton.Ok,
                              self.parentWidget() or self)
            box.open()
        self.accept()
