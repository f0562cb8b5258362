"""People of this site. Administrators add people, change roles, disable and reset passwords."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import ROLE_LABELS, Permission
from desktop_app.services.dto import PersonSummary
from desktop_app.services.people import PeopleService
from desktop_app.ui.app_events import Change
from desktop_app.ui.dialogs.password_dialog import PasswordDialog
from desktop_app.ui.dialogs.person_dialog import PersonDialog, RoleDialog
from desktop_app.ui.i18n import tr
from desktop_app.ui.pages.base import Page, UiSession, heading_label
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.permission import allow

COLUMNS = 4


class PeoplePage(Page):
    page_id = "people"

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._people = PeopleService(session.ctx)
        self.people: list[PersonSummary] = []
        self.can_manage = session.actor.can(Permission.MANAGE_PEOPLE)
        self.dialog: PersonDialog | RoleDialog | PasswordDialog | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _build_ui(self) -> None:
        self.heading = heading_label()
        self.table = QTableWidget(0, COLUMNS, objectName="people_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.add_button = QPushButton(objectName="add_person_button")
        self.role_button = QPushButton(objectName="change_role_button")
        self.active_button = QPushButton(objectName="toggle_active_button")
        self.reset_button = QPushButton(objectName="reset_password_button")
        self.message = MessageLabel(objectName="people_message")
        buttons = QHBoxLayout()
        for button in self._buttons():
            buttons.addWidget(button)
            button.setVisible(self.can_manage or button is self.add_button)
        allow(self.add_button, self.session.actor, Permission.MANAGE_PEOPLE)  # says who may
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.add_button, self.role_button, self.active_button, self.reset_button)

    def _connect_signals(self) -> None:
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.role_button.clicked.connect(self._on_role_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)

    def title(self) -> str:
        return self.tr("People")

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("People of this site"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("User name"), self.tr("Full name"), self.tr("Role"), self.tr("Active")])
        self.add_button.setText(self.tr("Add a person…"))
        self.role_button.setText(self.tr("Change role…"))
        self.reset_button.setText(self.tr("Reset password…"))
        self._update_buttons()
        self._fill()

    # -- data ------------------------------------------------------------------------------

    def refresh(self, change: Change | None = None) -> None:
        if change is not None and not change.touches("user"):
            return
        people, actor = self._people, self.session.actor
        self.session.tasks.submit(lambda: people.list_people(actor),
                                  on_done=self._on_people_loaded, on_error=self._show_error)

    def _on_people_loaded(self, people: list[PersonSummary]) -> None:
        selected = self.selected()
        self.people = people
        self._fill()
        if selected is not None:
            for row, person in enumerate(people):
                if person.user_id == selected.user_id:
                    self.table.selectRow(row)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            values = (person.username, person.display_name,
                      tr("Roles", ROLE_LABELS[person.role]),
                      self.tr("Yes") if person.active else self.tr("No, disabled"))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)  # plain text: never interpreted as HTML
                if not person.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self._update_buttons()

    def selected(self) -> PersonSummary | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.people):
            return None
        return self.people[rows[0].row()]

    def _update_buttons(self) -> None:
        person = self.selected()
        for button in (self.role_button, self.active_button, self.reset_button):
            button.setEnabled(person is not None)
        self.active_button.setText(self.tr("Enable") if person is not None and not person.active
                                   else self.tr("Disable"))

    # -- actions ---------------------------------------------------------------------------

    def _open(self, dialog: PersonDialog | RoleDialog | PasswordDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_dialog_destroyed)
        dialog.open()

    def _on_dialog_destroyed(self) -> None:
        self.dialog = None

    def _on_add_button_clicked(self) -> None:
        self.message.clear()
        dialog = PersonDialog(self.session, self)
        dialog.accepted.connect(lambda: self._said_done(
            self.tr("{user} can now sign in.").format(
                user=dialog.added.username if dialog.added else "")))
        self._open(dialog)

    def _on_role_button_clicked(self) -> None:
        person = self.selected()
        if person is not None:
            self.message.clear()
            self._open(RoleDialog(self.session, person, self))

    def _on_reset_button_clicked(self) -> None:
        person = self.selected()
        if person is None:
            return
        self.message.clear()
        dialog = PasswordDialog(self.session, person, self)
        dialog.accepted.connect(lambda: self._said_done(
            self.tr("The password of {user} was reset.").format(user=person.username)))
        self._open(dialog)

    def _on_active_button_clicked(self) -> None:
        person = self.selected()
        if person is None:
            return
        people, actor, active = self._people, self.session.actor, not person.active
        self.message.clear()
        self.session.tasks.submit(lambda: people.set_active(actor, person.user_id, active),
                                  on_error=self._show_error,
                                  changes=Change.of("user", ids=(person.user_id,)))

    def _said_done(self, text: str) -> None:
        self.message.show_info(text)

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_error(exc)
