"""Suppliers and vehicle models: list, add and edit (one tab each)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import SupplierDraft, VehicleModelDraft
from desktop_app.domain.people import Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.suppliers import SupplierService, VehicleModelService
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow

SUPPLIER_LABELS = {
    "name": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Name"),
    "code": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Code"),
    "country": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Country"),
    "site": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Site / address"),
    "contact": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Contact"),
    "iso9001_certificate": QT_TRANSLATE_NOOP("ReferenceDataDialog", "ISO 9001 certificate"),
    "iso9001_expiry": QT_TRANSLATE_NOOP("ReferenceDataDialog", "ISO 9001 expiry"),
    "iatf16949_certificate": QT_TRANSLATE_NOOP("ReferenceDataDialog", "IATF 16949 certificate"),
    "iatf16949_expiry": QT_TRANSLATE_NOOP("ReferenceDataDialog", "IATF 16949 expiry"),
    "notes": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Notes"),
}
MODEL_LABELS = {
    "code": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Code"),
    "carmaker": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Carmaker"),
    "model": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Model"),
    "vehicle_type": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Type"),
    "power_range": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Power range"),
    "approval_date": QT_TRANSLATE_NOOP("ReferenceDataDialog", "Approval date (starts the clock)"),
}


class _RecordTab(QWidget):
    """A list of records and a form for the selected (or a new) one."""

    def __init__(self, session: UiSession, labels: dict[str, str], columns: list[str],
                 draft_type: type, load: Callable[[], list[Any]],
                 save: Callable[[str, Any, str], Any], record_type: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.labels = labels
        self.columns = columns
        self.draft_type = draft_type
        self._load = load
        self._save = save
        self.record_type = record_type
        self.items: list[Any] = []
        self.current: Any | None = None
        self.table = QTableWidget(0, len(columns))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for name in labels:
            edit = QLineEdit(objectName=f"{record_type}_{name}_edit")
            self.edits[name] = edit
            self.form.addRow(name, edit)
        self.new_button = QPushButton()
        self.save_button = QPushButton(objectName=f"save_{record_type}_button")
        allow(self.new_button, session.actor, Permission.EDIT_REFERENCE_DATA)
        allow(self.save_button, session.actor, Permission.EDIT_REFERENCE_DATA)
        self.message = MessageLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [tr("ReferenceDataDialog", self.labels[c]) for c in self.columns])
        for name, edit in self.edits.items():
            label = self.form.labelForField(edit)
            if label is not None:
                label.setText(tr("ReferenceDataDialog", self.labels[name]))
        for name in ("approval_date", "iso9001_expiry", "iatf16949_expiry"):
            if name in self.edits:
                self.edits[name].setPlaceholderText(tr("ReferenceDataDialog", "YYYY-MM-DD"))
        self.new_button.setText(tr("ReferenceDataDialog", "New"))
        self.save_button.setText(tr("ReferenceDataDialog", "Save"))

    def reload(self) -> None:
        self.session.tasks.submit(self._load, on_done=self._on_loaded,
                                  on_error=lambda exc: self.message.show_error(error_text(exc)))

    def _on_loaded(self, items: list[Any]) -> None:
        self.items = list(items)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for column, name in enumerate(self.columns):
                self.table.setItem(row, column,
                                   QTableWidgetItem(str(getattr(item.draft, name, ""))))

    def _on_selection_changed(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        self.current = self.items[min(rows)] if rows else None
        for name, edit in self.edits.items():
            edit.setText(str(getattr(self.current.draft, name, "")) if self.current else "")
        self.message.setText("")

    def _on_new_clicked(self) -> None:
        self.table.clearSelection()
        self.current = None
        for edit in self.edits.values():
            edit.clear()
        next(iter(self.edits.values())).setFocus()

    def draft(self) -> Any:
        names = [f.name for f in dataclass_fields(self.draft_type)]
        return self.draft_type(**{n: self.edits[n].text() for n in names if n in self.edits})

    def _on_save_clicked(self) -> None:
        try:
            draft = self.draft().validated()
        except ValidationError as exc:
            self.message.show_error(error_text(exc))
            return
        record_id = "" if self.current is None else self._record_id(self.current)
        rev_id = "" if self.current is None else self.current.rev_id
        save = self._save
        self.session.tasks.submit(lambda: save(record_id, draft, rev_id),
                                  on_done=lambda _r: self._on_saved(),
                                  on_error=lambda exc: self.message.show_error(error_text(exc)),
                                  changes=Change.of(self.record_type))

    @staticmethod
    def _record_id(item: Any) -> str:
        return getattr(item, "supplier_id", "") or getattr(item, "model_id", "")

    def _on_saved(self) -> None:
        self.message.show_info(tr("ReferenceDataDialog", "Saved."))
        self.reload()


class ReferenceDataDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reference_data_dialog")
        self.session = session
        actor = session.actor
        suppliers = SupplierService(session.ctx)
        models = VehicleModelService(session.ctx)

        def save_supplier(record_id: str, draft: SupplierDraft, rev_id: str) -> Any:
            if record_id:
                return suppliers.edit_supplier(actor, record_id, draft, expected_rev_id=rev_id)
            return suppliers.add_supplier(actor, draft)

        def save_model(record_id: str, draft: VehicleModelDraft, rev_id: str) -> Any:
            if record_id:
                return models.edit_model(actor, record_id, draft, expected_rev_id=rev_id)
            return models.add_model(actor, draft)

        self.tabs = QTabWidget()
        self.suppliers_tab = _RecordTab(
            session, SUPPLIER_LABELS, ["code", "name", "site", "iatf16949_expiry"],
            SupplierDraft, suppliers.suppliers, save_supplier, "supplier")
        self.models_tab = _RecordTab(
            session, MODEL_LABELS, ["code", "carmaker", "model", "approval_date"],
            VehicleModelDraft, models.models, save_model, "vehicle_model")
        self.tabs.addTab(self.suppliers_tab, "")
        self.tabs.addTab(self.models_tab, "")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.resize(760, 640)
        self.retranslate_ui()
        self.suppliers_tab.reload()
        self.models_tab.reload()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("ReferenceDataDialog", "Suppliers and vehicle models"))
        self.tabs.setTabText(0, tr("ReferenceDataDialog", "Suppliers"))
        self.tabs.setTabText(1, tr("ReferenceDataDialog", "Vehicle models"))
        self.suppliers_tab.retranslate_ui()
        self.models_tab.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
