"""Fields that may not be changed look it: read-only, greyed, and a tooltip says why."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from desktop_app.domain.parts import PartDraft, PartStatus
from desktop_app.services.parts import PartService
from desktop_app.ui.dialogs.part_dialog import PartDialog, PartRefs
from desktop_app.ui.widgets.read_only import LOCKED_BASE


@pytest.fixture
def released(ctx, actors):
    parts = PartService(ctx)
    part = parts.register_part(actors["eng"], PartDraft("JX7-281", "B", "Traverse avant"))
    return parts.change_status(actors["eng"], part.part_id, PartStatus.RELEASED)


def _dialog(qtbot, session, detail):
    dialog = PartDialog(session, PartRefs(), detail)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _grey(widget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base) == LOCKED_BASE


def test_a_released_revision_is_read_only_and_says_why(qtbot, ui_session, released):
    dialog = _dialog(qtbot, ui_session("eng"), released)
    reason = ("Locked: this revision is released. Make a new drawing revision to change it.")
    for edit in (dialog.designation_edit, dialog.material_edit, dialog.mass_edit,
                 dialog.number_edit, dialog.designation_edits["ar"]):
        assert edit.isReadOnly(), edit.objectName()
        assert _grey(edit), edit.objectName()
        assert edit.toolTip() == reason
    assert dialog.notes_edit.isReadOnly() and _grey(dialog.notes_edit)
    assert not dialog.family_combo.isEnabled() and dialog.family_combo.toolTip() == reason
    assert dialog.save_button.isHidden()


def test_a_new_drawing_revision_unlocks_all_but_the_part_number(qtbot, ui_session, released):
    dialog = _dialog(qtbot, ui_session("eng"), released)
    dialog.new_revision_button.click()
    assert not dialog.designation_edit.isReadOnly() and not _grey(dialog.designation_edit)
    assert dialog.designation_edit.toolTip() == ""
    assert dialog.number_edit.isReadOnly() and _grey(dialog.number_edit)
    assert dialog.number_edit.toolTip() == "A new drawing revision keeps the part number."


def test_someone_who_may_not_edit_parts_is_told_who_may(qtbot, ui_session, ctx, actors):
    part = PartService(ctx).register_part(actors["eng"], PartDraft("JX7-300", "A", "Longeron"))
    dialog = _dialog(qtbot, ui_session("insp"), part)
    assert dialog.designation_edit.isReadOnly() and _grey(dialog.designation_edit)
    assert dialog.designation_edit.toolTip().startswith("Only an engineer may edit parts.")
