"""The Part Submission Warrant of a submission: generated from its data, with the few fields a
person types for the warrant only (purchase order, buyer, IMDS, production rate...)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import EDITABLE_STATES
from desktop_app.domain.people import Permission
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_dto import PswSummary, SubmissionDetail
from desktop_app.services.certification_psw import PSW_FIELDS, psw_summary
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel


def psw_text(summary: PswSummary) -> str:
    lines: list[str] = []
    for title, rows in summary.sections:
        lines.append(tr("Psw", title).upper())
        lines += [f"  {tr('Psw', label)}: {tr('Psw', value) if value in ('yes', 'no') else value}"
                  for label, value in rows]
        lines.append("")
    return "\n".join(lines)


class PswDialog(QDialog):
    def __init__(self, session: UiSession, detail: SubmissionDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("psw_dialog")
        self._session = session
        self._detail = detail
        self._service = CertificationService(session.ctx)
        self.summary: PswSummary | None = None
        self.saved: SubmissionDetail | None = None
        self._build_ui()
        self.save_button.clicked.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self._load()

    def _build_ui(self) -> None:
        self.text = QPlainTextEdit(objectName="psw_text", readOnly=True)
        form_widget = QWidget()
        self.form = QFormLayout(form_widget)
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        for key in PSW_FIELDS:
            edit = QLineEdit(objectName=f"psw_{key}")
            edit.setText(self._detail.psw.get(key, ""))
            self.edits[key] = edit
            self.labels[key] = QLabel()
            self.form.addRow(self.labels[key], edit)
        editable = (self._detail.summary.state in EDITABLE_STATES
                    and not self._detail.summary.conflict
                    and self._session.actor.can(Permission.PREPARE_SUBMISSION))
        for edit in self.edits.values():
            edit.setReadOnly(not editable)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.save_button = QPushButton(objectName="psw_save_button")
        self.save_button.setEnabled(editable)
        self.message = MessageLabel(objectName="psw_message")
        splitter = QSplitter()
        splitter.addWidget(self.text)
        splitter.addWidget(scroll)
        splitter.setSizes([560, 380])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(980, 640)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Psw", "Part Submission Warrant"))
        for key, label in self.labels.items():
            label.setText(tr("Psw", PSW_FIELDS[key]))
        self.save_button.setText(tr("Psw", "Save the warrant fields"))
        if self.summary is not None:
            self.text.setPlainText(psw_text(self.summary))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _load(self) -> None:
        service, actor = self._service, self._session.actor
        sid = self._detail.summary.submission_id
        self._session.tasks.submit(lambda: psw_summary(service, actor, sid),
                                   on_done=self._on_loaded,
                                   on_error=lambda exc: self.message.show_error(error_text(exc)))

    def _on_loaded(self, summary: PswSummary) -> None:
        self.summary = summary
        self.text.setPlainText(psw_text(summary))

    def _on_save_clicked(self) -> None:
        values = {**self._detail.psw, **{k: e.text().strip() for k, e in self.edits.items()}}
        service, actor, detail = self._service, self._session.actor, self._detail
        self._session.tasks.submit(
            lambda: service.update_submission(actor, detail.summary.submission_id, psw=values,
                                              expected_rev_id=detail.rev_id),
            on_done=self._on_saved, on_error=lambda exc: self.message.show_error(error_text(exc)),
            changes=Change.of("submission"))

    def _on_saved(self, detail: SubmissionDetail) -> None:
        self._detail = detail
        self.saved = detail
        self.message.show_info(tr("Psw", "Saved."))
        self._load()
