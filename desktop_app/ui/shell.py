"""The order of windows: first run (a folder without a site), sign-in, then the main window.

Sign-out (from the menu or the lock screen) goes back to the sign-in window for someone else.
One task runner and one change channel serve every window of the application.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from desktop_app.domain.people import Actor
from desktop_app.services.context import ServiceContext
from desktop_app.services.dto import SiteInfo
from desktop_app.services.site import SiteService
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.i18n import LanguageManager
from desktop_app.ui.pages.base import UiSession, show_error
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner


class AppShell(QObject):
    window_shown = Signal(str)  # object name: first_run_dialog, sign_in_dialog, main_window

    def __init__(self, ctx: ServiceContext, settings: Settings, languages: LanguageManager,
                 idle_interval_ms: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.languages = languages
        self.events = AppEvents(self)
        self.tasks = TaskRunner(self.events, self)
        self._idle_interval_ms = idle_interval_ms
        self.site: SiteInfo | None = None
        self.first_run = None
        self.sign_in = None
        self.main_window = None

    def start(self) -> None:
        if self.ctx.initialised:
            self.show_sign_in()
        else:
            self.show_first_run()

    def show_first_run(self) -> None:
        from desktop_app.ui.dialogs.first_run_dialog import FirstRunDialog

        self.first_run = FirstRunDialog(self.ctx, self.tasks)
        self.first_run.site_created.connect(self._on_first_run_site_created)
        self.first_run.rejected.connect(self._quit)
        self.first_run.show()
        self.window_shown.emit(self.first_run.objectName())

    def _on_first_run_site_created(self, site: SiteInfo) -> None:
        self.site = site
        self.show_sign_in()
        if self.first_run is not None:
            self.first_run.hide()
            self.first_run.deleteLater()
            self.first_run = None

    def show_sign_in(self) -> None:
        if self.site is None:
            service = SiteService(self.ctx)
            self.tasks.submit(service.local_site, on_done=self._on_local_site_loaded,
                              on_error=self._on_startup_failed)
            return
        if self.sign_in is None:
            from desktop_app.ui.dialogs.sign_in_dialog import SignInDialog

            self.sign_in = SignInDialog(self.ctx, self.tasks, self.settings, self.languages,
                                        self.site)
            self.sign_in.signed_in.connect(self._on_sign_in_signed_in)
            self.sign_in.rejected.connect(self._on_sign_in_rejected)
        else:
            self.sign_in.prepare_for_next_person()
        self.sign_in.show()
        self.sign_in.raise_()
        self.sign_in.activateWindow()
        self.window_shown.emit(self.sign_in.objectName())

    def _on_local_site_loaded(self, site: SiteInfo) -> None:
        self.site = site
        self.show_sign_in()

    def _on_startup_failed(self, exc: BaseException) -> None:
        show_error(None, exc)
        self._quit()

    def _on_sign_in_rejected(self) -> None:
        if self.main_window is None:
            self._quit()

    def _on_sign_in_signed_in(self, actor: Actor) -> None:
        from desktop_app.ui.main_window import MainWindow

        assert self.site is not None
        session = UiSession(ctx=self.ctx, actor=actor, tasks=self.tasks, events=self.events,
                            settings=self.settings)
        self.main_window = MainWindow(session, self.site, self.languages,
                                      idle_interval_ms=self._idle_interval_ms)
        self.main_window.sign_out_requested.connect(self._on_main_window_sign_out_requested)
        self.main_window.show()
        self.window_shown.emit(self.main_window.objectName())

    def _on_main_window_sign_out_requested(self) -> None:
        window, self.main_window = self.main_window, None
        self.events.signed_out.emit()
        self.show_sign_in()
        if window is not None:
            window.close()
            window.deleteLater()

    def _quit(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def shutdown(self) -> None:
        """Close every window and stop the worker thread (after the event loop ends)."""
        for window in (self.main_window, self.sign_in, self.first_run):
            if window is not None:
                window.close()
                window.deleteLater()
        self.main_window = self.sign_in = self.first_run = None
        self.tasks.shutdown()
        self.settings.sync()
