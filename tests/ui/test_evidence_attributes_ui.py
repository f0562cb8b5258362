"""Attribute characteristics in the evidence tab: added as OK/NG checks, judged as they are typed,
reported with their counts, p and np."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.domain.evidence import Limits
from desktop_app.services.evidence_dto import (
    CharacteristicDraft,
    CharacteristicInfo,
    ReportDraft,
    ResultDraft,
)
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.evidence_widget import EvidenceWidget
from desktop_app.ui.widgets.measurement_grid import (
    FAIL_COLOR,
    PASS_COLOR,
    GridColumn,
    MeasurementGridWidget,
)
from tests.services.evidence_fixtures import make_part, make_service


@pytest.fixture
def session(ctx, actors, tmp_path):
    events = AppEvents()
    tasks = TaskRunner(events)
    yield UiSession(ctx=ctx, actor=actors["eng"], tasks=tasks, events=events,
                    settings=Settings(tmp_path / "settings.ini"))
    tasks.shutdown()


@pytest.fixture
def part(ctx, actors):
    return make_part(ctx, actors, make_service(ctx))


def test_an_ok_ng_check_is_added_without_limits(ctx, session, part, qtbot):
    dialog = CharacteristicDialog(session, part["part_id"])
    qtbot.addWidget(dialog)
    dialog.edits["number"].setText("20")
    dialog.edits["description"].setText("Weld spatter on visible face")
    assert dialog.edits["nominal"].isEnabled()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("attribute"))
    assert not dialog.edits["nominal"].isEnabled() and not dialog.edits["upper_tol"].isEnabled()
    assert dialog.type_combo.currentText() == "Attribute (OK / NG)"
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.buttons.accepted.emit()
    assert isinstance(dialog.added, CharacteristicInfo)
    assert dialog.added.data_type == "attribute" and dialog.added.lower_limit == ""


def test_judgements_are_coloured_as_they_are_typed(qtbot):
    grid = MeasurementGridWidget()
    qtbot.addWidget(grid)
    grid.set_columns([GridColumn("c20", "20", "Spatter", Limits(None, None), "", "attribute")],
                     rows=3)
    grid.show()
    index = grid.model.index(0, 0)
    grid.table.setCurrentIndex(index)
    grid.table.edit(index)
    editor = grid.table.findChild(QLineEdit, "reading_editor")
    qtbot.keyClicks(editor, "ng")
    assert editor.property("verdict") == "fail"
    editor.clear()
    qtbot.keyClicks(editor, "maybe")
    assert editor.property("verdict") == "invalid"
    assert grid.message.text() == "'maybe' is neither OK nor NG."
    assert grid.model.setData(index, "ok")
    assert grid.model.setData(grid.model.index(1, 0), "NOK")
    assert grid.model.data(index, Qt.ItemDataRole.BackgroundRole) == PASS_COLOR
    assert grid.model.data(grid.model.index(1, 0),
                           Qt.ItemDataRole.BackgroundRole) == FAIL_COLOR
    assert not grid.model.setData(grid.model.index(2, 0), "12.1")
    assert grid.message.text() == ("Sample 3, characteristic 20: '12.1' is neither OK nor NG.")
    assert grid.model.readings(0) == ("OK", "NG")


def test_the_report_shows_counts_p_and_np_of_an_attribute_result(ctx, session, part, actors,
                                                                  qtbot):
    service = make_service(ctx)
    (spatter,) = service.add_characteristics(actors["eng"], part["part_id"], [
        CharacteristicDraft("20", "Weld spatter", data_type="attribute", char_class="SC")])
    service.record_report(actors["insp"], ReportDraft(part["part_id"], "dimensional",
                                                      tested_on="2026-11-20"), [
        ResultDraft(part["chars"]["1"], ("12.01", "11.99", "12.00")),
        ResultDraft(spatter.characteristic_id, ("OK", "OK", "NG", "OK"))])
    widget = EvidenceWidget(session, part["part_id"])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    widget.reports_table.selectRow(0)
    qtbot.waitUntil(lambda: widget.detail is not None)
    assert widget.grid.model.columnCount() == 1  # the measured hole; the judged check is said
    assert sum(widget.histogram.counts) == 3
    notes = widget.report_notes.text()
    assert "#20 Weld spatter: 4 samples: 1 nonconforming (np = 1, p = 0.2500)" in notes
    assert "unless the customer agreed" in notes
    rows = {widget.characteristics_table.item(r, 0).text(): r
            for r in range(widget.characteristics_table.rowCount())}
    assert widget.characteristics_table.item(rows["20"], 3).text() == "Attribute (OK / NG)"
    assert widget.characteristics_table.item(rows["20"], 7).text().startswith("Fail")
