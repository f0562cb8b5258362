"""Import parts: choose a file -> map its columns -> see every row's status -> apply -> summary.

Once the file is read, the sheet it was read from and the row taken as its header are shown above
the steps (the first rows of the sheet with the header marked), and either can be changed: the
file is then read and checked again in the background, and the preview follows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.files.header_detect import HeaderNotFound
from desktop_app.files.tables import SheetLayout, column_letter
from desktop_app.services.parts_import import (
    ColumnsNeeded,
    ImportPreview,
    ImportResult,
    ImportRow,
    PartsImportService,
    PlanOutdated,
    RowStatus,
)
from desktop_app.services.parts_import_rows import FIELD_LABELS
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.row_number_box import RowNumberSpinBox

CHOOSE, MAPPING, ROWS, DONE = range(4)
HEADER_COLOUR = QColor("#dbe8f7")
STATUS_COLOURS = {
    RowStatus.NEW: QColor("#e3f2e1"),
    RowStatus.CHANGED: QColor("#fff4d6"),
    RowStatus.UNCHANGED: QColor("#f2f2f2"),
    RowStatus.ERROR: QColor("#fbe1e1"),
}


def status_text(status: RowStatus) -> str:
    return {
        RowStatus.NEW: tr("PartsImportDialog", "New"),
        RowStatus.CHANGED: tr("PartsImportDialog", "Changed"),
        RowStatus.UNCHANGED: tr("PartsImportDialog", "Unchanged"),
        RowStatus.ERROR: tr("PartsImportDialog", "Error"),
    }[status]


RECORD_FIELDS = {"supplier_id": "supplier", "vehicle_model_ids": "vehicle_models"}


def field_label(name: str) -> str:
    """The label of a part field named in a changed row (record field names)."""
    if name == "designations":
        return tr("PartsImportDialog", "Designations")
    label = FIELD_LABELS.get(RECORD_FIELDS.get(name, name))
    return tr("PartsImport", label) if label else name


class ImportRowsTableModel(QAbstractTableModel):
    """The preview's rows: row number, status (coloured), part number, revision, reason.

    The rows stay in the plan on disk; the view asks only for those it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: Sequence[ImportRow] = ()

    def set_rows(self, rows: Sequence[ImportRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 5

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 4:
                detail = row.message
                if row.changed_fields:
                    names = ", ".join(field_label(f) for f in row.changed_fields)
                    detail = names + (f" — {detail}" if detail else "")
                return detail
            return (row.number, status_text(row.status), row.part_number,
                    row.revision)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(STATUS_COLOURS[row.status])
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return row.message
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("PartsImportDialog", "Row"), tr("PartsImportDialog", "Status"),
                    tr("PartsImportDialog", "Part number"), tr("PartsImportDialog", "Rev."),
                    tr("PartsImportDialog", "Changes / reason"))[section]
        return None


class PartsImportDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parts_import_dialog")
        self.session = session
        self.service = PartsImportService(session.ctx)
        self.headers: list[str] = []
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self.overrides: dict[str, int | None] = {}
        self.layout_shown: SheetLayout | None = None
        self._sheet: str | None = None  # chosen by the person; None: found from the column names
        self._header_row: int | None = None  # likewise
        self._generation = 0  # the latest reading asked for; older results are dropped
        self._job = 0
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._show_step(CHOOSE)

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.steps = QStackedWidget()
        choose = QWidget()
        self.intro = QLabel(wordWrap=True)
        self.path_edit = QLineEdit(objectName="import_path_edit")
        self.browse_button = QPushButton(objectName="browse_button")
        self.strict_check = QCheckBox(objectName="strict_check")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(choose)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.strict_check)
        layout.addStretch(1)
        self.steps.addWidget(choose)

        self.sheet_bar = QWidget(objectName="sheet_bar")
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox(objectName="sheet_combo")
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.header_label = QLabel()
        self.header_spin = RowNumberSpinBox(objectName="header_row_spin")
        self.header_note = QLabel(objectName="header_note")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.header_label.setBuddy(self.header_spin)
        bar = QHBoxLayout(self.sheet_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.sheet_label, self.sheet_combo, self.header_label, self.header_spin,
                       self.header_note):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.sheet_rows_intro = QLabel(wordWrap=True)
        self.sheet_rows = QTableWidget(0, 0, objectName="sheet_rows_table")
        self.sheet_rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sheet_rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sheet_rows.setWordWrap(False)
        self.sheet_rows.setMaximumHeight(150)

        mapping = QWidget()
        self.mapping_intro = QLabel(wordWrap=True)
        self.mapping_table = QTableWidget(0, 2, objectName="mapping_table")
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(mapping)
        layout.addWidget(self.sheet_rows_intro)
        layout.addWidget(self.sheet_rows)
        layout.addWidget(self.mapping_intro)
        layout.addWidget(self.mapping_table, 1)
        self.steps.addWidget(mapping)

        rows = QWidget()
        self.counts_label = QLabel(objectName="counts_label", wordWrap=True)
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rows_model = ImportRowsTableModel(self)
        self.rows_view = QTableView(objectName="rows_view")
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.verticalHeader().hide()
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(rows)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.rows_view, 1)
        self.steps.addWidget(rows)

        done = QWidget()
        self.summary_label = QLabel(objectName="summary_label", wordWrap=True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(done)
        layout.addWidget(self.summary_label)
        layout.addStretch(1)
        self.steps.addWidget(done)

        self.message = MessageLabel(objectName="import_message")
        self.back_button = QPushButton(objectName="back_button")
        self.next_button = QPushButton(objectName="next_button")
        self.apply_button = QPushButton(objectName="apply_button")
        self.close_button = QPushButton(objectName="close_button")
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.next_button, self.apply_button, self.close_button):
            buttons.addWidget(button)
        main = QVBoxLayout(self)
        main.addWidget(self.sheet_bar)
        main.addWidget(self.steps, 1)
        main.addWidget(self.message)
        main.addLayout(buttons)
        self.resize(820, 600)

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.path_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.next_button.clicked.connect(self._on_next_clicked)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(lambda _result: self._set_preview(None))
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.header_spin.valueChanged.connect(self._on_header_spin_value_changed)
        self.sheet_rows.cellDoubleClicked.connect(self._on_sheet_rows_double_clicked)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("PartsImportDialog", "Import parts"))
        self.intro.setText(tr(
            "PartsImportDialog", "Choose a workbook (.xlsx, .xls, .ods) or a CSV file with one "
                                 "part revision per row and a header row. Nothing is written "
                                 "until you apply, and then every row or none."))
        self.browse_button.setText(tr("PartsImportDialog", "Browse…"))
        self.strict_check.setText(tr(
            "PartsImportDialog", "Strict: refuse suppliers that are not registered yet"))
        self.mapping_intro.setText(tr(
            "PartsImportDialog", "Each field takes its values from the column shown; change any "
                                 "of them by hand."))
        self.mapping_table.setHorizontalHeaderLabels(
            [tr("PartsImportDialog", "Field"), tr("PartsImportDialog", "Column of the file")])
        self.back_button.setText(tr("PartsImportDialog", "Back"))
        self.next_button.setText(tr("PartsImportDialog", "Next"))
        self.apply_button.setText(tr("PartsImportDialog", "Apply"))
        self.close_button.setText(tr("PartsImportDialog", "Close"))
        self.sheet_label.setText(tr("PartsImportDialog", "Sheet:"))
        self.header_label.setText(tr("PartsImportDialog", "Header row:"))
        self.sheet_rows_intro.setText(tr(
            "PartsImportDialog", "The first rows of the sheet, the header row marked; "
                                 "double-click the row that names the columns to take it."))
        if self.layout_shown is not None:
            self._show_layout(self.layout_shown)
        if self.headers:
            self._fill_mapping(self.headers, self._mapping_overrides_or_suggested())
        if self.preview is not None:
            self._show_counts(self.preview)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- steps -----------------------------------------------------------------------------

    def _show_step(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.steps.currentIndex()
        self.sheet_bar.setVisible(step in (MAPPING, ROWS) and self.layout_shown is not None)
        self.back_button.setVisible(step in (MAPPING, ROWS))
        self.next_button.setVisible(step in (CHOOSE, MAPPING))
        self.next_button.setEnabled(step != CHOOSE or bool(self.path_edit.text().strip()))
        self.apply_button.setVisible(step == ROWS)
        self.apply_button.setEnabled(step == ROWS and self.preview is not None
                                     and self.preview.can_apply)
        self.close_button.setText(tr("PartsImportDialog", "Close") if step == DONE
                                  else tr("PartsImportDialog", "Cancel"))

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("PartsImportDialog", "Parts file"), "",
            tr("PartsImportDialog", "Parts lists (*.xlsx *.xls *.ods *.csv);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def _on_back_clicked(self) -> None:
        self.message.setText("")
        self._show_step(self.steps.currentIndex() - 1)

    def _on_next_clicked(self) -> None:
        self.message.setText("")
        if self.steps.currentIndex() == CHOOSE:
            self._set_preview(None)
            self.headers = []
            self.overrides = {}
            self._sheet, self._header_row, self.layout_shown = None, None, None
            self.mapping_table.setRowCount(0)
            self._run_preview(None, MAPPING)
            return
        self.overrides = self._mapping_overrides()
        preview = self.preview
        if (preview is not None and preview.strict == self.strict_check.isChecked()
                and self._chosen(self.overrides) == preview.mapping):
            self._show_step(ROWS)  # the file was read and checked with this mapping already
        else:
            self._run_preview(dict(self.overrides), ROWS)

    @staticmethod
    def _chosen(overrides: dict[str, int | None]) -> dict[str, int]:
        return {f: c for f, c in overrides.items() if c is not None}

    def _set_preview(self, preview: ImportPreview | None) -> None:
        if self.preview is not None and self.preview is not preview:
            self.preview.discard()
        self.preview = preview

    def _run_preview(self, overrides: dict[str, int | None] | None, next_step: int,
                     refill: bool = False) -> None:
        """Read and check the file once; its plan is what Apply writes. A reading still running
        is cancelled: only the latest one is shown."""
        path = Path(self.path_edit.text().strip())
        service, actor, strict = self.service, self.session.actor, self.strict_check.isChecked()
        sheet, header_row = self._sheet, self._header_row
        self._generation += 1
        generation = self._generation
        if self._job:
            self.session.tasks.cancel(self._job)
        self.next_button.setEnabled(False)
        self._job = self.session.tasks.submit_long(
            lambda progress, cancelled: service.preview(
                actor, path, overrides, strict, progress, cancelled, sheet=sheet,
                header_row=header_row),
            tr("PartsImportDialog", "Reading and checking the file…"), self,
            on_done=lambda preview: self._on_previewed(preview, next_step, refill, generation),
            on_error=lambda exc: self._on_preview_failed(exc, generation))

    def _on_previewed(self, preview: ImportPreview, next_step: int, refill: bool = False,
                      generation: int = 0) -> None:
        if generation != self._generation:  # a later reading was asked for
            preview.discard()
            return
        self._job = 0
        self._set_preview(preview)
        self.headers = list(preview.headers)
        if preview.layout is not None:
            self._show_layout(preview.layout)
        if refill or next_step == MAPPING or self.mapping_table.rowCount() == 0:
            self._fill_mapping(self.headers, preview.mapping)
        self.rows_model.set_rows(preview.rows)
        self.rows_view.resizeColumnsToContents()
        self._show_counts(preview)
        self._show_step(next_step)

    def _on_preview_failed(self, exc: BaseException, generation: int = 0) -> None:
        if generation != self._generation:
            return
        self._job = 0
        self._set_preview(None)  # it was read with another sheet or header row
        if isinstance(exc, ColumnsNeeded):  # the person maps the missing column by hand
            self.headers = list(exc.headers)
            if exc.layout is not None:
                self._show_layout(exc.layout)
            self._fill_mapping(self.headers, exc.mapping)
            self._show_step(MAPPING)
        elif isinstance(exc, HeaderNotFound) and isinstance(exc.layout, SheetLayout):
            self.headers = []  # the person chooses the header row, or another sheet
            self._show_layout(exc.layout)
            self.mapping_table.setRowCount(0)
            self._show_step(MAPPING)
        self._on_failed(exc)

    # -- the sheet and its header row ---------------------------------------------------------

    def _show_layout(self, layout: SheetLayout) -> None:
        """Which sheet was read and which row is its header, with the sheet's first rows."""
        self.layout_shown = layout
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(layout.sheets) if layout.sheet else [
            tr("PartsImportDialog", "(the file)")])
        self.sheet_combo.setCurrentIndex(layout.sheet_number - 1)
        self.sheet_combo.setEnabled(len(layout.sheets) > 1)
        self.sheet_combo.blockSignals(False)
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(max(1, layout.header_row))
        self.header_spin.blockSignals(False)
        if not layout.header_row:
            self.header_note.setText(tr("PartsImportDialog", "No header row found"))
        elif layout.detected:
            self.header_note.setText(tr("PartsImportDialog", "Found by its column names"))
        else:
            self.header_note.setText(tr("PartsImportDialog", "Chosen by hand"))
        rows = layout.top
        width = max((len(r.values) for r in rows), default=0)
        self.sheet_rows.clear()
        self.sheet_rows.setRowCount(len(rows))
        self.sheet_rows.setColumnCount(width)
        self.sheet_rows.setHorizontalHeaderLabels([column_letter(i) for i in range(width)])
        self.sheet_rows.setVerticalHeaderLabels([str(r.number) for r in rows])
        for r, row in enumerate(rows):
            header = row.number == layout.header_row
            for c, text in enumerate(row.values):
                item = QTableWidgetItem(text)
                if header:
                    item.setBackground(QBrush(HEADER_COLOUR))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.sheet_rows.setItem(r, c, item)
            if header:
                self.sheet_rows.scrollToItem(self.sheet_rows.item(r, 0) or QTableWidgetItem())
        self._update_buttons()

    def _on_sheet_combo_activated(self, index: int) -> None:
        layout = self.layout_shown
        if layout is None or not 0 <= index < len(layout.sheets):
            return
        self._sheet = layout.sheets[index]
        self._header_row = None  # found again on the other sheet
        self._read_again()

    def _on_header_spin_value_changed(self, value: int) -> None:
        if self.layout_shown is None:
            return
        self._sheet = self.layout_shown.sheet or None
        self._header_row = value
        self._read_again()

    def _on_sheet_rows_double_clicked(self, row: int, _column: int) -> None:
        layout = self.layout_shown
        if layout is not None and 0 <= row < len(layout.top):
            self.header_spin.setValue(layout.top[row].number)  # reads again

    def _read_again(self) -> None:
        """Read the file again with the sheet and header row chosen; the columns may differ,
        so the mapping is suggested anew."""
        self.message.setText("")
        self.overrides = {}
        step = self.steps.currentIndex()
        self._run_preview(None, step if step in (MAPPING, ROWS) else MAPPING, refill=True)

    def _on_failed(self, exc: BaseException) -> None:
        self.message.show_error(error_text(exc))
        self._update_buttons()

    def _fill_mapping(self, headers: list[str] | tuple[str, ...],
                      mapping: dict[str, int]) -> None:
        labels = self.service.field_labels()
        self.mapping_table.setRowCount(len(labels))
        choices = [tr("PartsImportDialog", "— not imported —")] + [
            f"{column_letter(i)}: {h}" for i, h in enumerate(headers)]
        for row, (field_name, label) in enumerate(labels.items()):
            item = QTableWidgetItem(tr("PartsImport", label))
            item.setData(Qt.ItemDataRole.UserRole, field_name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping_table.setItem(row, 0, item)
            combo = QComboBox()
            combo.setObjectName(f"map_{field_name}")
            combo.addItems(choices)
            column = mapping.get(field_name)
            combo.setCurrentIndex(0 if column is None else column + 1)
            self.mapping_table.setCellWidget(row, 1, combo)

    def _mapping_overrides(self) -> dict[str, int | None]:
        result: dict[str, int | None] = {}
        for row in range(self.mapping_table.rowCount()):
            field_name = self.mapping_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            combo = self.mapping_table.cellWidget(row, 1)
            index = combo.currentIndex() if isinstance(combo, QComboBox) else 0
            result[field_name] = None if index <= 0 else index - 1
        return result

    def _mapping_overrides_or_suggested(self) -> dict[str, int]:
        if self.mapping_table.rowCount() == 0:
            return self.service.suggest_mapping(self.headers)
        return {f: c for f, c in self._mapping_overrides().items() if c is not None}

    def mapping_combo(self, field_name: str) -> QComboBox:
        combo = self.mapping_table.findChild(QComboBox, f"map_{field_name}")
        assert combo is not None
        return combo

    def _show_counts(self, preview: ImportPreview) -> None:
        text = tr("PartsImportDialog", "{new} new, {changed} changed, {unchanged} unchanged, "
                                       "{errors} with errors.").format(
            new=preview.count(RowStatus.NEW), changed=preview.count(RowStatus.CHANGED),
            unchanged=preview.count(RowStatus.UNCHANGED), errors=preview.count(RowStatus.ERROR))
        if preview.new_suppliers:
            text += "\n" + tr("PartsImportDialog", "Suppliers to create: {names}").format(
                names=", ".join(preview.new_suppliers))
        if preview.errors:
            text += "\n" + tr("PartsImportDialog", "Correct the rows in error in the file, then "
                                                   "import it again; nothing was written.")
        self.counts_label.setText(text)

    def _on_apply_clicked(self) -> None:
        preview = self.preview
        if preview is None:
            return
        service, actor = self.service, self.session.actor
        self.apply_button.setEnabled(False)
        self.session.tasks.submit_long(
            lambda progress, cancelled: service.apply(actor, preview, progress=progress,
                                                      cancelled=cancelled),
            tr("PartsImportDialog", "Importing parts…"), self, on_done=self._on_applied,
            on_error=self._on_apply_failed, changes=Change.of("part", "supplier"))

    def _on_apply_failed(self, exc: BaseException) -> None:
        self._on_failed(exc)
        if isinstance(exc, PlanOutdated):  # said in one sentence; read and check again
            self._run_preview(dict(self.overrides) or None, ROWS)

    def _on_applied(self, result: ImportResult) -> None:
        self.result = result
        self.summary_label.setText(tr(
            "PartsImportDialog", "Imported: {created} new part revisions, {changed} changed, "
                                 "{unchanged} unchanged; {suppliers} suppliers created.").format(
            created=result.created, changed=result.changed, unchanged=result.unchanged,
            suppliers=result.suppliers_created))
        self._show_step(DONE)
