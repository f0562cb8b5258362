"""The integration rate of one model over time: planned, actual and forecast, with milestones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.services.integration_dto import RateSeries

PLANNED = QColor("#2E7D32")
ACTUAL = QColor("#0D47A1")
FORECAST = QColor("#1E88E5")
MILESTONE = QColor("#C62828")
TODAY = QColor("#616161")
GRID = QColor("#E0E0E0")

Points = tuple[tuple[date, Decimal], ...]


class RateChartWidget(QWidget):
    """Drawn with QPainter; a click on a milestone marker emits `milestone_clicked(index)`, any
    other click on the plot `chart_clicked()`."""

    milestone_clicked = Signal(int)
    chart_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rate_chart")
        self.series: RateSeries | None = None
        self.setMinimumSize(420, 200)  # the dashboard fits a 1280x800 screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._markers: list[QRectF] = []
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 320)

    def retranslate_ui(self) -> None:
        self.labels = {
            "planned": self.tr("Planned (roadmap)"),
            "actual": self.tr("Actual"),
            "forecast": self.tr("Forecast"),
            "milestone": self.tr("Regulatory minimum"),
            "today": self.tr("Today"),
            "empty": self.tr("No vehicle model with an approval date yet."),
            "year": self.tr("year {n}"),
            "axis": self.tr("Integration rate"),
        }
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_series(self, series: RateSeries | None) -> None:
        self.series = series
        self.update()

    # -- geometry --------------------------------------------------------------------------

    LEGEND = (("planned", PLANNED, Qt.PenStyle.SolidLine),
              ("actual", ACTUAL, Qt.PenStyle.SolidLine),
              ("forecast", FORECAST, Qt.PenStyle.DashLine),
              ("milestone", MILESTONE, Qt.PenStyle.DashLine))

    def _legend_places(self) -> list[tuple[float, int]]:
        """Where each legend entry starts: (x, line); an entry that would pass the right edge
        starts a new line (French and Arabic labels are long, a small screen is narrow)."""
        fm = self.fontMetrics()
        places, x, line = [], 8.0 + fm.horizontalAdvance(self.labels["axis"]) + 18, 0
        for key, _colour, _style in self.LEGEND:
            width = 26 + fm.horizontalAdvance(self.labels[key])
            if x + width > self.width() - 4 and x > 8.0:
                x, line = 8.0, line + 1
            places.append((x, line))
            x += width + 16
        return places

    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        lines = max(line for _, line in self._legend_places()) + 1
        top = (fm.height() + 4) * lines + fm.height() + 6
        left = fm.horizontalAdvance("100 %") + 14
        return QRectF(left, top, self.width() - left - 16,
                      self.height() - top - fm.height() * 2 - 8)

    def _top(self) -> float:
        s = self.series
        values = [float(v) for pts in (s.actual, s.forecast, s.planned) for _, v in pts] if s \
            else []
        values += [float(m.target) for m in s.milestones] if s else []
        top = max(values + [30.0])
        return float(int(top / 10) + 1) * 10

    def _x(self, day: date, rect: QRectF) -> float:
        assert self.series is not None
        span = max((self.series.end - self.series.start).days, 1)
        return rect.left() + rect.width() * (day - self.series.start).days / span

    def _y(self, value: float, rect: QRectF) -> float:
        return rect.bottom() - rect.height() * value / self._top()

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if self.series is None:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.labels["empty"])
            return
        rect = self._plot_rect()
        self._draw_axes(painter, rect)
        s = self.series
        self._draw_steps(painter, rect, s.planned, PLANNED, Qt.PenStyle.SolidLine, s.end, 2)
        self._draw_steps(painter, rect, s.forecast, FORECAST, Qt.PenStyle.DashLine, s.end, 2)
        self._draw_steps(painter, rect, s.actual, ACTUAL, Qt.PenStyle.SolidLine,
                         min(s.today, s.end), 3)
        self._draw_milestones(painter, rect)
        x = self._x(s.today, rect)
        painter.setPen(QPen(TODAY, 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        painter.drawText(QPointF(x + 3, rect.top() + self.fontMetrics().ascent()),
                         self.labels["today"])
        self._draw_legend(painter)

    def _draw_axes(self, painter: QPainter, rect: QRectF) -> None:
        assert self.series is not None
        fm = self.fontMetrics()
        top = self._top()
        for value in range(0, int(top) + 1, 10):
            y = self._y(value, rect)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(self.palette().text().color())
            label = f"{value} %"
            painter.drawText(QPointF(rect.left() - fm.horizontalAdvance(label) - 6,
                                     y + fm.ascent() / 2 - 1), label)
        painter.setPen(QPen(self.palette().text().color(), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topLeft())
        for year in range(self.series.start.year + 1, self.series.end.year + 1):
            x = self._x(date(year, 1, 1), rect)
            painter.drawLine(QPointF(x, rect.bottom()), QPointF(x, rect.bottom() + 4))
            text = str(year)
            painter.drawText(QPointF(x - fm.horizontalAdvance(text) / 2,
                                     rect.bottom() + fm.height() + 2), text)

    def _draw_steps(self, painter: QPainter, rect: QRectF, points: Points, colour: QColor,
                    style: Qt.PenStyle, until: date, width: int) -> None:
        assert self.series is not None
        if not points:
            return
        path = QPainterPath(QPointF(self._x(self.series.start, rect), self._y(0, rect)))
        current = 0.0
        for day, value in points:
            day = max(day, self.series.start)
            if day > until:
                break
            x = self._x(day, rect)
            path.lineTo(QPointF(x, self._y(current, rect)))
            current = float(value)
            path.lineTo(QPointF(x, self._y(current, rect)))
        path.lineTo(QPointF(self._x(until, rect), self._y(current, rect)))
        painter.setPen(QPen(colour, width, style))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _draw_milestones(self, painter: QPainter, rect: QRectF) -> None:
        assert self.series is not None
        fm = self.fontMetrics()
        self._markers = []
        for m in self.series.milestones:
            x, y = self._x(m.day, rect), self._y(float(m.target), rect)
            painter.setPen(QPen(MILESTONE, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, y), QPointF(rect.right(), y))
            met = m.met if m.met is not None else m.forecast >= m.target
            painter.setPen(QPen(MILESTONE, 2))
            painter.setBrush(MILESTONE if not met else self.palette().base())
            diamond = QPainterPath()
            diamond.moveTo(x, y - 7)
            diamond.lineTo(x + 7, y)
            diamond.lineTo(x, y + 7)
            diamond.lineTo(x - 7, y)
            diamond.closeSubpath()
            painter.drawPath(diamond)
            self._markers.append(QRectF(x - 9, y - 9, 18, 18))
            target = str(m.target).replace(".", QLocale().decimalPoint())
            label = f"≥ {target} % — {self.labels['year'].format(n=m.years)}"
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            width = painter.fontMetrics().horizontalAdvance(label)
            left = min(max(x - width / 2, rect.left() + 2), rect.right() - width - 2)
            box = QRectF(left - 3, y - 11 - fm.ascent() - 1, width + 6, fm.height() + 2)
            painter.fillRect(box, self.palette().base())
            painter.drawText(QPointF(left, y - 11), label)
            painter.setFont(self.font())

    def _draw_legend(self, painter: QPainter) -> None:
        fm = self.fontMetrics()
        painter.setPen(self.palette().text().color())
        painter.drawText(QPointF(8.0, 2 + fm.ascent()), self.labels["axis"])
        for (key, colour, style), (x, line) in zip(self.LEGEND, self._legend_places(),
                                                   strict=True):
            y = fm.height() + 2 + line * (fm.height() + 4)
            painter.setPen(QPen(colour, 2, style))
            painter.drawLine(QPointF(x, y - fm.ascent() / 2), QPointF(x + 22, y - fm.ascent() / 2))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 26, y - fm.height() + fm.ascent()), self.labels[key])

    # -- clicks ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.series is not None:
            for index, marker in enumerate(self._markers):
                if marker.contains(event.position()):
                    self.milestone_clicked.emit(index)
                    return
            self.chart_clicked.emit()
        super().mousePressEvent(event)

    def marker_centre(self, index: int) -> QPointF:
        """Where milestone `index` is drawn (after the last paint): for tests and tooltips."""
        return self._markers[index].center()
