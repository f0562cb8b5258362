"""The table of the measurement grid, filled from the keyboard alone.

Typing into a cell starts editing it. Enter keeps the reading and goes down to the next sample of
the same characteristic; after the last sample of a column it goes to the next empty cell. Tab
goes across, Shift+Enter and Shift+Tab go back, Escape drops what was typed, Delete clears a cell.
The keys are those of the `grid.*` entries of `ui/shortcuts.py`, the table Help lists.

A USB gauge (Mitutoyo USB-ITN, Sylvac …) types a reading and Enter within milliseconds, and the
next reading right after: every step here is synchronous (commit, close the editor, move), so the
next key already finds the next cell. Qt's own Enter commits later, through the event queue, where
the first digits of the next reading could overtake it. A footswitch sends Enter alone: on a cell
that is not being edited, Enter moves on and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
    QTableView,
    QWidget,
)

from desktop_app.ui.shortcuts import shortcut

Cell = tuple[int, int]  # row, column


class Step(Enum):
    DOWN = "grid.down"
    UP = "grid.up"
    NEXT = "grid.next"
    PREVIOUS = "grid.previous"


def below(cell: Cell, rows: int) -> Cell | None:
    return (cell[0] + 1, cell[1]) if cell[0] + 1 < rows else None


def above(cell: Cell, rows: int) -> Cell | None:
    """The reading before: up the column, then the foot of the column before."""
    row, column = cell
    if row > 0:
        return row - 1, column
    return (rows - 1, column - 1) if column > 0 and rows else None


def across(cell: Cell, columns: int, rows: int) -> Cell | None:
    """The next cell of the row, then the first of the next row; None after the last cell."""
    row, column = cell
    if column + 1 < columns:
        return row, column + 1
    return (row + 1, 0) if row + 1 < rows else None


def back_across(cell: Cell, columns: int) -> Cell | None:
    row, column = cell
    if column > 0:
        return row, column - 1
    return (row - 1, columns - 1) if row > 0 else None


def next_empty(cell: Cell, rows: int, columns: int, filled: Callable[[int, int], bool]
               ) -> Cell | None:
    """The first empty cell after `cell`, column by column (each column top to bottom), from
    the next column round to the columns before; None when every other cell holds a reading."""
    start_row, start_column = cell
    order = [(r, c) for c in range(columns) for r in range(rows)]
    here = order.index((start_row, start_column)) if (start_row, start_column) in order else -1
    for r, c in order[here + 1:] + order[:max(here, 0)]:
        if not filled(r, c):
            return r, c
    return None


def step_of(event: QKeyEvent) -> Step | None:
    for step in Step:
        if shortcut(step.value).matches(event):
            return step
    return None


def is_typing(event: QKeyEvent) -> bool:
    """A key that types a character (not a shortcut with Ctrl or Alt)."""
    text = event.text()
    modifiers = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                      | Qt.KeyboardModifier.KeypadModifier)
    return bool(text) and text.isprintable() and modifiers == Qt.KeyboardModifier.NoModifier


class ReadingEditor(QLineEdit):
    """The line edit of one cell; it knows its cell while the view rearranges editors."""

    def __init__(self, index: QModelIndex, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("reading_editor")
        self.index = QPersistentModelIndex(index)


class ReadingTable(QTableView):
    """`all_filled`: Enter after the last empty cell; nothing is left to type."""

    all_filled = Signal()
    edit_cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measurement_table")
        self.setTabKeyNavigation(True)
        self._forwarding = False  # a key handed to the editor that it leaves comes back here
        # Not on CurrentChanged: moving to a cell must not open an editor holding its old text,
        # which the next reading would be appended to.
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.SelectedClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)

    # -- what the model says ---------------------------------------------------------------

    def _editable(self) -> bool:
        model = self.model()
        return (model is not None and model.columnCount() > 0 and model.rowCount() > 0
                and bool(model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable))

    def _filled(self, row: int, column: int) -> bool:
        return bool(self.model().index(row, column).data(Qt.ItemDataRole.EditRole))

    def current_cell(self) -> Cell:
        index = self.currentIndex()
        return (index.row(), index.column()) if index.isValid() else (0, 0)

    def go_to(self, cell: Cell) -> None:
        index = self.model().index(*cell)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    # -- moving ----------------------------------------------------------------------------

    def target(self, step: Step) -> Cell | None:
        rows, columns = self.model().rowCount(), self.model().columnCount()
        cell = self.current_cell()
        if step is Step.DOWN:
            return below(cell, rows) or next_empty(cell, rows, columns, self._filled)
        if step is Step.UP:
            return above(cell, rows)
        if step is Step.NEXT:
            return across(cell, columns, rows)
        return back_across(cell, columns)

    def step(self, step: Step) -> bool:
        """Move as `step` says; False when there is nowhere to go in the grid."""
        target = self.target(step)
        if target is not None:
            self.go_to(target)
            return True
        if step is Step.DOWN:
            self.all_filled.emit()
        return False

    def commit_and_step(self, editor: ReadingEditor, step: Step) -> None:
        """Keep the typed reading, close the editor and move, all before the next key is read.
        A reading the model refuses (not a number) keeps its editor, selected to be retyped."""
        if not self.model().setData(QModelIndex(editor.index), editor.text()):
            editor.selectAll()
            return
        self.setCurrentIndex(QModelIndex(editor.index))
        self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if not self.step(step) and step in (Step.NEXT, Step.PREVIOUS):
            QAbstractScrollArea.focusNextPrevChild(self, step is Step.NEXT)

    def cancel_edit(self, editor: ReadingEditor) -> None:
        self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
        self.edit_cancelled.emit()

    def editor_key(self, editor: ReadingEditor, event: QKeyEvent) -> bool:
        """The delegate's filter passes the editor's keys here first; True: handled."""
        if not self._editable():
            return False
        if shortcut("grid.cancel").matches(event):
            self.cancel_edit(editor)
            return True
        step = step_of(event)
        if step is None:
            return False
        self.commit_and_step(editor, step)
        return True

    # -- Qt overrides ----------------------------------------------------------------------

    def _open_editor(self) -> ReadingEditor | None:
        return next((e for e in self.viewport().findChildren(ReadingEditor)
                     if e.isVisible()), None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._editable():
            super().keyPressEvent(event)
            return
        if self.state() == QAbstractItemView.State.EditingState:
            # Keys sent to the table while a cell is edited (a test's keyClicks, a gauge's
            # driver) belong to the editor, as they would reach it from the keyboard.
            editor = self._open_editor()
            if editor is not None and not self._forwarding and (
                    is_typing(event) or step_of(event) is not None
                    or shortcut("grid.cancel").matches(event)):
                self._forwarding = True
                try:
                    QApplication.sendEvent(editor, event)
                finally:
                    self._forwarding = False
                return
            super().keyPressEvent(event)
            return
        step = step_of(event)
        if step in (Step.DOWN, Step.UP):  # a footswitch's Enter: move on, write nothing
            self.step(step)
            event.accept()
            return
        if shortcut("grid.clear").matches(event) and self.currentIndex().isValid():
            self.model().setData(self.currentIndex(), "")
            event.accept()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        """Tab and Shift+Tab go across the cells, and on out of the grid after the last one
        (before the first one), so the dialog's tab order goes on to its buttons."""
        if (self._editable() and self.tabKeyNavigation() and self.hasFocus()
                and self.state() != QAbstractItemView.State.EditingState
                and self.step(Step.NEXT if next else Step.PREVIOUS)):
            return True
        return QAbstractScrollArea.focusNextPrevChild(self, next)
