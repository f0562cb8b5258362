"""The bar above a page's list when it shows only part of it: what the filter keeps, a button
that shows everything again and one that goes back to the page that asked (the dashboard)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.ui.i18n import tr

BANNER_STYLE = ("QFrame#filter_banner { background: #e8f0fe; border: 1px solid #9ab6e8; "
                "border-radius: 3px; }")


class FilterBanner(QFrame):
    cleared = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter_banner")
        self.setStyleSheet(BANNER_STYLE)
        self.label = QLabel(objectName="filter_banner_text")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # part numbers and names are data
        self.label.setWordWrap(True)
        self.clear_button = QPushButton(objectName="clear_filter_button")
        self.back_button = QPushButton(objectName="back_button")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.back_button)
        self.clear_button.clicked.connect(self.cleared)
        self.back_button.clicked.connect(self.back_requested)
        self._text = ""
        self._count: int | None = None
        self.retranslate_ui()
        self.hide()

    def show_filter(self, text: str, back: bool) -> None:
        self._text, self._count = text, None
        self.back_button.setVisible(back)
        self._update_text()
        self.show()

    def set_count(self, count: int | None) -> None:
        """How many rows the filtered list holds (shown once the page has read them)."""
        self._count = count
        self._update_text()

    def retranslate_ui(self) -> None:
        self.clear_button.setText(tr("FilterBanner", "Show all"))
        self.back_button.setText(tr("FilterBanner", "Back to dashboard"))
        self._update_text()

    def _update_text(self) -> None:
        text = tr("FilterBanner", "Showing only: {filter}").format(filter=self._text)
        if self._count is not None:
            text += " " + tr("FilterBanner", "(shown: {n})").format(n=self._count)
        self.label.setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
