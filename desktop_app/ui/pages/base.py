"""What every page gets, and the base class of pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktop_app import logs
from desktop_app.domain.errors import Cancelled, PartDeskError
from desktop_app.domain.people import Actor
from desktop_app.ui.app_events import AppEvents, Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # imported lazily: the sign-in window shows before SQLAlchemy is loaded
    from desktop_app.services.context import ServiceContext


@dataclass
class UiSession:
    """The signed-in person and the shared objects of one window."""

    ctx: ServiceContext
    actor: Actor
    tasks: TaskRunner
    events: AppEvents
    settings: Settings


def error_text(exc: BaseException) -> str:
    """One translated sentence for any failure; never a traceback."""
    if isinstance(exc, PartDeskError):
        return exc.message(tr)
    return unexpected_error_text(exc)


def unexpected_error_text(exc: BaseException) -> str:
    """The sentence for a failure nobody foresaw, and the log that holds its traceback."""
    text = tr("Errors", "Something went wrong ({kind}); nothing was changed.").format(
        kind=type(exc).__name__
    )
    log_file = logs.current_log_file()
    if log_file is not None:
        text += " " + tr("Errors", "The details are in the log: {log}").format(log=log_file)
    return text


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, Cancelled):
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        tr("Errors", "PartDesk"),
        error_text(exc),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # text from the database is never HTML
    box.exec()


def heading_label(object_name: str = "page_heading") -> QLabel:
    """The large bold title at the top of a page (its text is set in retranslate_ui)."""
    label = QLabel(objectName=object_name)
    font = label.font()
    font.setPointSize(font.pointSize() + 3)
    font.setBold(True)
    label.setFont(font)
    return label


class Page(QWidget):
    """A page of the main window: builds itself, translates itself, refreshes on changes."""

    #: stable identifier used in settings (last page) and tests
    page_id = "page"

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(f"{self.page_id}_page")
        session.events.data_changed.connect(self._on_events_data_changed)

    def title(self) -> str:
        """The navigation label (translated); each page overrides it."""
        return self.page_id

    def retranslate_ui(self) -> None:
        """Set every visible string; called at build time and on every language change."""

    def refresh(self, change: Change | None = None) -> None:
        """Reload what the page shows; `change` says what changed (None: everything)."""

    def page_shown(self) -> None:
        """Called each time the page becomes the visible one."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_events_data_changed(self, change: Change) -> None:
        self.refresh(change)
