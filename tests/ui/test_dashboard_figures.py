"""Figures lead to their lists: a figure of the dashboard opens the page behind it, filtered to
what it counts, with a banner that says so; Back returns to the dashboard, Show all shows
everything again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.parts import PartDraft
from desktop_app.services.parts import PartService
from desktop_app.services.site import SiteService
from desktop_app.ui.main_window import MainWindow
from tests.services.roadmap_fixtures import TODAY
from tests.ui.test_dashboard_page import programme  # noqa: F401 - the fixture

PAGES = [f"desktop_app.ui.pages.{module}" for module in (
    "dashboard_page:DashboardPage", "parts_page:PartsPage",
    "certification_page:CertificationPage", "roadmap_page:RoadmapPage", "sync_page:SyncPage")]


@pytest.fixture
def window(qtbot, ctx, actors, programme, ui_session, languages, monkeypatch):  # noqa: F811
    monkeypatch.setattr(ctx, "today", lambda: TODAY)
    # A part of X70 that holds no approval: the figure counts 3 of 4.
    PartService(ctx).register_part(actors["eng"], PartDraft(
        "TYRE-01", "A", "Tyre", vehicle_model_ids=(programme.model_id,)))
    session = ui_session("insp")
    window = MainWindow(session, SiteService(ctx).local_site(), languages, pages=PAGES)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("dashboard")
    qtbot.waitUntil(lambda: window.page("dashboard").data is not None)
    qtbot.waitUntil(lambda: not session.tasks.busy)
    return window


def _click(qtbot, window, name: str):
    qtbot.mouseClick(window.page("dashboard").figures[name], Qt.MouseButton.LeftButton)


def test_approved_parts_open_the_parts_page_with_the_same_count(qtbot, window, programme):  # noqa: F811
    dashboard, parts = window.page("dashboard"), window.page("parts")
    assert dashboard.figures["parts_X70"].text() == "Parts approved today: 3 of 4"
    _click(qtbot, window, "parts_X70")
    assert window.stack.currentWidget() is parts
    qtbot.waitUntil(lambda: not parts.model.loading and parts.model.total == 3)
    assert {r.part_number for r in parts.model.loaded_rows()} == {"SEAT-01", "GLASS-01",
                                                                   "HARN-01"}
    assert parts.model_filter.currentData() == programme.model_id
    banner = parts.filter_banner
    assert banner.isVisible()
    assert banner.label.text() == ("Showing only: parts of X70 approved on 26 Nov 2026 "
                                   "(shown: 3)")

    qtbot.mouseClick(banner.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is dashboard
    assert parts.page_filter is None and banner.isHidden()
    qtbot.waitUntil(lambda: not parts.model.loading and parts.model.total == 5)
    assert parts.model_filter.currentIndex() == 0  # every model again


def test_show_all_leaves_the_filter_on_the_page(qtbot, window):
    parts = window.page("parts")
    _click(qtbot, window, "parts_X70")
    qtbot.waitUntil(lambda: not parts.model.loading and parts.model.total == 3)
    qtbot.mouseClick(parts.filter_banner.clear_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is parts
    qtbot.waitUntil(lambda: not parts.model.loading and parts.model.total == 5)
    assert parts.filter_banner.isHidden()


def test_late_steps_open_the_roadmap_steps_with_the_same_count(qtbot, window):
    dashboard, roadmap = window.page("dashboard"), window.page("roadmap")
    figure = len(dashboard.data.late_steps)
    assert dashboard.figures["late_steps"].text() == f"Late steps: {figure}" == "Late steps: 2"
    _click(qtbot, window, "late_steps")
    assert window.stack.currentWidget() is roadmap
    assert roadmap.tabs.currentIndex() == 1
    qtbot.waitUntil(lambda: roadmap.steps_table.rowCount() == figure
                    and all(s.late for s in roadmap.steps))
    assert {roadmap.steps_table.item(r, 0).text() for r in range(figure)} == {"R-01", "R-03"}
    assert roadmap.filter_banner.label.text().endswith("(shown: 2)")
    qtbot.mouseClick(roadmap.filter_banner.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is dashboard
    # The steps of the model chosen on the page again, late or not.
    model_id = roadmap.model.currentData()
    qtbot.waitUntil(lambda: roadmap.filter_banner.isHidden()
                    and all(s.model_id == model_id for s in roadmap.steps))


def test_a_pipeline_count_opens_the_submissions_in_that_state(qtbot, window):
    certification = window.page("certification")
    _click(qtbot, window, "pipeline_draft")
    assert window.stack.currentWidget() is certification
    assert certification.state_filter.currentData() == "draft"
    qtbot.waitUntil(lambda: not certification.model.loading)
    assert certification.model.total == 0  # as the figure says ("Draft: 0")
    assert certification.filter_banner.label.text() == (
        "Showing only: submissions in the state “Draft” (shown: 0)")


def test_expiring_approvals_open_the_certificate_register(qtbot, window):
    certification = window.page("certification")
    _click(qtbot, window, "expiring")
    assert certification.tabs.currentWidget() is certification.register
    assert certification.filter_banner.isVisible()
    assert certification.register.numbers is not None
    qtbot.mouseClick(certification.filter_banner.clear_button, Qt.MouseButton.LeftButton)
    assert certification.register.numbers is None


def test_the_rate_opens_the_reference_list_of_its_model(qtbot, window, programme):  # noqa: F811
    roadmap = window.page("roadmap")
    _click(qtbot, window, "rate_X70")
    assert window.stack.currentWidget() is roadmap and roadmap.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: roadmap.status is not None
                    and roadmap.status.model_id == programme.model_id)
    assert roadmap.sets_table.rowCount() == 5
