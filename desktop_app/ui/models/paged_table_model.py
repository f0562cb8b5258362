"""A table model that pages rows from a service on demand (never everything in memory).

Generic: give it columns and a fetch function `fetch(offset, limit, sort_key, descending) ->
(rows, total)` that runs on the task runner's worker. Only the pages the view asks for are
loaded (a few are cached); sorting by clicking a header calls fetch again with the column's
sort key, so sorting happens in SQL. `set_fetch()` with a new function (new search or filters)
starts over; results of an older fetch are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_app.ui.tasks import TaskRunner

Fetch = Callable[[int, int, str, bool], tuple[Sequence[Any], int]]
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: Callable[[], str]  # translated at call time (retranslate_ui)
    value: Callable[[Any], Any]  # the text shown (plain text, never HTML)
    sort_key: str = ""  # empty: not sortable
    align_right: bool = False
    tooltip: Callable[[Any], str] | None = None
    foreground: Callable[[Any], Any] | None = None


class PagedTableModel(QAbstractTableModel):
    total_changed = Signal(int)
    page_loaded = Signal(int)  # page number
    failed = Signal(object)  # the exception of a fetch

    def __init__(self, columns: Sequence[Column], tasks: TaskRunner, page_size: int = 200,
                 cached_pages: int = 12, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._tasks = tasks
        self.page_size = page_size
        self._cached = cached_pages
        self._fetch: Fetch | None = None
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._total = 0
        self.sort_key = ""
        self.descending = False
        self.loading = False

    # -- feeding ---------------------------------------------------------------------------

    def set_fetch(self, fetch: Fetch) -> None:
        """A new source (search, filters): forget every page and load the first one."""
        self._fetch = fetch
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self._pending.clear()
        self.loading = True
        self._request(0, reset=True)

    def _request(self, page: int, reset: bool = False) -> None:
        if self._fetch is None or page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        fetch, sort_key, descending = self._fetch, self.sort_key, self.descending
        offset, limit = page * self.page_size, self.page_size

        def load() -> Any:
            # A newer search or sort was asked for while this one waited: never run it.
            if generation != self._generation:
                return None
            return fetch(offset, limit, sort_key, descending)

        self._tasks.submit(
            load,
            on_done=lambda result: self._on_loaded(generation, page, reset, result),
            on_error=lambda exc: self._on_failed(generation, page, exc))

    def _on_loaded(self, generation: int, page: int, reset: bool, result: Any) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        rows, total = result
        if reset or total != self._total:
            self.beginResetModel()
            self._pages.clear()
            self._total = total
            self._pages[page] = list(rows)
            self.endResetModel()
            self.total_changed.emit(total)
        else:
            self._pages[page] = list(rows)
            self._pages.move_to_end(page)
            while len(self._pages) > self._cached:
                self._pages.popitem(last=False)
            first = page * self.page_size
            last = min(first + len(rows), self._total) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0),
                                      self.index(last, len(self.columns) - 1))
        self.loading = bool(self._pending)
        self.page_loaded.emit(page)

    def _on_failed(self, generation: int, page: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self.loading = bool(self._pending)
        self.failed.emit(exc)

    # -- reading ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    def row_object(self, row: int) -> Any | None:
        """The loaded object of a row, or None while its page is still loading."""
        if not 0 <= row < self._total:
            return None
        page, offset = divmod(row, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        return rows[offset] if offset < len(rows) else None

    def loaded_rows(self) -> list[Any]:
        """Rows loaded so far, in order (tests and small selections)."""
        return [r for page in sorted(self._pages) for r in self._pages[page]]

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        obj = self.row_object(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return "…" if obj is None and index.column() == 0 else (
                "" if obj is None else _text(column.value(obj)))
        if obj is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(obj)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(obj)
        if role == Qt.ItemDataRole.UserRole:
            return obj
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title()
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if not key:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def retranslate(self) -> None:
        """Headers and cells again in the new language (cells may show data in it too)."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
            if self.rowCount() > 0:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self.rowCount() - 1, len(self.columns) - 1))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)
