"""Composition root of the window: data folder, lock, services, language, then the windows.

`partdesk` with no sub-command (and `python -m desktop_app`) calls `run_app`. Anything that stops
the start (a read-only folder, a second instance, a damaged or newer database) is one translated
sentence in a message box and a non-zero exit status, with nothing written. With
`PARTDESK_NO_DIALOGS=1` the sentence goes only to stderr (scripts and tests: no modal loop);
`PARTDESK_SMOKE_TEST=1` prints the name of the first window shown, then "ready" once the services
are open, and quits (installers, the startup benchmark).

A quick start: the first window (set-up or sign-in) is chosen from a read-only look at the
database and shown at once; SQLAlchemy, the schema check and the services load meanwhile on the
task runner's worker, ahead of anything the person asks for.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.domain.errors import PartDeskError
from desktop_app.paths import (
    APP_NAME,
    DataFolder,
    configured_database_url,
    ensure_writable,
    resolve_data_dir,
    resources_dir,
)

if TYPE_CHECKING:
    from desktop_app.logs import LogSession
    from desktop_app.services.context import ServiceContext
    from desktop_app.storage.folder_check import DataFolderDamaged
    from desktop_app.storage.lock import DataFolderLock
    from desktop_app.storage.site_probe import SiteHint
    from desktop_app.ui.shell import AppShell

NO_DIALOGS_ENV = "PARTDESK_NO_DIALOGS"
SMOKE_TEST_ENV = "PARTDESK_SMOKE_TEST"
LANG_ENV = "PARTDESK_LANG"
ORGANISATION_DOMAIN = "partdesk.app"


@dataclass
class LockedFolder:
    """A writable data folder held by this process, and what a quick look found in it."""

    folder: DataFolder
    lock: DataFolderLock
    site: SiteHint | None
    database_url: str | None = None
    # A damaged folder: nothing may be opened or created in it (a backup may be restored).
    damage: DataFolderDamaged | None = None

    def open_context(self) -> ServiceContext:
        """The full open: engine, schema check and migration (slow: SQLAlchemy, Alembic)."""
        from desktop_app.services.context import open_context

        return open_context(self.folder, self.database_url)


def lock_data_folder(data_dir: str | None, database_url: str | None = None) -> LockedFolder:
    """Writable folder, this process's lock, and a read-only look at the database;
    PartDeskError (nothing written) when the folder cannot be used."""
    from desktop_app.storage.folder_check import inspect_data_folder
    from desktop_app.storage.lock import DataFolderLock
    from desktop_app.storage.site_probe import peek_site

    folder = DataFolder(resolve_data_dir(data_dir))
    ensure_writable(folder.root)
    # A PC of a plant: its folder is a cache, the data is on the plant's server.
    database_url = database_url or configured_database_url(folder)
    lock = DataFolderLock(folder.root)
    lock.acquire()
    try:
        damage = None if database_url else inspect_data_folder(folder)
        site = None if database_url or damage else peek_site(folder.database)
    except BaseException:
        lock.release()
        raise
    return LockedFolder(folder, lock, site, database_url, damage)


def saved_language(folder: DataFolder) -> str:
    """The language saved in the folder's settings, read without writing anything."""
    from PySide6.QtCore import QSettings

    if not folder.settings.exists():
        return ""
    return str(QSettings(str(folder.settings), QSettings.Format.IniFormat)
               .value("prefs/language", "") or "")


def _no_dialogs() -> bool:
    return os.environ.get(NO_DIALOGS_ENV, "") not in ("", "0")


def report_error(message: str) -> None:
    print(message, file=sys.stderr)
    if _no_dialogs():
        return
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.i18n import tr

    box = QMessageBox(QMessageBox.Icon.Critical, tr("Errors", "PartDesk"), message)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def _smoke_test(shell: AppShell) -> None:
    from PySide6.QtCore import QCoreApplication, QTimer

    seen: list[str] = []

    def shown(window_name: str) -> None:
        if not seen:
            seen.append(window_name)
            QTimer.singleShot(0, lambda: print(window_name, flush=True))  # after its paint

    def ready() -> None:
        QTimer.singleShot(0, lambda: (print("ready", flush=True), QCoreApplication.quit()))

    shell.window_shown.connect(shown)
    shell.ready.connect(ready)


def _set_window_icon(app: object) -> None:
    """The title bar's and task bar's icon: resources/icons/partdesk.ico (also the programs')."""
    from PySide6.QtGui import QIcon

    icon = resources_dir() / "icons" / "partdesk.ico"
    set_icon = getattr(app, "setWindowIcon", None)
    if icon.exists() and set_icon is not None:
        set_icon(QIcon(str(icon)))


def gui_main(argv: Sequence[str] | None = None) -> int:
    """The windowed program (`partdeskw`, which has no console on Windows): the window and its
    options (--data-dir, --database-url, --lang), but no command, since a program without a
    console has nowhere to print a command's output nor to ask for a password."""
    from desktop_app import cli

    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = cli.global_parser()
    parser.prog = "partdeskw"
    _known, rest = parser.parse_known_args(args_list)  # --help and --version end here
    if rest:
        parser.error(f"partdeskw only opens the window; run `partdesk {' '.join(rest)}` for "
                     "a command")
    return cli.main(args_list)


def run_app(args: argparse.Namespace, report: Callable[[str], None] = report_error,
            idle_interval_ms: int | None = None, log_session: LogSession | None = None) -> int:
    """The window. With `log_session` (the entry point's log), an exception nothing handled is
    logged with its traceback and shown as one sentence that says where the log is."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.i18n import LanguageManager, system_language, tr

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationDomain(ORGANISATION_DOMAIN)
    _set_window_icon(app)
    languages = LanguageManager(app)
    explicit_language = getattr(args, "lang", None) or os.environ.get(LANG_ENV, "")
    folder = DataFolder(resolve_data_dir(args.data_dir))
    languages.apply(explicit_language or saved_language(folder) or system_language())
    if log_session is not None:
        from desktop_app import logs
        from desktop_app.ui.unexpected_error import UnexpectedErrorReporter

        logs.set_context(folder=folder.root)
        log_session.install_hooks(UnexpectedErrorReporter(report))

    database_url = getattr(args, "database_url", None)
    try:
        locked = lock_data_folder(args.data_dir, database_url)
    except PartDeskError as exc:
        report(exc.message(tr))
        return exc.exit_code

    from desktop_app.ui import settings as keys
    from desktop_app.ui.pages.base import error_text
    from desktop_app.ui.settings import Settings
    from desktop_app.ui.shell import AppShell

    damage = locked.damage
    if damage is not None and (damage.backup is None or _no_dialogs()):
        locked.lock.release()  # nothing to offer but the sentence
        report(damage.message(tr))
        return damage.exit_code
    settings = Settings(locked.folder.settings)
    if not explicit_language:
        languages.apply(settings.get(keys.LANGUAGE) or system_language())
    ctx: ServiceContext | None = None
    if locked.database_url:  # a server: no quick look, open first
        try:
            ctx = locked.open_context()
        except PartDeskError as exc:
            locked.lock.release()
            report(exc.message(tr))
            return exc.exit_code
    shell = AppShell(ctx, settings, languages, idle_interval_ms,
                     open_context=locked.open_context, site=locked.site, damage=damage)

    def on_failed(exc: BaseException) -> None:
        report(error_text(exc))
        app.exit(exc.exit_code if isinstance(exc, PartDeskError) else 1)

    shell.failed.connect(on_failed)
    if os.environ.get(SMOKE_TEST_ENV, "") not in ("", "0"):
        _smoke_test(shell)
    try:
        shell.start()
        return app.exec()
    finally:
        shell.shutdown()
        if shell.ctx is not None:
            shell.ctx.close()
        locked.lock.release()
