"""Idle lock: the data disappears after the idle time; only the same person's password unlocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shiboken6 import isValid

from desktop_app.services.people import PeopleService
from desktop_app.ui import settings as keys
from tests.ui.shell_fixtures import PASSWORD, sign_in

OTHER_PASSWORD = "someone-elses-secret"


def signed_in_window(qtbot, shell, username="admin"):
    sign_in(qtbot, shell, username)
    qtbot.waitUntil(lambda: shell.main_window is not None and shell.main_window.isVisible())
    return shell.main_window


def unlock_with(qtbot, window, password: str) -> None:
    lock = window.lock_widget
    lock.password_edit.setText(password)
    qtbot.mouseClick(lock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lock.unlock_button.isEnabled())


def test_idle_time_hides_the_data_and_only_the_same_password_unlocks(qtbot, ctx, actors,
                                                                     make_shell):
    PeopleService(ctx).reset_password(actors["admin"], actors["eng"].user_id, OTHER_PASSWORD)
    shell = make_shell(ctx, idle_interval_ms=300)
    window = signed_in_window(qtbot, shell)
    assert window.show_page("people")
    people_page = window.page("people")
    assert people_page.isVisible()
    settings_dialog = window.open_settings()
    assert settings_dialog.isVisible()

    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.central.currentWidget() is window.lock_widget
    assert not people_page.isVisible() and not window.nav.isVisible()
    assert not (isValid(settings_dialog) and settings_dialog.isVisible())  # closed
    assert "Ada Admin" in window.lock_widget.who_label.text()

    unlock_with(qtbot, window, OTHER_PASSWORD)  # another person's password: still locked
    assert window.locked
    assert window.lock_widget.error_label.text() == "The user name or password is wrong."
    assert window.lock_widget.password_edit.text() == ""

    unlock_with(qtbot, window, PASSWORD)
    qtbot.waitUntil(lambda: not window.locked)
    assert people_page.isVisible()
    assert window.lock_widget.password_edit.text() == ""


def test_input_postpones_the_lock_and_zero_disables_it(qtbot, ctx, make_shell):
    shell = make_shell(ctx, idle_interval_ms=400)
    window = signed_in_window(qtbot, shell)
    for _ in range(4):  # keep typing for longer than the idle time
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
        qtbot.wait(150)
    assert not window.locked
    shell.settings.set(keys.IDLE_LOCK_MINUTES, 0)
    window.apply_settings()
    assert not window.idle.enabled
    qtbot.wait(600)
    assert not window.locked


def test_wrong_passwords_on_the_lock_screen_are_throttled(qtbot, ctx, make_shell):
    shell = make_shell(ctx)
    window = signed_in_window(qtbot, shell)
    window.lock_action.trigger()
    assert window.locked
    for attempt in range(6):
        unlock_with(qtbot, window, f"wrong-{attempt}")
    assert window.lock_widget.error_label.text().startswith("Too many failed sign-ins for admin")
    unlock_with(qtbot, window, PASSWORD)
    assert window.locked


def test_sign_out_from_the_lock_screen_lets_someone_else_sign_in(qtbot, ctx, actors, make_shell):
    shell = make_shell(ctx)
    window = signed_in_window(qtbot, shell)
    window.lock()
    qtbot.mouseClick(window.lock_widget.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.sign_in.isVisible())
    assert shell.main_window is None
    window = signed_in_window(qtbot, shell, "insp")
    assert window.person_label.text() == "Insp Person · Quality inspector"
    assert not window.locked
