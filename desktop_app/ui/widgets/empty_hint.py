"""What an empty list or grid says instead of nothing: why it is empty and what to do.

    self.hint = EmptyHint(self.table, lambda: tr("Gauges", "No gauge yet: add one…"))
    ...
    self.hint.update_hint()  # once the page has read its rows

The hint lies over the view's viewport, in grey, and shows only while the view has no row and
its rows have been read (a paged model says so itself: `loading`, `page_loaded`), so a page
still loading never claims to be empty. The text is asked for again on a change of language.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

HINT_STYLE = "color: #5f6368; padding: 16px;"


class EmptyHint(QLabel):
    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        super().__init__(view.viewport())
        self.setObjectName(f"{view.objectName() or 'view'}_empty_hint")
        self.view = view
        self._text = text
        self.ready = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(HINT_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        view.viewport().installEventFilter(self)
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                           model.layoutChanged):
                signal.connect(self._on_model_changed)
            page_loaded = getattr(model, "page_loaded", None)
            if page_loaded is not None:  # a paged model says when its rows are read
                page_loaded.connect(lambda _page: self.update_hint())
        self.hide()

    def update_hint(self, ready: bool = True) -> None:
        """Show or hide the hint; `ready`: the rows have been read."""
        self.ready = self.ready or ready
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        loading = bool(getattr(model, "loading", False))
        text = self._text() if self.ready and empty and not loading else ""
        self.setText(text)
        self.setGeometry(self.view.viewport().rect())
        self.setVisible(bool(text))

    def _on_model_changed(self, *_args) -> None:
        self.update_hint(ready=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.view.viewport().rect())
        return False

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and self.isVisible():
            self.setText(self._text())
        super().changeEvent(event)
