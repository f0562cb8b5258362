"""The retention tab: a part revision's end of production recorded in the window; its records,
past the retention date, are listed (and stay)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from desktop_app.ui.pages.certification_page import CertificationPage
from tests.services.certification_fixtures import Services, make_part
from tests.ui.shell_fixtures import ui_session  # noqa: F401 - fixtures


def test_end_of_production_lists_the_records_past_retention(qtbot, ui_session, ctx, actors,  # noqa: F811
                                                            tmp_path):
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
        "JT-5401-220 C", "2024-06-30", "1 year(s)", "2025-06-30"]
    records = widget.records_model
    assert records.data(records.index(0, 2)) == "Part"
    assert widget.records_label.text() == f"{records.total} record(s) past retention"
    page.grab().save(str(tmp_path / "retention.png"))
