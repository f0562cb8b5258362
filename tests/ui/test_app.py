"""Starting the application: the first window, and the starts it must refuse with one sentence."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop_app.app import run_app
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.storage.lock import DataFolderLock

ROOT = Path(__file__).resolve().parents[2]


def start(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PARTDESK_NO_DIALOGS": "1",
                   "PARTDESK_LANG": "en", **env}
    return subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir)],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=90)


def args(data_dir: Path) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(data_dir), database_url=None, lang="en", user=None)


def test_python_m_desktop_app_opens_the_first_run_window(tmp_path):
    result = start(tmp_path / "fresh", PARTDESK_SMOKE_TEST="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first_run_dialog", "ready"]


def test_a_second_instance_on_the_same_folder_is_refused(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    with DataFolderLock(folder):
        result = start(folder)
    assert result.returncode != 0
    assert f"PartDesk is already open on the data folder {folder}; close it first." in result.stderr
    assert not (folder / "partdesk.sqlite3").exists()  # nothing written


def test_a_folder_that_cannot_be_written_is_refused(qapp, languages, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    messages: list[str] = []
    assert run_app(args(blocker / "data"), report=messages.append) != 0
    assert len(messages) == 1
    assert messages[0].startswith(f"The data folder {blocker / 'data'} cannot be written")


def test_a_damaged_database_is_refused_and_left_alone(qapp, languages, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    damaged = b"this is not a database file" * 100
    (folder / "partdesk.sqlite3").write_bytes(damaged)
    messages: list[str] = []
    assert run_app(args(folder), report=messages.append) != 0
    assert len(messages) == 1 and "is damaged or is not a PartDesk database" in messages[0]
    assert (folder / "partdesk.sqlite3").read_bytes() == damaged
    with DataFolderLock(folder):  # the lock was released
        pass


def test_a_database_from_a_newer_version_is_refused(qapp, languages, tmp_path):
    folder = DataFolder(tmp_path / "data")
    folder.root.mkdir()
    open_context(folder).close()
    with sqlite3.connect(folder.database) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    messages: list[str] = []
    assert run_app(args(folder.root), report=messages.append) != 0
    assert messages == ["This database was written by a newer PartDesk (schema "
                        "9999_from_the_future); install the newer version to open it."]
    assert not folder.backups.exists()


def test_quick_start_shows_sign_in_before_the_database_opens_then_signs_in(
        qtbot, languages, ctx, tmp_path):
    from desktop_app.app import lock_data_folder
    from desktop_app.ui.settings import Settings
    from desktop_app.ui.shell import AppShell
    from tests.ui.shell_fixtures import PASSWORD, sign_in

    ctx.close()  # the folder of the `ctx` fixture: site TST with admin
    locked = lock_data_folder(str(ctx.folder.root))
    assert (locked.site.code, locked.site.name) == ("TST", "Test plant")
    shell = AppShell(None, Settings(tmp_path / "quick.ini"), languages,
                     open_context=locked.open_context, site=locked.site)
    try:
        with qtbot.waitSignal(shell.ready, timeout=20000):
            shell.start()
            assert shell.sign_in.isVisible() and shell.ctx is None  # shown before the open
            assert shell.sign_in.site_label.text() == "Site TST — Test plant"
            sign_in(qtbot, shell, "admin", PASSWORD)  # queued behind the opening
        qtbot.waitUntil(lambda: shell.main_window is not None)
        assert shell.main_window.site_label.text() == "Site TST — Test plant"
    finally:
        shell.shutdown()
        if shell.ctx is not None:
            shell.ctx.close()
        locked.lock.release()


def test_quick_start_on_a_fresh_folder_sets_up_the_site(qtbot, languages, tmp_path):
    from desktop_app.app import lock_data_folder
    from desktop_app.ui.settings import Settings
    from desktop_app.ui.shell import AppShell

    locked = lock_data_folder(str(tmp_path / "fresh"))
    assert locked.site is None
    shell = AppShell(None, Settings(tmp_path / "fresh.ini"), languages,
                     open_context=locked.open_context)
    try:
        shell.start()
        dialog = shell.first_run
        for edit, text in ((dialog.site_code_edit, "NEW"), (dialog.site_name_edit, "New plant"),
                           (dialog.username_edit, "boss"), (dialog.full_name_edit, "Bo Ss"),
                           (dialog.password_edit, "boss-password-1"),
                           (dialog.repeat_edit, "boss-password-1")):
            edit.setText(text)
        dialog._validate()
        dialog.create_button.click()
        qtbot.waitUntil(dialog.continue_button.isVisible, timeout=20000)
        dialog.continue_button.click()
        qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
        assert shell.sign_in.site_label.text() == "Site NEW — New plant"
    finally:
        shell.shutdown()
        if shell.ctx is not None:
            shell.ctx.close()
        locked.lock.release()
