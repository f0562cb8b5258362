"""Stands in for a page that could not be built, so one broken page never takes the window down."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.ui.pages.base import error_text


class PageErrorWidget(QWidget):
    page_id = "page_error"

    def __init__(self, spec: str, error: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_error")
        self.spec = spec
        self.error = error
        self.page_id = spec.rpartition(":")[2] or spec
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.detail = QLabel(objectName="page_error_detail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.retranslate_ui()

    def title(self) -> str:
        return self.page_id

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("This page could not be opened."))
        self.detail.setText(f"{error_text(self.error)}\n{self.spec}: {self.error}")

    def page_shown(self) -> None:
        """Nothing to load."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
