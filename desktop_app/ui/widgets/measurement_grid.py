"""The measurement grid: one column per characteristic, one row per sample part.

Each reading is coloured against the characteristic's limits as it is typed (green within the
limits, red outside, with a tooltip naming the limits) and kept all the same; something that is
not a number is refused with a sentence under the grid. A decimal comma is a decimal point
("12,34"), and digits typed on an Arabic or a full-width Chinese keyboard are digits. Verdicts
are computed by the domain (`reading_verdict`), never ticked.

The grid is filled from the keyboard alone, a USB gauge or a footswitch included: see
`reading_table.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.attributes import DataType, nonconforming, parse_attribute
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evidence import Limits, Verdict, parse_decimal, reading_verdict
from desktop_app.ui.i18n import tr
from desktop_app.ui.widgets.message_label import MessageLabel
from desktop_app.ui.widgets.reading_table import ReadingEditor, ReadingTable

PASS_COLOR = QColor("#c8e6c9")
FAIL_COLOR = QColor("#ffcdd2")
INVALID_COLOR = QColor("#ffe0b2")
ModelIndex = QModelIndex | QPersistentModelIndex
MIN_COLUMN_WIDTH = 120
HEADER_MARGIN = 16  # the current column's header is bold: a little wider than its hint
# What keyboards other than a Latin one type for a number: Arabic-Indic and Persian digits, the
# Arabic decimal separator and comma, full-width digits and signs (a Chinese input method), the
# minus sign.
TYPED_NUMBER = str.maketrans({
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    **{chr(0xFF10 + d): str(d) for d in range(10)},
    "\u066b": ".", "\u060c": ",", "\uff0e": ".", "\uff0c": ",", "\uff0b": "+", "\uff0d": "-",
    "\u2212": "-",
})


def typed_number(text: str) -> str:
    """The reading as ASCII digits and signs; a decimal comma stays a comma (parse_decimal
    takes both)."""
    return text.translate(TYPED_NUMBER)


@dataclass(frozen=True, slots=True)
class GridColumn:
    """A characteristic as the grid needs it (limits copied from the characteristic or result)."""

    key: str  # characteristic id
    number: str
    description: str
    limits: Limits
    unit: str = ""
    data_type: str = "variable"  # attribute: OK / NG typed; defects: a count per sample

    @property
    def attribute(self) -> DataType | None:
        kind = DataType(self.data_type)
        return kind if kind.is_attribute else None


def verdict_color(verdict: Verdict | None) -> QColor | None:
    if verdict is Verdict.PASS:
        return PASS_COLOR
    if verdict is Verdict.FAIL:
        return FAIL_COLOR
    return None


def judge(text: str, limits: Limits, attribute: DataType | None = None) -> Verdict | None:
    """The verdict of a typed text; None when empty; ValidationError when not a number (or,
    for an attribute characteristic, ValueError when not a judgement)."""
    if not text.strip():
        return None
    if attribute is not None:
        return Verdict.FAIL if nonconforming(parse_attribute(text, attribute)) else Verdict.PASS
    return reading_verdict(parse_decimal(typed_number(text)), limits)


def refusal(text: str, attribute: DataType | None) -> str:
    """The sentence for a typed text that is not a reading of the column."""
    if attribute is DataType.ATTRIBUTE:
        return tr("Evidence", "'{value}' is neither OK nor NG.").format(value=text[:40])
    if attribute is DataType.DEFECTS:
        return tr("Evidence", "'{value}' is not a number of defects (0, 1, 2 …).").format(
            value=text[:40])
    return tr("Evidence", "'{value}' is not a number.").format(value=text[:40])


class MeasurementTableModel(QAbstractTableModel):
    input_refused = Signal(str)  # one sentence
    readings_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[GridColumn] = []
        self._values: dict[tuple[int, int], Decimal] = {}
        self._texts: dict[tuple[int, int], str] = {}
        self._rows = 0
        self._editable = False

    # -- content ---------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[GridColumn], rows: int, editable: bool) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self._values.clear()
        self._texts.clear()
        self._rows = rows
        self._editable = editable
        self.endResetModel()

    def set_readings(self, column: int, readings: Sequence[str]) -> None:
        attribute = self._columns[column].attribute
        for row, text in enumerate(readings):
            if attribute is None:
                self._values[(row, column)] = parse_decimal(text)
            self._texts[(row, column)] = text
        if len(readings) > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, len(readings) - 1)
            self._rows = len(readings)
            self.endInsertRows()
        self.dataChanged.emit(self.index(0, column), self.index(self._rows - 1, column))

    def set_row_count(self, rows: int) -> None:
        """As many rows as samples planned, never fewer than the readings typed need."""
        used = max((r + 1 for r, _c in self._texts), default=0)
        rows = max(rows, used, 1)
        if rows > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, rows - 1)
            self._rows = rows
            self.endInsertRows()
        elif rows < self._rows:
            self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
            self._rows = rows
            self.endRemoveRows()

    def column(self, index: int) -> GridColumn:
        return self._columns[index]

    def readings(self, column: int) -> tuple[str, ...]:
        """The readings of a column in row order (empty cells skipped)."""
        return tuple(self._texts[(r, column)] for r in range(self._rows)
                     if (r, column) in self._texts)

    def values(self, column: int) -> list[Decimal]:
        return [self._values[(r, column)] for r in range(self._rows)
                if (r, column) in self._values]

    def verdict_at(self, row: int, column: int) -> Verdict | None:
        attribute = self._columns[column].attribute
        if attribute is not None:
            text = self._texts.get((row, column))
            return None if text is None else judge(text, Limits(None, None), attribute)
        value = self._values.get((row, column))
        if value is None:
            return None
        return reading_verdict(value, self._columns[column].limits)

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self._editable else base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = (index.row(), index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._texts.get(key, "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return verdict_color(self.verdict_at(*key))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            verdict = self.verdict_at(*key)
            if verdict is Verdict.FAIL:
                return tr("Evidence", "Outside the limits {limits}").format(
                    limits=self._columns[index.column()].limits.text())
        return None

    def setData(self, index: ModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._editable:
            return False
        key = (index.row(), index.column())
        text = str(value or "").strip()
        if not text:
            self._values.pop(key, None)
            self._texts.pop(key, None)
        elif self._columns[index.column()].attribute is not None:
            column = self._columns[index.column()]
            try:
                self._texts[key] = parse_attribute(text, DataType(column.data_type))
            except ValueError:
                self.input_refused.emit(tr("Evidence", "Sample {row}, characteristic {number}: "
                                           "{sentence}").format(
                    row=index.row() + 1, number=column.number,
                    sentence=refusal(text, column.attribute)))
                return False
        else:
            text = typed_number(text)
            try:
                number = parse_decimal(text)
            except ValidationError:
                column = self._columns[index.column()]
                self.input_refused.emit(tr("Evidence", "Sample {row}, characteristic {number}: "
                                           "'{value}' is not a number.").format(
                    row=index.row() + 1, number=column.number, value=text[:40]))
                return False
            self._values[key] = number
            self._texts[key] = text
        self.dataChanged.emit(index, index)
        self.readings_changed.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if section >= len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"#{column.number}\n{column.limits.text()} {column.unit}".strip()
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.description
        return None


class ReadingDelegate(QStyledItemDelegate):
    """An editor that shows the verdict of the text while it is being typed; its Enter, Tab and
    Escape go to the table first (`ReadingTable.editor_key`)."""

    def __init__(self, model: MeasurementTableModel, grid: MeasurementGridWidget) -> None:
        super().__init__(grid)
        self._model = model
        self._grid = grid

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: ModelIndex) -> QWidget:
        editor = ReadingEditor(QModelIndex(index), parent)
        # On the side the cells show their numbers, right to left as well.
        editor.setAlignment(QStyle.visualAlignment(parent.layoutDirection(),
                                                   Qt.AlignmentFlag.AlignRight))
        editor.setAutoFillBackground(True)
        column = self._model.column(index.column())
        editor.textChanged.connect(
            lambda text, e=editor, c=column: self._grid.judge_typed(
                e, text, c.limits, c.number, c.attribute))
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (isinstance(watched, ReadingEditor) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and self._grid.table.editor_key(watched, event)):
            return True
        return super().eventFilter(watched, event)


class MeasurementGridWidget(QWidget):
    """The grid with the sentence under it; `column_selected` drives a histogram;
    `all_filled` says that Enter found no empty cell left."""

    column_selected = Signal(int)
    readings_changed = Signal()
    all_filled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MeasurementTableModel(self)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.table = ReadingTable()
        self.table.setModel(self.model)
        self.delegate = ReadingDelegate(self.model, self)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setDefaultSectionSize(MIN_COLUMN_WIDTH)
        self.message = MessageLabel(objectName="measurement_message")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.setFocusProxy(self.table)

    def _connect_signals(self) -> None:
        self.model.input_refused.connect(self.message.show_error)
        self.model.readings_changed.connect(self.readings_changed)
        self.table.all_filled.connect(self.all_filled)
        self.table.edit_cancelled.connect(self.message.clear)
        self.table.selectionModel().currentChanged.connect(
            lambda current, _previous: self.column_selected.emit(current.column()))

    def set_columns(self, columns: Sequence[GridColumn], rows: int = 5,
                    editable: bool = True) -> None:
        self.model.set_columns(columns, rows, editable)
        self.message.clear()
        header = self.table.horizontalHeader()
        for index in range(len(columns)):  # the limits in the header are never cut
            header.resizeSection(index, max(MIN_COLUMN_WIDTH,
                                            header.sectionSizeHint(index) + HEADER_MARGIN))
        if columns and editable:  # a cell is chosen: the first key typed lands in it
            self.table.setCurrentIndex(self.model.index(0, 0))

    def commit_editing(self) -> bool:
        """Keep what is being typed in a cell (before saving); False when it is refused."""
        editor = next((e for e in self.table.viewport().findChildren(ReadingEditor)
                       if e.isVisible()), None)
        if editor is None:
            return True
        if not self.model.setData(QModelIndex(editor.index), editor.text()):
            return False
        self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return True

    def judge_typed(self, editor: QLineEdit, text: str, limits: Limits, number: str,
                    attribute: DataType | None = None) -> None:
        """Colour the editor as the person types; say plainly when it is not a number (or, for
        an attribute characteristic, not OK / NG or a defect count)."""
        editor.setToolTip("")
        try:
            verdict = judge(text, limits, attribute)
        except (ValidationError, ValueError):
            editor.setProperty("verdict", "invalid")
            self._paint(editor, INVALID_COLOR)
            self.message.show_error(refusal(text, attribute))
            return
        if attribute is not None:
            editor.setProperty("verdict", str(verdict) if verdict else "")
            self._paint(editor, verdict_color(verdict))
            self.message.clear()
            return
        editor.setProperty("verdict", str(verdict) if verdict else "")
        self._paint(editor, verdict_color(verdict))
        if verdict is Verdict.FAIL:
            sentence = tr("Evidence", "{value} is outside the limits of characteristic "
                                      "{number} ({limits}).").format(
                value=text.strip(), number=number, limits=limits.text())
            editor.setToolTip(sentence)
            self.message.show_error(sentence)
        else:
            self.message.clear()

    @staticmethod
    def _paint(editor: QLineEdit, color: QColor | None) -> None:
        palette = editor.palette()
        palette.setColor(QPalette.ColorRole.Base, color or QColor("white"))
        editor.setPalette(palette)
