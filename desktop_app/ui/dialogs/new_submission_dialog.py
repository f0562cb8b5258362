"""Start a submission: which part revision, OTS or PPAP, level and reason."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import KIND_LABELS, SubmissionKind
from desktop_app.domain.ppap import DEFAULT_LEVEL, LEVELS, REASON_LABELS, Reason
from desktop_app.services.certification import CertificationService
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.shortcuts import add_save_shortcut
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.scan_field import PartPicker


class NewSubmissionDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_submission_dialog")
        self._session = session
        self.created = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._search()

    def _build_ui(self) -> None:
        self.search_edit = QLineEdit(objectName="part_search")
        self.part_combo = QComboBox(objectName="part_combo")
        self.kind_combo = QComboBox(objectName="kind_combo")
        for kind in SubmissionKind:
            self.kind_combo.addItem("", str(kind))
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(str(SubmissionKind.PPAP)))
        self.level_combo = QComboBox(objectName="new_level_combo")
        for level in LEVELS:
            self.level_combo.addItem(str(level), level)
        self.level_combo.setCurrentIndex(LEVELS.index(DEFAULT_LEVEL))
        self.reason_combo = QComboBox(objectName="new_reason_combo")
        for reason in Reason:
            self.reason_combo.addItem("", str(reason))
        self.detail_edit = QLineEdit(objectName="reason_detail")
        self.message = MessageLabel(objectName="new_submission_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        add_save_shortcut(self, self.buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.form = QFormLayout()
        self.labels = (self.search_edit, self.part_combo, self.kind_combo, self.level_combo,
                       self.reason_combo, self.detail_edit)
        for widget in self.labels:
            self.form.addRow(QLabel(), widget)  # addRow("") makes no label: fields had none
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self, singleShot=True, interval=250)
        self.resize(520, 300)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda _t: self.timer.start())
        self.timer.timeout.connect(self._search)
        # A scanned part number chooses that part; Enter never presses OK from the search.
        self.picker = PartPicker(self.search_edit, self.part_combo, self._session, self._search)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Certification", "New submission"))
        texts = [tr("Certification", "Search parts"), tr("Certification", "Part revision"),
                 tr("Certification", "Kind"), tr("Certification", "PPAP level"),
                 tr("Certification", "Reason"), tr("Certification", "Reason (details)")]
        for widget, text in zip(self.labels, texts, strict=True):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(text)
        for i, kind in enumerate(SubmissionKind):
            self.kind_combo.setItemText(i, tr("Certification", KIND_LABELS[kind]))
        for i, reason in enumerate(Reason):
            self.reason_combo.setItemText(i, tr("Ppap", REASON_LABELS[reason]))

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
            self.message.show_error(tr("Certification", "Choose a part revision."))
            return
        service, actor = CertificationService(self._session.ctx), self._session.actor
        kind = SubmissionKind(self.kind_combo.currentData())
        level, reason = self.level_combo.currentData(), Reason(self.reason_combo.currentData())
        detail = self.detail_edit.text()
        self._session.tasks.submit(
            lambda: service.create_submission(actor, part_id, kind, level, reason, detail),
            on_done=self._on_created, on_error=lambda e: self.message.show_error(error_text(e)),
            changes=Change.of("submission"))

    def _on_created(self, detail) -> None:
        self.created = detail
        self.accept()
