"""A damaged data folder: what is wrong, in one sentence, and the newest backup to restore.

Shown instead of the set-up or sign-in window when the folder holds a site's key, files or
backups but its database is missing, empty or not a PartDesk database. The folder's accounts
cannot be read, so an administrator *of the backup* signs in here; the restore runs on the
worker (`services.recovery.restore_newest_backup`) and `restored` follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.i18n import tr
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.message_label import MessageLabel

if TYPE_CHECKING:
    from desktop_app.services.recovery import RestoredBackup
    from desktop_app.storage.folder_check import DataFolderDamaged


class DamagedFolderDialog(QDialog):
    restored = Signal(object)  # RestoredBackup

    def __init__(self, damage: DataFolderDamaged, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damaged_folder_dialog")
        self._damage = damage
        self._tasks = tasks
        self._busy = False
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.message_label = QLabel()
        self.message_label.setObjectName("damage_message")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)  # paths are data
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sign_in_label = QLabel()
        self.sign_in_label.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_title = QLabel()
        self.password_title = QLabel()
        self.form = QFormLayout()
        self.form.addRow(self.username_title, self.username_edit)
        self.form.addRow(self.password_title, self.password_edit)
        self.error_label = MessageLabel(objectName="restore_error")

        self.buttons = QDialogButtonBox()
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore_button")
        self.restore_button.setDefault(True)
        self.quit_button = QPushButton()
        self.quit_button.setObjectName("quit_button")
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)

        can_restore = self._damage.backup is not None
        for widget in (self.sign_in_label, self.username_edit, self.password_edit,
                       self.username_title, self.password_title, self.restore_button):
            widget.setVisible(can_restore)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addSpacing(10)
        layout.addWidget(self.sign_in_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.quit_button.clicked.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("PartDesk — Damaged data folder"))
        self.message_label.setText(self._damage.window_message(tr))
        self.sign_in_label.setText(
            self.tr("An administrator of that backup signs in to restore it; the damaged "
                    "database is kept aside, not deleted."))
        self.username_title.setText(self.tr("User name"))
        self.password_title.setText(self.tr("Password"))
        self.restore_button.setText(self.tr("Restore the newest backup"))
        self.quit_button.setText(self.tr("Quit"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- slots -----------------------------------------------------------------------------

    def _on_restore_button_clicked(self) -> None:
        if self._busy:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self.username_edit.setFocus()
            return
        self._set_busy(True)
        self.error_label.clear()
        folder = self._damage.folder

        def restore() -> RestoredBackup:
            from desktop_app.services.recovery import restore_newest_backup

            return restore_newest_backup(folder, username, password)

        self._tasks.submit(restore, on_done=self._on_restored, on_error=self._on_restore_failed)

    def _on_restored(self, result: RestoredBackup) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.restored.emit(result)
        self.accept()

    def _on_restore_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.error_label.show_error(exc)
        self.password_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.restore_button, self.username_edit, self.password_edit):
            widget.setEnabled(not busy)
