"""Import characteristics or measurements from CSV / Excel: choose a file, check how its columns
are mapped (change any by hand), look at the preview, then apply — all or nothing.

A Q-DAS AQDEF file (.dfq, or a .dfd with the .dfx of its values) needs no mapping: its K-fields
name each value. The preview is the same, with the dates and operators of the readings and what
the import leaves out; the report is dated by the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from desktop_app.domain.evidence import REPORT_TYPE_LABELS, VERDICT_LABELS, ReportType, Verdict
from desktop_app.files.aqdef import AqdefFile, companion_of
from desktop_app.files.tables import SheetLayout, Table
from desktop_app.services.evidence_dto import ReportDraft
from desktop_app.services.evidence_import import (
    CHARACTERISTIC_SYNONYMS,
    MEASUREMENT_SYNONYMS,
    CharacteristicPreview,
    EvidenceImportService,
    MeasurementPreview,
)
from desktop_app.services.evidence_sheets import is_sheet, read_evidence_sheet
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.settings import LAST_FOLDER
from desktop_app.ui.widgets.measurement_grid import FAIL_COLOR, PASS_COLOR
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.row_number_box import RowNumberSpinBox

AUTOMATIC = -2
UNUSED = -1


class EvidenceImportDialog(QDialog):
    def __init__(self, session: UiSession, part_id: str, mode: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidence_import_dialog")
        self.session = session
        self.part_id = part_id
        self.mode = mode  # "characteristics" or "measurements"
        self._service = EvidenceImportService(session.ctx)
        self.table: Table | AqdefFile | None = None
        self._source_name = ""  # the file chosen (a .dfd: without its .dfx)
        self.preview: CharacteristicPreview | MeasurementPreview | None = None
        self.result: Any = None
        self._fields = list(CHARACTERISTIC_SYNONYMS if mode == "characteristics"
                            else MEASUREMENT_SYNONYMS)
        self._layout = SheetLayout((), "", 0, False)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.resize(900, 640)

    def _build_ui(self) -> None:
        self.path_edit = QLineEdit(objectName="import_path_edit")
        self.path_edit.setReadOnly(True)
        self.choose_button = QPushButton(objectName="choose_file_button")
        self.mapping_combos = {f: QComboBox(objectName=f"map_{f}_combo") for f in self._fields}
        self.mapping_form = QFormLayout()
        self.type_combo = QComboBox(objectName="import_report_type_combo")
        self.tested_edit = QDateEdit(QDate.currentDate(), objectName="import_tested_on_edit")
        self.tested_edit.setDisplayFormat("yyyy-MM-dd")
        self.tested_edit.setCalendarPopup(True)
        self.standard_edit = QLineEdit(objectName="import_standard_edit")
        self.report_form = QFormLayout()
        self.preview_label = QLabel()
        self.file_notes = QLabel(objectName="import_file_notes")  # AQDEF: dates, operators, notes
        self.file_notes.setWordWrap(True)
        self.file_notes.hide()
        self.preview_table = QTableWidget(0, 0, objectName="import_preview_table")  # no "1 2 3"
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().hide()
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.message = MessageLabel(objectName="import_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setEnabled(False)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        # The sheet read and its header row: shown once a sheet is read, and changeable.
        self._sheet: str | None = None
        self._header_row: int | None = None
        self._reading: tuple[Path, Any] | None = None  # (file, its AQDEF companion)
        self._job = 0
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox(objectName="import_sheet_combo")
        self.header_label = QLabel()
        self.header_spin = RowNumberSpinBox(objectName="import_header_row_spin")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.header_label.setBuddy(self.header_spin)
        for widget in (self.sheet_label, self.sheet_combo, self.header_label, self.header_spin):
            file_row.addWidget(widget)
            widget.hide()
        columns = QHBoxLayout()
        columns.addLayout(self.mapping_form, 1)
        columns.addLayout(self.report_form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(columns)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.file_notes)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.header_spin.valueChanged.connect(self._on_header_spin_value_changed)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.buttons.rejected.connect(self.reject)
        for combo in self.mapping_combos.values():
            combo.activated.connect(lambda _index: self.run_preview())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import characteristics") if self.mode == "characteristics"
                            else self.tr("Import measurements"))
        self.choose_button.setText(self.tr("Choose a file…"))
        self.sheet_label.setText(self.tr("Sheet:"))
        self.header_label.setText(self.tr("Header row:"))
        self.apply_button.setText(self.tr("Apply"))
        while self.mapping_form.rowCount():
            self.mapping_form.takeRow(0)
        labels = self._field_labels()
        for field, combo in self.mapping_combos.items():
            self.mapping_form.addRow(labels.get(field, field), combo)
        self._fill_combos()
        while self.report_form.rowCount():
            self.report_form.takeRow(0)
        if self.mode == "measurements":
            current = self.type_combo.currentData()
            self.type_combo.clear()
            for member in ReportType:
                self.type_combo.addItem(tr("Evidence", REPORT_TYPE_LABELS[member]), str(member))
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(current)))
            self.report_form.addRow(self.tr("Report type"), self.type_combo)
            self.report_form.addRow(self.tr("Tested on"), self.tested_edit)
            self.report_form.addRow(self.tr("Standard"), self.standard_edit)
        for widget in (self.type_combo, self.tested_edit, self.standard_edit):
            widget.setVisible(self.mode == "measurements")

    def _field_labels(self) -> dict[str, str]:
        return {
            "number": self.tr("Number (balloon)"), "description": self.tr("Description"),
            "nominal": self.tr("Nominal"), "lower_tol": self.tr("Lower tolerance"),
            "upper_tol": self.tr("Upper tolerance"), "lower_limit": self.tr("Lower limit"),
            "upper_limit": self.tr("Upper limit"), "unit": self.tr("Unit"),
            "char_class": self.tr("Class (CC / SC)"), "method": self.tr("Measuring method"),
            "gauge_code": self.tr("Gauge"), "characteristic": self.tr("Characteristic"),
            "value": self.tr("Reading"), "gauge": self.tr("Gauge"),
        }

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _fill_combos(self) -> None:
        headers = self.table.headers if self.table else []
        for combo in self.mapping_combos.values():
            current = combo.currentData()
            combo.clear()
            combo.addItem(self.tr("(automatic)"), AUTOMATIC)
            combo.addItem(self.tr("(not in the file)"), UNUSED)
            for index, header in enumerate(headers):
                combo.addItem(header, index)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def overrides(self) -> dict[str, int | None]:
        result: dict[str, int | None] = {}
        for field, combo in self.mapping_combos.items():
            value = combo.currentData()
            if value == UNUSED:
                result[field] = None
            elif value is not None and value >= 0:
                result[field] = value
        return result

    # -- work ------------------------------------------------------------------------------

    def _on_choose_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.windowTitle(), self.session.settings.get(LAST_FOLDER),
            ";;".join([self.tr("Tables (*.csv *.xlsx *.xls *.ods *.txt)"),
                       self.tr("AQDEF (*.dfq *.dfd *.dfx)")]))
        if name:
            path = Path(name)
            self.session.settings.set(LAST_FOLDER, str(path.parent))
            companion = None
            if path.suffix.lower() in (".dfd", ".dfx") and companion_of(path) is None:
                companion = self.ask_companion(path)
            self.load(path, companion)

    def ask_companion(self, path: Path) -> Path | None:
        """The .dfx of a .dfd (or the .dfd of a .dfx) that is not beside it: asked; a .dfd
        without its values still gives its characteristics."""
        if path.suffix.lower() == ".dfd":
            title = self.tr("Choose the values (.dfx) of {name}").format(name=path.name)
            wanted = "AQDEF (*.dfx)"
        else:
            title = self.tr("Choose the description (.dfd) of {name}").format(name=path.name)
            wanted = "AQDEF (*.dfd)"
        name, _ = QFileDialog.getOpenFileName(self, title, str(path.parent), wanted)
        return Path(name) if name else None

    def load(self, path: Path, companion: Path | None = None) -> None:
        self.path_edit.setText(str(path) if companion is None
                               else f"{path}  +  {companion.name}")
        self._source_name = path.name
        self._job = self.session.tasks.submit_long(
            self._reader(path, companion), self.tr("Reading {name}").format(name=path.name),
            self, on_done=self._on_table_read, on_error=self._on_failed)

    def _on_table_read(self, table: Table | AqdefFile) -> None:
        self._show_sheet(getattr(table, "layout", None))
        self.table = table
        aqdef = isinstance(table, AqdefFile)
        for combo in self.mapping_combos.values():  # the K-fields name each value
            self.mapping_form.setRowVisible(combo, not aqdef)
        self._fill_combos()
        self.run_preview()

    def run_preview(self) -> None:
        if self.table is None:
            return
        service, part_id, table, overrides = (self._service, self.part_id, self.table,
                                              self.overrides())
        if self.mode == "characteristics":
            def work() -> Any:
                return service.preview_characteristics(part_id, table, overrides)
        else:
            def work() -> Any:
                return service.preview_measurements(part_id, table, overrides)
        self.session.tasks.submit(work, on_done=self._on_preview, on_error=self._on_failed)

    def _on_preview(self, preview: CharacteristicPreview | MeasurementPreview) -> None:
        self.preview = preview
        problems = [p.message for p in preview.problems]
        if isinstance(preview, MeasurementPreview):
            problems += [self.tr("Characteristic {number} is not on this part.").format(
                number=n) for n in preview.unknown]
            headers = [self.tr("No."), self.tr("Description"), self.tr("Readings"),
                       self.tr("Outside the limits"), self.tr("Verdict")]
            rows = [([r.number, r.description, str(len(r.readings)), str(r.failing),
                      tr("Evidence", VERDICT_LABELS[Verdict(r.verdict)])], r.verdict)
                    for r in preview.results]
            summary = self.tr("{readings} of {characteristics} ({shape} layout).").format(
                readings=tr_n("EvidenceImportDialog", "%Ln readings", preview.reading_count),
                characteristics=tr_n("EvidenceImportDialog", "%Ln characteristics",
                                     len(preview.results)), shape=preview.shape)
            self._show_file_notes(preview)
        else:
            self._show_file_notes(None)
            first = self.tr("Line") if isinstance(self.table, AqdefFile) else self.tr("Row")
            headers = [first, self.tr("No."), self.tr("Description"),
                       self.tr("Limits"), self.tr("Class")]
            rows = [([str(row), d.number, d.description,
                      f"{d.lower_limit or d.lower_tol} … {d.upper_limit or d.upper_tol}",
                      d.char_class], "") for row, d in preview.drafts]
            summary = tr_n("EvidenceImportDialog", "%Ln characteristics would be added.",
                           len(preview.drafts))
        if preview.ignored_columns:
            summary += " " + self.tr("Ignored columns: {names}").format(
                names=", ".join(preview.ignored_columns))
        self.preview_label.setText(summary)
        self.preview_table.setColumnCount(len(headers))
        self.preview_table.setHorizontalHeaderLabels(headers)
        self.preview_table.setRowCount(len(rows))
        for r, (values, verdict) in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if verdict and c == len(values) - 1:
                    item.setBackground(PASS_COLOR if verdict == "pass" else FAIL_COLOR)
                self.preview_table.setItem(r, c, item)
        if problems:
            self.message.show_error("\n".join(problems[:20]))
        else:
            self.message.clear()
        self.apply_button.setEnabled(preview.ok)

    def _on_apply_clicked(self) -> None:
        if self.table is None:
            return
        service, actor, part_id, table, overrides = (
            self._service, self.session.actor, self.part_id, self.table, self.overrides())
        if self.mode == "characteristics":
            def work() -> Any:
                return service.import_characteristics(actor, part_id, table, overrides)
            changes = Change.of("characteristic")
        else:
            from_file = (isinstance(self.table, AqdefFile)
                         and isinstance(self.preview, MeasurementPreview)
                         and bool(self.preview.operators))
            draft = ReportDraft(part_id, self.type_combo.currentData(),
                                title=self._source_name or Path(self.path_edit.text()).name,
                                standard=self.standard_edit.text(),
                                tested_on=self.tested_edit.date().toString("yyyy-MM-dd"),
                                operator="" if from_file else self.session.actor.display_name)

            def work() -> Any:
                return service.import_measurements(actor, draft, table, overrides)
            changes = Change.of("test_report", "measurement_set")
        self.apply_button.setEnabled(False)
        self.session.tasks.submit(work, on_done=self._on_applied, on_error=self._on_failed,
                                  changes=changes)

    def _show_file_notes(self, preview: MeasurementPreview | None) -> None:
        """For an AQDEF file: when and by whom the readings were taken (the report is dated
        by the last one), and what the import leaves out or found different."""
        lines = []
        if preview is not None and preview.tested_on:
            self.tested_edit.setDate(QDate.fromString(preview.tested_on, "yyyy-MM-dd"))
            if preview.first_day == preview.tested_on:
                lines.append(self.tr("Readings taken on {day}.").format(day=preview.tested_on))
            else:
                lines.append(self.tr("Readings taken from {first} to {last}.").format(
                    first=preview.first_day, last=preview.tested_on))
        if preview is not None and preview.operators:
            lines.append(self.tr("Operators: {names}").format(
                names=", ".join(preview.operators)))
        if preview is not None:
            lines += [note.text(tr) for note in preview.notes]
        self.file_notes.setText("\n".join(lines))
        self.file_notes.setVisible(bool(lines))

    def _on_applied(self, result: Any) -> None:
        self.result = result
        self.accept()

    # -- the sheet and its header row ---------------------------------------------------------

    def _reader(self, path: Path, companion: Any = None) -> Any:
        """What reads the file in the background: a sheet with the sheet and header row chosen
        (found by their column names until the person chooses), an AQDEF file as it is."""
        if self._reading is None or self._reading[0] != path:
            self._sheet, self._header_row = None, None  # another file: found anew
        if self._job:
            self.session.tasks.cancel(self._job)  # a reading still running is not wanted
        self._reading = (path, companion)
        service, ctx, mode, part_id = self._service, self.session.ctx, self.mode, self.part_id
        sheet, header_row = self._sheet, self._header_row
        if not is_sheet(path):
            self._show_sheet(None)
            if companion is not None:
                return lambda progress, cancelled: service.read(  # type: ignore[call-arg]
                    path, progress, cancelled, companion)
            return lambda progress, cancelled: service.read(path, progress, cancelled)
        return lambda progress, cancelled: read_evidence_sheet(
            ctx, path, mode, part_id, progress, cancelled, sheet=sheet, header_row=header_row)

    def _show_sheet(self, layout: SheetLayout | None) -> None:
        widgets = (self.sheet_label, self.sheet_combo, self.header_label, self.header_spin)
        for widget in widgets:
            widget.setVisible(layout is not None)
        if layout is None:
            return
        self._layout = layout
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(layout.sheets) if layout.sheet else [self.tr("(the file)")])
        self.sheet_combo.setCurrentIndex(layout.sheet_number - 1)
        self.sheet_combo.setEnabled(len(layout.sheets) > 1)
        self.sheet_combo.blockSignals(False)
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(max(1, layout.header_row))
        self.header_spin.blockSignals(False)
        self.header_spin.setToolTip(
            self.tr("Found by its column names") if layout.detected else
            self.tr("Chosen by hand") if layout.header_row else self.tr("No header row found"))

    def _on_sheet_combo_activated(self, index: int) -> None:
        if self._reading is None or not 0 <= index < len(self._layout.sheets):
            return
        self._sheet, self._header_row = self._layout.sheets[index], None
        self._read_again()

    def _on_header_spin_value_changed(self, value: int) -> None:
        if self._reading is None:
            return
        self._sheet, self._header_row = self._layout.sheet or None, value
        self._read_again()

    def _read_again(self) -> None:
        """The file read again from the sheet and header row chosen; the preview follows."""
        assert self._reading is not None
        path, companion = self._reading
        self.table = None
        self.message.clear()
        self._job = self.session.tasks.submit_long(
            self._reader(path, companion), self.tr("Reading {name}").format(name=path.name),
            self, on_done=self._on_table_read, on_error=self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        layout = getattr(exc, "layout", None)
        if isinstance(layout, SheetLayout):  # no header found: the person chooses one
            self.table = None
            self._show_sheet(layout)
        self.message.show_error(error_text(exc))
