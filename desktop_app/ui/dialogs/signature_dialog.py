"""The electronic signature of a decision: its meaning shown, the password typed again.

The dialog calls the decision service itself (on the task runner): a wrong password keeps it
open with one sentence, and nothing was written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certification import ACTION_LABELS, NEEDS_REASON, Action
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import set_date_format
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel

Decide = Callable[..., Any]


class SignatureDialog(QDialog):
    def __init__(self, session: UiSession, action: Action, meaning: str, decide: Decide,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_dialog")
        self._session = session
        self._action = action
        self._meaning = meaning
        self._decide = decide
        self.result_detail: Any = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.intro = QLabel(wordWrap=True)
        self.meaning_label = QLabel(objectName="signature_meaning")
        self.meaning_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.meaning_label.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.meaning_label.setFont(font)
        self.signer_label = QLabel(objectName="signature_signer")
        self.signer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_edit = QPlainTextEdit(objectName="signature_reason")
        self.reason_edit.setFixedHeight(60)
        self.until_edit = set_date_format(QDateEdit(objectName="interim_until",
                                                  calendarPopup=True))
        self.until_edit.setDate(QDate.currentDate().addDays(90))
        self.until_edit.setMinimumDate(QDate.currentDate().addDays(1))
        self.quantity_spin = QSpinBox(objectName="interim_quantity", maximum=10_000_000)
        self.plan_edit = QPlainTextEdit(objectName="interim_action_plan")
        self.plan_edit.setFixedHeight(60)
        self.password_edit = QLineEdit(objectName="signature_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = MessageLabel(objectName="signature_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setObjectName("sign_button")
        self.form = QFormLayout()
        self.form.addRow(self.meaning_label)
        self.form.addRow(self.signer_label)
        interim = self._action is Action.APPROVE_INTERIM
        self._rows: list[tuple[QWidget, str]] = []
        if self._action in NEEDS_REASON:
            self._add_row(self.reason_edit, QT_TRANSLATE_NOOP("Certification", "Reason"))
        if interim:
            self._add_row(self.until_edit, QT_TRANSLATE_NOOP("Certification", "Valid until"))
            self._add_row(self.quantity_spin,
                          QT_TRANSLATE_NOOP("Certification", "Quantity limit (0: none)"))
            self._add_row(self.plan_edit,
                          QT_TRANSLATE_NOOP("Certification", "Corrective action plan"))
        self._add_row(self.password_edit, QT_TRANSLATE_NOOP("Certification", "Password"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def _add_row(self, widget: QWidget, text: str) -> None:
        label = QLabel()
        self.form.addRow(label, widget)
        self._rows.append((label, text))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_sign_clicked)
        self.buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(self._update_sign_button)
        self._signing = False
        self._update_sign_button()

    def _update_sign_button(self) -> None:
        # No signature without a password: the button waits for one (and for a running sign).
        self.sign_button.setEnabled(bool(self.password_edit.text()) and not self._signing)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Certification", "Electronic signature — {action}").format(
            action=tr("Certification", ACTION_LABELS[self._action])))
        self.intro.setText(tr(
            "Certification", "Your signature is recorded with your name, this meaning, the time "
                             "and the exact revision of the submission. Type your password to "
                             "sign."))
        self.meaning_label.setText(self._meaning)
        self.signer_label.setText(tr("Certification", "Signed by {name}").format(
            name=self._session.actor.display_name))
        for label, text in self._rows:
            label.setText(tr("Certification", text))
        self.sign_button.setText(tr("Certification", "Sign"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def values(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"reason": self.reason_edit.toPlainText().strip()}
        if self._action is Action.APPROVE_INTERIM:
            qdate = self.until_edit.date()
            kwargs["valid_until"] = date(qdate.year(), qdate.month(), qdate.day())
            kwargs["quantity_limit"] = self.quantity_spin.value() or None
            kwargs["action_plan"] = self.plan_edit.toPlainText().strip()
        return kwargs

    def _on_sign_clicked(self) -> None:
        password = self.password_edit.text()
        kwargs = self.values()
        self._signing = True
        self.sign_button.setEnabled(False)
        self.message.show_info(tr("Certification", "Signing…"))
        self._session.tasks.submit(
            lambda: self._decide(password=password, **kwargs),
            on_done=self._on_signed, on_error=self._on_failed,
            changes=Change.of("submission", "decision", "signature", "certificate"))

    def _on_signed(self, detail: Any) -> None:
        self.result_detail = detail
        self.password_edit.clear()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.password_edit.clear()
        self.password_edit.setFocus()
        self._signing = False
        self._update_sign_button()
        self.message.show_error(error_text(exc))
