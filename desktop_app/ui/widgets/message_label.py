"""The one sentence under a form: plain text (never HTML), wrapped, coloured by its kind.

Given an error (rather than text), the label says it again in the new language when the
language changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ERROR_STYLE = "color: #b00020;"
INFO_STYLE = "color: #1b5e20;"


class MessageLabel(QLabel):
    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        self.setObjectName(objectName)
        self._error: BaseException | None = None
        self.setTextFormat(Qt.TextFormat.PlainText)  # error text may quote data: never HTML
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_error(self, error: BaseException | str) -> None:
        from desktop_app.ui.pages.base import error_text

        self._error = error if isinstance(error, BaseException) else None
        self.setStyleSheet(ERROR_STYLE)
        self.setText(error_text(error) if isinstance(error, BaseException) else error)

    def show_info(self, text: str) -> None:
        self._error = None
        self.setStyleSheet(INFO_STYLE)
        self.setText(text)

    def clear(self) -> None:
        self._error = None
        super().clear()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and self._error is not None:
            self.show_error(self._error)
        super().changeEvent(event)
