"""What every page gets, and the base class of pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktop_app import logs
from desktop_app.domain.errors import Cancelled, PartDeskError
from desktop_app.domain.people import Actor
from desktop_app.ui.app_events import AppEvents, Change
from desktop_app.ui.i18n import tr
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.filter_banner import FilterBanner

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


@dataclass(frozen=True)
class PageFilter:
    """What a page is asked to show only, e.g. the figure of the dashboard that led there.

    `kind` names the filter (each page lists the kinds it knows in `Page.filter_kinds`),
    `values` its arguments (ids, codes, dates as text), `label` the banner's words (translated
    by the page that asks) and `back_to` the page a "Back" button returns to ("" for none)."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)
    label: str = ""
    back_to: str = "dashboard"

    def value(self, key: str) -> str:
        return self.values.get(key, "")


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
    """A page of the main window: builds itself, translates itself, refreshes on changes.

    A page may be opened filtered (a figure of the dashboard opens the list behind it): it
    names the kinds of `PageFilter` it knows in `filter_kinds`, puts `self.filter_banner`
    (made by `make_filter_banner()`) above its list and shows the filter in `_filter_applied`.
    `open_page()` asks the main window to show another page, filtered or not.
    """

    #: stable identifier used in settings (last page) and tests
    page_id = "page"
    #: the kinds of PageFilter this page knows (others are refused by apply_filter)
    filter_kinds: tuple[str, ...] = ()

    #: page id and PageFilter (or None): the main window shows that page
    navigation_requested = Signal(str, object)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.page_filter: PageFilter | None = None
        self.filter_banner: FilterBanner | None = None
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

    # -- filters and navigation ------------------------------------------------------------

    def make_filter_banner(self) -> FilterBanner:
        """The banner that says what the page shows while filtered, with Show all and Back."""
        banner = FilterBanner(self)
        banner.cleared.connect(self._on_filter_banner_cleared)
        banner.back_requested.connect(self._on_filter_banner_back_requested)
        self.filter_banner = banner
        return banner

    def apply_filter(self, page_filter: PageFilter | None) -> bool:
        """Show only what `page_filter` keeps (None: everything again). False, and nothing
        changes, for a kind of filter this page does not know."""
        if page_filter is not None and page_filter.kind not in self.filter_kinds:
            return False
        self.page_filter = page_filter
        if self.filter_banner is not None:
            if page_filter is None:
                self.filter_banner.hide()
            else:
                self.filter_banner.show_filter(page_filter.label, bool(page_filter.back_to))
        self._filter_applied(page_filter)
        return True

    def _filter_applied(self, page_filter: PageFilter | None) -> None:
        """Reload what the page shows under the new filter (pages with filters override)."""

    def filtered_count(self, count: int | None) -> None:
        """The page read its filtered list: the banner says how many rows it holds."""
        if self.filter_banner is not None and self.page_filter is not None:
            self.filter_banner.set_count(count)

    def open_page(self, page_id: str, page_filter: PageFilter | None = None) -> None:
        self.navigation_requested.emit(page_id, page_filter)

    def _on_filter_banner_cleared(self) -> None:
        self.apply_filter(None)

    def _on_filter_banner_back_requested(self) -> None:
        back = self.page_filter.back_to if self.page_filter is not None else ""
        self.apply_filter(None)
        if back:
            self.open_page(back)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_events_data_changed(self, change: Change) -> None:
        self.refresh(change)
