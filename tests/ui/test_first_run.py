"""First start on an empty data folder: the site and its administrator, then the sign-in window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService

NEW_PASSWORD = "a-long-enough-secret"


def fill(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_first_run_creates_the_site_and_leads_to_sign_in(qtbot, empty_ctx, make_shell):
    shell = make_shell(empty_ctx)
    dialog = shell.first_run
    assert dialog is not None and dialog.isVisible()
    assert shell.sign_in is None
    assert not dialog.create_button.isEnabled()

    fill(qtbot, dialog.site_code_edit, "M!")
    assert dialog.error_label.text() == "A site code is 2 to 8 letters or digits, such as MSR."
    fill(qtbot, dialog.site_code_edit, "MSR")
    assert dialog.error_label.text() == ""
    fill(qtbot, dialog.site_name_edit, "Massar Composants Rouiba")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("supplier"))
    fill(qtbot, dialog.username_edit, "admin")
    fill(qtbot, dialog.full_name_edit, "Amel Admin")
    fill(qtbot, dialog.password_edit, "short")
    assert dialog.error_label.text() == "A password has at least 10 characters."
    fill(qtbot, dialog.password_edit, NEW_PASSWORD)
    fill(qtbot, dialog.repeat_edit, NEW_PASSWORD + "x")
    assert dialog.error_label.text() == "The two passwords differ."
    assert not dialog.create_button.isEnabled()
    fill(qtbot, dialog.repeat_edit, NEW_PASSWORD)
    assert dialog.error_label.text() == ""
    assert dialog.create_button.isEnabled()

    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.continue_button.isVisible())
    site = SiteService(empty_ctx).local_site()
    assert (site.code, site.name, str(site.kind)) == ("MSR", "Massar Composants Rouiba",
                                                       "supplier")
    assert dialog.fingerprint_label.text() == site.fingerprint != ""
    assert "MSR" in dialog.done_label.text()

    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
    assert "MSR" in shell.sign_in.site_label.text()
    assert PeopleService(empty_ctx).sign_in("admin", NEW_PASSWORD).display_name == "Amel Admin"


def test_quit_on_first_run_writes_no_site(qtbot, empty_ctx, make_shell):
    shell = make_shell(empty_ctx)
    fill(qtbot, shell.first_run.site_code_edit, "MSR")
    qtbot.mouseClick(shell.first_run.quit_button, Qt.MouseButton.LeftButton)
    assert not empty_ctx.initialised
