"""Add one characteristic to a part revision: a balloon of the drawing with its limits."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.attributes import DATA_TYPE_LABELS, DataType
from desktop_app.domain.evidence import CLASS_LABELS, CharacteristicClass
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import CharacteristicDraft, CharacteristicInfo
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.shortcuts import add_save_shortcut
from desktop_app.ui.tab_order import set_tab_order
from desktop_app.ui.widgets.message_label import MessageLabel

LIMIT_FIELDS = ("nominal", "lower_tol", "upper_tol", "lower_limit", "upper_limit", "unit")
FIELDS = ("number", "description", "nominal", "lower_tol", "upper_tol", "lower_limit",
          "upper_limit", "unit", "method", "gauge_code")


class CharacteristicDialog(QDialog):
    """Add a characteristic, or change one (`existing` given). Results already recorded keep
    the limits they were recorded with."""

    def __init__(self, session: UiSession, part_id: str, parent: QWidget | None = None,
                 existing: CharacteristicInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("characteristic_dialog")
        self.session = session
        self.part_id = part_id
        self.existing = existing
        self.added: CharacteristicInfo | None = None
        self._build_ui()
        if existing is not None:
            for name, edit in self.edits.items():
                edit.setText(str(getattr(existing, name, "")))
            # Limits computed from tolerances are left empty: they follow the tolerances.
            if existing.lower_tol:
                self.edits["lower_limit"].clear()
            if existing.upper_tol:
                self.edits["upper_limit"].clear()
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.type_combo.currentIndexChanged.connect(self._on_type_combo_changed)
        self.retranslate_ui()
        self._on_type_combo_changed()
        # The rows join the dialog after its buttons (retranslate_ui): the order is said here.
        e = self.edits
        set_tab_order(e["number"], e["description"], self.type_combo, e["nominal"],
                      e["lower_tol"], e["upper_tol"], e["lower_limit"], e["upper_limit"],
                      e["unit"], self.class_combo, e["method"], e["gauge_code"], self.buttons)
        add_save_shortcut(self, self.buttons.button(QDialogButtonBox.StandardButton.Save))
        e["number"].setFocus()

    def _build_ui(self) -> None:
        self.edits = {name: QLineEdit(objectName=f"{name}_edit") for name in FIELDS}
        self.edits["unit"].setText("mm")
        self.class_combo = QComboBox(objectName="class_combo")
        # Variable (measured against limits) or attribute (OK / NG, defects per sample).
        self.type_combo = QComboBox(objectName="data_type_combo")
        self.form = QFormLayout()
        self.message = MessageLabel(objectName="characteristic_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Add a characteristic") if self.existing is None
                            else self.tr("Change characteristic {number}").format(
                                number=self.existing.number))
        current = self.class_combo.currentData()
        self.class_combo.clear()
        for member in CharacteristicClass:
            self.class_combo.addItem(tr("Evidence", CLASS_LABELS[member]), str(member))
        wanted = current or (self.existing.char_class if self.existing else "standard")
        self.class_combo.setCurrentIndex(max(0, self.class_combo.findData(wanted)))
        current_type = self.type_combo.currentData()
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        for kind in DataType:
            self.type_combo.addItem(tr("Evidence", DATA_TYPE_LABELS[kind]), str(kind))
        wanted_type = current_type or (self.existing.data_type if self.existing else "variable")
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(wanted_type)))
        self.type_combo.blockSignals(False)
        labels = {
            "number": self.tr("Number (balloon)"), "description": self.tr("Description"),
            "nominal": self.tr("Nominal"), "lower_tol": self.tr("Lower tolerance (e.g. -0.1)"),
            "upper_tol": self.tr("Upper tolerance (e.g. +0.1)"),
            "lower_limit": self.tr("or lower limit"), "upper_limit": self.tr("or upper limit"),
            "unit": self.tr("Unit"), "method": self.tr("Measuring method"),
            "gauge_code": self.tr("Gauge (register id)"),
        }
        while self.form.rowCount():
            self.form.takeRow(0)
        for name in FIELDS:
            self.form.addRow(labels[name], self.edits[name])
            if name == "description":
                self.form.addRow(self.tr("Type"), self.type_combo)
            if name == "unit":
                self.form.addRow(self.tr("Class"), self.class_combo)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def draft(self) -> CharacteristicDraft:
        values = {name: edit.text() for name, edit in self.edits.items()}
        return CharacteristicDraft(**values, char_class=self.class_combo.currentData(),
                                   data_type=self.type_combo.currentData() or "variable")

    def _on_type_combo_changed(self, _index: int = 0) -> None:
        """An attribute characteristic is judged or counted: it has no limits to type."""
        attribute = DataType(self.type_combo.currentData() or "variable").is_attribute
        for name in LIMIT_FIELDS:
            self.edits[name].setEnabled(not attribute)

    def _on_save_clicked(self) -> None:
        service, actor, part_id, draft = (EvidenceService(self.session.ctx), self.session.actor,
                                          self.part_id, self.draft())
        old = self.existing
        if old is not None:
            def work() -> CharacteristicInfo:
                return service.update_characteristic(actor, old.characteristic_id, draft,
                                                     expected_rev_id=old.rev_id or None)
        else:
            def work() -> CharacteristicInfo:
                return service.add_characteristic(actor, part_id, draft)
        self.session.tasks.submit(work,
                                  on_done=self._on_added,
                                  on_error=lambda e: self.message.show_error(error_text(e)),
                                  changes=Change.of("characteristic"))

    def _on_added(self, info: CharacteristicInfo) -> None:
        self.added = info
        self.accept()
