"""Retention beside the certification work: the part revisions out of production with the date
their records are kept until (one calendar year, or the customer's period), and every record
past that date — listed for a person to review; nothing is ever deleted."""

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
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import Permission
from desktop_app.domain.record_types import record_type_label
from desktop_app.domain.retention import MAX_YEARS
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.retention import (
    PartRetention,
    PolicyInfo,
    RetainedRecord,
    RetentionService,
)
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr, tr_n
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import set_date_format
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import CHANGE_RETENTION, END_PRODUCTION, allow
from desktop_app.ui.widgets.scan_field import PartPicker
from desktop_app.ui.widgets.tables import paged_table

PAST = QBrush(QColor("#b00020"))


class EndOfProductionDialog(QDialog):
    """Record the last day of series production of a part revision."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("end_of_production_dialog")
        self._session = session
        self.recorded: PartRetention | None = None
        self.search_edit = QLineEdit(objectName="eop_part_search")
        self.part_combo = QComboBox(objectName="eop_part_combo")
        self.date_edit = set_date_format(QDateEdit(objectName="eop_date", calendarPopup=True))
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.note_edit = QLineEdit(objectName="eop_note")
        self.message = MessageLabel(objectName="eop_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.form = QFormLayout()
        self.fields = (self.search_edit, self.part_combo, self.date_edit, self.note_edit)
        for widget in self.fields:
            self.form.addRow(QLabel(), widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.search_edit.textChanged.connect(lambda _t: self._search())
        # A scanned part number chooses that part; Enter never presses OK from the search.
        self.picker = PartPicker(self.search_edit, self.part_combo, self._session, self._search)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self.resize(520, 220)
        self._search()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Retention", "End of production"))
        texts = (tr("Retention", "Search parts"), tr("Retention", "Part revision"),
                 tr("Retention", "Last day of series production"), tr("Retention", "Note"))
        for widget, text in zip(self.fields, texts, strict=True):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _search(self) -> None:
        text, ctx = self.search_edit.text(), self._session.ctx
        self._session.tasks.submit(
            lambda: PartService(ctx).page(PartQuery(search=text), 0, 50).rows,
            on_done=self._on_parts, on_error=lambda e: self.message.show_error(error_text(e)))

    def _on_parts(self, rows) -> None:
        self.part_combo.clear()
        for r in rows:
            self.part_combo.addItem(f"{r.part_number} {r.revision} — {r.designation}", r.part_id)

    def _on_ok_clicked(self) -> None:
        part_id = self.part_combo.currentData()
        if not part_id:
            self.message.show_error(tr("Retention", "Choose a part revision."))
            return
        q = self.date_edit.date()
        ended, note = date(q.year(), q.month(), q.day()), self.note_edit.text()
        service, actor = RetentionService(self._session.ctx), self._session.actor
        self._session.tasks.submit(
            lambda: service.end_production(actor, part_id, ended, note),
            on_done=self._on_done, on_error=lambda e: self.message.show_error(error_text(e)),
            changes=Change.of("production_end"))

    def _on_done(self, row: PartRetention) -> None:
        self.recorded = row
        self.accept()


class RetentionPolicyDialog(QDialog):
    """A customer's retention period (years after the end of production), with those already
    recorded listed above."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retention_policy_dialog")
        self._session = session
        self.saved: PolicyInfo | None = None
        self.known_label = QLabel(objectName="retention_policies_known", wordWrap=True)
        self.known_label.setTextFormat(Qt.TextFormat.PlainText)
        self.customer_edit = QLineEdit(objectName="policy_customer")
        self.years_spin = QSpinBox(objectName="policy_years", minimum=1, maximum=MAX_YEARS)
        self.years_spin.setValue(15)
        self.reference_edit = QLineEdit(objectName="policy_reference")
        self.message = MessageLabel(objectName="policy_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.form = QFormLayout()
        self.form.addRow(self.known_label)
        self.fields = (self.customer_edit, self.years_spin, self.reference_edit)
        for widget in self.fields:
            self.form.addRow(QLabel(), widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self._policies: list[PolicyInfo] = []
        self.retranslate_ui()
        self.resize(520, 240)
        service, actor = RetentionService(session.ctx), session.actor
        session.tasks.submit(lambda: service.policies(actor), on_done=self._on_policies,
                             on_error=lambda e: self.message.show_error(error_text(e)))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Retention", "Customers' retention periods"))
        texts = (tr("Retention", "Customer (as named on its vehicle models)"),
                 tr("Retention", "Years after the end of production"),
                 tr("Retention", "Where the customer requires it"))
        for widget, text in zip(self.fields, texts, strict=True):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(text)
        self._show_known()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_policies(self, policies: list[PolicyInfo]) -> None:
        self._policies = policies
        self._show_known()

    def _show_known(self) -> None:
        lines = [tr_n("Retention", "{customer}: %Ln years", p.years).format(customer=p.customer)
                 for p in self._policies]
        lines.append(tr("Retention", "Any other customer: 1 year."))
        self.known_label.setText("\n".join(lines))

    def _on_ok_clicked(self) -> None:
        customer, years = self.customer_edit.text(), self.years_spin.value()
        reference = self.reference_edit.text()
        service, actor = RetentionService(self._session.ctx), self._session.actor
        self._session.tasks.submit(
            lambda: service.set_policy(actor, customer, years, reference),
            on_done=self._on_saved, on_error=lambda e: self.message.show_error(error_text(e)),
            changes=Change.of("retention_policy"))

    def _on_saved(self, policy: PolicyInfo) -> None:
        self.saved = policy
        self.accept()


class RetentionWidget(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retention")
        self.session = session
        self.service = RetentionService(session.ctx)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _part_columns(self) -> list[Column]:
        def past(p: PartRetention):
            return PAST if p.past else None

        return [
            Column("part", lambda: tr("Retention", "Part revision"),
                   lambda p: f"{p.part_number} {p.revision}"),
            Column("ended", lambda: tr("Retention", "Production ended"),
                   lambda p: local_day(p.ended_on)),
            Column("period", lambda: tr("Retention", "Kept for"),
                   lambda p: tr_n("Retention", "%Ln years", p.years)
                   + (f" ({p.required_by})" if p.required_by else "")),
            Column("until", lambda: tr("Retention", "Kept until"),
                   lambda p: local_day(p.retain_until),
                   foreground=past),
            Column("records", lambda: tr("Retention", "Records"), lambda p: str(p.records),
                   align_right=True),
        ]

    def _record_columns(self) -> list[Column]:
        return [
            Column("until", lambda: tr("Retention", "Kept until"),
                   lambda r: local_day(r.retain_until),
                   foreground=lambda _r: PAST),
            Column("part", lambda: tr("Retention", "Part revision"),
                   lambda r: f"{r.part_number} {r.revision}"),
            Column("type", lambda: tr("Retention", "Record"),
                   lambda r: tr("RecordTypes", record_type_label(r.record_type))),
            Column("label", lambda: tr("Retention", "Number or name"), lambda r: r.label),
        ]

    def _build_ui(self) -> None:
        tasks = self.session.tasks
        self.parts_model = PagedTableModel(self._part_columns(), tasks, parent=self)
        self.records_model = PagedTableModel(self._record_columns(), tasks, parent=self)
        self.parts_table = paged_table(self.parts_model, "retention_parts", 2)
        self.records_table = paged_table(self.records_model, "retention_records", 3)
        self.explain = QLabel(objectName="retention_explain", wordWrap=True)
        self.end_button = QPushButton(objectName="end_of_production_button")
        allow(self.end_button, self.session.actor, Permission.EDIT_PARTS, END_PRODUCTION)
        self.policy_button = QPushButton(objectName="retention_policy_button")
        allow(self.policy_button, self.session.actor, Permission.EDIT_REFERENCE_DATA,
              CHANGE_RETENTION)
        self.records_label = QLabel(objectName="retention_records_label")
        self.message = MessageLabel(objectName="retention_message")
        top = QHBoxLayout()
        top.addWidget(self.explain, 1)
        top.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.policy_button, 0, Qt.AlignmentFlag.AlignTop)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.records_label)
        lower_layout.addWidget(self.records_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="retention_splitter")
        splitter.addWidget(self.parts_table)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.end_button.clicked.connect(self._on_end_clicked)
        self.policy_button.clicked.connect(self._on_policy_clicked)
        for model in (self.parts_model, self.records_model):
            model.failed.connect(lambda exc: self.message.show_error(error_text(exc)))
        self.records_model.total_changed.connect(self._on_records_total)

    def retranslate_ui(self) -> None:
        self.explain.setText(tr(
            "Retention", "Records are kept until the end of production plus one calendar year, "
                         "or as long as the part's customer requires. Records past that date "
                         "are listed below for review: nothing is deleted automatically."))
        self.end_button.setText(tr("Retention", "End of production…"))
        self.policy_button.setText(tr("Retention", "Customers' periods…"))
        self.parts_model.retranslate()
        self.records_model.retranslate()
        self._on_records_total(self.records_model.total)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_records_total(self, total: int) -> None:
        self.records_label.setText(tr_n("Retention", "%Ln records past retention", total))

    def refresh(self) -> None:
        service, actor = self.service, self.session.actor

        def parts(offset: int, limit: int, _key: str, _desc: bool):
            rows = service.parts(actor)
            return rows[offset:offset + limit], len(rows)

        def records(offset: int, limit: int, _key: str, _desc: bool):
            rows: list[RetainedRecord] = service.past_retention(actor)
            return rows[offset:offset + limit], len(rows)

        self.parts_model.set_fetch(parts)
        self.records_model.set_fetch(records)

    def _on_policy_clicked(self) -> None:
        dialog = RetentionPolicyDialog(self.session, self)
        self.policy_dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh() if dialog.saved else None)
        dialog.open()

    def _on_end_clicked(self) -> None:
        dialog = EndOfProductionDialog(self.session, self)
        self.end_dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh() if dialog.recorded else None)
        dialog.open()
