"""A histogram of the readings of one characteristic with its limits drawn (QPainter only).

Bars inside the limits are green, bars reaching outside are red; the lower and upper limits are
red lines labelled LSL / USL with their values, the nominal a grey dashed line and the mean a blue
line. Axis labels are plain text sized from the font, so they stay readable in every language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.domain.capability import BAND_LABELS, capability, histogram
from desktop_app.domain.evidence import Limits
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import number as local_number

BAR_PASS = QColor("#66bb6a")
BAR_FAIL = QColor("#e57373")
LIMIT = QColor("#c62828")
NOMINAL = QColor("#757575")
MEAN = QColor("#1565c0")
AXIS = QColor("#424242")


def _fmt(value: float) -> str:
    """A reading with six significant digits, with the window language's decimal separator."""
    text = f"{value:.6g}"
    return local_number(text) if "e" not in text else f"{value:.3e}"


def nice_ticks(low: float, high: float, wanted: int = 5) -> tuple[list[float], int]:
    """Axis ticks at round values (steps of 1, 2, 2.5 or 5 × a power of ten) inside
    [low, high], as close to `wanted` of them as such steps allow, and the number of decimals
    that shows them exactly."""
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return [low], 3
    power = math.floor(math.log10(span / max(wanted - 1, 1)))

    def count(step: float) -> int:
        return math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9) + 1

    candidates = [(m, e) for e in (power - 1, power, power + 1) for m in (1.0, 2.0, 2.5, 5.0)]
    multiple, exponent = min(candidates, key=lambda c: (abs(count(c[0] * 10.0 ** c[1]) - wanted),
                                                        -c[0] * 10.0 ** c[1]))
    step = multiple * 10.0 ** exponent
    decimals = max(0, -exponent + (1 if multiple == 2.5 else 0))
    first = math.ceil(low / step - 1e-9)
    ticks = [round((first + k) * step, decimals + 2) for k in range(count(step))]
    return ticks, decimals


class HistogramWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("histogram")
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._readings: list[Decimal] = []
        self._limits = Limits(None, None)
        self._nominal: Decimal | None = None
        self._title = ""
        self._unit = ""
        self._subgroup_size = 1
        self.edges: list[float] = []
        self.counts: list[int] = []
        self._empty_text = ""
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 280)

    def retranslate_ui(self) -> None:
        self._empty_text = self.tr("Choose a characteristic to see its readings.")
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_data(self, readings: Sequence[Decimal], limits: Limits,
                 nominal: Decimal | None = None, title: str = "", unit: str = "",
                 subgroup_size: int = 1) -> None:
        self._subgroup_size = subgroup_size  # σ within (Cpk) as the study computes it
        self._readings = list(readings)
        self._limits = limits
        self._nominal = nominal
        self._title = title
        self._unit = unit
        self.edges, self.counts = histogram(self._readings, limits=limits)
        self.update()

    def clear(self) -> None:
        self.set_data([], Limits(None, None))

    def summary_text(self) -> str:
        """n, mean, Ppk and its band, as shown above the bars."""
        if len(self._readings) < 2 or (self._limits.lower is None and self._limits.upper is None):
            return self.tr("n = {n}").format(n=len(self._readings))
        cap = capability(self._readings, self._limits, self._subgroup_size)
        fields = cap.to_fields()
        band = tr("Evidence", BAND_LABELS[cap.band]) if cap.band is not None else ""
        text = self.tr("n = {n}   mean {mean}   Cpk {cpk}   Ppk {ppk}").format(
            n=cap.n, mean=_fmt(cap.mean or 0), cpk=local_number(fields["cpk"]) or "–",
            ppk=local_number(fields["ppk"]) or "–")
        return f"{text}   {band}".rstrip()

    # -- geometry (what paintEvent draws where) -------------------------------------------

    def plot_area(self) -> QRectF:
        """The rectangle of the bars, in widget coordinates; the axes run along its left and
        bottom edges, the title and summary above it, the tick labels below it."""
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        left = metrics.horizontalAdvance("0000") + 12
        top = 2 * line + 12
        return QRectF(left, top, self.width() - left - 16, self.height() - top - 2 * line - 10)

    def _x_of(self, plot: QRectF, value: float) -> float:
        low, high = self.edges[0], self.edges[-1]
        return plot.left() + (value - low) / (high - low) * plot.width()

    def limit_line_positions(self) -> list[float]:
        """The x coordinates of the LSL and USL lines (those that are set), lower first; empty
        while nothing is drawn."""
        if not self._readings:
            return []
        plot = self.plot_area()
        return [self._x_of(plot, float(limit))
                for limit in (self._limits.lower, self._limits.upper) if limit is not None]

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        font = QFont(self.font())
        metrics = QFontMetrics(font)
        line = metrics.height()
        if not self._readings:
            painter.setPen(self.palette().text().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
            painter.end()
            return
        plot = self.plot_area()
        painter.setPen(self.palette().text().color())
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(8, 4, self.width() - 16, line), Qt.TextFlag.TextSingleLine,
                         self._title)
        painter.setFont(font)
        painter.drawText(QRectF(8, 4 + line, self.width() - 16, line),
                         Qt.TextFlag.TextSingleLine, self.summary_text())
        low, high = self.edges[0], self.edges[-1]
        top_count = max(self.counts) or 1

        def x_of(value: float) -> float:
            return self._x_of(plot, value)

        def inside(a: float, b: float) -> bool:
            lo, hi = self._limits.lower, self._limits.upper
            return (lo is None or a >= float(lo)) and (hi is None or b <= float(hi))

        for i, count in enumerate(self.counts):
            if not count:
                continue
            x0, x1 = x_of(self.edges[i]), x_of(self.edges[i + 1])
            height = count / top_count * plot.height()
            rect = QRectF(x0 + 1, plot.bottom() - height, max(1.0, x1 - x0 - 2), height)
            painter.fillRect(rect, BAR_PASS if inside(self.edges[i], self.edges[i + 1])
                             else BAR_FAIL)
        # axes
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        ticks, decimals = nice_ticks(low, high)
        for value in ticks:
            x = x_of(value)
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            text = local_number(f"{value:.{decimals}f}")
            width = metrics.horizontalAdvance(text)
            painter.drawText(QPointF(min(max(x - width / 2, 0), self.width() - width),
                                     plot.bottom() + 4 + metrics.ascent()), text)
        for value in (0, top_count):
            y = plot.bottom() - value / top_count * plot.height()
            text = str(value)
            painter.drawText(QPointF(plot.left() - 6 - metrics.horizontalAdvance(text),
                                     y + metrics.ascent() / 2), text)
        unit = self._unit
        if unit:
            painter.drawText(QPointF(plot.right() - metrics.horizontalAdvance(unit),
                                     plot.bottom() + 4 + metrics.ascent() + line), unit)
        # limits, nominal, mean
        marks: list[tuple[str, float, QColor, Qt.PenStyle]] = []
        if self._limits.lower is not None:
            marks.append((self.tr("LSL {value}"), float(self._limits.lower), LIMIT,
                          Qt.PenStyle.SolidLine))
        if self._limits.upper is not None:
            marks.append((self.tr("USL {value}"), float(self._limits.upper), LIMIT,
                          Qt.PenStyle.SolidLine))
        if self._nominal is not None:
            marks.append((self.tr("Nominal {value}"), float(self._nominal), NOMINAL,
                          Qt.PenStyle.DashLine))
        mean = sum(float(v) for v in self._readings) / len(self._readings)
        marks.append((self.tr("Mean {value}"), mean, MEAN, Qt.PenStyle.DotLine))
        for row, (label, value, color, style) in enumerate(marks):
            x = x_of(value)
            painter.setPen(QPen(color, 2, style))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            text = label.format(value=_fmt(value))
            width = metrics.horizontalAdvance(text)
            tx = x + 4 if x + 4 + width < plot.right() else x - 4 - width
            baseline = plot.top() + metrics.ascent() + row * line
            backdrop = QColor(self.palette().base().color())
            backdrop.setAlpha(210)  # labels stay readable over the bars
            painter.fillRect(QRectF(tx - 2, baseline - metrics.ascent(), width + 4,
                                    metrics.height()), backdrop)
            painter.setPen(color)
            painter.drawText(QPointF(tx, baseline), text)
        painter.end()
