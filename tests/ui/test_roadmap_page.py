"""The roadmap page: import a reference list with a preview, refuse a bad step, sign off."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.pages.roadmap_page import RoadmapPage
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from tests.services.roadmap_fixtures import STANDARD_LIST, make_programme, reference_file


@pytest.fixture
def programme(ctx, actors, monkeypatch):
    return make_programme(ctx, actors["admin"], monkeypatch)


def open_page(ctx, actor, qtbot, tmp_path):
    events = AppEvents()
    tasks = TaskRunner(events)
    session = UiSession(ctx=ctx, actor=actor, tasks=tasks, events=events,
                        settings=Settings(tmp_path / f"{actor.username}.ini"))
    page = RoadmapPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.status is not None)
    index = page.model.findText("X70 — Jetour X70")
    page.model.setCurrentIndex(index)
    qtbot.waitUntil(lambda: page.status is not None and page.status.code == "X70")
    return page, tasks


def test_import_previews_then_applies_the_list(ctx, actors, programme, qtbot, tmp_path):
    page, tasks = open_page(ctx, actors["eng"], qtbot, tmp_path)
    page.import_file(reference_file(tmp_path, STANDARD_LIST))
    qtbot.waitUntil(lambda: isinstance(page.dialog, QMessageBox))
    assert "5 sets — 5 added" in page.dialog.text()
    assert ReferenceListService(ctx).reference_list(actors["eng"], programme.model_id) == []
    page.dialog.button(QMessageBox.StandardButton.Apply).click()
    qtbot.waitUntil(lambda: page.sets_table.rowCount() == 5)
    assert page.sets_table.item(0, 0).text() == "BIW"
    assert "35 % — 65 % missing" in page.total_label.text()
    tasks.shutdown()


def test_a_step_before_the_approval_date_is_refused_in_the_dialog(ctx, actors, programme,
                                                                  qtbot, tmp_path):
    page, tasks = open_page(ctx, actors["eng"], qtbot, tmp_path)
    page.add_step.click()
    qtbot.waitUntil(lambda: page.dialog is not None)
    dialog = page.dialog
    dialog.code.setText("R-9")
    dialog.title_edit.setText("Too early")
    dialog.target.setText("2024-01-01")
    dialog.components.item(0, 0).setText("Seat frame")
    dialog.components.item(0, 2).setText("2026-Q1: 100")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.message.text() != "")
    assert "before the approval of X70" in dialog.message.text()
    assert dialog.isVisible()
    dialog.target.setText("2026-06-30")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: page.steps_table.rowCount() == 1)
    assert page.steps_table.item(0, 0).text() == "R-9"
    assert page.steps[0].components[0].volumes == (("2026-Q1", 100),)
    tasks.shutdown()


def test_an_approver_signs_off_a_step(ctx, actors, programme, qtbot, tmp_path):
    from desktop_app.services.roadmap import RoadmapService

    RoadmapService(ctx).save_step(actors["eng"], {
        "code": "R-1", "title": "Seats", "model_id": programme.model_id,
        "target_date": "2027-06-30", "target_rate": "10"})
    page, tasks = open_page(ctx, actors["appr"], qtbot, tmp_path)
    assert not page.add_step.isEnabled() and page.sign_button.isEnabled()
    page.steps_table.selectRow(0)
    page.sign_button.click()
    page.dialog.comment.setPlainText("Volumes agreed")
    page.dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(page.steps) and bool(page.steps[0].signoffs))
    assert page.steps[0].signoffs[0].comment == "Volumes agreed"
    assert page.steps_table.item(0, 8).text() == "no"  # the carmaker has not signed yet
    page.steps_table.selectRow(0)
    assert "Signed for the Supplier by Appr Person" in page.step_detail.text()
    assert "Volumes agreed" in page.step_detail.text()
    # nothing counts toward the rate: the forecast on the target date says why it is at risk
    assert page.steps_table.item(0, 5).text() == "At risk"
    assert page.steps_table.item(0, 4).text() == "0 %"
    assert "Forecast rate on 30 Jun 2027: 0 % for a target of 10 %." in page.step_detail.text()
    tasks.shutdown()


def test_a_part_is_linked_then_unlinked(ctx, actors, programme, qtbot, tmp_path):
    ReferenceListService(ctx).save_set(actors["eng"], programme.model_id, "SEAT", "Seats",
                                       "set", "8")
    page, tasks = open_page(ctx, actors["eng"], qtbot, tmp_path)
    page.sets_table.selectRow(0)
    page.link_button.click()
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName() == "link_dialog")
    dialog = page.dialog
    dialog.part.setCurrentIndex(dialog.part.findText("SEAT-01 rev. A — Seat-01"))
    dialog.share.setText("60")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: page.status is not None and bool(page.status.sets[0].links))
    assert page.sets_table.item(0, 6).text() == "SEAT-01 rev. A (60 %)"
    page.sets_table.selectRow(0)
    page.unlink_button.click()
    page.dialog.setTextValue("SEAT-01 rev. A (60 %)")
    page.dialog.accept()
    qtbot.waitUntil(lambda: not page.status.sets[0].links)
    tasks.shutdown()


def test_the_administrator_edits_the_rules_for_a_missed_milestone(ctx, actors, programme,
                                                                  qtbot, tmp_path):
    page, tasks = open_page(ctx, actors["eng"], qtbot, tmp_path)
    assert not page.edit_supply_rules.isEnabled() and not page.save_milestones.isEnabled()
    assert "12 more months — Decree 24-159 art. 30" in page.supply_rules_label.text()
    tasks.shutdown()
    page, tasks = open_page(ctx, actors["admin"], qtbot, tmp_path)
    page.tabs.setCurrentIndex(2)
    page.edit_supply_rules.click()
    qtbot.waitUntil(lambda: page.dialog is not None
                    and page.dialog.objectName() == "supply_rules_dialog")
    dialog = page.dialog
    dialog.grace_months.setValue(6)
    dialog.sources["grace_source"].setPlainText("")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.message.text() != "")
    assert "text it comes from" in dialog.message.text() and dialog.isVisible()
    dialog.sources["grace_source"].setPlainText("Référentiel national 2026, art. 12")
    dialog.cut_ends_early.setChecked(True)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: page.status is not None and page.status.rules.grace_months == 6)
    assert page.status.rules.cut_ends_early
    assert ("6 more months — Référentiel national 2026, art. 12"
            in page.supply_rules_label.text())
    tasks.shutdown()


def test_a_step_component_is_linked_to_a_part_and_a_set_in_the_dialog(ctx, actors, programme,
                                                                      qtbot, tmp_path):
    ReferenceListService(ctx).save_set(actors["eng"], programme.model_id, "SEAT", "Seats",
                                       "set", "8")
    page, tasks = open_page(ctx, actors["eng"], qtbot, tmp_path)
    qtbot.waitUntil(lambda: page.sets_table.rowCount() == 1)
    page.add_step.click()
    qtbot.waitUntil(lambda: page.dialog is not None)
    dialog = page.dialog
    dialog.code.setText("R-7")
    dialog.title_edit.setText("Seats")
    dialog.target.setText("2027-06-30")
    dialog.vehicles.setText("2027-Q2: 3000; 2027-Q3: 3500")
    dialog.components.item(0, 0).setText("Seat frame")
    part = dialog.components.cellWidget(0, 3)
    part.setCurrentIndex(part.findData(programme.parts["SEAT-01"]))
    set_combo = dialog.components.cellWidget(0, 4)
    assert [set_combo.itemText(i) for i in range(set_combo.count())] == ["—", "SEAT"]
    set_combo.setCurrentIndex(1)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: page.steps_table.rowCount() == 1)
    [c] = page.steps[0].components
    assert (c.part_id, c.set_code, c.local) == (programme.parts["SEAT-01"], "SEAT", True)
    assert page.steps[0].vehicle_volumes == (("2027-Q2", 3000), ("2027-Q3", 3500))
    # edited again, the links are shown and kept
    page.steps_table.selectRow(0)
    page.edit_step.click()
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog is not dialog)
    again = page.dialog
    assert again.components.cellWidget(0, 3).currentData() == programme.parts["SEAT-01"]
    assert again.components.cellWidget(0, 4).currentText() == "SEAT"
    assert again.vehicles.text() == "2027-Q2: 3000; 2027-Q3: 3500"
    tasks.shutdown()
