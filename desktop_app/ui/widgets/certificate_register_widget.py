"""The certificate register: every certificate with its state, paged from SQLite; interim
approvals expiring within 30 days and suspended ones stand out. Print, save or verify."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import CERTIFICATE_STATUS_LABELS, CertificateStatus
from desktop_app.domain.people import Permission
from desktop_app.services.certificates import CertificateService
from desktop_app.services.certification_dto import CertificateSummary
from desktop_app.ui.certificate_printing import ask_and_print, ask_save_path
from desktop_app.ui.dialogs.verify_certificate_dialog import VerifyCertificateDialog
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.empty_hint import EmptyHint
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import PRINT_CERTIFICATES, allow
from desktop_app.ui.widgets.tables import keep_whole

WARN = QBrush(QColor("#b45309"))
BAD = QBrush(QColor("#b00020"))
LANGUAGE_SETS = (("fr", "en"), ("ar",), ("zh",), ("en",), ("fr",))


def _foreground(c: CertificateSummary):
    if c.status in (CertificateStatus.REVOKED, CertificateStatus.SUSPENDED,
                    CertificateStatus.CONFLICT, CertificateStatus.EXPIRED):
        return BAD
    if c.expiring_soon or c.status is CertificateStatus.NEEDS_REAPPROVAL:
        return WARN
    return None


class CertificateRegisterWidget(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificate_register")
        self.session = session
        self.service = CertificateService(session.ctx)
        # Set by a filter of the certification page: the numbers to show (on the worker).
        self.numbers: Callable[[], list[str]] | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _columns(self) -> list[Column]:
        return [
            Column("number", lambda: tr("Certification", "Certificate"), lambda c: c.number),
            Column("part", lambda: tr("Certification", "Part number"), lambda c: c.part_number),
            Column("type", lambda: tr("Certification", "Type"),
                   lambda c: "OTS" if c.kind == "ots" else f"PPAP {c.level}"),
            Column("status", lambda: tr("Certification", "Status"),
                   lambda c: tr("Certification", CERTIFICATE_STATUS_LABELS[c.status])
                   + (" — " + tr("Certification", "expires within 30 days")
                      if c.expiring_soon else ""), foreground=_foreground),
            Column("issued", lambda: tr("Certification", "Issued"),
                   lambda c: local_day(c.issued_on)),
            Column("until", lambda: tr("Certification", "Valid until"),
                   lambda c: local_day(c.valid_until, "—")),
        ]

    def _build_ui(self) -> None:
        self.model = PagedTableModel(self._columns(), self.session.tasks, page_size=200,
                                     parent=self)
        self.table = QTableView(objectName="certificate_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        keep_whole(self.table, 0, 1)  # certificate and part numbers
        self.empty_hint = EmptyHint(self.table, lambda: tr(
            "Certification", "No certificate among those asked for.") if self.numbers else tr(
            "Certification", "No certificate issued yet: a certificate is issued when a "
                             "submission is approved."))
        self.language_combo = QComboBox(objectName="certificate_language")
        for langs in LANGUAGE_SETS:
            self.language_combo.addItem(" + ".join(langs).upper(), langs)
        self.print_button = QPushButton(objectName="print_certificate_button")
        self.save_button = QPushButton(objectName="save_certificate_button")
        self.verify_button = QPushButton(objectName="verify_certificate_button")
        self.can_print = self.session.actor.can(Permission.PRINT_CERTIFICATE)
        self.total_label = QLabel(objectName="certificate_total")
        self.message = MessageLabel(objectName="certificate_message")
        buttons = QHBoxLayout()
        for w in (self.language_combo, self.print_button, self.save_button, self.verify_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(lambda: self._render(print_it=True))
        self.save_button.clicked.connect(lambda: self._render(print_it=False))
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.model.total_changed.connect(self._on_total_changed)
        self.model.failed.connect(lambda exc: self.message.show_error(error_text(exc)))
        # Print and save wait for a certificate to be chosen.
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        chosen = self.table.selectionModel().hasSelection()
        for button in (self.print_button, self.save_button):
            allow(button, self.session.actor, Permission.PRINT_CERTIFICATE, PRINT_CERTIFICATES,
                  enabled=chosen)

    def retranslate_ui(self) -> None:
        self.print_button.setText(tr("Certification", "Print…"))
        self.save_button.setText(tr("Certification", "Save PDF…"))
        self.verify_button.setText(tr("Certification", "Verify a certificate…"))
        self.language_combo.setToolTip(tr("Certification", "Languages of the certificate"))
        self.model.retranslate()
        self._on_total_changed(self.model.total)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        service, actor, numbers = self.service, self.session.actor, self.numbers

        def fetch(offset: int, limit: int, _key: str, _desc: bool):
            chosen = numbers() if numbers is not None else None
            return (service.list_certificates(actor, offset, limit, chosen),
                    service.count_certificates(actor, chosen))

        self.model.set_fetch(fetch)

    def _on_total_changed(self, total: int) -> None:
        self.total_label.setText(tr_n("Certification", "%Ln certificates", total))

    def selected(self) -> CertificateSummary | None:
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def _render(self, print_it: bool) -> None:
        cert = self.selected()
        if cert is None:
            self.message.show_error(tr("Certification", "Choose a certificate first."))
            return
        langs = tuple(self.language_combo.currentData())
        service, actor, number = self.service, self.session.actor, cert.number
        path = None if print_it else ask_save_path(self, f"{number}.pdf")
        if not print_it and path is None:
            return

        def work() -> bytes:
            pdf = service.render_pdf(actor, number, langs)
            if path is not None:
                path.write_bytes(pdf)
            return pdf

        def done(pdf: bytes) -> None:
            if print_it:
                ask_and_print(self, pdf, number)
            else:
                self.message.show_info(tr("Certification", "Saved {file}.").format(file=path))

        self.session.tasks.submit(work, on_done=done,
                                  on_error=lambda exc: self.message.show_error(error_text(exc)))

    def _on_verify_clicked(self) -> None:
        dialog = VerifyCertificateDialog(self.session, self)
        self.verify_dialog = dialog
        dialog.open()
