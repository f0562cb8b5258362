"""Fixtures of the window tests: an application shell on a real data folder, a signed-in window.

Each fixture shuts its task runner down and puts the application back in English, left to
right, so no thread, window or language leaks into the next test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.services.context import ServiceContext
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.i18n import LanguageManager
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.settings import Settings
from desktop_app.ui.shell import AppShell
from desktop_app.ui.tasks import TaskRunner
from tests.conftest import PASSWORD

__all__ = ["PASSWORD", "languages", "make_shell", "sign_in", "ui_session"]


@pytest.fixture
def languages(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager(qapp)
    manager.apply("en")
    yield manager
    manager.apply("en")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.fixture
def make_shell(qtbot, languages, tmp_path):
    """`make_shell(ctx, idle_interval_ms=None)`: a started shell; shut down after the test."""
    shells: list[AppShell] = []

    def make(ctx: ServiceContext, idle_interval_ms: int | None = None) -> AppShell:
        settings = Settings(tmp_path / f"settings-{len(shells)}.ini")
        shell = AppShell(ctx, settings, languages, idle_interval_ms=idle_interval_ms)
        shells.append(shell)
        shell.start()
        return shell

    yield make
    for shell in shells:
        shell.shutdown()
    QApplication.processEvents()


def sign_in(qtbot, shell: AppShell, username: str, password: str = PASSWORD) -> None:
    """Type a user name and password into the visible sign-in window and press Sign in."""
    qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
    dialog = shell.sign_in
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def ui_session(ctx, actors, tmp_path) -> Iterator[callable]:
    """`ui_session(username)`: a UiSession of a signed-in person of the TST site."""
    runners: list[TaskRunner] = []

    def make(username: str) -> UiSession:
        events = AppEvents()
        tasks = TaskRunner(events)
        runners.append(tasks)
        return UiSession(ctx=ctx, actor=actors[username], tasks=tasks, events=events,
                         settings=Settings(tmp_path / f"session-{username}.ini"))

    yield make
    for runner in runners:
        runner.shutdown()
