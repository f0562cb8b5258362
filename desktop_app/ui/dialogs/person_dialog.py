"""An administrator adds a person (with a first password) or changes a person's role."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
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

from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.people import ROLE_LABELS, Role, check_username
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.dto import PersonSummary
from desktop_app.services.people import PeopleService
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.password_dialog import password_problem
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.shortcuts import add_save_shortcut
from desktop_app.ui.widgets.message_label import MessageLabel

FULL_NAME_MISSING = QT_TRANSLATE_NOOP("Errors", "A person needs a full name.")


def fill_roles(combo: QComboBox) -> None:
    """(Re)label a role chooser in the current language; the data stays the role's value."""
    if combo.count() == 0:
        for role in Role:
            combo.addItem("", str(role))
    for index in range(combo.count()):
        combo.setItemText(index, tr("Roles", ROLE_LABELS[Role(combo.itemData(index))]))


class PersonDialog(QDialog):
    """Add a person: user name, full name, role and a first password typed twice."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("person_dialog")
        self._session = session
        self._busy = False
        self.added: PersonSummary | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._validate()

    def _build_ui(self) -> None:
        self.username_edit = QLineEdit(objectName="username")
        self.full_name_edit = QLineEdit(objectName="full_name")
        self.role_combo = QComboBox(objectName="role")
        fill_roles(self.role_combo)
        self.password_edit = QLineEdit(objectName="password")
        self.repeat_edit = QLineEdit(objectName="repeat_password")
        for edit in (self.password_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.titles = [QLabel() for _ in range(5)]
        form = QFormLayout()
        for title, field in zip(self.titles, (self.username_edit, self.full_name_edit,
                                              self.role_combo, self.password_edit,
                                              self.repeat_edit), strict=True):
            form.addRow(title, field)
        self.error_label = MessageLabel(objectName="person_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        add_save_shortcut(self, self.ok_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def _connect_signals(self) -> None:
        for edit in (self.username_edit, self.full_name_edit, self.password_edit,
                     self.repeat_edit):
            edit.textEdited.connect(self._validate)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Add a person"))
        for title, text in zip(self.titles, (self.tr("User name"), self.tr("Full name"),
                                             self.tr("Role"), self.tr("Password"),
                                             self.tr("Repeat the password")), strict=True):
            title.setText(text)
        fill_roles(self.role_combo)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _problem(self) -> PartDeskError | None:
        try:
            username = check_username(self.username_edit.text())
        except PartDeskError as exc:
            return exc
        if not self.full_name_edit.text().strip():
            return ValidationError(FULL_NAME_MISSING)
        return password_problem(self.password_edit.text(), self.repeat_edit.text(), username)

    def _validate(self) -> bool:
        problem = self._problem()
        typed = any(e.text() for e in (self.username_edit, self.full_name_edit,
                                       self.password_edit))
        if problem is not None and typed:
            self.error_label.show_error(problem)
        else:
            self.error_label.clear()
        self.ok_button.setEnabled(problem is None and not self._busy)
        return problem is None

    def _on_ok_clicked(self) -> None:
        if self._busy or not self._validate():
            return
        people = PeopleService(self._session.ctx)
        actor = self._session.actor
        values = (self.username_edit.text(), self.full_name_edit.text(),
                  Role(self.role_combo.currentData()), self.password_edit.text())
        self._busy = True
        self.ok_button.setEnabled(False)
        self._session.tasks.submit(lambda: people.add_person(actor, *values),
                                   on_done=self._on_added, on_error=self._on_failed,
                                   changes=Change.of("user"))

    def _on_added(self, person: PersonSummary) -> None:
        self._busy = False
        self.added = person
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._validate()
        self.error_label.show_error(exc)


class RoleDialog(QDialog):
    """Choose another role for one person."""

    def __init__(self, session: UiSession, person: PersonSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("role_dialog")
        self._session = session
        self._person = person
        self.who_label = QLabel()
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.role_combo = QComboBox(objectName="role")
        fill_roles(self.role_combo)
        self.role_combo.setCurrentIndex(self.role_combo.findData(str(person.role)))
        self.error_label = MessageLabel(objectName="role_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who_label)
        layout.addWidget(self.role_combo)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Change role"))
        self.who_label.setText(self.tr("Role of {name} ({user})").format(
            name=self._person.display_name, user=self._person.username))
        fill_roles(self.role_combo)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_ok_clicked(self) -> None:
        role = Role(self.role_combo.currentData())
        if role == self._person.role:
            self.reject()
            return
        people = PeopleService(self._session.ctx)
        actor, user_id = self._session.actor, self._person.user_id
        self.buttons.setEnabled(False)
        self._session.tasks.submit(lambda: people.change_role(actor, user_id, role),
                                   on_done=self._on_role_changed, on_error=self._on_failed,
                                   changes=Change.of("user", ids=(user_id,)))

    def _on_role_changed(self, _person: PersonSummary) -> None:
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error_label.show_error(exc)
