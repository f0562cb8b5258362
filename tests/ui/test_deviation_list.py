"""The deviations tab of the certification page as people use it: an engineer requests a
deviation for a characteristic; the customer's approver signs its approval (a wrong password
signs nothing); the list says what holds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.ui.pages.certification_page import CertificationPage
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part
from tests.ui.shell_fixtures import ui_session  # noqa: F401 - fixtures


@pytest.fixture
def part(ctx, actors):
    return make_part(Services(ctx), actors)


def open_tab(qtbot, session) -> CertificationPage:
    page = CertificationPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.tabs.setCurrentWidget(page.deviations)
    qtbot.waitUntil(lambda: not page.deviations.model.loading)
    return page


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cell(page: CertificationPage, column: int) -> str:
    model = page.deviations.model
    return model.data(model.index(0, column))


def test_request_then_approve_with_a_signature(qtbot, ui_session, part, tmp_path):  # noqa: F811
    page = open_tab(qtbot, ui_session("eng"))
    widget = page.deviations
    assert widget.model.total == 0
    assert not widget.approve_button.isEnabled()  # an engineer does not decide
    click(qtbot, widget.request_button)
    dialog = widget.request_dialog
    qtbot.waitUntil(lambda: dialog.part_combo.count() == 1)
    qtbot.waitUntil(lambda: dialog.char_list.count() == 2)
    dialog.char_list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.description_edit.setPlainText("100 % sorting of the hole with a plug gauge")
    dialog.quantity_spin.setValue(400)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: widget.model.total == 1 and not widget.model.loading)
    assert cell(page, 0).startswith("DEV-TST-")
    assert cell(page, 2) == "1"
    assert "0 of 400 parts" in cell(page, 3)
    assert cell(page, 4) == "Awaiting the customer"

    page = open_tab(qtbot, ui_session("appr"))
    widget = page.deviations
    qtbot.waitUntil(lambda: widget.model.total == 1)
    widget.table.selectRow(0)
    click(qtbot, widget.approve_button)
    dialog = widget.signature_dialog
    assert dialog.meaning_label.text() == f"Deviation {cell(page, 0)} approved"
    dialog.password_edit.setText("not the password")
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.message.text() != "" and dialog.sign_button.isEnabled() is
                    False and not dialog._signing)
    assert dialog.isVisible() and dialog.result_info is None
    dialog.password_edit.setText(PASSWORD)
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.result_info is not None)
    qtbot.waitUntil(lambda: cell(page, 4) == "Approved, valid")
    assert cell(page, 5).startswith("Appr Person 20")
    page.grab().save(str(tmp_path / "deviations.png"))

    # The engineer records what was shipped under it: the quantity ends it.
    page = open_tab(qtbot, ui_session("eng"))
    widget = page.deviations
    qtbot.waitUntil(lambda: widget.model.total == 1)
    widget.table.selectRow(0)
    widget.use_spin.setValue(400)
    click(qtbot, widget.use_button)
    qtbot.waitUntil(lambda: cell(page, 4) == "Quantity used up")
    assert "400 of 400 parts" in cell(page, 3)
