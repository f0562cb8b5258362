"""Help › Keyboard shortcuts: the table of `ui/shortcuts.py`, group by group, in the person's
language, with the keys as this platform writes them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
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

from desktop_app.ui.i18n import tr
from desktop_app.ui.shortcuts import SHORTCUTS, Group


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self._build_ui()
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self.resize(760, 560)

    def _build_ui(self) -> None:
        self.intro = QLabel(objectName="shortcuts_intro")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 2, objectName="shortcuts_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Shortcuts", "Keyboard shortcuts"))
        self.intro.setText(tr(
            "Shortcuts",
            "Everything can be done from the keyboard. In the measurement grid, type a reading "
            "into the chosen cell; a USB gauge or a footswitch that types like a keyboard works "
            "the same way, and so does a barcode scanner in any search field. On a French "
            "(AZERTY) keyboard, the digits of Ctrl+1 … Ctrl+8 are those of the numeric keypad, "
            "or of the top row with Shift."))
        self.table.setHorizontalHeaderLabels([tr("Shortcuts", "Keys"), tr("Shortcuts", "Does")])
        self._fill()

    def _fill(self) -> None:
        self.table.clearSpans()
        rows: list[tuple[str, str] | Group] = []
        for group in Group:
            rows.append(group)
            rows += [(s.key_text(), s.text()) for s in SHORTCUTS if s.group is group]
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, content in enumerate(rows):
            if isinstance(content, Group):  # a heading across both columns
                item = QTableWidgetItem(content.title())
                item.setFont(bold)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setData(Qt.ItemDataRole.UserRole, content.name)
                self.table.setItem(row, 0, item)
                self.table.setItem(row, 1, QTableWidgetItem())
                self.table.setSpan(row, 0, 1, 2)
                continue
            keys, text = content
            text_item = QTableWidgetItem(text)
            text_item.setToolTip(text)
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, text_item)
        self.table.resizeRowsToContents()

    def listed(self) -> list[tuple[str, str]]:
        """(keys, description) of every shortcut row, as shown."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text())
                for r in range(self.table.rowCount())
                if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) is None]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
