"""The control chart of one characteristic's readings, beside its histogram (QPainter only).

Individual readings get the I-MR chart, subgroups the X̄-R chart (`domain/control_charts.py`):
the location chart on top, the spread chart below, each with its centre line (blue) and control
limits (red, dashed). Points beyond a control limit are drawn as larger red dots: a special cause
to remove before capability means anything. Where each point is drawn is computed by
`point_positions` / `beyond_positions`, so a test reads the geometry instead of guessing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.domain.control_charts import ChartKind, ChartSeries, ControlChart, control_chart
from desktop_app.ui.i18n import tr_n

POINT = QColor("#455a64")
BEYOND = QColor("#d50000")
CENTRE = QColor("#1565c0")
LIMIT = QColor("#c62828")
AXIS = QColor("#424242")
POINT_RADIUS = 2.5
BEYOND_RADIUS = 5.0


def _fmt(value: float) -> str:
    text = f"{value:.6g}"
    return text if "e" not in text else f"{value:.3e}"


class ControlChartWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("control_chart")
        self.setMinimumSize(300, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.chart: ControlChart | None = None
        self._title = ""
        self._empty_text = ""
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 280)

    def retranslate_ui(self) -> None:
        self._empty_text = self.tr("A control chart needs at least two readings (two "
                                   "subgroups).")
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_data(self, readings: Sequence[Decimal], subgroup_size: int = 1,
                 title: str = "") -> None:
        self.chart = control_chart(list(readings), subgroup_size)
        self._title = title
        self.update()

    def clear(self) -> None:
        self.chart = None
        self._title = ""
        self.update()

    # -- text ------------------------------------------------------------------------------

    def chart_name(self) -> str:
        if self.chart is None:
            return ""
        if self.chart.kind is ChartKind.INDIVIDUALS:
            return self.tr("I-MR chart")
        return self.tr("X̄-R chart (subgroups of {k})").format(k=self.chart.subgroup_size)

    def state_text(self) -> str:
        if self.chart is None:
            return ""
        count = self.chart.beyond_count
        if count == 0:
            return self.tr("stable: no point beyond the control limits")
        return tr_n("ControlChartWidget", "not stable: %Ln points beyond the control limits",
                    count)

    def summary_text(self) -> str:
        """Which chart it is and whether the process is stable, as shown above the charts."""
        if self.chart is None:
            return ""
        return f"{self.chart_name()} — {self.state_text()}"

    def _labels(self) -> tuple[str, str]:
        if self.chart is not None and self.chart.kind is ChartKind.SUBGROUPS:
            return self.tr("X̄"), self.tr("R")
        return self.tr("I"), self.tr("MR")

    # -- geometry --------------------------------------------------------------------------

    def _areas(self) -> tuple[QRectF, QRectF]:
        """The rectangles of the location chart (top) and the spread chart (bottom)."""
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        left = metrics.horizontalAdvance("MR") + 12
        right = metrics.horizontalAdvance("UCL 000.000") + 12
        top = 2 * line + 10
        usable = self.height() - top - 8
        gap = line // 2 + 6
        upper_height = (usable - gap) * 0.6
        width = max(10.0, self.width() - left - right)
        location = QRectF(left, top, width, upper_height)
        spread = QRectF(left, top + upper_height + gap, width, usable - gap - upper_height)
        return location, spread

    def location_area(self) -> QRectF:
        return self._areas()[0]

    def spread_area(self) -> QRectF:
        return self._areas()[1]

    def _scale(self, series: ChartSeries) -> tuple[float, float]:
        values = [*series.points, series.lower, series.upper, series.centre]
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 0.5, high + 0.5
        pad = (high - low) * 0.08
        return low - pad, high + pad

    def _points_in(self, series: ChartSeries, area: QRectF, count: int) -> list[QPointF]:
        low, high = self._scale(series)
        step = area.width() / max(1, count - 1)
        return [QPointF(area.left() + position * step,
                        area.bottom() - (value - low) / (high - low) * area.height())
                for position, value in zip(series.positions, series.points, strict=True)]

    def _y_in(self, series: ChartSeries, area: QRectF, value: float) -> float:
        low, high = self._scale(series)
        return area.bottom() - (value - low) / (high - low) * area.height()

    def _count(self) -> int:
        assert self.chart is not None
        return len(self.chart.location.points)

    def point_positions(self, which: str = "location") -> list[QPointF]:
        """Where each point of the location (or "spread") chart is drawn, in widget
        coordinates; empty while nothing is drawn."""
        if self.chart is None:
            return []
        location, spread = self._areas()
        if which == "spread":
            return self._points_in(self.chart.spread, spread, self._count())
        return self._points_in(self.chart.location, location, self._count())

    def beyond_positions(self) -> list[QPointF]:
        """Where the points beyond the control limits are drawn (both charts)."""
        if self.chart is None:
            return []
        out = []
        for which, series in (("location", self.chart.location),
                              ("spread", self.chart.spread)):
            points = self.point_positions(which)
            out += [points[i] for i in series.beyond]
        return out

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        font = QFont(self.font())
        metrics = QFontMetrics(font)
        line = metrics.height()
        painter.setPen(self.palette().text().color())
        if self.chart is None:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter
                             | Qt.TextFlag.TextWordWrap, self._empty_text)
            painter.end()
            return
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        # The histogram beside it names the characteristic: here, the chart and its verdict.
        painter.drawText(QRectF(8, 4, self.width() - 16, line), Qt.TextFlag.TextSingleLine,
                         self.chart_name())
        painter.setFont(font)
        if not self.chart.stable:
            painter.setPen(BEYOND)
        painter.drawText(QRectF(8, 4 + line, self.width() - 16, line),
                         Qt.TextFlag.TextSingleLine, self.state_text())
        location, spread = self._areas()
        names = self._labels()
        for (series, area, which), name in zip(
                ((self.chart.location, location, "location"),
                 (self.chart.spread, spread, "spread")), names, strict=True):
            self._paint_series(painter, metrics, series, area, which, name)
        painter.end()

    def _paint_series(self, painter: QPainter, metrics: QFontMetrics, series: ChartSeries,
                      area: QRectF, which: str, name: str) -> None:
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        painter.drawText(QPointF(area.left() - 6 - metrics.horizontalAdvance(name),
                                 area.center().y() + metrics.ascent() / 2), name)
        lines = [(series.centre, CENTRE, Qt.PenStyle.SolidLine, ""),
                 (series.upper, LIMIT, Qt.PenStyle.DashLine, self.tr("UCL"))]
        if series.lower > 0 or which == "location":
            lines.append((series.lower, LIMIT, Qt.PenStyle.DashLine, self.tr("LCL")))
        for value, color, style, label in lines:
            y = self._y_in(series, area, value)
            painter.setPen(QPen(color, 1.5, style))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(color)
            text = f"{label} {_fmt(value)}".strip()
            painter.drawText(QPointF(area.right() + 4, y + metrics.ascent() / 2 - 1), text)
        points = self.point_positions(which)
        painter.setPen(QPen(POINT, 1))
        for a, b in zip(points, points[1:], strict=False):
            painter.drawLine(a, b)
        beyond = set(series.beyond)
        painter.setPen(Qt.PenStyle.NoPen)
        for index, point in enumerate(points):
            if index in beyond:
                continue
            painter.setBrush(POINT)
            painter.drawEllipse(point, POINT_RADIUS, POINT_RADIUS)
        for index in sorted(beyond):  # on top of the line and of their neighbours
            painter.setBrush(BEYOND)
            painter.drawEllipse(points[index], BEYOND_RADIUS, BEYOND_RADIUS)
        painter.setBrush(Qt.BrushStyle.NoBrush)
