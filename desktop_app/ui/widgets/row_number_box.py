"""A box for a row number of a sheet (the header row of an import): typing a number and pressing
Enter takes it, and the Enter goes no further (in a dialog it would press the default button)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QSpinBox, QWidget

LAST_ROW = 1_048_576  # the last row of an Excel sheet


class RowNumberSpinBox(QSpinBox):
    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.setRange(1, LAST_ROW)
        self.setKeyboardTracking(False)  # the sheet is read again once the number is typed

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
