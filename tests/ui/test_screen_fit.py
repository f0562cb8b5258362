"""Every page and the main dialogs fit a 1366 × 768 factory PC, in the four languages.

A maximised window on a 1366 × 768 screen at 100 % scaling has about 1366 × 697 pixels inside
its frame (a 40-pixel taskbar, a 31-pixel title bar). With the demo data of the released
fixture (real part numbers, French and Arabic names), each page, each of its tabs and each
dialog is laid out in that room, and the test fails when:

- the window or a dialog needs more room than that (it would grow off the screen);
- a widget lies outside its window (cut), except inside a scroll area, which scrolls down but
  never sideways;
- a key cell — a number, part number or code, the columns a person finds a row by
  (`tables.keep_whole`) — does not fit its column.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHeaderView,
    QScrollArea,
    QScrollBar,
    QSplitterHandle,
    QTabBar,
    QTableView,
    QTabWidget,
    QToolButton,
    QWidget,
)

from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog
from desktop_app.ui.dialogs.new_submission_dialog import NewSubmissionDialog
from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs
from desktop_app.ui.dialogs.person_dialog import PersonDialog
from desktop_app.ui.dialogs.report_dialog import ReportDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.tables import elided_key_cells

ROOM = QSize(1366, 697)
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "demo-0.1.0.zip"
LANGUAGES = ["en", "fr", "ar", "zh"]
PART_WITH_EVIDENCE = "JX7-2804011"
# Qt's own parts that overhang on purpose (a tab bar's scroll buttons, a scrolled header).
INTERNALS = (QTabBar, QToolButton, QHeaderView, QScrollBar, QSplitterHandle)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServiceContext, str]]:
    """The demo data folder of the released fixture, upgraded to this release."""
    root = tmp_path_factory.mktemp("fit") / "data"
    with zipfile.ZipFile(FIXTURE) as zf:
        password = json.loads(zf.read("manifest.json"))["password"]
        for name in zf.namelist():
            if name != "manifest.json":
                zf.extract(name, root)
    ctx = open_context(DataFolder(root))
    yield ctx, password
    ctx.close()


@pytest.fixture
def session(demo, tmp_path) -> Iterator[callable]:
    """`session(username)`: a signed-in person; one worker for all, as in the application."""
    ctx, password = demo
    events = AppEvents()
    tasks = TaskRunner(events)

    def make(username: str) -> UiSession:
        actor = PeopleService(ctx).sign_in(username, password)
        return UiSession(ctx=ctx, actor=actor, tasks=tasks, events=events,
                         settings=Settings(tmp_path / f"{username}.ini"))

    yield make
    tasks.shutdown()


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems(window: QWidget, where: str, room: QSize = ROOM) -> list[str]:
    found = []
    if window.width() > room.width() or window.height() > room.height():
        found.append(f"{where}: {window.width()} × {window.height()} does not fit "
                     f"{room.width()} × {room.height()}")
    frame = window.rect()
    for child in window.findChildren(QWidget):
        if (not child.isVisible() or child.isWindow() or child.width() <= 0
                or child.height() <= 0 or _in_scroll_area(child, window)):
            continue
        box = QRect(child.mapTo(window, QPoint(0, 0)), child.size())
        if not frame.contains(box):
            found.append(f"{where}: {type(child).__name__} {child.objectName()!r} at "
                         f"{box.getRect()} is cut by the window")
    for child in window.findChildren(QWidget):  # a pane of a splitter narrower than its content
        parent = child.parentWidget()
        if (parent is None or parent is window or not child.isVisible() or child.isWindow()
                or child.objectName().startswith("qt_") or isinstance(child, INTERNALS)
                or _in_scroll_area(child, window)):
            continue
        room = parent.rect().adjusted(-1, -1, 1, 1)  # Qt's right-to-left splitter rounds by 1
        if child.width() > 0 and child.height() > 0 and not room.contains(child.geometry()):
            found.append(f"{where}: {type(child).__name__} {child.objectName()!r} "
                         f"{child.geometry().getRect()} is cut by {type(parent).__name__} "
                         f"{parent.objectName()!r} {parent.rect().getRect()}")
    for area in window.findChildren(QScrollArea):  # a page may scroll down, never sideways
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0:
            found.append(f"{where}: {area.objectName() or 'a scroll area'} is "
                         f"{area.horizontalScrollBar().maximum()} px too narrow")
    for table in window.findChildren(QTableView):
        if table.isVisible():
            found += [f"{where}: {table.objectName()} cuts {text!r}"
                      for text in elided_key_cells(table)]
    return found


def _each_tab(qtbot, widget: QWidget) -> Iterator[str]:
    """Shows each tab of each tab widget in turn (the tab's name, or "" when there is none)."""
    tabs = [t for t in widget.findChildren(QTabWidget) if t.isVisible()]
    if not tabs:
        yield ""
        return
    for t in tabs:
        for index in range(t.count()):
            t.setCurrentIndex(index)
            qtbot.wait(150)
            yield f"{t.objectName()}[{index}]"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_page_fits_a_1366_by_768_screen(qtbot, languages, session, demo, code):
    languages.apply(code)
    ui = session("n.mansouri")
    window = MainWindow(ui, SiteService(demo[0]).local_site(), languages)
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= ROOM.width() and hint.height() <= ROOM.height(), (
        f"the window needs at least {hint.width()} × {hint.height()}")
    window.resize(ROOM)
    window.show()
    found: list[str] = []
    for page in window.pages:
        window.show_page(page.page_id)
        qtbot.waitUntil(lambda: not ui.tasks.busy)  # the page's rows arrive from the worker
        for tab in _each_tab(qtbot, page):
            found += problems(window, f"{code} {page.page_id} {tab}".strip())
    assert not found, "\n".join(found)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_main_dialogs_fit_a_1366_by_768_screen(qtbot, languages, session, demo, code):
    languages.apply(code)
    ctx = demo[0]
    part = PartService(ctx).find(PART_WITH_EVIDENCE)
    engineer, admin = session("k.benali"), session("admin")  # before any job runs
    dialogs = {
        "part": lambda: PartDialog(engineer, PartRefs(), part),
        "report": lambda: ReportDialog(engineer, part.part_id),
        "characteristic": lambda: CharacteristicDialog(engineer, part.part_id),
        "new submission": lambda: NewSubmissionDialog(engineer),
        "person": lambda: PersonDialog(admin),
    }
    found: list[str] = []
    opened = []  # kept until the test ends, as their windows keep them
    for name, make in dialogs.items():
        dialog = make()
        opened.append(dialog)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not engineer.tasks.busy)
        for tab in _each_tab(qtbot, dialog):
            where = f"{code} {name} dialog {tab}".strip()
            if dialog.width() > ROOM.width() or dialog.height() > ROOM.height():
                found.append(f"{where}: grows to {dialog.width()} × {dialog.height()}")
            hint = dialog.minimumSizeHint()  # less room than this and its content is cut
            if hint.width() > ROOM.width() or hint.height() > ROOM.height():
                found.append(f"{where}: needs at least {hint.width()} × {hint.height()}")
            dialog.resize(dialog.size().boundedTo(ROOM))  # as a small screen shows it
            qtbot.wait(50)
            found += problems(dialog, where)
        dialog.close()
    assert not found, "\n".join(found)
