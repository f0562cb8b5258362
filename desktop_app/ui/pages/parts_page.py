"""The parts registry: a table paged from SQLite, search as you type, filters, detail dialog.

Nothing is loaded whole: the table model fetches the pages the view shows, sorting by a header is
an ORDER BY, and the total comes from a COUNT. Searching waits for a pause in typing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QLocale, QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.parts import STATUS_LABELS
from desktop_app.domain.people import Permission
from desktop_app.files.tables import CSV_COMMA, CSV_FRENCH_EXCEL, CsvFormat, csv_format_for
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartDetail, PartQuery, PartSummary
from desktop_app.services.parts_export import EXPORT_COLUMNS, PartsExportService
from desktop_app.services.suppliers import FamilyService, SupplierService, VehicleModelService
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs, family_label
from desktop_app.ui.i18n import current_language, tr, tr_n
from desktop_app.ui.local_time import count as local_count
from desktop_app.ui.local_time import number as local_number
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.pages.base import (
    Page,
    PageFilter,
    UiSession,
    error_text,
    heading_label,
    show_error,
)
from desktop_app.ui.widgets.empty_hint import EmptyHint
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import IMPORT_PARTS, REGISTER_PARTS, allow
from desktop_app.ui.widgets.scan_field import ScanField, scanned_part
from desktop_app.ui.widgets.tables import keep_whole

# Typing pauses shorter than this make one search; a search asked for while an older one still
# waits is the only one run (ui/models/paged_table_model.py).
SEARCH_DELAY_MS = 60
CONFLICT_COLOUR = QColor("#b00020")
RECORD_TYPES = ("part", "supplier", "vehicle_model", "component_family")


def _status_text(row: PartSummary) -> str:
    text = tr("Parts", STATUS_LABELS[row.status])
    return text + (" ⚠" if row.conflict else "")


class PartsPage(Page):
    page_id = "parts"
    # "parts": values are PartQuery fields (model_id, status, supplier_id, family, approved_on)
    filter_kinds = ("parts",)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._parts = PartService(session.ctx)
        self.refs = PartRefs()
        self.can_edit = session.actor.can(Permission.EDIT_PARTS)
        self.dialog: QWidget | None = None
        self._approved_on = ""  # set by a filter only: the parts approved on that day
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.search_edit = QLineEdit(objectName="parts_search")
        self.search_edit.setClearButtonEnabled(True)
        self.supplier_filter = QComboBox(objectName="supplier_filter")
        self.family_filter = QComboBox(objectName="family_filter")
        self.model_filter = QComboBox(objectName="model_filter")
        self.status_filter = QComboBox(objectName="status_filter")
        for combo in (self.supplier_filter, self.family_filter, self.model_filter,
                      self.status_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.model = PagedTableModel(self._columns(), self.session.tasks, parent=self)
        self.table = QTableView(objectName="parts_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Designation is the text people read: it takes what the compact columns leave.
        for column, width in ((0, 112), (1, 42), (3, 110), (4, 165), (5, 100), (6, 72),
                              (7, 110), (8, 88), (9, 52)):
            self.table.setColumnWidth(column, width)
        keep_whole(self.table, 0)  # the part number
        self.empty_hint = EmptyHint(self.table, self._empty_text)
        self.total_label = QLabel(objectName="parts_total")
        self.message = MessageLabel(objectName="parts_message")
        self.new_button = QPushButton(objectName="new_part_button")
        self.open_button = QPushButton(objectName="open_part_button")
        self.import_button = QPushButton(objectName="import_parts_button")
        self.export_xlsx_button = QPushButton(objectName="export_xlsx_button")
        self.export_csv_button = QPushButton(objectName="export_csv_button")
        self.reference_button = QPushButton(objectName="reference_data_button")
        actor = self.session.actor
        allow(self.new_button, actor, Permission.EDIT_PARTS, REGISTER_PARTS)
        allow(self.import_button, actor, Permission.EDIT_PARTS, IMPORT_PARTS)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for combo in (self.supplier_filter, self.family_filter, self.model_filter,
                      self.status_filter):
            filters.addWidget(combo, 1)
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.import_button,
                       self.export_xlsx_button, self.export_csv_button, self.reference_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.make_filter_banner())
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def _columns(self) -> list[Column]:
        def family(row: PartSummary) -> str:
            info = next((f for f in self.refs.families if f.code == row.family), None)
            return family_label(info) if info else row.family

        conflict = QBrush(CONFLICT_COLOUR)
        return [
            Column("part_number", lambda: tr("PartsPage", "Part number"),
                   lambda r: r.part_number, "part_number"),
            Column("revision", lambda: tr("PartsPage", "Rev."), lambda r: r.revision,
                   "revision"),
            # In the person's language when the part has it; sorting follows the main one.
            Column("designation", lambda: tr("PartsPage", "Designation"),
                   lambda r: r.designation_in(current_language()), "designation",
                   tooltip=lambda r: r.designation_in(current_language())),
            Column("family", lambda: tr("PartsPage", "Family"), family, "family",
                   tooltip=family),
            Column("supplier", lambda: tr("PartsPage", "Supplier"), lambda r: r.supplier_name,
                   "supplier", tooltip=lambda r: r.supplier_name),
            Column("material", lambda: tr("PartsPage", "Material"), lambda r: r.material,
                   "material", tooltip=lambda r: r.material),
            Column("mass", lambda: tr("PartsPage", "Mass (kg)"), lambda r: local_number(r.mass_kg),
                   "mass", align_right=True),
            Column("status", lambda: tr("PartsPage", "Status"), _status_text, "status",
                   tooltip=lambda r: tr("PartsPage", "Edited at two sites: to be merged")
                   if r.conflict else "",
                   foreground=lambda r: conflict if r.conflict else None),
            Column("volume", lambda: tr("PartsPage", "Volume / year"),
                   lambda r: "" if r.annual_volume is None else local_count(r.annual_volume),
                   "volume", align_right=True),
            Column("special", lambda: tr("PartsPage", "CC/SC"),
                   lambda r: r.special_characteristics),
        ]

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        # Enter (a barcode scanner's too) opens the part a number names exactly, else searches.
        parts = self._parts
        self.scan = ScanField(self.search_edit, self.session.tasks,
                              lambda code: scanned_part(parts, code), self._show_dialog,
                              lambda _code: self._on_search_timer_timeout())
        self.search_timer.timeout.connect(self._on_search_timer_timeout)
        for combo in (self.supplier_filter, self.family_filter, self.model_filter,
                      self.status_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.model.total_changed.connect(self._on_model_total_changed)
        self.model.failed.connect(lambda exc: self.message.show_error(error_text(exc)))
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        # "Open…" only with a part chosen (a new search or page clears the choice).
        self.table.selectionModel().selectionChanged.connect(self._update_open_button)
        self.model.modelReset.connect(self._update_open_button)
        self._update_open_button()
        self.new_button.clicked.connect(self._on_new_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_xlsx_button.clicked.connect(lambda: self._on_export_clicked("xlsx"))
        self.export_csv_button.clicked.connect(lambda: self._on_export_clicked("csv"))
        self.reference_button.clicked.connect(self._on_reference_clicked)

    def title(self) -> str:
        return tr("PartsPage", "Parts")

    def retranslate_ui(self) -> None:
        self.heading.setText(tr("PartsPage", "Parts registry"))
        self.search_edit.setPlaceholderText(tr(
            "PartsPage", "Search part number, designation, supplier, material…"))
        self.new_button.setText(tr("PartsPage", "New part…"))
        self.open_button.setText(tr("PartsPage", "Open…"))
        self.import_button.setText(tr("PartsPage", "Import…"))
        self.export_xlsx_button.setText(tr("PartsPage", "Export .xlsx…"))
        self.export_csv_button.setText(tr("PartsPage", "Export .csv…"))
        self.reference_button.setText(tr("PartsPage", "Suppliers and models…"))
        self._fill_filters()
        self.model.retranslate()
        self._on_model_total_changed(self.model.total)

    # -- data ------------------------------------------------------------------------------

    def refresh(self, change: Change | None = None) -> None:
        if change is not None and not change.touches(*RECORD_TYPES):
            return
        if change is None or change.touches(*RECORD_TYPES[1:]):
            ctx = self.session.ctx

            def load() -> PartRefs:
                return PartRefs(SupplierService(ctx).suppliers(),
                                VehicleModelService(ctx).models(),
                                FamilyService(ctx).families())

            self.session.tasks.submit(load, on_done=self._on_refs_loaded,
                                      on_error=lambda exc: self.message.show_error(
                                          error_text(exc)))
        self._reload()

    def _on_refs_loaded(self, refs: PartRefs) -> None:
        self.refs = refs
        self._fill_filters()
        self.model.retranslate()

    def _fill_filters(self) -> None:
        choices = (
            (self.supplier_filter, tr("PartsPage", "All suppliers"),
             [(s.supplier_id, s.name) for s in self.refs.suppliers]),
            (self.family_filter, tr("PartsPage", "All families"),
             [(f.code, family_label(f)) for f in self.refs.families]),
            (self.model_filter, tr("PartsPage", "All vehicle models"),
             [(m.model_id, m.label) for m in self.refs.models]),
            (self.status_filter, tr("PartsPage", "All statuses"),
             [(s.value, tr("Parts", label)) for s, label in STATUS_LABELS.items()]),
        )
        for combo, everything, items in choices:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)

    def query(self) -> PartQuery:
        return PartQuery(
            search=self.search_edit.text().strip(),
            supplier_id=self.supplier_filter.currentData() or "",
            family=self.family_filter.currentData() or "",
            model_id=self.model_filter.currentData() or "",
            status=self.status_filter.currentData() or "",
            sort_key=self.model.sort_key or "part_number", descending=self.model.descending,
            approved_on=self._approved_on)

    def _reload(self) -> None:
        query = self.query()
        parts = self._parts

        def fetch(offset: int, limit: int, sort_key: str, descending: bool):
            page = parts.page(replace(query, sort_key=sort_key or "part_number",
                                      descending=descending), offset, limit)
            return page.rows, page.total

        self.message.setText("")
        self.model.set_fetch(fetch)

    def _filter_applied(self, page_filter: PageFilter | None) -> None:
        """A figure's parts: its filters in the combo boxes (where a person sees and changes
        them), the approval day in the query; None puts every filter back to all."""
        values = page_filter.values if page_filter is not None else {}
        self._approved_on = values.get("approved_on", "")
        for combo, key in ((self.supplier_filter, "supplier_id"), (self.family_filter, "family"),
                           (self.model_filter, "model_id"), (self.status_filter, "status")):
            combo.blockSignals(True)
            wanted = values.get(key, "")
            index = combo.findData(wanted) if wanted else 0
            if index < 0:  # not listed yet (the references are still loading): keep it
                combo.addItem(wanted, wanted)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._reload()

    def _empty_text(self) -> str:
        query = self.query()
        if any((query.search, query.supplier_id, query.family, query.model_id, query.status,
                query.approved_on)):
            return tr("PartsPage", "No part matches this search or these filters.")
        return tr("PartsPage", "No part registered yet. An engineer registers parts with "
                               "“New part…” or imports a sheet with “Import…”.")

    def _on_search_timer_timeout(self) -> None:
        self.search_timer.stop()
        self._reload()

    def _on_filter_changed(self, _index: int) -> None:
        if self.page_filter is not None:  # changed by hand: the figure's filter is left
            self.page_filter = None
            self._approved_on = ""
            if self.filter_banner is not None:
                self.filter_banner.hide()
        self._reload()

    def _on_model_total_changed(self, total: int) -> None:
        self.filtered_count(total)
        self.total_label.setText(tr_n("PartsPage", "%Ln parts", total))

    def _update_open_button(self, *_args) -> None:
        self.open_button.setEnabled(self.table.selectionModel().hasSelection())

    def selected(self) -> PartSummary | None:
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    # -- actions ---------------------------------------------------------------------------

    def open_part(self, part_id: str) -> None:
        parts = self._parts
        self.session.tasks.submit(lambda: parts.part(part_id), on_done=self._show_dialog,
                                  on_error=lambda exc: show_error(self, exc))

    def _show_dialog(self, detail: PartDetail | None) -> None:
        dialog = PartDialog(self.session, self.refs, detail, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_object(index.row())
        if row is not None:
            self.open_part(row.part_id)

    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_part(row.part_id)

    def _on_new_clicked(self) -> None:
        self._show_dialog(None)

    def _on_import_clicked(self) -> None:
        from desktop_app.ui.dialogs.parts_import_dialog import PartsImportDialog

        dialog = PartsImportDialog(self.session, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _on_reference_clicked(self) -> None:
        from desktop_app.ui.dialogs.reference_data_dialog import ReferenceDataDialog

        dialog = ReferenceDataDialog(self.session, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def csv_filters(self) -> dict[str, CsvFormat]:
        """The CSV choices of the save dialog: file filter -> format."""
        return {
            tr("PartsPage", "CSV for French Excel, ';' and decimal comma (*.csv)"):
                CSV_FRENCH_EXCEL,
            tr("PartsPage", "CSV, ',' and decimal point (*.csv)"): CSV_COMMA,
        }

    def _on_export_clicked(self, kind: str) -> None:
        if kind == "xlsx":
            path, _ = QFileDialog.getSaveFileName(
                self, tr("PartsPage", "Export the parts shown"), "parts.xlsx",
                tr("PartsPage", "Excel workbook (*.xlsx)"))
            if path:
                self.export_to(Path(path))
            return
        filters = self.csv_filters()
        # The interface's language proposes the separator its Excel expects; the filter changes it.
        proposed = csv_format_for(QLocale().name())
        chosen = next(name for name, style in filters.items() if style == proposed)
        path, selected = QFileDialog.getSaveFileName(
            self, tr("PartsPage", "Export the parts shown"), "parts.csv", ";;".join(filters),
            chosen)
        if path:
            self.export_to(Path(path), filters.get(selected, proposed))

    def export_to(self, path: Path, csv_format: CsvFormat | None = None) -> None:
        """Write the parts shown; a .csv as `csv_format` says (default: as the language
        expects)."""
        query, actor = self.query(), self.session.actor
        headers = [tr("PartsExport", text) for text in EXPORT_COLUMNS.values()]
        style = csv_format or csv_format_for(QLocale().name())
        service = PartsExportService(self.session.ctx)
        self.session.tasks.submit_long(
            lambda progress, cancelled: service.export_view(
                actor, query, path, headers, progress=progress, cancelled=cancelled,
                csv_format=style),
            tr("PartsPage", "Exporting parts…"), self,
            on_done=lambda count: self.message.show_info(tr_n(
                "PartsPage", "%Ln parts written to {file}.", count).format(file=path.name)),
            on_error=lambda exc: show_error(self, exc))

