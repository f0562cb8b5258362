"""The main window: pages, status bar, menus, busy indicator, saved state; broken pages."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QStyle

from desktop_app import __version__
from desktop_app.services.site import SiteService
from desktop_app.ui import settings as keys
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.widgets.page_error_widget import PageErrorWidget

PEOPLE = "desktop_app.ui.pages.people_page:PeoplePage"


def make_window(qtbot, ctx, session, languages, pages=None) -> MainWindow:
    window = MainWindow(session, SiteService(ctx).local_site(), languages, pages=pages)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_broken_page_shows_its_error_and_the_others_work(qtbot, ctx, ui_session, languages):
    session = ui_session("admin")
    window = make_window(qtbot, ctx, session, languages,
                         pages=["desktop_app.ui.pages.no_such_page:NoSuchPage", PEOPLE])
    assert isinstance(window.pages[0], PageErrorWidget)
    assert "no_such_page" in window.pages[0].detail.text()
    assert window.nav.item(1).text() == "People"
    assert window.show_page("people")
    assert window.stack.currentWidget() is window.page("people")


def test_status_bar_menus_and_about(qtbot, ctx, ui_session, languages):
    window = make_window(qtbot, ctx, ui_session("eng"), languages, pages=[PEOPLE])
    assert window.person_label.text() == "Eng Person · Engineer"
    assert window.site_label.text() == "Site TST — Test plant"
    assert window.windowTitle() == "PartDesk — TST Test plant"
    titles = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert titles == ["&Settings…", "&Change password…", "&Lock now", "Sign &out", "&Quit"]
    box = window.open_about()
    assert __version__ in box.text() and str(ctx.folder.root) in box.text()
    box.close()


def test_busy_indicator_follows_the_task_runner(qtbot, ctx, ui_session, languages):
    session = ui_session("admin")
    window = make_window(qtbot, ctx, session, languages, pages=[PEOPLE])
    qtbot.waitUntil(lambda: not session.tasks.busy)
    assert not window.busy_bar.isVisible()
    release = threading.Event()
    session.tasks.submit(lambda: release.wait(5))
    assert window.busy_bar.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not window.busy_bar.isVisible())


def test_geometry_and_last_page_are_kept(qtbot, ctx, ui_session, languages):
    session = ui_session("admin")
    pages = ["desktop_app.ui.pages.no_such_page:NoSuchPage", PEOPLE]
    window = make_window(qtbot, ctx, session, languages, pages=pages)
    window.show_page("people")
    # A size other than the one a new window opens with, that this window can take whatever the
    # fonts and the screen: 640x480, or less where the screen holds less (restoreGeometry fits
    # a saved window, its frame and a title bar's height above it, into the screen), never
    # under the window's minimum size, which follows the fonts (Qt refuses smaller).
    opened = window.size()
    frame = window.frameGeometry().size() - window.size()
    title_bar = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
    room = window.screen().availableGeometry().size() - frame - QSize(0, title_bar)
    size = QSize(640, 480).boundedTo(room).expandedTo(
        window.minimumSizeHint().expandedTo(window.minimumSize()))
    assert size != opened
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)  # a window manager resizes in its own time
    window.close()
    assert session.settings.get(keys.LAST_PAGE) == "people"
    assert session.settings.get(keys.MAIN_GEOMETRY)
    again = make_window(qtbot, ctx, session, languages, pages=pages)
    assert again.stack.currentWidget() is again.page("people")
    qtbot.waitUntil(lambda: again.size() == size)


def test_change_own_password_from_the_menu(qtbot, ctx, ui_session, languages):
    from desktop_app.services.people import PeopleService
    from tests.conftest import PASSWORD

    session = ui_session("appr")
    window = make_window(qtbot, ctx, session, languages, pages=[PEOPLE])
    dialog = window.open_change_password()
    dialog.current_edit.setText("not-my-password")
    dialog.new_edit.setText("brand-new-secret")
    dialog.repeat_edit.setText("brand-new-secret-typo")
    dialog._validate()
    assert dialog.error_label.text() == "The two passwords differ."
    assert not dialog.ok_button.isEnabled()
    dialog.repeat_edit.setText("brand-new-secret")
    dialog._validate()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "")
    assert dialog.error_label.text() == "The user name or password is wrong."
    dialog.current_edit.setText(PASSWORD)
    dialog._validate()
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    assert PeopleService(ctx).sign_in("appr", "brand-new-secret").username == "appr"
