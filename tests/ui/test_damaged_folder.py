"""The window on a damaged data folder: one sentence, and 'Restore the newest backup'."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.app import lock_data_folder, run_app
from desktop_app.services.backup import BackupService
from desktop_app.services.people import PeopleService
from desktop_app.ui.settings import Settings
from desktop_app.ui.shell import AppShell
from tests.conftest import PASSWORD


def zero_the_database(root: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(root / "partdesk.sqlite3") + suffix).unlink(missing_ok=True)
    (root / "partdesk.sqlite3").write_bytes(b"")


def test_a_damaged_folder_offers_the_newest_backup_and_restores_it(qtbot, languages, ctx,
                                                                   actors, tmp_path):
    people = PeopleService(ctx)
    backup = BackupService(ctx).backup(actors["admin"]).path
    people.add_person(actors["admin"], "later", "Later Person", actors["eng"].role, PASSWORD)
    root = ctx.folder.root
    ctx.close()
    zero_the_database(root)

    locked = lock_data_folder(str(root))
    assert locked.damage is not None and locked.site is None
    shell = AppShell(None, Settings(tmp_path / "damaged.ini"), languages,
                     open_context=locked.open_context, damage=locked.damage)
    try:
        shell.start()
        dialog = shell.damaged_folder
        assert dialog is not None and dialog.isVisible()
        assert shell.first_run is None and shell.sign_in is None
        assert dialog.message_label.text() == (
            f"The database {root / 'partdesk.sqlite3'} is empty although its folder holds a "
            "site's key, files or backups, and nothing was changed in it; 'Restore the newest "
            f"backup' brings back the newest verified backup, {backup.name}.")
        assert dialog.restore_button.isVisible()
        assert dialog.restore_button.text() == "Restore the newest backup"
        assert (root / "partdesk.sqlite3").stat().st_size == 0  # nothing opened meanwhile

        dialog.username_edit.setText("admin")
        dialog.password_edit.setText("wrong-password")
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=20000)
        assert dialog.error_label.text() == "The user name or password is wrong."
        assert (root / "partdesk.sqlite3").stat().st_size == 0

        dialog.password_edit.setText(PASSWORD)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible(),
                        timeout=20000)
        assert shell.damaged_folder is None
        assert shell.sign_in.site_label.text() == "Site TST — Test plant"
        usernames = [p.username for p in PeopleService(shell.context()).list_people(
            actors["admin"])]
        assert "later" not in usernames and "eng" in usernames
    finally:
        shell.shutdown()
        if shell.ctx is not None:
            shell.ctx.close()
        locked.lock.release()


def test_a_damaged_folder_without_a_backup_is_one_sentence(qapp, languages, ctx, tmp_path):
    root = ctx.folder.root
    ctx.close()
    zero_the_database(root)
    messages: list[str] = []
    args = argparse.Namespace(data_dir=str(root), database_url=None, lang="en", user=None)
    assert run_app(args, report=messages.append) == 7
    assert messages == [
        f"The database {root / 'partdesk.sqlite3'} is empty although its folder holds a site's "
        f"key, files or backups, and nothing was changed in it; no backup in {root / 'backups'} "
        "verifies, so bring back a copy of the whole folder from elsewhere."]
    assert (root / "partdesk.sqlite3").stat().st_size == 0
