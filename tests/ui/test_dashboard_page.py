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
    assert "2027-01-15" in page.figures["milestone_X70"].text()
    assert page.figures["state_X70"].text() == "At risk"
    late = RoadmapService(ctx, lambda: TODAY).list_steps(actors["insp"], late_only=True)
    assert page.figures["late_steps"].text() == f"Late steps: {len(late)}" == "Late steps: 2"
    assert page.chart.series is not None and len(page.chart.series.milestones) == 3


def test_clicking_the_rate_opens_the_sets_behind_it(page, qtbot):
    qtbot.mouseClick(page.figures["rate_X70"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    codes = [dialog.cell(r, 0) for r in range(dialog.table.rowCount())]
    assert codes == ["BIW", "SEAT", "GLASS", "HARN", "TYRE"]
    assert dialog.cell(1, 4) == "8 %" and dialog.cell(0, 5) == "no local part linked"


def test_clicking_late_steps_lists_them(page, qtbot):
    qtbot.mouseClick(page.figures["late_steps"], Qt.MouseButton.LeftButton)
    rows = page.dialog.table.rowCount()
    assert rows == 2
    assert {page.dialog.cell(r, 1) for r in range(rows)} == {"R-01", "R-03"}


def test_clicking_a_milestone_on_the_chart_lists_the_milestones(page, qtbot):
    page.chart_model.setCurrentIndex(page.chart_model.findText("X70 — Jetour X70"))
    assert page.chart.series.code == "X70"
    page.chart.repaint()
    qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton,
                     pos=page.chart.marker_centre(0).toPoint())
    assert page.dialog is not None
    assert page.dialog.cell(0, 1) == "2027-01-15" and page.dialog.cell(0, 2) == "10 %"


def test_clicking_a_step_on_the_timeline_shows_its_components(page, qtbot):
    page.timeline.repaint()
    qtbot.mouseClick(page.timeline, Qt.MouseButton.LeftButton,
                     pos=page.timeline.row_centre(0).toPoint())
    assert page.dialog.cell(0, 0) == "Seat frame"


def test_a_pipeline_count_opens_its_submissions(page, qtbot):
    assert page.figures["pipeline_draft"].text() == "Draft: 0"
    qtbot.mouseClick(page.figures["pipeline_draft"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None)
    assert page.dialog.table.rowCount() == 0


def test_expiring_interim_approvals_open_their_list(page, qtbot):
    assert page.figures["expiring"].text() == "Ending within 60 days: 1"
    qtbot.mouseClick(page.figures["expiring"], Qt.MouseButton.LeftButton)
    assert page.dialog.table.rowCount() == 1
    assert page.dialog.cell(0, 0) == "GLASS-01 rev. A"
    assert page.dialog.cell(0, 3) == "2026-12-20" and page.dialog.cell(0, 4) == "24"


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
    assert dialog.part.currentText() == "SEAT-01 rev. A — CERT-MSR-2026-0007: 500 left"
    dialog.quantity.setValue(200)
    dialog.day.setText("2026-11-20")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "200 of 500" in page.quantity_list.text())
    assert "(300 left)" in page.quantity_list.text()
