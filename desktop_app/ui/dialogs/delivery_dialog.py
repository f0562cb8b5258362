"""Record pieces shipped under an interim approval limited by quantity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from desktop_app.services.deliveries import MAX_QUANTITY, DeliveryService, InterimUsage
from desktop_app.ui.dialogs.roadmap_dialogs import FormDialog
from desktop_app.ui.i18n import tr_n
from desktop_app.ui.pages.base import UiSession


class DeliveryDialog(FormDialog):
    changes = ("delivery",)

    def __init__(self, session: UiSession, usage: Sequence[InterimUsage],
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("delivery_dialog")
        self.part = QComboBox(objectName="delivery_part")
        for u in usage:
            self.part.addItem(tr_n("DeliveryDialog", "{part} — {certificate}: %Ln pieces left",
                                   u.remaining).format(part=u.part_number,
                                                       certificate=u.certificate_number or "—"),
                u.part_id)
        self.quantity = QSpinBox(objectName="delivery_quantity", minimum=1,
                                 maximum=MAX_QUANTITY)
        self.day = QLineEdit(session.ctx.today().isoformat(), objectName="delivery_date",
                             placeholderText="YYYY-MM-DD")
        self.note = QLineEdit(objectName="delivery_note")
        self.form.addRow(self.tr("Part"), self.part)
        self.form.addRow(self.tr("Pieces shipped"), self.quantity)
        self.form.addRow(self.tr("Shipped on"), self.day)
        self.form.addRow(self.tr("Delivery note"), self.note)
        self._finish_layout()
        self.setWindowTitle(self.tr("Record a delivery"))

    def work(self) -> Callable[[], Any]:
        service = DeliveryService(self.session.ctx)
        args = (self.session.actor, self.part.currentData() or "", self.quantity.value(),
                self.day.text().strip(), self.note.text())
        return lambda: service.record_delivery(*args)
