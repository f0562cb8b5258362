"""The dashboard: its figures equal the services' numbers, and each opens the list behind it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.approvals import ApprovalKind
from desktop_app.services.dashboard import DashboardService
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.roadmap import RoadmapService
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.pages.dashboard_page import DashboardPage
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from tests.services.roadmap_fixtures import (
    STANDARD_LIST,
    TODAY,
    approve,
    make_programme,
    reference_file,
)


@pytest.fixture
def programme(ctx, actors, monkeypatch, tmp_path):
    programme = make_programme(ctx, actors["admin"], monkeypatch)
    eng = actors["eng"]
    ReferenceListService(ctx).apply_import(eng, programme.model_id,
                                           reference_file(tmp_path, STANDARD_LIST))
    sets = {s.code: s for s in ReferenceListService(ctx).reference_list(eng, programme.model_id)}
    IntegrationService(ctx).link_part(eng, sets["SEAT"].set_id, programme.parts["SEAT-01"],
                                      supply_start="2026-03-01")
    approve(programme, "SEAT-01", date(2026, 2, 1))
    approve(programme, "GLASS-01", date(2026, 10, 1), date(2026, 12, 20), ApprovalKind.INTERIM)
    approve(programme, "HARN-01", date(2026, 10, 1), date(2027, 6, 1), ApprovalKind.INTERIM)
    roadmap = RoadmapService(ctx)
    for code, target, forecast in (("R-01", "2026-06-30", "2026-12-15"),
                                   ("R-02", "2027-03-31", ""), ("R-03", "2026-09-30", "")):
        roadmap.save_step(eng, {"code": code, "title": f"Step {code}",
                                "model_id": programme.model_id, "target_date": target,
                                "forecast_date": forecast, "target_rate": "10",
                                "components": [{"name": "Seat frame", "apqp_phase": 3}]})
    return programme


@pytest.fixture
def page(ctx, actors, programme, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(DashboardService, "__init__", _fixed_today(DashboardService.__init__))
    events = AppEvents()
    tasks = TaskRunner(events)
    session = UiSession(ctx=ctx, actor=actors["insp"], tasks=tasks, events=events,
                        settings=Settings(tmp_path / "settings.ini"))
    widget = DashboardPage(session)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None)
    yield widget
    tasks.shutdown()


def _fixed_today(init):
    def wrapper(self, ctx, today=None):
        init(self, ctx, lambda: TODAY)
    return wrapper


def test_figures_equal_the_service_numbers(page, ctx, actors):
    [model] = [m for m in IntegrationService(ctx, lambda: TODAY).status(actors["insp"])
               if m.code == "X70"]
    assert page.figures["rate_X70"].text() == f"{model.rate} %" == "8 %"
    assert "15 Jan 2027" in page.figures["milestone_X70"].text()
    assert page.figures["state_X70"].text() == "At risk"
    late = RoadmapService(ctx, lambda: TODAY).list_steps(actors["insp"], late_only=True)
    assert page.figures["late_steps"].text() == f"Late steps: {len(late)}" == "Late steps: 2"
    assert page.chart.series is not None and len(page.chart.series.milestones) == 3


def _clicked(qtbot, page, widget, **where):
    """Click a figure; the page and filter the dashboard asks the window to show."""
    with qtbot.waitSignal(page.navigation_requested) as blocker:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, **where)
    return blocker.args


def test_clicking_the_rate_opens_the_reference_list_behind_it(page, programme, qtbot):
    page_id, wanted = _clicked(qtbot, page, page.figures["rate_X70"])
    assert page_id == "roadmap" and wanted.kind == "sets"
    assert wanted.value("model_id") == programme.model_id
    assert wanted.label == "the reference list of X70: 1 of 5 sets count"


def test_clicking_late_steps_opens_the_late_steps(page, qtbot):
    page_id, wanted = _clicked(qtbot, page, page.figures["late_steps"])
    assert (page_id, wanted.kind) == ("roadmap", "late_steps")
    assert wanted.label == "the late roadmap steps of every model (2 on the dashboard)"


def test_clicking_a_milestone_on_the_chart_opens_the_rules(page, programme, qtbot):
    page.chart_model.setCurrentIndex(page.chart_model.findText("X70 — Jetour X70"))
    assert page.chart.series.code == "X70"
    page.chart.repaint()
    page_id, wanted = _clicked(qtbot, page, page.chart, pos=page.chart.marker_centre(0).toPoint())
    assert (page_id, wanted.kind) == ("roadmap", "rules")
    assert wanted.value("model_id") == programme.model_id


def test_clicking_a_step_on_the_timeline_opens_that_step(page, qtbot):
    page.timeline.repaint()
    page_id, wanted = _clicked(qtbot, page, page.timeline,
                               pos=page.timeline.row_centre(0).toPoint())
    assert (page_id, wanted.kind) == ("roadmap", "step")
    assert wanted.value("step_id") == page.data.steps[0].step_id


def test_a_pipeline_count_opens_its_submissions(page, qtbot):
    assert page.figures["pipeline_draft"].text() == "Draft: 0"
    page_id, wanted = _clicked(qtbot, page, page.figures["pipeline_draft"])
    assert (page_id, wanted.kind, wanted.value("state")) == ("certification", "submissions",
                                                            "draft")


def test_expiring_interim_approvals_open_the_certificates(page, qtbot):
    assert page.figures["expiring"].text() == "Ending within 60 days: 1"
    page_id, wanted = _clicked(qtbot, page, page.figures["expiring"])
    assert (page_id, wanted.kind, wanted.value("days")) == ("certification", "expiring", "60")


def test_each_model_counts_its_approved_parts(page, programme, qtbot):
    assert page.figures["parts_X70"].text() == "Parts approved today: 3 of 3"
    page_id, wanted = _clicked(qtbot, page, page.figures["parts_X70"])
    assert page_id == "parts"
    assert wanted.values == {"model_id": programme.model_id, "approved_on": "2026-11-26"}


def test_each_model_shows_its_rules_for_a_missed_milestone(page):
    from PySide6.QtWidgets import QLabel

    rules = page.findChild(QLabel, "rules_X70")
    assert rules.text() == ("Rules: 12 months of grace, supply cut by 25 %, cut lasts the "
                            "whole grace, then frozen.")
    assert "Decree 24-159 art. 30" in rules.toolTip()
    assert "Assumption" in rules.toolTip()


def test_a_delivery_is_recorded_against_an_interim_quantity(page, programme, qtbot):
    from desktop_app.domain.approvals import ApprovalPeriod
    from desktop_app.ui.app_events import Change

    seat = programme.parts["SEAT-01"]
    programme.periods[seat] = [ApprovalPeriod(seat, ApprovalKind.INTERIM, date(2026, 2, 1),
                                              None, "CERT-MSR-2026-0007", 500, "sub-7")]
    page.refresh(Change.of("decision"))
    qtbot.waitUntil(lambda: bool(page.data.by_quantity))
    assert page.quantity_list.text() == "SEAT-01 rev. A: 0 of 500 pieces shipped (500 left)"
    assert not page.delivery_button.isHidden()
    page.delivery_button.click()
    dialog = page.delivery_dialog
    assert dialog.part.currentText() == "SEAT-01 rev. A — CERT-MSR-2026-0007: 500 pieces left"
    dialog.quantity.setValue(200)
    dialog.day.setText("2026-11-20")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "200 of 500" in page.quantity_list.text())
    assert "(300 left)" in page.quantity_list.text()


def test_the_timeline_never_writes_one_year_over_another(page, qtbot):
    """A narrow timeline (a 1366-pixel screen, long French labels) wrote "2024202520262027"."""
    timeline = page.timeline
    for width in (900, 420, 260):
        timeline.resize(width, timeline.height())
        timeline.repaint()
        labels = timeline.year_labels
        assert labels, width
        metrics = timeline.fontMetrics()
        for (x1, text1), (x2, _) in zip(labels, labels[1:], strict=False):
            assert x1 + metrics.horizontalAdvance(text1) < x2, (width, labels)
