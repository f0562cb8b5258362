"""A new password: one's own (with the current one) or, for an administrator, someone else's."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.people import check_new_password
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.dto import PersonSummary
from desktop_app.services.people import PeopleService
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.widgets.message_label import MessageLabel

PASSWORDS_DIFFER = QT_TRANSLATE_NOOP("Errors", "The two passwords differ.")


def password_problem(password: str, repeat: str, username: str) -> PartDeskError | None:
    """The first rule a new password (typed twice) breaks, or None."""
    try:
        check_new_password(password, username)
    except PartDeskError as exc:
        return exc
    if password != repeat:
        return ValidationError(PASSWORDS_DIFFER)
    return None


class PasswordDialog(QDialog):
    """`person` None: the signed-in person changes their own password (current one asked)."""

    def __init__(self, session: UiSession, person: PersonSummary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self._session = session
        self._person = person
        self._busy = False
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._validate()

    @property
    def _username(self) -> str:
        return self._person.username if self._person else self._session.actor.username

    def _build_ui(self) -> None:
        self.who_label = QLabel()
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.current_edit = QLineEdit(objectName="current_password")
        self.new_edit = QLineEdit(objectName="new_password")
        self.repeat_edit = QLineEdit(objectName="repeat_password")
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.current_title, self.new_title, self.repeat_title = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        if self._person is None:
            form.addRow(self.current_title, self.current_edit)
        else:
            self.current_edit.hide()
            self.current_title.hide()
        form.addRow(self.new_title, self.new_edit)
        form.addRow(self.repeat_title, self.repeat_edit)
        self.error_label = MessageLabel(objectName="password_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _connect_signals(self) -> None:
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.textEdited.connect(self._validate)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        if self._person is None:
            self.setWindowTitle(self.tr("Change my password"))
            self.who_label.setText(self.tr("New password for {name} ({user})").format(
                name=self._session.actor.display_name, user=self._session.actor.username))
        else:
            self.setWindowTitle(self.tr("Reset password"))
            self.who_label.setText(self.tr(
                "New password for {name} ({user}); tell them to change it after signing in.")
                .format(name=self._person.display_name, user=self._person.username))
        self.current_title.setText(self.tr("Current password"))
        self.new_title.setText(self.tr("New password"))
        self.repeat_title.setText(self.tr("Repeat the new password"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _validate(self) -> bool:
        problem = password_problem(self.new_edit.text(), self.repeat_edit.text(), self._username)
        needs_current = self._person is None and not self.current_edit.text()
        typed = self.new_edit.text() or self.repeat_edit.text()
        if problem is not None and typed:
            self.error_label.show_error(problem)
        else:
            self.error_label.clear()
        ok = problem is None and not needs_current and not self._busy
        self.ok_button.setEnabled(ok)
        return ok

    def _on_ok_clicked(self) -> None:
        if not self._validate():
            return
        people = PeopleService(self._session.ctx)
        actor, new = self._session.actor, self.new_edit.text()
        if self._person is None:
            current = self.current_edit.text()
            job = lambda: people.change_own_password(actor, current, new)  # noqa: E731
        else:
            user_id = self._person.user_id
            job = lambda: people.reset_password(actor, user_id, new)  # noqa: E731
        self._busy = True
        self.ok_button.setEnabled(False)
        self._session.tasks.submit(job, on_done=self._on_saved, on_error=self._on_failed)

    def _on_saved(self, _result: object) -> None:
        self._busy = False
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.current_edit.clear()
        self._validate()
        self.error_label.show_error(exc)
