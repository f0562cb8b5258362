"""The window's exception hook: an exception raised in a slot of the event loop, or on another
thread, is logged with its traceback and shown once as a sentence that names the log."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from desktop_app import logs
from desktop_app.ui.unexpected_error import UnexpectedErrorReporter


@pytest.fixture
def log_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    session = logs.start_logging()
    yield session
    session.close()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown_once(qtbot, log_session) -> None:
    shown: list[str] = []
    log_session.install_hooks(UnexpectedErrorReporter(shown.append))

    def broken_slot() -> None:
        raise LookupError("no such row")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: len(shown) == 1)
    log_file = log_session.log_file
    assert log_file is not None
    assert shown == [f"Something went wrong (LookupError); nothing was changed. "
                     f"The details are in the log: {log_file}"]
    text = log_file.read_text(encoding="utf-8")
    assert "CRITICAL desktop_app.logs" in text and "in broken_slot" in text
    assert "LookupError: no such row" in text


@pytest.mark.qt_no_exception_capture
def test_an_exception_on_another_thread_is_shown_on_the_gui_thread(qtbot, log_session) -> None:
    shown: list[tuple[str, bool]] = []
    log_session.install_hooks(UnexpectedErrorReporter(
        lambda text: shown.append((text, threading.current_thread() is threading.main_thread()))))
    thread = threading.Thread(target=lambda: [][1])
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0][0].startswith("Something went wrong (IndexError)") and shown[0][1]
    assert "IndexError: list index out of range" in log_session.log_file.read_text("utf-8")


def test_the_window_writes_the_log_and_the_crash_file(tmp_path) -> None:
    from tests.ui.test_app import start

    log_dir = tmp_path / "logs"
    result = start(tmp_path / "fresh", PARTDESK_SMOKE_TEST="1", PARTDESK_LOG_DIR=str(log_dir))
    assert result.returncode == 0, result.stderr
    text = (log_dir / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert f"INFO desktop_app.logs [folder={tmp_path / 'fresh'}] PartDesk" in text
    assert "started (Python" in text and ", window)" in text
    assert (log_dir / logs.CRASH_FILE_NAME).exists()
