"""The retention tab: a part revision's end of production recorded in the window; its records,
past the retention date, are listed (and stay)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from desktop_app.ui.pages.certification_page import CertificationPage
from tests.services.certification_fixtures import Services, make_part
from tests.ui.shell_fixtures import ui_session  # noqa: F401 - fixtures


def test_end_of_production_lists_the_records_past_retention(qtbot, ui_session, ctx, actors,  # noqa: F811
                                                            tmp_path, languages):
    # `languages`: English as the window applies it, with its plural forms ("1 year")
    make_part(Services(ctx), actors)
    page = CertificationPage(ui_session("eng"))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.tabs.setCurrentWidget(page.retention)
    widget = page.retention
    qtbot.waitUntil(lambda: not widget.parts_model.loading and not widget.records_model.loading)
    assert widget.parts_model.total == 0 and widget.records_model.total == 0
    qtbot.mouseClick(widget.end_button, Qt.MouseButton.LeftButton)
    dialog = widget.end_dialog
    qtbot.waitUntil(lambda: dialog.part_combo.count() == 1)
    dialog.date_edit.setDate(QDate(2024, 6, 30))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: widget.parts_model.total == 1 and widget.records_model.total > 3)
    model = widget.parts_model
    assert [model.data(model.index(0, c)) for c in range(5)][:4] == [
        "JT-5401-220 C", "30 Jun 2024", "1 year", "30 Jun 2025"]
    records = widget.records_model
    assert records.data(records.index(0, 2)) == "Part"
    assert widget.records_label.text() == f"{records.total} records past retention"
    page.grab().save(str(tmp_path / "retention.png"))


def test_a_customers_period_keeps_the_records_longer(qtbot, ui_session, ctx, actors):  # noqa: F811
    from dataclasses import replace
    from datetime import date

    from desktop_app.domain.parts import VehicleModelDraft
    from desktop_app.services.retention import RetentionService
    from desktop_app.services.suppliers import VehicleModelService

    svc = Services(ctx)
    part = make_part(svc, actors)
    model = VehicleModelService(ctx).add_model(actors["admin"], VehicleModelDraft(
        code="X70", carmaker="Jetour", model="X70"))
    draft = svc.parts.part(part["part_id"]).draft
    svc.parts.edit_part(actors["eng"], part["part_id"],
                        replace(draft, vehicle_model_ids=(model.model_id,)))
    RetentionService(ctx).end_production(actors["eng"], part["part_id"], date(2024, 6, 30))
    page = CertificationPage(ui_session("eng"))
    qtbot.addWidget(page)
    page.show()
    widget = page.retention
    qtbot.waitUntil(lambda: widget.records_model.total > 0 and not widget.records_model.loading)
    qtbot.mouseClick(widget.policy_button, Qt.MouseButton.LeftButton)
    dialog = widget.policy_dialog
    qtbot.waitUntil(lambda: "Any other customer: 1 year." in dialog.known_label.text())
    dialog.customer_edit.setText("Jetour")
    dialog.years_spin.setValue(15)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: widget.records_model.total == 0 and not widget.records_model.loading)
    model_ = widget.parts_model
    qtbot.waitUntil(lambda: model_.data(model_.index(0, 3)) == "30 Jun 2039")
    assert model_.data(model_.index(0, 2)) == "15 years (Jetour)"
