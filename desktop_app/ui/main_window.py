"""The main window: navigation, pages, status bar, menus and the idle lock."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__, logs
from desktop_app.domain.people import ROLE_LABELS
from desktop_app.paths import resources_dir
from desktop_app.services.diagnostics import DiagnosticsService, DiagnosticsSummary
from desktop_app.services.dto import SiteInfo
from desktop_app.services.folder_warnings import folder_warnings
from desktop_app.services.people import PeopleService
from desktop_app.ui import settings as keys
from desktop_app.ui.dialogs.password_dialog import PasswordDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from desktop_app.ui.i18n import LANGUAGES, LanguageManager, tr, tr_n
from desktop_app.ui.idle_lock import MS_PER_MINUTE, IdleWatcher, LockWidget, close_open_dialogs
from desktop_app.ui.pages import PAGES
from desktop_app.ui.pages.base import UiSession, show_error
from desktop_app.ui.shortcuts import WindowShortcuts
from desktop_app.ui.widgets.page_error_widget import PageErrorWidget

log = logging.getLogger(__name__)


def main_window_style() -> str:
    path = resources_dir() / "styles" / "main_window.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # a missing style file changes the look, nothing else
        return ""


def load_page(spec: str, session: UiSession) -> QWidget:
    """Import "module:Class" and build the page; a failure becomes a page that says why."""
    try:
        module_name, _, class_name = spec.partition(":")
        page_class = getattr(importlib.import_module(module_name), class_name)
        return page_class(session)
    except Exception as exc:  # noqa: BLE001 - one broken page must not kill the window
        log.exception("page %s could not be built", spec)
        return PageErrorWidget(spec, exc)


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    locked_changed = Signal(bool)

    def __init__(self, session: UiSession, site: SiteInfo, languages: LanguageManager,
                 idle_interval_ms: int | None = None, pages: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.session = session
        self.site = site
        self._languages = languages
        self._idle_override = idle_interval_ms
        self._page_specs = list(PAGES if pages is None else pages)
        self.locked = False
        logs.set_context(folder=session.ctx.folder.root, user=session.actor.username)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._restore_state()
        self.idle = IdleWatcher(self._idle_interval_ms(), self)
        self.idle.idle_timed_out.connect(self.lock)

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.nav = QListWidget(objectName="navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(180)
        self.nav.setMaximumWidth(200)  # the same width on every page; pages get the room
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.nav.setFont(font)
        self.stack = QStackedWidget(objectName="page_stack")
        self.pages: list[QWidget] = []
        for spec in self._page_specs:
            page = load_page(spec, self.session)
            navigation = getattr(page, "navigation_requested", None)
            if navigation is not None:  # a figure leads to its filtered page (pages.base)
                navigation.connect(self.open_page)
            self.pages.append(page)
            self.stack.addWidget(page)
            self.nav.addItem(QListWidgetItem())
        self.workspace = QWidget(objectName="workspace")
        column = QVBoxLayout(self.workspace)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # Where and when this folder is used, when it is at risk (services.folder_warnings).
        self.warnings = folder_warnings(self.session.ctx)
        self.warning_label = QLabel(objectName="folder_warning")
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)  # folder names are data
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            "QLabel#folder_warning { background: #fff3cd; color: #5c4400; padding: 6px 10px; "
            "border-bottom: 1px solid #e0c36a; }")
        self.warning_label.setVisible(bool(self.warnings))
        for warning in self.warnings:
            log.warning("%s", warning.sentence())
        column.addWidget(self.warning_label)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.lock_widget = LockWidget(self.session.tasks, PeopleService(self.session.ctx),
                                      self.session.actor)
        self.central = QStackedWidget(objectName="central")
        self.central.addWidget(self.workspace)
        self.central.addWidget(self.lock_widget)
        self.setCentralWidget(self.central)

        status = self.statusBar()
        self.person_label = QLabel(objectName="status_person")
        self.site_label = QLabel(objectName="status_site")
        self.language_label = QLabel(objectName="status_language")
        for label in (self.person_label, self.site_label, self.language_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # names are data
        self.busy_bar = QProgressBar(objectName="status_busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(90)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(self.session.tasks.busy)
        status.addWidget(self.person_label)
        status.addWidget(self.site_label)
        status.addPermanentWidget(self.busy_bar)
        status.addPermanentWidget(self.language_label)

        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.setObjectName("file_menu")
        self.settings_action = QAction(self, objectName="settings_action")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.password_action = QAction(self, objectName="password_action")
        self.lock_action = QAction(self, objectName="lock_action")
        self.sign_out_action = QAction(self, objectName="sign_out_action")
        self.quit_action = QAction(self, objectName="quit_action")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        for action in (self.settings_action, self.password_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.setObjectName("help_menu")
        self.diagnostics_action = QAction(self, objectName="diagnostics_action")
        self.help_menu.addAction(self.diagnostics_action)
        self.about_action = QAction(self, objectName="about_action")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.about_action)
        # Every key of the window comes from the one table Help lists (ui/shortcuts.py).
        self.shortcuts = WindowShortcuts(self, {"window.lock": self.lock_action,
                                                "window.quit": self.quit_action})
        self.help_menu.insertAction(self.diagnostics_action, self.shortcuts.help_action)
        self.resize(1200, 760)
        self.setStyleSheet(main_window_style())

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.settings_action.triggered.connect(self.open_settings)
        self.password_action.triggered.connect(self.open_change_password)
        self.lock_action.triggered.connect(self.lock)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self.open_about)
        self.diagnostics_action.triggered.connect(self._on_diagnostics_action_triggered)
        self.session.tasks.busy_changed.connect(self._on_tasks_busy_changed)
        self.session.tasks.error_raised.connect(self._on_tasks_error_raised)
        self.lock_widget.unlocked.connect(self.unlock)
        self.lock_widget.sign_out_requested.connect(self.sign_out)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("PartDesk — {code} {name}").format(
            code=self.site.code, name=self.site.name))
        for index, page in enumerate(self.pages):
            self.nav.item(index).setText(page.title())  # type: ignore[attr-defined]
        actor = self.session.actor
        self.person_label.setText(self.tr("{name} · {role}").format(
            name=actor.display_name, role=tr("Roles", ROLE_LABELS[actor.role])))
        self.site_label.setText(self.tr("Site {code} — {name}").format(
            code=self.site.code, name=self.site.name))
        self.language_label.setText(LANGUAGES.get(self._languages.code, self._languages.code))
        self.busy_bar.setToolTip(self.tr("Working…"))
        self.file_menu.setTitle(self.tr("&File"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.password_action.setText(self.tr("&Change password…"))
        self.lock_action.setText(self.tr("&Lock now"))
        self.sign_out_action.setText(self.tr("Sign &out"))
        self.quit_action.setText(self.tr("&Quit"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.diagnostics_action.setText(self.tr("Collect &diagnostics…"))
        self.about_action.setText(self.tr("&About PartDesk"))
        self.shortcuts.retranslate_ui()
        self.warning_label.setText("\n".join(w.sentence(tr) for w in self.warnings))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- pages -----------------------------------------------------------------------------

    def page(self, page_id: str) -> QWidget | None:
        return next((p for p in self.pages if getattr(p, "page_id", None) == page_id), None)

    def show_page(self, page_id: str) -> bool:
        for index, page in enumerate(self.pages):
            if getattr(page, "page_id", None) == page_id:
                self.nav.setCurrentRow(index)
                return True
        return False

    def open_page(self, page_id: str, page_filter: object = None) -> QWidget | None:
        """Show a page, filtered to what `page_filter` (a pages.base.PageFilter) keeps."""
        page = self.page(page_id)
        apply_filter = getattr(page, "apply_filter", None)
        if apply_filter is not None and page_filter is not None:
            apply_filter(page_filter)
        return page if self.show_page(page_id) else None

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            page = self.pages[row]
            logs.set_context(page=getattr(page, "page_id", ""))
            self.stack.setCurrentWidget(page)
            page_shown = getattr(page, "page_shown", None)
            if page_shown is not None:
                page_shown()
            self.session.settings.set(keys.LAST_PAGE, getattr(page, "page_id", ""))

    # -- state -----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.session.settings.get(keys.MAIN_GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        state = self.session.settings.get(keys.MAIN_STATE)
        if state:
            self.restoreState(state)
        last = self.session.settings.get(keys.LAST_PAGE)
        if not (last and self.show_page(last)) and self.pages:
            self.nav.setCurrentRow(0)

    def save_state(self) -> None:
        settings = self.session.settings
        settings.set(keys.MAIN_GEOMETRY, bytes(self.saveGeometry().data()))
        settings.set(keys.MAIN_STATE, bytes(self.saveState().data()))
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        self.idle.stop()
        close_open_dialogs(self)
        super().closeEvent(event)

    # -- menus -----------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.session.settings, self._languages.code, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_settings_dialog_accepted(dialog))
        dialog.open()
        return dialog

    def _on_settings_dialog_accepted(self, dialog: SettingsDialog) -> None:
        dialog.save()
        self.apply_settings()

    def apply_settings(self) -> None:
        """Make saved preferences take effect now: language and idle time."""
        language = self.session.settings.get(keys.LANGUAGE)
        if language and language != self._languages.code:
            self._languages.apply(language)
            self.session.events.language_changed.emit(self._languages.code)
        self.idle.set_interval_ms(self._idle_interval_ms())
        self.retranslate_ui()

    def _idle_interval_ms(self) -> int:
        minutes = self.session.settings.get(keys.IDLE_LOCK_MINUTES)
        if minutes <= 0:
            return 0
        return self._idle_override if self._idle_override is not None else minutes * MS_PER_MINUTE

    def open_change_password(self) -> PasswordDialog:
        dialog = PasswordDialog(self.session, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_about(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About PartDesk"),
                          self.tr("PartDesk {version}\nParts, test evidence and PPAP "
                                  "certification, offline first.\n\nData folder: {folder}")
                          .format(version=__version__, folder=self.session.ctx.folder.root),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("about_box")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _on_diagnostics_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save diagnostics for plant IT"), "partdesk-diagnostics.zip",
            self.tr("Zip archive (*.zip)"))
        if path:
            self.collect_diagnostics(Path(path))

    def collect_diagnostics(self, path: Path) -> int:
        """Write the diagnostics zip on the worker, with progress; a box says where it is."""
        import PySide6
        from PySide6 import QtCore

        service, actor = DiagnosticsService(self.session.ctx), self.session.actor
        settings_file = self.session.settings.path
        self.session.settings.sync()
        versions = {"Qt": QtCore.qVersion(), "PySide6": PySide6.__version__}
        return self.session.tasks.submit_long(
            lambda progress, cancelled: service.collect(
                actor, path, settings_file=settings_file, extra_versions=versions,
                progress=progress, cancelled=cancelled),
            self.tr("Collecting diagnostics…"), self,
            on_done=self._on_diagnostics_collected, on_error=lambda exc: show_error(self, exc))

    def _on_diagnostics_collected(self, summary: DiagnosticsSummary) -> None:
        text = self.tr("Diagnostics written to {file}. It holds versions, settings, the result "
                       "of the checks and recent log lines; no data, keys or passwords.").format(
            file=summary.path)
        if summary.problems:
            text += "\n\n" + tr_n(
                "MainWindow", "The checks found %Ln problems; they are listed in verify.txt.",
                summary.problems)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Collect diagnostics"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("diagnostics_box")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- lock and sign out -----------------------------------------------------------------

    def lock(self) -> None:
        """Hide every page and dialog until the same person's password is entered."""
        if self.locked:
            return
        self.locked = True
        self.idle.pause()
        close_open_dialogs()
        self.lock_widget.reset()
        self.central.setCurrentWidget(self.lock_widget)
        for action in (self.settings_action, self.password_action, self.lock_action,
                       self.diagnostics_action):
            action.setEnabled(False)
        self.lock_widget.password_edit.setFocus()
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        self.central.setCurrentWidget(self.workspace)
        for action in (self.settings_action, self.password_action, self.lock_action,
                       self.diagnostics_action):
            action.setEnabled(True)
        self.idle.resume()
        self.locked_changed.emit(False)

    def sign_out(self) -> None:
        logs.set_context(user=None, page=None)
        self.save_state()
        self.idle.stop()
        close_open_dialogs()
        self.sign_out_requested.emit()

    # -- tasks -----------------------------------------------------------------------------

    def _on_tasks_busy_changed(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)

    def _on_tasks_error_raised(self, exc: BaseException) -> None:
        show_error(self, exc)
