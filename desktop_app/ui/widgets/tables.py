"""Small tables that list records: read only, one whole row selected at a time.

On a 1366 × 768 screen a table is narrower than its text. The columns a person finds a row by
(numbers, part numbers, codes) are kept whole (`keep_whole`): sized to their content, never cut
or wrapped onto two lines. Other long texts are cut with "…" and show in full in their tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QToolTip,
)

from desktop_app.ui.models.paged_table_model import PagedTableModel

KEY_COLUMNS = "partdesk_key_columns"  # the columns kept whole, read by the screen-fit test


class FullTextTooltips(QStyledItemDelegate):
    """A cell cut with "…" shows its whole text as a tooltip (a cell's own tooltip wins)."""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,  # noqa: N802 - Qt override
                  option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        if event.type() == QEvent.Type.ToolTip and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            needed = option.fontMetrics.horizontalAdvance(text) + 8
            if text and needed > option.rect.width():
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


def keep_whole(table: QTableView, *columns: int) -> QTableView:
    """Key columns sized to their content and never wrapped; every other cut cell shows its
    whole text in a tooltip."""
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    for column in columns:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    # Sized from the rows on screen, not the first 1,000: a paged table fetches no more pages.
    header.setResizeContentsPrecision(0)
    table.setItemDelegate(FullTextTooltips(table))
    table.setProperty(KEY_COLUMNS, list(columns))
    return table


def elided_key_cells(table: QTableView) -> list[str]:
    """The texts of key cells shown in this table that do not fit their column (for tests and
    diagnostics): empty when every key column shows its values whole."""
    model = table.model()
    if model is None:
        return []
    cut = []
    metrics = table.fontMetrics()
    top = table.rowAt(0)
    bottom = table.rowAt(table.viewport().height() - 1)
    rows = range(max(top, 0), (bottom if bottom >= 0 else model.rowCount() - 1) + 1)
    for column in table.property(KEY_COLUMNS) or []:
        if table.isColumnHidden(column):
            continue
        width = table.columnWidth(column)
        for row in rows:
            text = str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or "")
            if text and metrics.horizontalAdvance(text) + 6 > width:
                cut.append(text)
    return cut


def read_only_table(name: str, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, objectName=name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    return table


def paged_table(model: PagedTableModel, name: str, stretch: int) -> QTableView:
    """A read-only view of a paged model: whole rows, one at a time, columns sized to their
    content and column `stretch` taking the room left."""
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
