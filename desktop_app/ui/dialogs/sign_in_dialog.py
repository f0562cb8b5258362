"""The sign-in window: user name, password and the language of the interface.

Checking a password (argon2) takes a second or more on purpose: it runs on the task runner's
worker while the window stays responsive and says that it is checking (a moving bar).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import Actor
from desktop_app.ui import settings as keys
from desktop_app.ui.i18n import LANGUAGES, LanguageManager
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.message_label import MessageLabel

if TYPE_CHECKING:
    from desktop_app.services.context import ServiceContext
    from desktop_app.services.dto import SiteInfo
    from desktop_app.storage.site_probe import SiteHint

ContextSource = Callable[[], "ServiceContext"]


def context_source(ctx: ServiceContext | ContextSource) -> ContextSource:
    """The services' context, or a function giving it once the background open is done (jobs
    run in submission order, so a job queued after the open finds it)."""
    return ctx if callable(ctx) else (lambda: ctx)


class SignInDialog(QDialog):
    """Checks the password off the GUI thread; a failure is one sentence under the form."""

    signed_in = Signal(object)  # Actor

    def __init__(self, ctx: ServiceContext | ContextSource, tasks: TaskRunner, settings: Settings,
                 languages: LanguageManager, site: SiteInfo | SiteHint | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self._context = context_source(ctx)
        self._tasks = tasks
        self._settings = settings
        self._languages = languages
        self._site = site
        self._busy = False
        self.actor: Actor | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.username_edit.setText(settings.get(keys.LAST_USER))
        (self.password_edit if self.username_edit.text() else self.username_edit).setFocus()

    def _build_ui(self) -> None:
        self.heading_label = QLabel()
        self.heading_label.setObjectName("sign_in_heading")
        font = self.heading_label.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.heading_label.setFont(font)
        self.site_label = QLabel()
        self.site_label.setObjectName("sign_in_site")
        self.site_label.setTextFormat(Qt.TextFormat.PlainText)  # the site name is data
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        for code, native in LANGUAGES.items():
            self.language_combo.addItem(native, code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(self._languages.code))
        self.error_label = MessageLabel()
        self.error_label.setObjectName("sign_in_error")
        self.busy_label = QLabel(objectName="sign_in_busy_label")
        self.busy_bar = QProgressBar(objectName="sign_in_busy")
        self.busy_bar.setRange(0, 0)  # moving: how long a check takes is not known
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(10)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        self.busy_label.hide()
        self.busy_bar.hide()

        self.form = QFormLayout()
        self.username_title = QLabel()
        self.password_title = QLabel()
        self.language_title = QLabel()
        self.form.addRow(self.username_title, self.username_edit)
        self.form.addRow(self.password_title, self.password_edit)
        self.form.addRow(self.language_title, self.language_combo)

        self.buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton()
        self.sign_in_button.setObjectName("sign_in_button")
        self.sign_in_button.setDefault(True)
        self.quit_button = QPushButton()
        self.quit_button.setObjectName("quit_button")
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.site_label)
        layout.addSpacing(10)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addLayout(busy)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _connect_signals(self) -> None:
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.quit_button.clicked.connect(self.reject)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("PartDesk — Sign in"))
        self.heading_label.setText(self.tr("Sign in to PartDesk"))
        if self._site is not None:
            self.site_label.setText(self.tr("Site {code} — {name}").format(
                code=self._site.code, name=self._site.name))
        self.username_title.setText(self.tr("User name"))
        self.password_title.setText(self.tr("Password"))
        self.language_title.setText(self.tr("Language"))
        self.sign_in_button.setText(self.tr("Sign in"))
        self.busy_label.setText(self.tr("Checking the password…"))
        self.quit_button.setText(self.tr("Quit"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- slots -----------------------------------------------------------------------------

    def _on_language_combo_changed(self, _index: int) -> None:
        code = self.language_combo.currentData()
        if code and code != self._languages.code:
            self._languages.apply(code)
            self._settings.set(keys.LANGUAGE, code)

    def _on_sign_in_button_clicked(self) -> None:
        if self._busy:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self.username_edit.setFocus()
            return
        self._set_busy(True)
        self.error_label.clear()
        context = self._context

        def sign_in() -> Actor:
            from desktop_app.services.people import PeopleService

            return PeopleService(context()).sign_in(username, password)

        self._tasks.submit(sign_in, on_done=self._on_signed_in, on_error=self._on_sign_in_failed)

    def _on_signed_in(self, actor: Actor) -> None:
        self._set_busy(False)
        self.actor = actor
        self.password_edit.clear()
        self._settings.set(keys.LAST_USER, actor.username)
        self._settings.sync()
        self.signed_in.emit(actor)
        self.accept()

    def _on_sign_in_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.error_label.show_error(exc)
        self.password_edit.setFocus()

    @property
    def busy(self) -> bool:
        """A password is being checked."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sign_in_button.setEnabled(not busy)
        self.username_edit.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def prepare_for_next_person(self) -> None:
        """Before showing the window again (after sign-out or a locked session)."""
        self.actor = None
        self.password_edit.clear()
        self.error_label.clear()
        self.username_edit.setText(self._settings.get(keys.LAST_USER))
        self.language_combo.blockSignals(True)
        self.language_combo.setCurrentIndex(self.language_combo.findData(self._languages.code))
        self.language_combo.blockSignals(False)
        self.password_edit.setFocus()
