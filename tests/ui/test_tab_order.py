"""Tab walks the main dialogs' data fields in reading order and reaches Save (or OK) before
Cancel; a multi-line field and the measurement grid pass Tab on instead of keeping it.

Tested in English, left to right; Qt mirrors the same order for Arabic.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from desktop_app.services.evidence_dto import CharacteristicDraft
from desktop_app.ui.dialogs.characteristic_dialog import CharacteristicDialog
from desktop_app.ui.dialogs.new_submission_dialog import NewSubmissionDialog
from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs
from desktop_app.ui.dialogs.person_dialog import PersonDialog
from desktop_app.ui.dialogs.report_dialog import ReportDialog
from desktop_app.ui.dialogs.sign_in_dialog import SignInDialog
from desktop_app.ui.settings import Settings
from tests.services.evidence_fixtures import make_service, register_part

# A Qt warning (a tab order across windows, a shortcut Qt finds ambiguous) fails the test; the
# offscreen platform's own notices do not.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("This plugin does not support")]


def walk(qtbot, dialog, first: QWidget, opens_at: QWidget, limit: int = 80) -> list[QWidget]:
    """Tab from `first` round to it again: every widget that had the focus, in order. The
    dialog opens with the focus on `opens_at`."""
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is opens_at)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    visited = [first]
    for _ in range(limit):
        QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is first:
            return visited
        visited.append(focused)
    raise AssertionError(f"Tab never came back to {first.objectName()}: "
                         f"{[w.objectName() for w in visited[-10:]]}")


def stops(visited: list[QWidget], expected: list[QWidget]) -> list[str]:
    """The expected widgets in the order the focus reached them (in them or in their parts,
    such as a spin box's line edit), each once."""
    order: list[str] = []
    for focused in visited:
        owner = next((w for w in expected if w is focused or w.isAncestorOf(focused)), None)
        if owner is not None and owner.objectName() not in order:
            order.append(owner.objectName())
    return order


def named(*widgets: QWidget) -> list[QWidget]:
    for i, widget in enumerate(widgets):
        if not widget.objectName():
            widget.setObjectName(f"widget_{i}")
    return list(widgets)


def buttons(box: QDialogButtonBox, accept: QDialogButtonBox.StandardButton) -> list[QWidget]:
    save = box.button(accept)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    save.setObjectName(save.objectName() or "accept_button")
    cancel.setObjectName(cancel.objectName() or "cancel_button")
    return [save, cancel]


def assert_order(qtbot, dialog, fields: list[QWidget], ending: list[QWidget],
                 opens_at: QWidget | None = None) -> None:
    """The fields, then Save and Cancel, in this order; the dialog opens on its first field
    (or on `opens_at`)."""
    expected = named(*fields, *ending)
    visited = walk(qtbot, dialog, fields[0], opens_at or fields[0])
    assert stops(visited, expected) == [w.objectName() for w in expected]


@pytest.fixture
def part_id(ctx, actors) -> str:
    part = register_part(ctx, actors["eng"], "JT-7200")
    make_service(ctx).add_characteristics(actors["eng"], part, [
        CharacteristicDraft("1", "Hole diameter", "12", "-0.1", "0.1", unit="mm"),
        CharacteristicDraft("2", "Flange length", "150", "-0.5", "0.5", unit="mm")])
    return part


def test_part_dialog(qtbot, ui_session):
    d = PartDialog(ui_session("eng"), PartRefs())
    qtbot.addWidget(d)
    for edit, text in ((d.number_edit, "JT-7300"), (d.revision_edit, "A"),
                       (d.designation_edit, "Renfort")):
        edit.setText(text)  # Save may be pressed: it is a tab stop
    assert d.save_button.isEnabled()
    assert_order(qtbot, d, [d.number_edit, d.revision_edit, d.designation_edit, d.family_combo,
                            d.supplier_combo, d.models_list, d.material_edit, d.grade_edit,
                            d.mass_edit, d.unit_combo, d.drawing_edit, d.special_check,
                            d.volume_edit, d.status_combo, d.notes_edit],
                 buttons(d.buttons, QDialogButtonBox.StandardButton.Save))


def test_report_dialog_goes_through_the_grid_to_save(qtbot, ui_session, part_id):
    d = ReportDialog(ui_session("insp"), part_id)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.grid.model.columnCount() == 2)
    assert_order(qtbot, d, [d.type_combo, d.title_edit, d.standard_edit, d.lab_edit,
                            d.lab_kind_combo, d.accreditation_edit, d.sample_spin,
                            d.subgroup_spin, d.tested_edit, d.operator_edit, d.result_combo,
                            d.conclusion_edit, d.grid.table],
                 buttons(d.buttons, QDialogButtonBox.StandardButton.Save),
                 opens_at=d.grid.table)  # a reading typed lands in the grid


def test_characteristic_dialog(qtbot, ui_session, part_id):
    d = CharacteristicDialog(ui_session("eng"), part_id)
    qtbot.addWidget(d)
    e = d.edits
    assert_order(qtbot, d, [e["number"], e["description"], d.type_combo, e["nominal"],
                            e["lower_tol"], e["upper_tol"], e["lower_limit"], e["upper_limit"],
                            e["unit"], d.class_combo, e["method"], e["gauge_code"]],
                 buttons(d.buttons, QDialogButtonBox.StandardButton.Save))


def test_sign_in_dialog(qtbot, ctx, ui_session, languages, tmp_path):
    session = ui_session("admin")
    d = SignInDialog(ctx, session.tasks, Settings(tmp_path / "sign-in.ini"), languages)
    qtbot.addWidget(d)
    assert_order(qtbot, d, [d.username_edit, d.password_edit, d.language_combo],
                 [d.sign_in_button, d.quit_button])


def test_new_submission_dialog(qtbot, ui_session, part_id):
    d = NewSubmissionDialog(ui_session("eng"))
    qtbot.addWidget(d)
    assert_order(qtbot, d, [d.search_edit, d.part_combo, d.kind_combo, d.level_combo,
                            d.reason_combo, d.detail_edit],
                 buttons(d.buttons, QDialogButtonBox.StandardButton.Ok))


def test_person_dialog(qtbot, ui_session):
    d = PersonDialog(ui_session("admin"))
    qtbot.addWidget(d)
    for edit, text in ((d.username_edit, "k.amrani"), (d.full_name_edit, "Karim Amrani"),
                       (d.password_edit, "long-enough-secret"),
                       (d.repeat_edit, "long-enough-secret")):
        edit.setText(text)
    d._validate()  # OK may be pressed: it is a tab stop
    assert_order(qtbot, d, [d.username_edit, d.full_name_edit, d.role_combo, d.password_edit,
                            d.repeat_edit],
                 buttons(d.buttons, QDialogButtonBox.StandardButton.Ok))
