"""The order of windows: first run (a folder without a site), sign-in, then the main window.

A damaged folder (`damage`: a site's key, files or backups beside a missing, empty or foreign
database) shows only the damaged-folder window; once it has restored the newest backup, the
folder is opened and sign-in follows.

Sign-out (from the menu or the lock screen) goes back to the sign-in window for someone else.
One task runner and one change channel serve every window of the application.

For a quick start the shell can be given a way to open the services (`open_context`) instead of
an open context: the first window is then shown at once (from a read-only look at the folder,
`site`) while the worker opens the database and checks its schema. There is one worker, so
whatever the person asks for meanwhile waits for the opening (the first job to need the context
opens it); if the opening fails, `failed` carries the error and the windows close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.domain.people import Actor
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.i18n import LanguageManager
from desktop_app.ui.pages.base import UiSession, show_error
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop_app.services.context import ServiceContext
    from desktop_app.services.dto import SiteInfo
    from desktop_app.services.recovery import RestoredBackup
    from desktop_app.storage.folder_check import DataFolderDamaged
    from desktop_app.storage.site_probe import SiteHint
    from desktop_app.ui.dialogs.damaged_folder_dialog import DamagedFolderDialog
    from desktop_app.ui.dialogs.first_run_dialog import FirstRunDialog
    from desktop_app.ui.dialogs.sign_in_dialog import SignInDialog
    from desktop_app.ui.main_window import MainWindow


class AppShell(QObject):
    # object name: first_run_dialog, sign_in_dialog, main_window, damaged_folder_dialog
    window_shown = Signal(str)
    failed = Signal(object)  # the exception that stopped opening the data folder
    ready = Signal()  # the services are open: what the person asks for runs at once

    def __init__(self, ctx: ServiceContext | None, settings: Settings,
                 languages: LanguageManager, idle_interval_ms: int | None = None,
                 parent: QObject | None = None, *,
                 open_context: Callable[[], ServiceContext] | None = None,
                 site: SiteInfo | SiteHint | None = None,
                 damage: DataFolderDamaged | None = None) -> None:
        super().__init__(parent)
        if ctx is None and open_context is None:
            raise ValueError("AppShell needs a context or a way to open one")
        self.ctx = ctx
        self.settings = settings
        self.languages = languages
        self.events = AppEvents(self)
        self.tasks = TaskRunner(self.events, self)
        self._idle_interval_ms = idle_interval_ms
        self._open_context = open_context
        self.site: SiteInfo | SiteHint | None = site
        self.damage = damage
        self.damaged_folder: DamagedFolderDialog | None = None
        self.first_run: FirstRunDialog | None = None
        self.sign_in: SignInDialog | None = None
        self.main_window: MainWindow | None = None

    def context(self) -> ServiceContext:
        """The open context. Called by jobs on the worker: the first one opens the folder if
        the queued opening has not run yet (one worker, so never twice at once)."""
        if self.ctx is None:
            if self._open_context is None:
                raise RuntimeError("the data folder is not open")
            from desktop_app.services.site import SiteService

            ctx = self._open_context()
            if ctx.initialised:
                self.site = SiteService(ctx).local_site()  # the full record, not the quick look
            self.ctx = ctx
        return self.ctx

    def start(self) -> None:
        if self.damage is not None and self.ctx is None:
            self.show_damaged_folder()  # nothing is opened until a backup is restored
            return
        if self.ctx is not None:
            if self.ctx.initialised:
                self.show_sign_in()
            else:
                self.show_first_run()
            QTimer.singleShot(0, self.ready)
            return
        # The opening starts once the event loop runs, so the window is painted before the
        # worker takes the GIL; a job the windows submit earlier opens the folder itself.
        QTimer.singleShot(0, self._submit_opening)
        if self.site is not None:
            self.show_sign_in()
        else:
            self.show_first_run()

    def _submit_opening(self) -> None:
        self.tasks.submit(self._open_in_worker, on_done=self._on_context_opened,
                          on_error=self._on_context_failed)

    def _open_in_worker(self) -> ServiceContext:
        return self.context()

    def _on_context_opened(self, ctx: ServiceContext) -> None:
        if self.first_run is None and not ctx.initialised:
            # The quick look saw a site the database does not have: set it up after all.
            self.show_first_run()
            if self.sign_in is not None:
                self.sign_in.hide()
        self.ready.emit()

    def _on_context_failed(self, exc: BaseException) -> None:
        for window in self._windows():
            window.hide()
        self.failed.emit(exc)

    # -- windows ---------------------------------------------------------------------------

    def show_damaged_folder(self) -> None:
        from desktop_app.ui.dialogs.damaged_folder_dialog import DamagedFolderDialog

        assert self.damage is not None
        self.damaged_folder = DamagedFolderDialog(self.damage, self.tasks)
        self.damaged_folder.restored.connect(self._on_damaged_folder_restored)
        self.damaged_folder.rejected.connect(self._quit)
        self.damaged_folder.show()
        self.window_shown.emit(self.damaged_folder.objectName())

    def _on_damaged_folder_restored(self, _restored: RestoredBackup) -> None:
        self.damage = None
        self.site = None
        self._submit_opening()
        self.show_sign_in()  # queued behind the opening: the restored site's record
        if self.damaged_folder is not None:
            self.damaged_folder.hide()
            self.damaged_folder.deleteLater()
            self.damaged_folder = None

    def show_first_run(self) -> None:
        from desktop_app.ui.dialogs.first_run_dialog import FirstRunDialog

        self.first_run = FirstRunDialog(self.context, self.tasks)
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
            def local_site() -> SiteInfo:
                from desktop_app.services.site import SiteService

                return SiteService(self.context()).local_site()

            self.tasks.submit(local_site, on_done=self._on_local_site_loaded,
                              on_error=self._on_startup_failed)
            return
        if self.sign_in is None:
            from desktop_app.ui.dialogs.sign_in_dialog import SignInDialog

            self.sign_in = SignInDialog(self.context, self.tasks, self.settings, self.languages,
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
        from desktop_app.services.site import SiteService
        from desktop_app.ui.main_window import MainWindow

        ctx = self.context()
        site = self.site
        if site is None or not hasattr(site, "site_id"):  # a quick-look hint: the full record
            site = self.site = SiteService(ctx).local_site()
        session = UiSession(ctx=ctx, actor=actor, tasks=self.tasks, events=self.events,
                            settings=self.settings)
        # Building the pages takes a moment on the GUI thread: the cursor says so meanwhile.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.main_window = MainWindow(session, site, self.languages,
                                          idle_interval_ms=self._idle_interval_ms)
        finally:
            QApplication.restoreOverrideCursor()
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

    def _windows(self) -> list[QWidget]:
        windows = (self.main_window, self.sign_in, self.first_run, self.damaged_folder)
        return [w for w in windows if w is not None]

    def _quit(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def shutdown(self) -> None:
        """Close every window and stop the worker thread (after the event loop ends)."""
        for window in self._windows():
            window.close()
            window.deleteLater()
        self.main_window = self.sign_in = self.first_run = self.damaged_folder = None
        self.tasks.shutdown()
        self.settings.sync()
