"""Idle lock: after a quiet spell with no keyboard or mouse input, the main window hides its data.

`IdleWatcher` is an application-wide event filter that restarts a single-shot timer on every key
press, click, wheel turn or mouse move; when the timer runs out it emits `idle_timed_out`. The
interval comes from `prefs/idle_lock_minutes` (0 disables the lock) and is injectable in
milliseconds so tests need not wait minutes. `LockWidget` is what the window shows meanwhile: it
asks the same person's password (checked by `PeopleService.confirm_password`, so wrong passwords
are throttled like sign-ins) or lets them sign out for someone else.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import Actor
from desktop_app.services.people import PeopleService
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.message_label import MessageLabel

MS_PER_MINUTE = 60_000

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class IdleWatcher(QObject):
    """Emits `idle_timed_out` after `interval_ms` without input anywhere in the application."""

    idle_timed_out = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timed_out)
        self._paused = False
        self.set_interval_ms(interval_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval() if self.enabled else 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_interval_ms(self, interval_ms: int) -> None:
        """0 (or less) disables the lock."""
        self._enabled = interval_ms > 0
        if self._enabled:
            self._timer.setInterval(interval_ms)
        self.restart()

    def pause(self) -> None:
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self.restart()

    def restart(self) -> None:
        if self._enabled and not self._paused:
            self._timer.start()
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY and not self._paused and self._enabled:
            self._timer.start()
        return False


def _descends_from(widget: QWidget, owner: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is owner:
            return True
        parent = parent.parentWidget()
    return False


def close_open_dialogs(owner: QWidget | None = None) -> int:
    """Reject every visible dialog (of `owner` only, when given) so no data stays on screen."""
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if not (isinstance(widget, QDialog) and widget.isVisible()):
            continue
        if owner is not None and not _descends_from(widget, owner):
            continue
        widget.reject()
        widget.hide()
        closed += 1
    return closed


class LockWidget(QWidget):
    """Shown instead of the pages while locked: the same person's password, or sign out."""

    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(self, tasks: TaskRunner, people_service: PeopleService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_widget")
        self._tasks = tasks
        self._people = people_service
        self._actor = actor
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("lock_title")
        font = self.title_label.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.who_label = QLabel()
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("lock_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMinimumWidth(260)
        self.error_label = MessageLabel(objectName="lock_error")
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setDefault(True)
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("lock_sign_out_button")

        box = QVBoxLayout()
        box.addWidget(self.title_label)
        box.addWidget(self.who_label)
        box.addSpacing(8)
        box.addWidget(self.password_edit)
        box.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        box.addLayout(buttons)
        panel = QWidget()
        panel.setObjectName("lock_panel")
        panel.setLayout(box)
        panel.setMaximumWidth(420)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.password_edit.returnPressed.connect(self._on_unlock_button_clicked)
        self.sign_out_button.clicked.connect(self.sign_out_requested)

    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("PartDesk is locked"))
        self.who_label.setText(self.tr("{name} ({user}): enter your password to continue.").format(
            name=self._actor.display_name, user=self._actor.username))
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.unlock_button.setText(self.tr("Unlock"))
        self.sign_out_button.setText(self.tr("Sign out"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def reset(self) -> None:
        self.password_edit.clear()
        self.error_label.clear()
        self.unlock_button.setEnabled(True)
        self.password_edit.setFocus()

    def _on_unlock_button_clicked(self) -> None:
        password = self.password_edit.text()
        if not password or not self.unlock_button.isEnabled():
            return
        self.unlock_button.setEnabled(False)
        self.error_label.clear()
        people, actor = self._people, self._actor
        self._tasks.submit(lambda: people.confirm_password(actor, password),
                           on_done=self._on_password_confirmed,
                           on_error=self._on_password_refused)

    def _on_password_confirmed(self, _result: object) -> None:
        self.reset()
        self.unlocked.emit()

    def _on_password_refused(self, exc: BaseException) -> None:
        self.password_edit.clear()
        self.unlock_button.setEnabled(True)
        self.error_label.show_error(exc)
        self.password_edit.setFocus()
