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

from desktop_app.domain.certificate_trust import Answer, CertificateCheck
from desktop_app.services.certificates import CertificateService
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel

VALID_STYLE = "color: #1b5e20; font-weight: bold;"
CAUTION_STYLE = "color: #8a4b00; font-weight: bold;"
INVALID_STYLE = "color: #b00020; font-weight: bold;"
REFUSED = frozenset({Answer.REVOKED, Answer.NOT_GENUINE, Answer.NOT_A_CERTIFICATE})


def verdict_style(result: CertificateCheck) -> str:
    """Green: genuine and in force here; red: revoked, not genuine, not a certificate; amber:
    everything in between (suspended, expired, superseded, awaiting re-approval, conflicting
    edits, not in this register, site not enrolled). The sentence says since when and why."""
    if result.valid:
        return VALID_STYLE
    return INVALID_STYLE if result.answer in REFUSED else CAUTION_STYLE


def describe(result: CertificateCheck) -> str:
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
    if result.key_fingerprint:
        lines.append(tr("Certification", "Signed with key {fingerprint}").format(
            fingerprint=result.key_fingerprint))
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
        self.last_result: CertificateCheck | None = None
        self._checks = 0  # checks started: only the latest one's answer is shown
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
        # A keyboard-wedge scanner types the code and presses Enter: the default button, Check,
        # takes it (connecting returnPressed too would check twice).
        self.check_button.clicked.connect(self._on_check_clicked)
        self.file_button.clicked.connect(self._on_file_clicked)
        self.buttons.rejected.connect(self.reject)
        self.payload_edit.textChanged.connect(
            lambda text: self.check_button.setEnabled(bool(text.strip())))
        self.check_button.setEnabled(False)  # nothing to check yet
        self.check_button.setDefault(True)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Certification", "Verify a certificate"))
        self.intro.setText(tr("Certification", "Scan the QR code of a printed certificate with a "
                                               "handheld scanner, paste its text, or choose the "
                                               "PDF file. Nothing leaves this computer."))
        self.payload_edit.setPlaceholderText(tr("Certification", "PDC1|CERT-…"))
        self.check_button.setText(tr("Certification", "Check"))
        self.file_button.setText(tr("Certification", "Choose a PDF…"))
        if self.last_result is not None:
            self._show(self.last_result)

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
        self._checks += 1
        check = self._checks
        self._session.tasks.submit(fn, on_done=lambda result: self._on_result(result, check),
                                   on_error=self._on_error)

    def _on_result(self, result: CertificateCheck, check: int | None = None) -> None:
        if check is not None and check != self._checks:
            return  # an earlier check finished late: the latest one decides what is shown
        self.last_result = result
        self._show(result)
        self.payload_edit.selectAll()

    def _show(self, result: CertificateCheck) -> None:
        self.verdict_label.setStyleSheet(verdict_style(result))
        self.verdict_label.setText(result.sentence(tr))
        self.details.setPlainText(describe(result))

    def _on_error(self, exc: BaseException) -> None:
        self.verdict_label.clear()
        self.message.show_error(error_text(exc))
