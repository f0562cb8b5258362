"""The import dialog with a Q-DAS AQDEF file, as a person uses it: the same preview as a CSV (no
columns to map), the dates and operators of the readings, a .dfd that asks for its .dfx, and a
file that is not what its name says refused in one sentence."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.dialogs.evidence_import_dialog import EvidenceImportDialog
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from tests.files.aqdef_samples import DESCRIPTION, compact_values, dfq_compact
from tests.services.evidence_fixtures import make_service, register_part


@pytest.fixture
def session(ctx, actors, tmp_path):
    events = AppEvents()
    tasks = TaskRunner(events)
    yield UiSession(ctx=ctx, actor=actors["insp"], tasks=tasks, events=events,
                    settings=Settings(tmp_path / "settings.ini"))
    tasks.shutdown()


@pytest.fixture
def part_id(ctx, actors):
    return register_part(ctx, actors["eng"], "JT-5801")


def _cells(dialog: EvidenceImportDialog) -> list[list[str]]:
    table = dialog.preview_table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _dialog(session, part_id, mode, qtbot) -> EvidenceImportDialog:
    dialog = EvidenceImportDialog(session, part_id, mode)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_characteristics_then_readings_through_the_preview(ctx, actors, session, part_id,
                                                           qtbot, tmp_path):
    session.actor = actors["eng"]
    dfq = tmp_path / "JT-5801.dfq"
    dfq.write_text(dfq_compact(), encoding="cp1252")
    dialog = _dialog(session, part_id, "characteristics", qtbot)
    dialog.load(dfq)
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview_table.horizontalHeaderItem(0).text() == "Line"
    assert _cells(dialog) == [["4", "1", "Hole diameter", "11.9 … 12.1", "standard"],
                              ["10", "2", "Flange flatness", " … 0.05", "standard"],
                              ["14", "3", "Burr-free edge", " … ", "standard"]]
    assert not any(combo.isVisible() for combo in dialog.mapping_combos.values())
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.apply_button.click()
    assert len(make_service(ctx).queries.characteristics(part_id)) == 3

    session.actor = actors["insp"]
    dialog = _dialog(session, part_id, "measurements", qtbot)
    dialog.load(dfq)
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert [row[:4] for row in _cells(dialog)] == [
        ["1", "Hole diameter", "10", "0"], ["2", "Flange flatness", "10", "0"],
        ["3", "Burr-free edge", "10", "1"]]
    assert dialog.file_notes.isVisible()
    assert dialog.file_notes.text() == ("Readings taken on 2025-05-13.\n"
                                        "Operators: A. Benali, K. Haddad")
    assert dialog.tested_edit.date().toString("yyyy-MM-dd") == "2025-05-13"
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.apply_button.click()
    summary = dialog.result.summary
    assert (summary.tested_on, summary.operator, summary.title) == (
        "2025-05-13", "A. Benali, K. Haddad", "JT-5801.dfq")


def test_a_description_asks_for_its_values_when_they_are_not_beside_it(
        ctx, actors, session, part_id, qtbot, tmp_path, monkeypatch):
    dfd = tmp_path / "plan.dfd"
    dfd.write_text(DESCRIPTION)
    values = tmp_path / "cmm" / "run-17.dfx"
    values.parent.mkdir()
    values.write_text(compact_values())
    answers = [str(dfd), str(values)]
    asked = []

    def pick(parent, title, folder, filters):
        asked.append((title, filters))
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    dialog = _dialog(session, part_id, "characteristics", qtbot)
    dialog.choose_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert "AQDEF (*.dfq *.dfd *.dfx)" in asked[0][1]
    assert asked[1] == ("Choose the values (.dfx) of plan.dfd", "AQDEF (*.dfx)")
    assert dialog.path_edit.text().endswith("plan.dfd  +  run-17.dfx")
    assert len(dialog.table.characteristics[0].readings) == 10


def test_a_pdf_named_dfq_is_refused_in_one_sentence(session, part_id, qtbot, tmp_path):
    path = tmp_path / "cmm.dfq"
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")
    dialog = _dialog(session, part_id, "measurements", qtbot)
    dialog.load(path)
    qtbot.waitUntil(lambda: "PDF" in dialog.message.text())
    assert dialog.message.text() == ("cmm.dfq is named as a Q-DAS AQDEF file but is a PDF "
                                      "document.")
    assert dialog.preview is None and not dialog.apply_button.isEnabled()
