"""The list behind a figure of the dashboard: a read-only table of plain text."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

HIGHLIGHT = QColor("#FDECEA")


class FigureListDialog(QDialog):
    def __init__(self, title: str, summary: str, headers: Sequence[str],
                 rows: Sequence[Sequence[str]], parent: QWidget | None = None,
                 highlighted: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("figure_list_dialog")
        self.setWindowTitle(title)
        self.summary = QLabel(summary)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(rows), len(headers), objectName="figure_list_table")
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))  # plain text, never HTML
                if r in highlighted:
                    item.setBackground(HIGHLIGHT)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1100, 480)

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item else ""
