"""Every entry of the shortcut table does what Help says it does, pressed on a real window; and
Help lists every entry.

One check per action id: an entry added to `ui/shortcuts.py` without a check here fails
`test_every_shortcut_does_what_help_says`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout, QWidget

from desktop_app.domain.evidence import Limits
from desktop_app.domain.parts import PartDraft
from desktop_app.services.parts import PartService
from desktop_app.services.site import SiteService
from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog
from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs
from desktop_app.ui.dialogs.parts_import_dialog import PartsImportDialog
from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop_app.ui.dialogs.sync_dialogs import ExportDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shortcuts import SHORTCUTS, Group, shortcut
from desktop_app.ui.widgets.measurement_grid import GridColumn, MeasurementGridWidget
from desktop_app.ui.widgets.reading_table import ReadingEditor
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, approved
from tests.services.certification_fixtures import make_part as certified_part

# A Qt warning (a tab order across windows, a shortcut Qt finds ambiguous) fails the test; the
# offscreen platform's own notices do not.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("This plugin does not support")]


@dataclass
class Kit:
    qtbot: object
    ctx: object
    actors: dict
    monkeypatch: pytest.MonkeyPatch
    window: Callable[[str], MainWindow]
    session: Callable[[str], object]
    kept: list[QWidget]


@pytest.fixture
def kit(qtbot, ctx, actors, ui_session, languages, monkeypatch) -> Kit:
    def window(username: str) -> MainWindow:
        made = MainWindow(ui_session(username), SiteService(ctx).local_site(), languages)
        return active(qtbot, made)

    return Kit(qtbot, ctx, actors, monkeypatch, window, ui_session, [])


def active(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def press(widget: QWidget, keys: QKeySequence | str) -> None:
    """The keys pressed with `widget`'s window active, where its focus is."""
    QTest.keySequence(widget.windowHandle(), QKeySequence(keys))


def each_key(action_id: str) -> list[QKeySequence]:
    return shortcut(action_id).sequences()


# -- pages and main actions ----------------------------------------------------------------

def check_page(kit: Kit, action_id: str) -> None:
    page_id = action_id.removeprefix("page.")
    window = kit.window("eng")
    for keys in each_key(action_id):
        window.show_page("people" if page_id != "people" else "parts")
        press(window, keys)
        assert window.stack.currentWidget() is window.page(page_id), (action_id, page_id)


def check_find(kit: Kit, action_id: str) -> None:
    window = kit.window("insp")
    window.show_page("gauges")
    press(window, "Ctrl+F")
    assert QApplication.focusWidget() is window.page("gauges").search_edit
    certification = window.page("certification")
    window.show_page("certification")
    certification.tabs.setCurrentWidget(certification.register)
    press(window, "Ctrl+F")  # the search of the submissions tab, shown
    assert certification.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is certification.search_edit
    window.show_page("dashboard")  # no search there: the parts registry's, its text selected
    parts = window.page("parts")
    parts.search_edit.setText("JT-")
    press(window, "Ctrl+F")
    assert window.stack.currentWidget() is parts
    assert QApplication.focusWidget() is parts.search_edit
    assert parts.search_edit.selectedText() == "JT-"


def check_new_part(kit: Kit, action_id: str) -> None:
    window = kit.window("eng")
    press(window, "Ctrl+N")
    parts = window.page("parts")
    kit.qtbot.waitUntil(lambda: isinstance(parts.dialog, PartDialog) and parts.dialog.isVisible())
    assert parts.dialog.detail is None
    # An inspector may not register parts: the status bar says why, nothing opens.
    other = kit.window("insp")
    press(other, "Ctrl+N")
    assert other.page("parts").dialog is None
    said = other.statusBar().currentMessage()
    assert said and said == (other.page("parts").new_button.toolTip() or said)


def check_import_parts(kit: Kit, action_id: str) -> None:
    window = kit.window("eng")
    press(window, "Ctrl+I")
    parts = window.page("parts")
    kit.qtbot.waitUntil(lambda: isinstance(parts.dialog, PartsImportDialog)
                        and parts.dialog.isVisible())


def check_print(kit: Kit, action_id: str) -> None:
    svc = Services(kit.ctx)
    sid = approved(svc, kit.actors, certified_part(svc, kit.actors), PASSWORD)
    number = svc.cert.submission(kit.actors["insp"], sid).decisions[-1].certificate_number
    printed: list[str] = []
    kit.monkeypatch.setattr("desktop_app.ui.widgets.certificate_register_widget.ask_and_print",
                            lambda _parent, _pdf, chosen: printed.append(chosen))
    window = kit.window("insp")
    register = window.page("certification").register
    kit.qtbot.waitUntil(lambda: register.model.total == 1 and not register.model.loading)
    press(window, "Ctrl+P")  # nothing chosen: the register, and a sentence
    assert window.stack.currentWidget() is window.page("certification")
    assert window.page("certification").tabs.currentWidget() is register
    assert "choose what it applies to first" in window.statusBar().currentMessage()
    assert QApplication.focusWidget() is register.table
    register.table.selectRow(0)
    press(window, "Ctrl+P")
    kit.qtbot.waitUntil(lambda: printed == [number])


def check_export(kit: Kit, action_id: str) -> None:
    window = kit.window("admin")
    press(window, "Ctrl+E")
    sync = window.page("sync")
    kit.qtbot.waitUntil(lambda: sync.findChild(ExportDialog) is not None
                        and sync.findChild(ExportDialog).isVisible())


def check_import_package(kit: Kit, action_id: str) -> None:
    asked: list[str] = []
    kit.monkeypatch.setattr("desktop_app.ui.pages.sync_page.QFileDialog.getOpenFileName",
                            lambda _parent, title, *_rest: asked.append(title) or ("", ""))
    window = kit.window("admin")
    press(window, "Ctrl+Shift+I")
    assert window.stack.currentWidget() is window.page("sync")
    assert asked == ["Import a package"]


def check_reload(kit: Kit, action_id: str) -> None:
    window = kit.window("eng")
    window.show_page("gauges")
    page, asked = window.page("gauges"), []
    page.refresh = lambda change=None: asked.append(change)  # type: ignore[method-assign]
    press(window, "F5")
    assert asked == [None]


def check_lock(kit: Kit, action_id: str) -> None:
    window = kit.window("eng")
    window.show_page("parts")
    press(window, "Ctrl+L")
    assert window.locked
    press(window, "Ctrl+3")  # behind the lock, no key reaches a page
    press(window, "Ctrl+N")
    assert window.stack.currentWidget() is window.page("parts")
    assert window.page("parts").dialog is None


def check_quit(kit: Kit, action_id: str) -> None:
    window = kit.window("eng")
    press(window, "Ctrl+Q")
    assert not window.isVisible()


def check_help(kit: Kit, action_id: str) -> None:
    window = kit.window("appr")
    for keys in each_key(action_id):
        press(window, keys)
        dialog = window.findChild(ShortcutsDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.listed() == [(s.key_text(), s.text()) for s in SHORTCUTS]
        dialog.close()
        window.activateWindow()
        kit.qtbot.waitUntil(window.isActiveWindow)
    help_titles = [a.text() for a in window.help_menu.actions() if not a.isSeparator()]
    assert help_titles[0] == "&Keyboard shortcuts…"


# -- dialogs and search fields -------------------------------------------------------------

def check_save(kit: Kit, action_id: str) -> None:
    dialog = active(kit.qtbot, PartDialog(kit.session("eng"), PartRefs()))
    dialog.number_edit.setText("JT-9001")
    dialog.revision_edit.setText("A")
    dialog.designation_edit.setText("Équerre")
    dialog.designation_edit.setFocus()
    assert dialog.save_button.isEnabled(), dialog.message.text()
    with kit.qtbot.waitSignal(dialog.accepted, timeout=10000):
        press(dialog, "Ctrl+S")
    assert PartService(kit.ctx).find("JT-9001").draft.designation == "Équerre"


def check_close(kit: Kit, action_id: str) -> None:
    part = PartService(kit.ctx).register_part(kit.actors["eng"], PartDraft(
        part_number="JT-9002", revision="A", designation="Cale", family="other"))
    dialog = active(kit.qtbot, CharacteristicDialog(kit.session("eng"), part.part_id))
    with kit.qtbot.waitSignal(dialog.rejected):
        press(dialog, "Esc")


def check_search_open(kit: Kit, action_id: str) -> None:
    PartService(kit.ctx).register_part(kit.actors["eng"], PartDraft(
        part_number="JT-9003", revision="A", designation="Cale", family="other"))
    window = kit.window("eng")
    parts = window.page("parts")
    for keys in each_key(action_id):
        window.show_page("parts")
        parts.search_edit.setFocus()
        parts.search_edit.setText("JT-9003")
        parts.dialog = None
        press(window, keys)
        kit.qtbot.waitUntil(lambda: isinstance(parts.dialog, PartDialog)
                            and parts.dialog.isVisible())
        parts.dialog.close()


# -- the measurement grid ------------------------------------------------------------------

def grid_window(kit: Kit) -> MeasurementGridWidget:
    holder = QDialog()
    grid = MeasurementGridWidget()
    QVBoxLayout(holder).addWidget(grid)
    limits = Limits(Decimal("11.9"), Decimal("12.1"))
    grid.set_columns([GridColumn("c1", "1", "Hole", limits, "mm"),
                      GridColumn("c2", "2", "Pitch", limits, "mm")], rows=3)
    kit.kept.append(active(kit.qtbot, holder))
    grid.table.setFocus()
    return grid


def at(grid: MeasurementGridWidget) -> tuple[int, int]:
    return grid.table.currentIndex().row(), grid.table.currentIndex().column()


def type_into(grid: MeasurementGridWidget, text: str) -> None:
    QTest.keyClicks(grid.table, text)
    assert isinstance(QApplication.focusWidget(), ReadingEditor)


def check_grid_move(kit: Kit, action_id: str) -> None:
    start, typed_to, empty_to = {
        "grid.down": ((0, 0), (1, 0), (2, 0)),
        "grid.up": ((2, 1), (1, 1), (0, 1)),
        "grid.next": ((0, 0), (0, 1), (1, 0)),
        "grid.previous": ((1, 1), (1, 0), (0, 1)),
    }[action_id]
    for keys in each_key(action_id):
        grid = grid_window(kit)
        grid.table.go_to(start)
        type_into(grid, "12.01")
        press(grid, keys)  # keeps the reading, moves
        assert at(grid) == typed_to
        assert grid.model.index(*start).data() == "12.01"
        press(grid, keys)  # not editing (a footswitch): moves on, writes nothing
        assert at(grid) == empty_to
        assert grid.model.readings(0) + grid.model.readings(1) == ("12.01",)


def check_grid_edit(kit: Kit, action_id: str) -> None:
    grid = grid_window(kit)
    grid.model.setData(grid.model.index(0, 0), "12.02")
    press(grid, "F2")
    editor = QApplication.focusWidget()
    assert isinstance(editor, ReadingEditor) and editor.text() == "12.02"


def check_grid_cancel(kit: Kit, action_id: str) -> None:
    grid = grid_window(kit)
    grid.model.setData(grid.model.index(0, 0), "12.02")
    type_into(grid, "99")
    press(grid, "Esc")
    assert grid.model.index(0, 0).data() == "12.02" and grid.table.hasFocus()
    assert grid.message.text() == ""


def check_grid_clear(kit: Kit, action_id: str) -> None:
    grid = grid_window(kit)
    for keys in each_key(action_id):
        grid.model.setData(grid.model.index(0, 0), "12.02")
        grid.table.go_to((0, 0))
        press(grid, keys)
        assert grid.model.readings(0) == ()


CHECKS: dict[str, Callable[[Kit, str], None]] = {
    **{s.action_id: check_page for s in SHORTCUTS
       if s.group is Group.PAGES},
    "find": check_find, "part.new": check_new_part, "parts.import": check_import_parts,
    "certificate.print": check_print, "sync.export": check_export,
    "sync.import": check_import_package, "page.reload": check_reload,
    "window.lock": check_lock, "window.quit": check_quit, "help.shortcuts": check_help,
    "dialog.save": check_save, "dialog.close": check_close, "search.open": check_search_open,
    "grid.down": check_grid_move, "grid.up": check_grid_move, "grid.next": check_grid_move,
    "grid.previous": check_grid_move, "grid.edit": check_grid_edit,
    "grid.cancel": check_grid_cancel, "grid.clear": check_grid_clear,
}


@pytest.mark.parametrize("action_id", [s.action_id for s in SHORTCUTS])
def test_every_shortcut_does_what_help_says(kit, action_id):
    CHECKS[action_id](kit, action_id)


def test_no_two_entries_of_one_place_share_a_key():
    """Qt runs neither of two actions with the same key in one window: each place (the window,
    a dialog, a search field, the grid) has its keys once."""
    places = {Group.PAGES: "window", Group.ACTIONS: "window", Group.DIALOGS: "dialog",
              Group.SEARCH: "search", Group.GRID: "grid"}
    seen: dict[tuple[str, str], str] = {}
    for entry in SHORTCUTS:
        for keys in entry.keys:
            key = (places[entry.group], QKeySequence(keys).toString())
            assert key not in seen, (entry.action_id, seen.get(key))
            seen[key] = entry.action_id


def test_the_keypad_digits_show_pages_as_an_azerty_keyboard_types_them(kit):
    window = kit.window("eng")
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_3,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier)
    assert window.stack.currentWidget() is window.page("gauges")


def test_the_help_list_follows_the_language(qtbot, languages):
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    languages.apply("fr")
    try:
        qtbot.waitUntil(lambda: dialog.windowTitle() == "Raccourcis clavier")
        assert ("Ctrl+S", shortcut("dialog.save").text()) in dialog.listed()
        assert shortcut("dialog.save").text() == "Enregistrer"
    finally:
        languages.apply("en")
