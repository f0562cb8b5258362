"""Checking a password takes a while (argon2): the sign-in window says it is checking, stays
responsive meanwhile, and a wrong password still gets its one sentence."""

from __future__ import annotations

from argon2 import PasswordHasher
from PySide6.QtCore import Qt, QTimer

from desktop_app.storage.models.core import Credential
from tests.ui.shell_fixtures import PASSWORD

# Costs that make one check last a noticeable time, as on a factory PC.
SLOW_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)


def _slow_password(ctx, user_id: str) -> None:
    with ctx.unit_of_work() as uow:
        uow.session.get(Credential, user_id).password_hash = SLOW_HASHER.hash(PASSWORD)


def test_a_wrong_password_is_checked_while_the_window_stays_responsive(qtbot, ctx, actors,
                                                                        make_shell):
    _slow_password(ctx, actors["admin"].user_id)
    shell = make_shell(ctx)
    qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
    dialog = shell.sign_in
    qtbot.waitUntil(lambda: not shell.tasks.busy)  # the folder is open
    assert dialog.busy_bar.isHidden() and dialog.busy_label.isHidden()

    ticks: list[bool] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(dialog.busy))
    timer.start()
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText("not-the-password")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.busy
    assert dialog.busy_bar.isVisible() and dialog.busy_label.isVisible()
    assert dialog.busy_label.text() == "Checking the password…"
    assert not dialog.sign_in_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=20_000)
    timer.stop()

    # The event loop ran the timer again and again while the password was being checked.
    assert ticks.count(True) >= 3
    assert dialog.error_label.text() == "The user name or password is wrong."
    assert not dialog.busy and dialog.busy_bar.isHidden() and dialog.busy_label.isHidden()
    assert dialog.sign_in_button.isEnabled() and dialog.password_edit.text() == ""
    assert shell.main_window is None


def test_the_right_password_ends_the_busy_state_too(qtbot, ctx, actors, make_shell):
    _slow_password(ctx, actors["eng"].user_id)
    shell = make_shell(ctx)
    qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
    dialog = shell.sign_in
    dialog.username_edit.setText("eng")
    dialog.password_edit.setText(PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.busy_bar.isVisible()
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
    assert not dialog.busy and dialog.busy_bar.isHidden()
