"""Deviations beside the submissions: every deviation with its status today (awaiting the
customer, approved and valid, rejected, expired, quantity used up, changed since its approval).
Engineers request one; the customer's approver approves or rejects it with a signature."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.deviations import STATUS_LABELS, DeviationAction, DeviationStatus
from desktop_app.domain.people import Permission
from desktop_app.services.deviations import DeviationInfo, DeviationService
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.deviation_dialogs import (
    DeviationRequestDialog,
    DeviationSignatureDialog,
)
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import DECIDE_DEVIATIONS, REQUEST_DEVIATIONS, allow
from desktop_app.ui.widgets.tables import keep_whole

GOOD = QBrush(QColor("#1b5e20"))
WARN = QBrush(QColor("#b45309"))
BAD = QBrush(QColor("#b00020"))


def _foreground(d: DeviationInfo) -> QBrush:
    if d.valid:
        return GOOD
    return WARN if d.status is DeviationStatus.REQUESTED else BAD


def _limits(d: DeviationInfo) -> str:
    parts = []
    if d.valid_until:
        parts.append(tr("Deviations", "until {date}").format(date=local_day(d.valid_until)))
    if d.quantity_limit:
        parts.append(tr("Deviations", "{used} of {limit} parts").format(
            used=d.quantity_used, limit=d.quantity_limit))
    return "; ".join(parts)


class DeviationListWidget(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviation_list")
        self.session = session
        self.service = DeviationService(session.ctx)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _columns(self) -> list[Column]:
        return [
            Column("number", lambda: tr("Deviations", "Deviation"),
                   lambda d: d.number + (" ⚠" if d.conflict else "")),
            Column("part", lambda: tr("Deviations", "Part"),
                   lambda d: f"{d.part_number} {d.part_revision}"),
            Column("characteristics", lambda: tr("Deviations", "Characteristics"),
                   lambda d: ", ".join(d.characteristic_numbers),
                   tooltip=lambda d: d.description),
            Column("limits", lambda: tr("Deviations", "Limited to"), _limits),
            Column("status", lambda: tr("Deviations", "Status"),
                   lambda d: tr("Deviations", STATUS_LABELS[d.status]),
                   foreground=_foreground),
            Column("decided", lambda: tr("Deviations", "Customer's decision"),
                   lambda d: f"{d.decided_by} {d.decided_at[:10]}".strip() or "—",
                   tooltip=lambda d: d.decision_reason),
        ]

    def _build_ui(self) -> None:
        self.model = PagedTableModel(self._columns(), self.session.tasks, page_size=200,
                                     parent=self)
        self.table = QTableView(objectName="deviation_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((2, 110), (4, 170), (5, 170)):
            self.table.setColumnWidth(column, width)
        keep_whole(self.table, 0, 1)  # deviation and part numbers
        actor = self.session.actor
        self.request_button = QPushButton(objectName="request_deviation_button")
        allow(self.request_button, actor, Permission.PREPARE_SUBMISSION, REQUEST_DEVIATIONS)
        self.approve_button = QPushButton(objectName="approve_deviation_button")
        self.reject_button = QPushButton(objectName="reject_deviation_button")
        self.use_button = QPushButton(objectName="deviation_use_button")
        self.can_prepare = actor.can(Permission.PREPARE_SUBMISSION)
        self.use_spin = QSpinBox(objectName="deviation_use_quantity", minimum=1,
                                 maximum=10_000_000)
        self.can_decide = actor.can(Permission.DECIDE_SUBMISSION)
        self.total_label = QLabel(objectName="deviation_total")
        self.message = MessageLabel(objectName="deviation_message")
        buttons = QHBoxLayout()
        for w in (self.request_button, self.approve_button, self.reject_button, self.use_spin,
                  self.use_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.request_button.clicked.connect(self._on_request_clicked)
        self.approve_button.clicked.connect(lambda: self._on_decide(DeviationAction.APPROVE))
        self.reject_button.clicked.connect(lambda: self._on_decide(DeviationAction.REJECT))
        self.use_button.clicked.connect(self._on_use_clicked)
        self.model.total_changed.connect(self._on_total_changed)
        self.model.failed.connect(lambda exc: self.message.show_error(error_text(exc)))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected()
        # The customer decides on a request awaiting it (or answers one again).
        actor = self.session.actor
        can = chosen is not None and not chosen.conflict
        for button in (self.approve_button, self.reject_button):
            allow(button, actor, Permission.DECIDE_SUBMISSION, DECIDE_DEVIATIONS, enabled=can)
        # Parts shipped under a deviation count against its quantity.
        usable = chosen is not None and bool(chosen.quantity_limit)
        for widget in (self.use_button, self.use_spin):
            allow(widget, actor, Permission.PREPARE_SUBMISSION, enabled=usable)

    def retranslate_ui(self) -> None:
        self.request_button.setText(tr("Deviations", "Request a deviation…"))
        self.approve_button.setText(tr("Deviations", "Approve…"))
        self.reject_button.setText(tr("Deviations", "Reject…"))
        self.use_button.setText(tr("Deviations", "Record parts shipped"))
        self.use_spin.setToolTip(tr("Deviations", "Parts shipped under the deviation"))
        self.model.retranslate()
        self._on_total_changed(self.model.total)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        service, actor = self.service, self.session.actor

        def fetch(offset: int, limit: int, _key: str, _desc: bool):
            rows = service.list_deviations(actor)
            return rows[offset:offset + limit], len(rows)

        self.model.set_fetch(fetch)

    def _on_total_changed(self, total: int) -> None:
        self.total_label.setText(tr_n("Deviations", "%Ln deviations", total))

    def selected(self) -> DeviationInfo | None:
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def _on_request_clicked(self) -> None:
        dialog = DeviationRequestDialog(self.session, self)
        self.request_dialog = dialog
        dialog.finished.connect(lambda _r: self._after(dialog.created))
        dialog.open()

    def _on_decide(self, action: DeviationAction) -> None:
        chosen = self.selected()
        if chosen is None:
            self.message.show_error(tr("Deviations", "Choose a deviation first."))
            return
        dialog = DeviationSignatureDialog(self.session, chosen, action, self)
        self.signature_dialog = dialog
        dialog.finished.connect(lambda _r: self._after(dialog.result_info))
        dialog.open()

    def _on_use_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        service, actor, quantity = self.service, self.session.actor, self.use_spin.value()
        deviation_id = chosen.deviation_id
        self.session.tasks.submit(
            lambda: service.record_use(actor, deviation_id, quantity), on_done=self._after,
            on_error=lambda exc: self.message.show_error(error_text(exc)),
            changes=Change.of("deviation"))

    def _after(self, info: DeviationInfo | None) -> None:
        if info is None:
            return
        self.message.show_info(tr("Deviations", "Deviation {number}: {status}.").format(
            number=info.number, status=tr("Deviations", STATUS_LABELS[info.status]).lower()))
        self.refresh()
