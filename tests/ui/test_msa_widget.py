"""The gauges page as a person uses it for PPAP element 8: choose a gauge, record its MSA study
from a sheet, see %GRR, ndc and the verdict coloured by its band, and the reasons below."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.msa import Reading
from desktop_app.services.msa import MsaService, MsaStudyDraft
from desktop_app.ui.pages.gauges_page import GaugesPage
from desktop_app.ui.widgets.measurement_grid import FAIL_COLOR, PASS_COLOR
from desktop_app.ui.widgets.msa_widget import MARGINAL_COLOR
from tests.services.evidence_fixtures import make_part, make_service
from tests.services.msa_fixtures import HEADER, aiag_rows, made_up_rows, write_sheet

VERDICT = 6


@pytest.fixture
def part(ctx, actors):
    return make_part(ctx, actors, make_service(ctx))


def _page(qtbot, session) -> GaugesPage:
    page = GaugesPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: len(page.gauges) == 2)
    return page


def _choose(page: GaugesPage, code: str) -> None:
    rows = {page.table.item(r, 0).text(): r for r in range(page.table.rowCount())}
    page.table.selectRow(rows[code])


def test_a_study_is_recorded_from_a_sheet_and_shown_with_its_verdict(
        ui_session, part, qtbot, tmp_path):
    page = _page(qtbot, ui_session("insp"))
    widget = page.msa
    assert not widget.record_button.isEnabled()  # no gauge chosen yet
    _choose(page, "MIC-014")
    qtbot.waitUntil(lambda: "no study yet" in widget.title.text())
    assert widget.record_button.isVisible() and widget.record_button.isEnabled()

    widget.record_button.click()
    dialog = widget.dialog
    assert dialog.windowTitle() == "Record an MSA study of MIC-014"
    dialog.buttons.accepted.emit()  # no file chosen
    assert dialog.message.text() == "Choose the sheet of readings."
    bad = write_sheet(tmp_path / "bad.csv", HEADER, aiag_rows()[:-1])
    dialog.file_edit.setText(str(bad))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "not balanced" in dialog.message.text())
    assert widget.table.rowCount() == 0  # nothing written

    sheet = write_sheet(tmp_path / "grr.csv", HEADER, aiag_rows())
    dialog.file_edit.setText(str(sheet))
    dialog.tolerance_edit.setText("4")
    dialog.by_edit.setText("K. Ouali")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: widget.table.rowCount() == 1)
    cells = [widget.table.item(0, c).text() for c in range(widget.table.columnCount())]
    assert cells[1:] == ["Gauge R&R (ANOVA)", "3 × 10 × 3", "27.9 %", "45.4 %", "4",
                         "Unacceptable", "K. Ouali"]
    assert widget.table.item(0, VERDICT).background().color() == FAIL_COLOR
    qtbot.waitUntil(lambda: "4 distinct categories" in widget.reasons.text())
    assert "27.9 % of the total variation" in widget.reasons.text()


def test_each_band_has_its_colour_and_studies_follow_the_chosen_gauge(
        ctx, actors, ui_session, part, qtbot):
    msa = MsaService(ctx)
    for code, noise in (("MIC-014", 0.001), ("MIC-014", 0.004), ("CAL-007", 0.03)):
        readings = [Reading(*row[:3], str(row[3])) for row in made_up_rows(noise)]
        msa.record_study(actors["insp"], MsaStudyDraft(msa.gauge_id(code), readings,
                                                        tolerance="0.2"))
    page = _page(qtbot, ui_session("appr"))
    widget = page.msa
    assert not widget.record_button.isEnabled()  # an approver does not record evidence
    assert "record test evidence" in widget.record_button.toolTip()
    _choose(page, "MIC-014")
    qtbot.waitUntil(lambda: widget.table.rowCount() == 2)
    colours = {widget.table.item(r, VERDICT).text(): widget.table.item(r, VERDICT).background()
               .color() for r in range(2)}
    assert colours == {"Acceptable": PASS_COLOR,
                       "May be acceptable (customer agreement)": MARGINAL_COLOR}
    _choose(page, "CAL-007")
    qtbot.waitUntil(lambda: widget.table.rowCount() == 1
                    and widget.table.item(0, VERDICT).text() == "Unacceptable")
    assert widget.gauge.code == "CAL-007"
    assert widget.table.item(0, 0).data(Qt.ItemDataRole.UserRole)
