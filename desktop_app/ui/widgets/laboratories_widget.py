"""Qualified laboratory documentation (PPAP element 12) beside the certification work: the test
laboratories with their ISO/IEC 17025 accreditation (scope, expiry; an expired one in red, one
expiring within 60 days in amber) and the EN 10204 inspection documents of the test reports,
with the standard's French designation as printed on them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.laboratories import (
    EN10204_FRENCH,
    EN10204_LABELS,
    SPECIFIC,
    En10204Type,
    InspectionDocumentDraft,
)
from desktop_app.domain.people import Permission
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.laboratories import (
    InspectionDocumentInfo,
    LaboratoryInfo,
    LaboratoryService,
)
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import set_date_format
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow
from desktop_app.ui.widgets.tables import paged_table

BAD = QBrush(QColor("#b00020"))
WARN = QBrush(QColor("#b45309"))


def _status(lab: LaboratoryInfo) -> str:
    if not lab.valid_until:
        return tr("Laboratories", "Not accredited")
    if lab.expired:
        return tr("Laboratories", "Expired")
    if lab.expires_soon:
        return tr("Laboratories", "Expires within 60 days")
    return tr("Laboratories", "Valid")


def _colour(lab: LaboratoryInfo) -> QBrush | None:
    return BAD if lab.expired else WARN if lab.expires_soon else None


class LaboratoryDialog(QDialog):
    """Record a laboratory's accreditation, or renew it (the same name)."""

    def __init__(self, session: UiSession, lab: LaboratoryInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laboratory_dialog")
        self._session = session
        self.saved: LaboratoryInfo | None = None
        self.name_edit = QLineEdit(lab.name if lab else "", objectName="lab_name")
        self.body_edit = QLineEdit(lab.accreditation_body if lab else "", objectName="lab_body")
        self.number_edit = QLineEdit(lab.accreditation_number if lab else "",
                                     objectName="lab_number")
        self.scope_edit = QLineEdit("; ".join(lab.scope) if lab else "", objectName="lab_scope")
        self.until_edit = set_date_format(QDateEdit(objectName="lab_until", calendarPopup=True))
        self.until_edit.setDate(QDate.fromString(lab.valid_until, "yyyy-MM-dd")
                                if lab and lab.valid_until else QDate.currentDate().addYears(4))
        self.message = MessageLabel(objectName="lab_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.form = QFormLayout()
        self.fields = (self.name_edit, self.body_edit, self.number_edit, self.scope_edit,
                       self.until_edit)
        for widget in self.fields:
            self.form.addRow(QLabel(), widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self.resize(560, 240)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Laboratories", "Laboratory accreditation"))
        texts = (tr("Laboratories", "Laboratory (as named on its reports)"),
                 tr("Laboratories", "Accreditation body"),
                 tr("Laboratories", "ISO/IEC 17025 accreditation number"),
                 tr("Laboratories", "Scope (test methods, separated by ;)"),
                 tr("Laboratories", "Valid until"))
        for widget, text in zip(self.fields, texts, strict=True):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_ok_clicked(self) -> None:
        q = self.until_edit.date()
        until = date(q.year(), q.month(), q.day())
        name, body, number = self.name_edit.text(), self.body_edit.text(), self.number_edit.text()
        scope = self.scope_edit.text().split(";")
        service, actor = LaboratoryService(self._session.ctx), self._session.actor
        self._session.tasks.submit(
            lambda: service.save_laboratory(actor, name, body, number, scope, until),
            on_done=self._on_saved, on_error=lambda e: self.message.show_error(error_text(e)),
            changes=Change.of("laboratory"))

    def _on_saved(self, lab: LaboratoryInfo) -> None:
        self.saved = lab
        self.accept()


class InspectionDocumentDialog(QDialog):
    """Say what a test report is under EN 10204: the type (with its French designation), the
    heat number, the 3.1 inspector and the 3.2 co-signer."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspection_document_dialog")
        self._session = session
        self.recorded: InspectionDocumentInfo | None = None
        self.report_edit = QLineEdit(objectName="document_report")
        self.type_combo = QComboBox(objectName="document_type")
        for kind in En10204Type:
            self.type_combo.addItem("", str(kind))
        self.type_combo.setCurrentIndex(2)  # 3.1, the usual material certificate
        self.heat_edit = QLineEdit(objectName="document_heat")
        self.inspector_edit = QLineEdit(objectName="document_inspector")
        self.inspector_title_edit = QLineEdit(objectName="document_inspector_title")
        self.cosigner_edit = QLineEdit(objectName="document_cosigner")
        self.cosigner_org_edit = QLineEdit(objectName="document_cosigner_organisation")
        self.message = MessageLabel(objectName="document_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.form = QFormLayout()
        self.fields = (self.report_edit, self.type_combo, self.heat_edit, self.inspector_edit,
                       self.inspector_title_edit, self.cosigner_edit, self.cosigner_org_edit)
        for widget in self.fields:
            self.form.addRow(QLabel(), widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.type_combo.currentIndexChanged.connect(lambda _i: self._update_fields())
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self._update_fields()
        self.resize(600, 300)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Laboratories", "EN 10204 inspection document"))
        texts = (tr("Laboratories", "Report number"), tr("Laboratories", "Type"),
                 tr("Laboratories", "Heat number"),
                 tr("Laboratories", "Manufacturer's authorised inspection representative"),
                 tr("Laboratories", "Their function"),
                 tr("Laboratories", "Co-signed by (purchaser's representative or regulatory "
                                    "inspector)"),
                 tr("Laboratories", "Their organisation"))
        for widget, text in zip(self.fields, texts, strict=True):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(text)
        for i, kind in enumerate(En10204Type):
            self.type_combo.setItemText(i, f"{kind.value} — {EN10204_FRENCH[kind]} "
                                           f"({tr('Laboratories', EN10204_LABELS[kind])})")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_fields(self) -> None:
        kind = En10204Type(self.type_combo.currentData())
        for widget in (self.heat_edit, self.inspector_edit, self.inspector_title_edit):
            widget.setEnabled(kind in SPECIFIC or widget is self.heat_edit)
        for widget in (self.cosigner_edit, self.cosigner_org_edit):
            widget.setEnabled(kind is En10204Type.CERTIFICATE_32)

    def _on_ok_clicked(self) -> None:
        number, ctx = self.report_edit.text(), self._session.ctx
        kind = En10204Type(self.type_combo.currentData())
        specific, dual = kind in SPECIFIC, kind is En10204Type.CERTIFICATE_32
        values = (self.heat_edit.text(),
                  self.inspector_edit.text() if specific else "",
                  self.inspector_title_edit.text() if specific else "",
                  self.cosigner_edit.text() if dual else "",
                  self.cosigner_org_edit.text() if dual else "")
        service, actor = LaboratoryService(ctx), self._session.actor

        def work() -> InspectionDocumentInfo:
            report = EvidenceQueries(ctx).report_by_number(number)
            return service.record_document(actor, InspectionDocumentDraft(
                report.summary.report_id, str(kind), *values))

        self._session.tasks.submit(
            work, on_done=self._on_done,
            on_error=lambda e: self.message.show_error(error_text(e)),
            changes=Change.of("inspection_document"))

    def _on_done(self, info: InspectionDocumentInfo) -> None:
        self.recorded = info
        self.accept()


class LaboratoriesWidget(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laboratories")
        self.session = session
        self.service = LaboratoryService(session.ctx)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _lab_columns(self) -> list[Column]:
        return [
            Column("name", lambda: tr("Laboratories", "Laboratory"), lambda x: x.name),
            Column("accreditation", lambda: tr("Laboratories", "Accreditation"),
                   lambda x: f"{x.accreditation_body} {x.accreditation_number}".strip()),
            Column("scope", lambda: tr("Laboratories", "Scope"), lambda x: "; ".join(x.scope)),
            Column("until", lambda: tr("Laboratories", "Valid until"),
                   lambda x: local_day(x.valid_until, "—"), foreground=_colour),
            Column("status", lambda: tr("Laboratories", "Status"), _status, foreground=_colour),
        ]

    def _document_columns(self) -> list[Column]:
        def designation(d: InspectionDocumentInfo) -> str:
            return f"{d.doc_type.value} {tr('Laboratories', d.label)}"

        return [
            Column("report", lambda: tr("Laboratories", "Report"), lambda d: d.report_number),
            Column("type", lambda: tr("Laboratories", "EN 10204 document"), designation),
            Column("french", lambda: tr("Laboratories", "Designation (EN 10204, French)"),
                   lambda d: d.french),
            Column("heat", lambda: tr("Laboratories", "Heat number"), lambda d: d.heat_number),
            Column("inspector", lambda: tr("Laboratories", "Inspection representative"),
                   lambda d: d.inspector, tooltip=lambda d: d.inspector_title),
            Column("cosigner", lambda: tr("Laboratories", "Co-signed by (3.2)"),
                   lambda d: d.cosigner, tooltip=lambda d: d.cosigner_organisation),
        ]

    def _build_ui(self) -> None:
        tasks = self.session.tasks
        self.labs_model = PagedTableModel(self._lab_columns(), tasks, parent=self)
        self.docs_model = PagedTableModel(self._document_columns(), tasks, parent=self)
        self.labs_table = paged_table(self.labs_model, "laboratory_table", 2)
        self.docs_table = paged_table(self.docs_model, "inspection_document_table", 2)
        self.add_button = QPushButton(objectName="add_laboratory_button")
        self.renew_button = QPushButton(objectName="renew_laboratory_button")
        actor = self.session.actor
        can = allow(self.add_button, actor, Permission.RECORD_EVIDENCE)
        allow(self.renew_button, actor, Permission.RECORD_EVIDENCE, enabled=False)
        self._can_edit = can
        self.docs_label = QLabel(objectName="inspection_documents_label")
        self.document_button = QPushButton(objectName="add_inspection_document_button")
        allow(self.document_button, actor, Permission.RECORD_EVIDENCE)
        self.message = MessageLabel(objectName="laboratories_message")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.renew_button)
        buttons.addStretch(1)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(buttons)
        upper_layout.addWidget(self.labs_table, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        docs_row = QHBoxLayout()
        docs_row.addWidget(self.docs_label, 1)
        docs_row.addWidget(self.document_button)
        lower_layout.addLayout(docs_row)
        lower_layout.addWidget(self.docs_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="laboratories_splitter")
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(lambda: self._open(None))
        self.renew_button.clicked.connect(lambda: self._open(self.selected()))
        self.document_button.clicked.connect(self._on_document_clicked)
        for model in (self.labs_model, self.docs_model):
            model.failed.connect(lambda exc: self.message.show_error(error_text(exc)))
        self.labs_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.labs_model.modelReset.connect(self._update_buttons)

    def _update_buttons(self, *_args) -> None:
        allow(self.renew_button, self.session.actor, Permission.RECORD_EVIDENCE,
              enabled=self.selected() is not None)

    def retranslate_ui(self) -> None:
        self.add_button.setText(tr("Laboratories", "Add a laboratory…"))
        self.renew_button.setText(tr("Laboratories", "Renew the accreditation…"))
        self.docs_label.setText(tr("Laboratories", "EN 10204 inspection documents"))
        self.document_button.setText(tr("Laboratories", "Record an inspection document…"))
        self.labs_model.retranslate()
        self.docs_model.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        service, actor = self.service, self.session.actor

        def labs(offset: int, limit: int, _key: str, _desc: bool):
            rows = service.laboratories(actor)
            return rows[offset:offset + limit], len(rows)

        def docs(offset: int, limit: int, _key: str, _desc: bool):
            rows = service.documents(actor)
            return rows[offset:offset + limit], len(rows)

        self.labs_model.set_fetch(labs)
        self.docs_model.set_fetch(docs)

    def selected(self) -> LaboratoryInfo | None:
        index = self.labs_table.currentIndex()
        return self.labs_model.row_object(index.row()) if index.isValid() else None

    def _on_document_clicked(self) -> None:
        dialog = InspectionDocumentDialog(self.session, self)
        self.document_dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh() if dialog.recorded else None)
        dialog.open()

    def _open(self, lab: LaboratoryInfo | None) -> None:
        dialog = LaboratoryDialog(self.session, lab, self)
        self.lab_dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh() if dialog.saved else None)
        dialog.open()
