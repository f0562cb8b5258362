"""Roadmap steps on a time line: a bar from baseline to target date per step, the forecast
marked, late steps in red, today's line. A click on a step emits `step_clicked(step_id)`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop_app.domain.roadmap import StepStatus
from desktop_app.services.roadmap import StepSummary
from desktop_app.ui.i18n import tr_n

ROW = 24
ON_TIME = QColor("#1E88E5")
ACHIEVED = QColor("#2E7D32")
LATE = QColor("#C62828")
TODAY = QColor("#424242")


class StepTimelineWidget(QWidget):
    step_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_timeline")
        self.steps: list[StepSummary] = []
        self.today = date.today()
        self._rows: list[tuple[QRectF, str]] = []
        self.year_labels: list[tuple[float, str]] = []  # after the last paint
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.labels = {"today": self.tr("Today"),
                       "empty": self.tr("No roadmap step yet.")}
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_steps(self, steps: list[StepSummary], today: date) -> None:
        self.steps = sorted(steps, key=lambda s: (s.target_date, s.code))
        self.today = today
        self.setMinimumHeight(self._header() + ROW * max(len(self.steps), 1) + 8
                              + self.fontMetrics().height())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(600, self._header() + ROW * max(len(self.steps), 1) + 8
                     + self.fontMetrics().height())

    def _header(self) -> int:
        return self.fontMetrics().height() + 10

    def _range(self) -> tuple[date, date]:
        days = [self.today]
        for s in self.steps:
            days += [d for d in (s.baseline_date, s.target_date, s.forecast_date) if d]
        start, end = min(days), max(days)
        return date(start.year, 1, 1), date(end.year + 1, 1, 1)

    def _label_width(self) -> int:
        return min(260, max(self.width() // 3, 120))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        fm = self.fontMetrics()
        self._rows = []
        if not self.steps:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.labels["empty"])
            return
        start, end = self._range()
        left = self._label_width()
        # Room on the right for the longest "late by … days", within a third of the width.
        late = [fm.horizontalAdvance(self._late_text(s)) for s in self.steps if s.late]
        right = min(max([60, *(w + 16 for w in late)]), self.width() // 3)
        plot = QRectF(left, self._header(), self.width() - left - right, ROW * len(self.steps))
        span = max((end - start).days, 1)

        def x(day: date) -> float:
            return plot.left() + plot.width() * (day - start).days / span

        for year in range(start.year, end.year + 1):
            xx = x(date(year, 1, 1))
            painter.setPen(QPen(QColor("#E0E0E0"), 1))
            painter.drawLine(QPointF(xx, plot.top()), QPointF(xx, plot.bottom()))
        painter.setPen(self.palette().text().color())
        self.year_labels = self._year_labels(start, end, x)
        for left_x, text in self.year_labels:
            painter.drawText(QPointF(left_x, fm.ascent() + 2), text)
        for i, step in enumerate(self.steps):
            top = plot.top() + i * ROW
            label = fm.elidedText(self._label(step), Qt.TextElideMode.ElideRight, left - 8)
            colour = (ACHIEVED if step.status is StepStatus.ACHIEVED
                      else LATE if step.late else ON_TIME)
            painter.setPen(colour if step.late else self.palette().text().color())
            # An isolate: the label keeps its own direction in a right-to-left window
            # (otherwise the "…" of a Latin label lands on its left in Arabic).
            painter.drawText(QPointF(4, top + ROW / 2 + fm.ascent() / 2 - 1),
                             "\u2068" + label + "\u2069")
            begin = step.baseline_date or (step.target_date - timedelta(days=90))
            bar = QRectF(x(min(begin, step.target_date)), top + 5,
                         max(x(step.target_date) - x(min(begin, step.target_date)), 4), ROW - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(bar, 3, 3)
            if step.forecast_date and step.forecast_date != step.target_date:
                fx = x(step.forecast_date)
                painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(bar.right(), top + ROW / 2), QPointF(fx, top + ROW / 2))
                painter.drawEllipse(QPointF(fx, top + ROW / 2), 4, 4)
            if step.late:
                painter.setPen(LATE)
                text = self._late_text(step)
                end_x = max(bar.right(), x(step.forecast_date) if step.forecast_date else 0)
                painter.drawText(QPointF(end_x + 8, top + ROW / 2 + fm.ascent() / 2 - 1), text)
            self._rows.append((QRectF(0, top, self.width(), ROW), step.step_id))
        tx = x(self.today)
        painter.setPen(QPen(TODAY, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(tx, plot.top() - 4), QPointF(tx, plot.bottom() + 4))
        painter.drawText(QPointF(tx + 3, plot.bottom() + fm.ascent() + 2), self.labels["today"])

    def _year_labels(self, start: date, end: date, x: Callable[[date], float]
                     ) -> list[tuple[float, str]]:
        """Where each year is written, skipping one that would run into the one before (a
        narrow timeline, in Arabic too): (left x, year)."""
        labels: list[tuple[float, str]] = []
        labelled_to = float("-inf")
        for year in range(start.year, end.year):
            left_x = x(date(year, 1, 1)) + 3
            if left_x >= labelled_to + 6:
                labels.append((left_x, str(year)))
                labelled_to = left_x + self.fontMetrics().horizontalAdvance(str(year))
        return labels

    @staticmethod
    def _label(step: StepSummary) -> str:
        return f"{step.model_code} {step.code} — {step.title}"

    @staticmethod
    def _late_text(step: StepSummary) -> str:
        return tr_n("StepTimelineWidget", "late by %Ln days", step.days_late)

    def event(self, event: QEvent) -> bool:
        """A step's whole name (cut in the narrow label column) as its tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for (rect, _step_id), step in zip(self._rows, self.steps, strict=False):
                if rect.contains(QPointF(event.pos())):
                    text = self._label(step)
                    if step.late:
                        text += " — " + self._late_text(step)
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            for rect, step_id in self._rows:
                if rect.contains(event.position()):
                    self.step_clicked.emit(step_id)
                    return
        super().mousePressEvent(event)

    def row_centre(self, index: int) -> QPointF:
        return self._rows[index][0].center()
