"""The window's side of the exception hook: one sentence and where the log is, in a message box.

`desktop_app.logs` logs the traceback of an exception nothing handled (main thread, other
threads, and Qt's event loop, which hands an exception raised in a slot to `sys.excepthook`);
this object then shows the person one sentence on the GUI thread, whatever thread raised, and
only one box at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.ui.pages.base import unexpected_error_text


class UnexpectedErrorReporter(QObject):
    _raised = Signal(object)

    def __init__(self, report: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report = report
        self._showing = False
        self.reported: list[str] = []  # the sentences shown, latest last
        self._raised.connect(self._on_raised, Qt.ConnectionType.QueuedConnection)

    def __call__(self, exc: BaseException) -> None:
        """Called by the hook on any thread."""
        self._raised.emit(exc)

    def _on_raised(self, exc: BaseException) -> None:
        if self._showing:  # the box already open says it; the log has the rest
            return
        self._showing = True
        try:
            text = unexpected_error_text(exc)
            self.reported.append(text)
            self._report(text)
        finally:
            self._showing = False
