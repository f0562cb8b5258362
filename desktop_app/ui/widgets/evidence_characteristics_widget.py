"""The characteristics of a part revision (the ballooned drawing) with, for each, its latest
result and, for special characteristics (CC/SC), Ppk and its band."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.attributes import DATA_TYPE_LABELS, DataType
from desktop_app.domain.capability import BAND_LABELS, Band
from desktop_app.domain.evidence import CLASS_LABELS, VERDICT_LABELS, CharacteristicClass, Verdict
from desktop_app.domain.people import Permission
from desktop_app.services.evidence_dto import (
    CapabilitySummary,
    CharacteristicCoverage,
    CharacteristicInfo,
)
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import number as local_number
from desktop_app.ui.local_time import numbers as local_numbers
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.widgets.measurement_grid import FAIL_COLOR, PASS_COLOR
from desktop_app.ui.widgets.permission import allow

BAND_COLORS = {"acceptable": PASS_COLOR, "not_acceptable": FAIL_COLOR,
               "customer_agreement": QColor("#fff3c4")}
VERDICT_COLORS = {"pass": PASS_COLOR, "fail": FAIL_COLOR}
COLUMNS = 10


class EvidenceCharacteristicsWidget(QWidget):
    add_requested = Signal()
    import_requested = Signal()
    edit_requested = Signal(object)  # CharacteristicInfo

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.coverage: list[CharacteristicCoverage] = []
        self.capability: dict[str, CapabilitySummary] = {}
        self._build_ui()
        self.add_button.clicked.connect(self.add_requested.emit)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.table.itemDoubleClicked.connect(lambda _item: self._on_edit_clicked())
        self.table.itemSelectionChanged.connect(
            lambda: self.edit_button.setEnabled(self.current() is not None))
        self.import_button.clicked.connect(self.import_requested.emit)
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.add_button = QPushButton(objectName="add_characteristic_button")
        self.import_button = QPushButton(objectName="import_characteristics_button")
        self.edit_button = QPushButton(objectName="edit_characteristic_button")
        self.edit_button.setEnabled(False)
        self.can_edit = self.session.actor.can(Permission.EDIT_PARTS)
        for button in (self.add_button, self.import_button):
            allow(button, self.session.actor, Permission.EDIT_PARTS)  # says who may
        self.edit_button.setVisible(self.can_edit)
        self.table = QTableWidget(0, COLUMNS, objectName="characteristics_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.import_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def retranslate_ui(self) -> None:
        self.add_button.setText(self.tr("Add characteristic…"))
        self.import_button.setText(self.tr("Import characteristics…"))
        self.edit_button.setText(self.tr("Change…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Description"), self.tr("Nominal"), self.tr("Limits"),
            self.tr("Unit"), self.tr("Class"), self.tr("Gauge"), self.tr("Latest result"),
            self.tr("Ppk"), self.tr("Capability")])
        self.set_data(self.coverage, list(self.capability.values()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_data(self, coverage: list[CharacteristicCoverage],
                 capability: list[CapabilitySummary]) -> None:
        self.coverage = coverage
        self.capability = {c.characteristic_id: c for c in capability}
        self.table.setRowCount(len(coverage))
        for row, cov in enumerate(coverage):
            c = cov.characteristic
            latest = tr("Evidence", VERDICT_LABELS[Verdict(cov.latest_verdict)])
            if cov.latest_report_number:
                latest += f" ({cov.latest_report_number})"
            cap = self.capability.get(c.characteristic_id)
            number = f"{c.number} ⚠" if c.conflict else c.number
            # An attribute characteristic has no limits: its type says how it is judged.
            limits = (tr("Evidence", DATA_TYPE_LABELS[DataType(c.data_type)]) if c.attribute
                      else c.limits.text())
            values = [number, c.description, local_number(c.nominal), local_numbers(limits),
                      c.unit, tr("Evidence", CLASS_LABELS[CharacteristicClass(c.char_class)]),
                      c.gauge_code, latest, local_number(cap.ppk) if cap else "",
                      self.acceptance_text(cap)]
            colors = {7: VERDICT_COLORS.get(cov.latest_verdict),
                      9: BAND_COLORS.get(cap.acceptance) if cap else None}
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)  # plain text: never interpreted as HTML
                item.setData(Qt.ItemDataRole.UserRole, c.characteristic_id)
                if colors.get(col) is not None:
                    item.setBackground(colors[col])
                if col == 0 and c.conflict:
                    item.setToolTip(self.tr("Edited at two sites: a person must merge the "
                                            "versions."))
                self.table.setItem(row, col, item)

    def current(self) -> CharacteristicInfo | None:
        items = self.table.selectedItems()
        key = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return next((c.characteristic for c in self.coverage
                     if c.characteristic.characteristic_id == key), None)

    def _on_edit_clicked(self) -> None:
        info = self.current()
        if info is not None and self.can_edit:
            self.edit_requested.emit(info)

    def acceptance_text(self, cap: CapabilitySummary | None) -> str:
        """The Ppk band of a special characteristic, or why there is none."""
        if cap is None:
            return ""
        if cap.acceptance == "insufficient_data":
            return self.tr("Only {n} readings (30 needed)").format(n=cap.n)
        if cap.acceptance == "no_data":
            return self.tr("No readings")
        if cap.band:
            return tr("Evidence", BAND_LABELS[Band(cap.band)])
        return self.tr("Not computable")
