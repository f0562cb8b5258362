"""Deviations: the supplier's request (part revision, characteristics, expiry and/or quantity)
and the customer's decision, an electronic signature after typing the password again.

Both dialogs call the deviation service themselves (on the task runner): a refusal keeps the
dialog open with one sentence, and nothing was written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.deviations import DeviationAction
from desktop_app.services.deviations import DeviationInfo, DeviationService
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.ui.app_events import Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import set_date_format
from desktop_app.ui.pages.base import UiSession, error_text
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.scan_field import PartPicker

CHANGES = Change.of("deviation", "deviation_decision", "signature")


class DeviationRequestDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviation_request_dialog")
        self._session = session
        self.created: DeviationInfo | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._search()

    def _build_ui(self) -> None:
        self.search_edit = QLineEdit(objectName="deviation_part_search")
        self.part_combo = QComboBox(objectName="deviation_part_combo")
        self.char_list = QListWidget(objectName="deviation_characteristics")
        self.char_list.setMaximumHeight(110)
        self.description_edit = QPlainTextEdit(objectName="deviation_description")
        self.description_edit.setFixedHeight(60)
        self.until_check = QCheckBox(objectName="deviation_until_check", checked=True)
        self.until_edit = set_date_format(QDateEdit(objectName="deviation_until",
                                                  calendarPopup=True))
        self.until_edit.setDate(QDate.currentDate().addDays(90))
        self.until_edit.setMinimumDate(QDate.currentDate())
        self.quantity_spin = QSpinBox(objectName="deviation_quantity", maximum=10_000_000)
        self.number_edit = QLineEdit(objectName="deviation_number")
        self.message = MessageLabel(objectName="deviation_request_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("deviation_request_button")
        self.form = QFormLayout()
        self.fields = (self.search_edit, self.part_combo, self.char_list, self.description_edit,
                       self.until_check, self.until_edit, self.quantity_spin, self.number_edit)
        for widget in self.fields:
            if widget is self.until_check:
                self.form.addRow(widget)
            else:
                self.form.addRow(QLabel(), widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self, singleShot=True, interval=250)
        self.resize(560, 480)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda _t: self.timer.start())
        self.timer.timeout.connect(self._search)
        # A scanned part number chooses that part; Enter never presses OK from the search.
        self.picker = PartPicker(self.search_edit, self.part_combo, self._session, self._search)
        self.part_combo.currentIndexChanged.connect(lambda _i: self._load_characteristics())
        self.until_check.toggled.connect(self.until_edit.setEnabled)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Deviations", "Request a deviation"))
        texts = (tr("Deviations", "Search parts"), tr("Deviations", "Part revision"),
                 tr("Deviations", "Characteristics"),
                 tr("Deviations", "What it allows, how the product is contained"), "",
                 tr("Deviations", "Valid until"), tr("Deviations", "Quantity (0: none)"),
                 tr("Deviations", "Customer's number (empty: the next DEV number)"))
        for widget, text in zip(self.fields, texts, strict=True):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(text)
        self.until_check.setText(tr("Deviations", "Limited by an expiry date"))
        self.ok_button.setText(tr("Deviations", "Request"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _search(self) -> None:
        text, ctx = self.search_edit.text(), self._session.ctx
        self._session.tasks.submit(
            lambda: PartService(ctx).page(PartQuery(search=text), 0, 50).rows,
            on_done=self._on_parts, on_error=lambda e: self.message.show_error(error_text(e)))

    def _on_parts(self, rows: Any) -> None:
        self.part_combo.clear()
        for r in rows:
            self.part_combo.addItem(f"{r.part_number} {r.revision} — {r.designation}", r.part_id)

    def _load_characteristics(self) -> None:
        part_id, ctx = self.part_combo.currentData(), self._session.ctx
        self.char_list.clear()
        if part_id:
            self._session.tasks.submit(
                lambda: EvidenceQueries(ctx).characteristics(part_id),
                on_done=self._on_characteristics,
                on_error=lambda e: self.message.show_error(error_text(e)))

    def _on_characteristics(self, chars: Any) -> None:
        self.char_list.clear()
        for c in chars:
            item = QListWidgetItem(f"{c.number}  {c.description}  {c.char_class}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, c.characteristic_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.char_list.addItem(item)

    def checked_characteristics(self) -> list[str]:
        return [self.char_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.char_list.count())
                if self.char_list.item(i).checkState() is Qt.CheckState.Checked]

    def _on_ok_clicked(self) -> None:
        part_id = self.part_combo.currentData()
        if not part_id:
            self.message.show_error(tr("Deviations", "Choose a part revision."))
            return
        service, actor = DeviationService(self._session.ctx), self._session.actor
        chars = self.checked_characteristics()
        description = self.description_edit.toPlainText()
        qdate = self.until_edit.date()
        until = (date(qdate.year(), qdate.month(), qdate.day())
                 if self.until_check.isChecked() else None)
        quantity = self.quantity_spin.value() or None
        number = self.number_edit.text()
        self._session.tasks.submit(
            lambda: service.request_deviation(actor, part_id, chars, description, until,
                                              quantity, number),
            on_done=self._on_created, on_error=lambda e: self.message.show_error(error_text(e)),
            changes=CHANGES)

    def _on_created(self, info: DeviationInfo) -> None:
        self.created = info
        self.accept()


class DeviationSignatureDialog(QDialog):
    """The customer approves or rejects a deviation: the meaning shown, the password typed."""

    def __init__(self, session: UiSession, deviation: DeviationInfo, action: DeviationAction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviation_signature_dialog")
        self._session = session
        self._deviation = deviation
        self._action = DeviationAction(action)
        self.result_info: DeviationInfo | None = None
        self._signing = False
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.intro = QLabel(wordWrap=True)
        self.meaning_label = QLabel(objectName="deviation_signature_meaning")
        self.meaning_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.meaning_label.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.meaning_label.setFont(font)
        self.terms_label = QLabel(objectName="deviation_signature_terms", wordWrap=True)
        self.terms_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_edit = QPlainTextEdit(objectName="deviation_signature_reason")
        self.reason_edit.setFixedHeight(60)
        self.password_edit = QLineEdit(objectName="deviation_signature_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = MessageLabel(objectName="deviation_signature_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setObjectName("deviation_sign_button")
        self.reason_label, self.password_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.meaning_label)
        form.addRow(self.terms_label)
        form.addRow(self.reason_label, self.reason_edit)
        form.addRow(self.password_label, self.password_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(500, self.sizeHint().height())

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_sign_clicked)
        self.buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(self._update_sign_button)
        self._update_sign_button()

    def _update_sign_button(self) -> None:
        self.sign_button.setEnabled(bool(self.password_edit.text()) and not self._signing)

    def retranslate_ui(self) -> None:
        d = self._deviation
        approve = self._action is DeviationAction.APPROVE
        self.setWindowTitle(tr("Deviations", "Electronic signature — approve a deviation")
                            if approve else
                            tr("Deviations", "Electronic signature — reject a deviation"))
        self.intro.setText(tr(
            "Deviations", "Your signature is recorded with your name, this meaning, the time "
                          "and the exact revision of the request. Type your password to sign."))
        self.meaning_label.setText(
            (tr("Deviations", "Deviation {number} approved") if approve
             else tr("Deviations", "Deviation {number} rejected")).format(number=d.number))
        terms = [tr("Deviations", "Part {part} {revision}, characteristic(s) {numbers}").format(
            part=d.part_number, revision=d.part_revision,
            numbers=", ".join(d.characteristic_numbers))]
        if d.valid_until:
            terms.append(tr("Deviations", "until {date}").format(date=local_day(d.valid_until)))
        if d.quantity_limit:
            terms.append(tr("Deviations", "{limit} parts").format(limit=d.quantity_limit))
        self.terms_label.setText("; ".join(terms) + "\n" + d.description)
        self.reason_label.setText(tr("Deviations", "Reason") if not approve
                                  else tr("Deviations", "Comment"))
        self.password_label.setText(tr("Deviations", "Password"))
        self.sign_button.setText(tr("Deviations", "Sign"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_sign_clicked(self) -> None:
        password, reason = self.password_edit.text(), self.reason_edit.toPlainText()
        service, actor = DeviationService(self._session.ctx), self._session.actor
        deviation_id, action = self._deviation.deviation_id, self._action
        self._signing = True
        self._update_sign_button()
        self.message.show_info(tr("Deviations", "Signing…"))
        self._session.tasks.submit(
            lambda: service.decide(actor, deviation_id, action, password, reason),
            on_done=self._on_signed, on_error=self._on_failed, changes=CHANGES)

    def _on_signed(self, info: DeviationInfo) -> None:
        self.result_info = info
        self.password_edit.clear()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.password_edit.clear()
        self.password_edit.setFocus()
        self._signing = False
        self._update_sign_button()
        self.message.show_error(error_text(exc))
