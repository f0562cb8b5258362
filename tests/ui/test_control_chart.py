"""The control chart beside the histogram: the points beyond the control limits are marked where
a person sees them, and the evidence tab says the process is not stable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtGui import QColor

from desktop_app.services.evidence_dto import ReportDraft, ResultDraft
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.control_chart_widget import ControlChartWidget
from desktop_app.ui.widgets.evidence_widget import EvidenceWidget
from tests.services.evidence_fixtures import make_part, make_service

# 40 readings that wander by ±0.01 around 12.00, then one at 12.08: beyond the I chart's UCL
# (12.00 + 3 · MR̄ / 1.128 ≈ 12.03) and its moving ranges beyond the MR chart's UCL.
SHIFTED = tuple(f"{12 + ((i % 3) - 1) * 0.01:.2f}" for i in range(40)) + ("12.08",) + tuple(
    f"{12 + ((i % 3) - 1) * 0.01:.2f}" for i in range(19))


@pytest.fixture
def session(ctx, actors, tmp_path):
    events = AppEvents()
    tasks = TaskRunner(events)
    yield UiSession(ctx=ctx, actor=actors["insp"], tasks=tasks, events=events,
                    settings=Settings(tmp_path / "settings.ini"))
    tasks.shutdown()


def _is_beyond_red(color: QColor) -> bool:
    return color.red() > 190 and color.green() < 60 and color.blue() < 60


def test_points_beyond_the_control_limits_are_marked_red(qtbot):
    chart = ControlChartWidget()
    qtbot.addWidget(chart)
    chart.set_data([Decimal(v) for v in SHIFTED], 1, "#1 Hole")
    chart.resize(640, 360)
    chart.show()
    assert chart.chart is not None and chart.chart.beyond_count == 3  # x₄₀, MR₄₀, MR₄₁
    assert "not stable: 3 points beyond the control limits" in chart.summary_text()
    assert "I-MR" in chart.summary_text()
    image = chart.grab().toImage()
    scale = image.devicePixelRatio()

    def color_at(point) -> QColor:
        return image.pixelColor(round(point.x() * scale), round(point.y() * scale))

    beyond = chart.beyond_positions()
    assert len(beyond) == 3
    location, spread = chart.location_area(), chart.spread_area()
    assert sum(location.contains(p) for p in beyond) == 1
    assert sum(spread.contains(p) for p in beyond) == 2
    assert all(_is_beyond_red(color_at(p)) for p in beyond)
    # An ordinary point is not marked.
    assert not _is_beyond_red(color_at(chart.point_positions()[10]))
    # The beyond point sits above the UCL drawn for the individuals.
    assert beyond[0].y() < chart.point_positions()[10].y()


def test_a_stable_subgrouped_study_draws_the_xbar_r_chart_without_marks(qtbot):
    chart = ControlChartWidget()
    qtbot.addWidget(chart)
    readings = [Decimal("10") + Decimal((i * 7) % 5) / 100 for i in range(50)]
    chart.set_data(readings, 5)
    chart.resize(500, 300)
    chart.show()
    assert chart.chart is not None and len(chart.chart.location.points) == 10
    assert chart.beyond_positions() == []
    assert "X̄-R chart (subgroups of 5)" in chart.summary_text()
    assert "stable: no point beyond" in chart.summary_text()


def test_the_evidence_tab_shows_the_chart_and_says_the_process_is_unstable(
        ctx, session, actors, qtbot, tmp_path):
    part = make_part(ctx, actors, make_service(ctx))
    make_service(ctx).record_report(actors["insp"], ReportDraft(
        part["part_id"], "capability", tested_on="2026-11-20"),
        [ResultDraft(part["chars"]["1"], SHIFTED)])
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    widget.reports_table.selectRow(0)
    qtbot.waitUntil(lambda: widget.detail is not None)
    assert widget.control_chart.chart is not None
    assert widget.control_chart.chart.beyond_count == 3
    notes = widget.capability_notes.text()
    assert "Process not stable: points beyond the control limits of the I-MR chart: 3" in notes
    assert "60 readings in 60 subgroups" in notes
    # Side by side: the chart is to the right of the histogram, at the same height.
    histogram, chart = widget.histogram.geometry(), widget.control_chart.geometry()
    assert chart.left() >= histogram.right() and chart.top() == histogram.top()
    widget.grab().save(str(tmp_path / "evidence-control-chart.png"))  # to look at


def test_the_histogram_states_the_cpk_of_the_subgrouped_study(qtbot):
    from desktop_app.domain.capability import capability
    from desktop_app.domain.evidence import Limits
    from desktop_app.ui.widgets.histogram_widget import HistogramWidget

    readings = [Decimal("10") + Decimal((i * 7) % 5) / 100 for i in range(50)]
    limits = Limits(Decimal("9.8"), Decimal("10.3"))
    grouped = capability(readings, limits, 5).to_fields()["cpk"]
    individual = capability(readings, limits, 1).to_fields()["cpk"]
    assert grouped and individual and grouped != individual
    histogram = HistogramWidget()
    qtbot.addWidget(histogram)
    histogram.set_data(readings, limits, subgroup_size=5)
    assert f"Cpk {grouped}" in histogram.summary_text()
