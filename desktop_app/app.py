"""Composition root of the window: data folder, lock, services, language, then the windows.

`partdesk` with no sub-command (and `python -m desktop_app`) calls `run_app`. Anything that stops
the start (a read-only folder, a second instance, a damaged or newer database) is one translated
sentence in a message box and a non-zero exit status, with nothing written. With
`PARTDESK_NO_DIALOGS=1` the sentence goes only to stderr (scripts and tests: no modal loop);
`PARTDESK_SMOKE_TEST=1` prints the first window shown and quits (installers, startup benchmark).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.domain.errors import PartDeskError
from desktop_app.paths import APP_NAME, DataFolder, ensure_writable, resolve_data_dir

NO_DIALOGS_ENV = "PARTDESK_NO_DIALOGS"
# Smoke test of an installation: print the object name of the first window shown, then quit.
SMOKE_TEST_ENV = "PARTDESK_SMOKE_TEST"
LANG_ENV = "PARTDESK_LANG"
ORGANISATION_DOMAIN = "partdesk.app"

if TYPE_CHECKING:
    from desktop_app.services.context import ServiceContext
    from desktop_app.storage.lock import DataFolderLock


@dataclass
class OpenedFolder:
    folder: DataFolder
    lock: DataFolderLock  # held until the application ends
    ctx: ServiceContext

    def close(self) -> None:
        self.ctx.close()
        self.lock.release()


def open_data_folder(data_dir: str | None, database_url: str | None = None) -> OpenedFolder:
    """Writable folder, this process's lock, migrated database; PartDeskError otherwise."""
    from desktop_app.services.context import open_context
    from desktop_app.storage.lock import DataFolderLock

    folder = DataFolder(resolve_data_dir(data_dir))
    ensure_writable(folder.root)
    lock = DataFolderLock(folder.root)
    lock.acquire()
    try:
        ctx = open_context(folder, database_url)
    except BaseException:
        lock.release()
        raise
    return OpenedFolder(folder, lock, ctx)


def saved_language(folder: DataFolder) -> str:
    """The language saved in the folder's settings, read without writing anything."""
    from PySide6.QtCore import QSettings

    if not folder.settings.exists():
        return ""
    return str(QSettings(str(folder.settings), QSettings.Format.IniFormat)
               .value("prefs/language", "") or "")


def report_error(message: str) -> None:
    print(message, file=sys.stderr)
    if os.environ.get(NO_DIALOGS_ENV, "") not in ("", "0"):
        return
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.i18n import tr

    box = QMessageBox(QMessageBox.Icon.Critical, tr("Errors", "PartDesk"), message)
    box.setTextFormat(_plain_text())
    box.exec()


def _plain_text():  # noqa: ANN202 - keeps PySide6 out of the module's import time
    from PySide6.QtCore import Qt

    return Qt.TextFormat.PlainText


def _print_and_quit(window_name: str) -> None:
    from PySide6.QtCore import QCoreApplication, QTimer

    def done() -> None:
        print(window_name, flush=True)
        QCoreApplication.quit()

    QTimer.singleShot(0, done)  # after the window's first paint is queued


def run_app(args: argparse.Namespace, report: Callable[[str], None] = report_error,
            idle_interval_ms: int | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.i18n import LanguageManager, system_language, tr

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationDomain(ORGANISATION_DOMAIN)
    languages = LanguageManager(app)
    explicit_language = getattr(args, "lang", None) or os.environ.get(LANG_ENV, "")
    folder = DataFolder(resolve_data_dir(args.data_dir))
    languages.apply(explicit_language or saved_language(folder) or system_language())

    try:
        opened = open_data_folder(args.data_dir, getattr(args, "database_url", None))
    except PartDeskError as exc:
        report(exc.message(tr))
        return exc.exit_code

    from desktop_app.ui import settings as keys
    from desktop_app.ui.settings import Settings
    from desktop_app.ui.shell import AppShell

    settings = Settings(opened.folder.settings)
    if not explicit_language:
        languages.apply(settings.get(keys.LANGUAGE) or system_language())
    shell = AppShell(opened.ctx, settings, languages, idle_interval_ms)
    if os.environ.get(SMOKE_TEST_ENV, "") not in ("", "0"):
        shell.window_shown.connect(_print_and_quit)
    try:
        shell.start()
        return app.exec()
    finally:
        shell.shutdown()
        opened.close()
