"""A report filled from the keyboard alone, as an inspector, a USB gauge and a footswitch fill it.

Keys go to the window, which hands them to the widget with the focus, as the keyboard does; a
gauge's burst is queued whole before the first key is read, as the system queues it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.domain.evidence import Limits
from desktop_app.services.evidence_dto import CharacteristicDraft
from desktop_app.ui.dialogs.report_dialog import ReportDialog
from desktop_app.ui.widgets.measurement_grid import (
    FAIL_COLOR,
    GridColumn,
    MeasurementGridWidget,
)
from desktop_app.ui.widgets.reading_table import ReadingEditor
from tests.services.evidence_fixtures import make_service, register_part

HOLE = ("12.01", "11.98", "12.3", "12,02", "12")  # one outside 12 ± 0.1, one with a comma
FLANGE = ("150.1", "149.9", "150,25", "150", "149.7")
KEYS = {"\n": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}


# A Qt warning (a tab order across windows, a shortcut Qt finds ambiguous) fails the test; the
# offscreen platform's own notices do not.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def part_id(ctx, actors) -> str:
    """A part revision with two measured characteristics."""
    part = register_part(ctx, actors["eng"], "JT-7100")
    make_service(ctx).add_characteristics(actors["eng"], part, [
        CharacteristicDraft("1", "Hole diameter", "12", "-0.1", "0.1", unit="mm"),
        CharacteristicDraft("2", "Flange length", "150", "-0.5", "0.5", unit="mm"),
    ])
    return part


@pytest.fixture
def dialog(qtbot, ui_session, part_id) -> ReportDialog:
    dialog = ReportDialog(ui_session("insp"), part_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.grid.model.columnCount() == 2)
    qtbot.waitUntil(dialog.grid.table.hasFocus)
    return dialog


def keyboard(window, text: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Type `text` (\\n: Enter, \\t: Tab) into whatever has the focus, key by key."""
    handle = window.windowHandle()
    for char in text:
        QTest.keyClick(handle, KEYS.get(char) or Qt.Key(ord(char.upper())), modifier)


def press(window, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.windowHandle(), key, modifier)


def column(grid, index: int) -> list[str]:
    model = grid.model
    return [model.index(r, index).data() for r in range(model.rowCount())]


def cell(grid) -> tuple[int, int]:
    return grid.table.currentIndex().row(), grid.table.currentIndex().column()


def test_a_report_of_two_characteristics_is_typed_with_enter_alone_and_saved(
        qtbot, ctx, dialog, part_id):
    grid = dialog.grid
    hole = [grid.model.column(i).number for i in range(2)].index("1")
    assert grid.model.rowCount() == dialog.sample_spin.value() == 5
    grid.table.setCurrentIndex(grid.model.index(0, hole))
    for value in HOLE:  # Enter goes down the column ...
        keyboard(dialog, value + "\n")
    # ... and after its last sample to the next empty cell: the other characteristic's first
    assert cell(grid) == (0, 1 - hole)
    for value in FLANGE:
        keyboard(dialog, value + "\n")
    assert column(grid, hole) == list(HOLE) and column(grid, 1 - hole) == list(FLANGE)
    assert dialog.message.text() == "Every reading is in; Ctrl+S saves the report."
    # 12.3 lies outside 12 ± 0.1: kept, red, and the tooltip says why
    outside = grid.model.index(2, hole)
    assert grid.model.data(outside, Qt.ItemDataRole.BackgroundRole) == FAIL_COLOR
    assert "11.9" in grid.model.data(outside, Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        press(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = make_service(ctx).queries.report(dialog.recorded.summary.report_id)
    readings = {s.number: s.readings for s in stored.sets}
    # a decimal comma is a decimal point; the service keeps each reading's digits
    assert readings == {"1": ("12.01", "11.98", "12.3", "12.02", "12"),
                        "2": ("150.1", "149.9", "150.25", "150", "149.7")}
    assert stored.summary.verdict == "fail"  # 12.3 was accepted, and judged


def test_a_gauge_burst_queued_before_the_first_key_is_read_lands_one_value_per_cell(
        qtbot, dialog):
    """A USB gauge types a reading and Enter in a few milliseconds; three readings are in the
    event queue before the application reads the first key of them."""
    grid = dialog.grid
    window = dialog.windowHandle()
    burst = "+012.005\n11.996\n12,004\n"  # as a Mitutoyo USB-ITN or a Sylvac may send them
    for char in burst:
        key = KEYS.get(char) or Qt.Key(ord(char.upper()))
        text = "\r" if char == "\n" else char
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.postEvent(window, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                         text))
    qtbot.waitUntil(lambda: cell(grid) == (3, 0))
    assert column(grid, 0)[:3] == ["+012.005", "11.996", "12,004"]
    assert grid.model.values(0) == [Decimal("12.005"), Decimal("11.996"), Decimal("12.004")]


def test_keyclicks_sent_straight_to_the_table_without_waiting_still_fill_one_cell_each(dialog):
    grid = dialog.grid
    for value in ("12.01", "12.02", "12.03"):
        QTest.keyClicks(grid.table, value)
        QTest.keyClick(grid.table, Qt.Key.Key_Return)
    assert column(grid, 0)[:3] == ["12.01", "12.02", "12.03"]


def test_a_footswitch_enter_on_an_empty_cell_moves_on_and_writes_nothing(dialog):
    grid = dialog.grid
    press(dialog, Qt.Key.Key_Return)  # the footswitch: sample 1 skipped
    assert cell(grid) == (1, 0)
    keyboard(dialog, "12.05\n")
    press(dialog, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)  # keypad Enter too
    assert cell(grid) == (3, 0)
    assert column(grid, 0) == ["", "12.05", "", "", ""]
    assert grid.model.readings(0) == ("12.05",)
    press(dialog, Qt.Key.Key_Return)
    press(dialog, Qt.Key.Key_Return)  # after the last sample: the next empty cell
    assert cell(grid) == (0, 1)
    # the column's skipped cells come round again once the other column is full
    for _ in range(5):
        keyboard(dialog, "150\n")
    assert cell(grid) == (0, 0)
    assert not dialog.isHidden()  # Enter never reached the dialog's Save button
    assert dialog.recorded is None


def test_tab_goes_across_and_shift_goes_back(dialog):
    grid = dialog.grid
    keyboard(dialog, "12.01\t")
    assert cell(grid) == (0, 1)
    keyboard(dialog, "150.2\t")  # the end of the row: the next sample's first characteristic
    assert cell(grid) == (1, 0)
    press(dialog, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert cell(grid) == (0, 1)
    keyboard(dialog, "150.3")
    press(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # keeps it, goes back
    assert column(grid, 1)[0] == "150.3"
    assert cell(grid) == (4, 0)  # up from the top: the foot of the column before
    press(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert cell(grid) == (3, 0)


def test_escape_drops_the_typing_f2_changes_a_reading_delete_clears_it(dialog):
    grid = dialog.grid
    keyboard(dialog, "12.01\n")
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    keyboard(dialog, "99")
    assert isinstance(QApplication.focusWidget(), ReadingEditor)
    press(dialog, Qt.Key.Key_Escape)  # the typing is dropped, the dialog stays
    assert column(grid, 0)[0] == "12.01" and dialog.isVisible()
    assert grid.table.hasFocus()
    press(dialog, Qt.Key.Key_F2)  # the reading is there to change, selected: typing replaces it
    editor = QApplication.focusWidget()
    assert isinstance(editor, ReadingEditor) and editor.text() == "12.01"
    keyboard(dialog, "12.04\n")
    assert column(grid, 0)[0] == "12.04" and cell(grid) == (1, 0)
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    press(dialog, Qt.Key.Key_Delete)
    assert column(grid, 0)[0] == "" and grid.model.readings(0) == ()


def test_a_value_out_of_limits_shows_at_once_and_a_word_is_refused_in_its_cell(dialog):
    grid = dialog.grid
    keyboard(dialog, "12.5")
    editor = QApplication.focusWidget()
    assert isinstance(editor, ReadingEditor)
    assert editor.property("verdict") == "fail"
    assert editor.palette().base().color() == FAIL_COLOR
    assert "outside the limits" in editor.toolTip() and "11.9" in editor.toolTip()
    press(dialog, Qt.Key.Key_Return)
    assert column(grid, 0)[0] == "12.5" and cell(grid) == (1, 0)  # accepted all the same
    keyboard(dialog, "12.o\n")  # not a number: the cell keeps it, selected, to be retyped
    editor = QApplication.focusWidget()
    assert isinstance(editor, ReadingEditor) and editor.selectedText() == "12.o"
    assert "'12.o' is not a number" in grid.message.text()
    assert cell(grid) == (1, 0) and column(grid, 0)[1] == ""
    keyboard(dialog, "12.0\n")
    assert column(grid, 0)[1] == "12.0" and cell(grid) == (2, 0)


def test_readings_typed_on_arabic_and_chinese_keyboards_are_numbers(qtbot):
    grid = MeasurementGridWidget()
    qtbot.addWidget(grid)
    grid.set_columns([GridColumn("c1", "1", "Hole", Limits(Decimal("11.9"), Decimal("12.1")),
                                 "mm")], rows=3)
    for row, text in enumerate(("١٢٫٠٥", "１２．０３", "12,07")):
        assert grid.model.setData(grid.model.index(row, 0), text)
    assert grid.model.readings(0) == ("12.05", "12.03", "12,07")
    assert grid.model.values(0) == [Decimal("12.05"), Decimal("12.03"), Decimal("12.07")]


def test_ctrl_s_keeps_the_reading_still_being_typed(qtbot, ctx, dialog):
    keyboard(dialog, "12.01\n12.02")  # no Enter after the second reading
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        press(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (result,) = dialog.recorded.sets
    assert result.readings == ("12.01", "12.02")


def test_escape_asks_before_dropping_readings_typed(qtbot, dialog):
    keyboard(dialog, "12.01\n")
    press(dialog, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible() and dialog.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible()
    press(dialog, Qt.Key.Key_Escape)
    with qtbot.waitSignal(dialog.rejected):
        dialog.discard_box.button(QMessageBox.StandardButton.Discard).click()


def test_the_rows_follow_the_sample_size(dialog):
    grid = dialog.grid
    keyboard(dialog, "12.01\n12.02\n12.03\n")
    dialog.sample_spin.setValue(8)
    assert grid.model.rowCount() == 8
    dialog.sample_spin.setValue(2)  # never fewer rows than readings typed
    assert grid.model.rowCount() == 3 and grid.model.readings(0) == ("12.01", "12.02", "12.03")
