"""Check a certificate offline: paste or scan its QR text (a handheld scanner types it and ends
with Enter), or choose its PDF. The verdict is one sentence with the certificate's data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certificates import VERDICT_SENTENCES
from desktop_app.services.certificates import CertificateService
from desktop_app.services.certification_dto import VerificationResult
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel

VALID_STYLE = "color: #1b5e20; font-weight: bold;"
INVALID_STYLE = "color: #b00020; font-weight: bold;"


def describe(result: VerificationResult) -> str:
    body, lines = result.body, []
    if body:
        lines.append(tr("Certification", "Part {part}, drawing revision {rev}; {type}; issued "
                                         "{issued}").format(part=body.get("p", ""),
                                                            rev=body.get("r", ""),
                                                            type=body.get("t", ""),
                                                            issued=body.get("i", "")))
        if body.get("u") or body.get("q"):
            lines.append(tr("Certification", "Interim: until {until}, quantity {qty}").format(
                until=body.get("u") or "—", qty=body.get("q") or "—"))
    cert = result.certificate
    if cert is not None:
        lines.append(f"{cert.supplier_name} — {cert.designation} — {cert.approval_type}")
        lines += [f"{s.name}: {s.meaning} ({s.signed_at[:16].replace('T', ' ')} UTC)"
                  for s in cert.signatures]
    return "\n".join(lines)


class VerifyCertificateDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verify_certificate_dialog")
        self._session = session
        self._service = CertificateService(session.ctx)
        self.last_result: VerificationResult | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.intro = QLabel(wordWrap=True)
        self.payload_edit = QLineEdit(objectName="payload_edit")
        self.payload_edit.setClearButtonEnabled(True)
        self.check_button = QPushButton(objectName="check_payload_button")
        self.file_button = QPushButton(objectName="choose_pdf_button")
        self.verdict_label = QLabel(objectName="verdict_label", wordWrap=True)
        self.verdict_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details = QPlainTextEdit(objectName="verdict_details", readOnly=True)
        self.message = MessageLabel(objectName="verify_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        row = QHBoxLayout()
        row.addWidget(self.payload_edit, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_button)
        file_row.addStretch(1)
        layout.addLayout(file_row)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(640, 380)

    def _connect_signals(self) -> None:
        # A keyboard-wedge scanner types the code and presses Enter.
        self.payload_edit.returnPressed.connect(self._on_check_clicked)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.file_button.clicked.connect(self._on_file_clicked)
        self.buttons.rejected.connect(self.reject)
        self.payload_edit.textChanged.connect(
            lambda text: self.check_button.setEnabled(bool(text.strip())))
        self.check_button.setEnabled(False)  # nothing to check yet

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Certification", "Verify a certificate"))
        self.intro.setText(tr("Certification", "Scan the QR code of a printed certificate with a "
                                               "handheld scanner, paste its text, or choose the "
                                               "PDF file. Nothing leaves this computer."))
        self.payload_edit.setPlaceholderText(tr("Certification", "PDC1|CERT-…"))
        self.check_button.setText(tr("Certification", "Check"))
        self.file_button.setText(tr("Certification", "Choose a PDF…"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_check_clicked(self) -> None:
        text = self.payload_edit.text().strip()
        if text:
            self._run(lambda: self._service.verify_certificate_payload(text))

    def _on_file_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Certification", "Certificate PDF"), "",
                                              tr("Certification", "PDF files (*.pdf)"))
        if path:
            self.check_file(Path(path))

    def check_file(self, path: Path) -> None:
        self._run(lambda: self._service.verify_certificate_pdf(path))

    def _run(self, fn) -> None:
        self.message.clear()
        self.verdict_label.setText(tr("Certification", "Checking…"))
        self._session.tasks.submit(fn, on_done=self._on_result, on_error=self._on_error)

    def _on_result(self, result: VerificationResult) -> None:
        self.last_result = result
        sentence = tr("Certification", VERDICT_SENTENCES[result.verdict]).format(
            number=result.number or "?", site=result.site_code or "?",
            status=result.status or "?")
        self.verdict_label.setStyleSheet(VALID_STYLE if result.valid else INVALID_STYLE)
        self.verdict_label.setText(sentence)
        self.details.setPlainText(describe(result))
        self.payload_edit.selectAll()

    def _on_error(self, exc: BaseException) -> None:
        self.verdict_label.clear()
        self.message.show_error(error_text(exc))
