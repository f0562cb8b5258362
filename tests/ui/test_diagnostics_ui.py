"""Help → Collect diagnostics…: the zip is written on the worker and a box says where it is."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop_app import logs
from desktop_app.services.site import SiteService
from desktop_app.ui import settings as keys
from desktop_app.ui.main_window import MainWindow
from tests.conftest import PASSWORD

PEOPLE = "desktop_app.ui.pages.people_page:PeoplePage"


@pytest.fixture
def log_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    session = logs.start_logging()
    yield session
    session.close()


def diagnostics_box(window: MainWindow) -> QMessageBox | None:
    return window.findChild(QMessageBox, "diagnostics_box")


def test_help_collect_diagnostics_writes_the_zip(qtbot, ctx, ui_session, languages, tmp_path,
                                                 monkeypatch, log_session) -> None:
    session = ui_session("eng")
    session.settings.set(keys.LANGUAGE, "en")
    window = MainWindow(session, SiteService(ctx).local_site(), languages, pages=[PEOPLE])
    qtbot.addWidget(window)
    window.show()
    window.show_page("people")
    target = tmp_path / "for-it.zip"
    asked: list[str] = []

    def save_file_name(parent, caption, name, filters):
        asked.append(caption)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file_name))
    titles = [a.text() for a in window.help_menu.actions() if not a.isSeparator()]
    assert titles == ["&Keyboard shortcuts…", "Collect &diagnostics…", "&About PartDesk"]
    window.diagnostics_action.trigger()
    assert asked == ["Save diagnostics for plant IT"]
    qtbot.waitUntil(lambda: diagnostics_box(window) is not None, timeout=20000)
    box = diagnostics_box(window)
    assert box.text().startswith(f"Diagnostics written to {target}.")
    box.close()

    with zipfile.ZipFile(target) as archive:
        members = {Path(n).name: archive.read(n).decode("utf-8") for n in archive.namelist()}
    assert {"README.txt", "versions.json", "platform.json", "settings.ini", "verify.txt",
            "database.json", "log.txt"} <= set(members)
    assert json.loads(members["versions.json"])["Qt"]
    assert "language=en" in members["settings.ini"]
    assert members["verify.txt"].startswith("All checks passed")
    assert json.loads(members["database.json"])["people"] == 5
    assert "by eng with PartDesk" in members["README.txt"]
    everything = "\n".join(members.values())
    assert PASSWORD not in everything and "$argon2" not in everything
    assert "PRIVATE KEY" not in everything


def test_a_failure_to_write_is_one_sentence(qtbot, ctx, ui_session, languages, tmp_path,
                                            monkeypatch) -> None:
    session = ui_session("admin")
    window = MainWindow(session, SiteService(ctx).local_site(), languages, pages=[PEOPLE])
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr("desktop_app.ui.main_window.show_error",
                        lambda parent, exc: shown.append(str(exc.message())))
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    window.collect_diagnostics(blocked / "diag.zip")
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert shown[0].startswith(f"The diagnostics file {blocked / 'diag.zip'} cannot be written")
    QApplication.processEvents()
