"""The Part Submission Warrant of a submission, generated from its data (read only)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_dto import PswSummary
from desktop_app.services.certification_psw import psw_summary
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text


def psw_text(summary: PswSummary) -> str:
    lines: list[str] = []
    for title, rows in summary.sections:
        lines.append(tr("Psw", title).upper())
        lines += [f"  {tr('Psw', label)}: {tr('Psw', value) if value in ('yes', 'no') else value}"
                  for label, value in rows]
        lines.append("")
    return "\n".join(lines)


class PswDialog(QDialog):
    def __init__(self, session: UiSession, submission_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("psw_dialog")
        self.summary: PswSummary | None = None
        self.text = QPlainTextEdit(objectName="psw_text", readOnly=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 620)
        self.retranslate_ui()
        service, actor = CertificationService(session.ctx), session.actor
        session.tasks.submit(lambda: psw_summary(service, actor, submission_id),
                             on_done=self._on_loaded,
                             on_error=lambda exc: self.text.setPlainText(error_text(exc)))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Psw", "Part Submission Warrant"))
        if self.summary is not None:
            self.text.setPlainText(psw_text(self.summary))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_loaded(self, summary: PswSummary) -> None:
        self.summary = summary
        self.text.setPlainText(psw_text(summary))
