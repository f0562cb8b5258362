"""The people page: an administrator manages people; everyone else only reads the list."""

from __future__ import annotations

from desktop_app.services.people import PeopleService
from desktop_app.ui.pages.people_page import PeoplePage


def make_page(qtbot, session) -> PeoplePage:
    page = PeoplePage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() > 0)
    return page


def rows(page: PeoplePage) -> list[list[str]]:
    return [[page.table.item(r, c).text() for c in range(page.table.columnCount())]
            for r in range(page.table.rowCount())]


def select(page: PeoplePage, username: str) -> None:
    page.table.selectRow([p.username for p in page.people].index(username))


def test_admin_adds_a_person_who_can_then_sign_in(qtbot, ctx, ui_session):
    page = make_page(qtbot, ui_session("admin"))
    assert ["eng", "Eng Person", "Engineer", "Yes"] in rows(page)
    assert page.add_button.isVisible()
    page.add_button.click()
    dialog = page.dialog
    dialog.username_edit.setText("k.benali")
    dialog.full_name_edit.setText("Karim Benali")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("inspector"))
    dialog.password_edit.setText("k")
    dialog.repeat_edit.setText("k")
    dialog._validate()
    assert dialog.error_label.text() == "A password has at least 10 characters."
    assert not dialog.ok_button.isEnabled()
    dialog.password_edit.setText("benali-secret-1")
    dialog.repeat_edit.setText("benali-secret-1")
    dialog._validate()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: ["k.benali", "Karim Benali", "Quality inspector", "Yes"] in rows(page))
    assert page.message.text() == "k.benali can now sign in."
    assert PeopleService(ctx).sign_in("k.benali", "benali-secret-1").display_name == "Karim Benali"


def test_admin_disables_and_re_roles_a_person(qtbot, ctx, ui_session):
    page = make_page(qtbot, ui_session("admin"))
    select(page, "insp")
    assert page.active_button.text() == "Disable"
    page.active_button.click()
    qtbot.waitUntil(lambda: ["insp", "Insp Person", "Quality inspector", "No, disabled"]
                    in rows(page))
    select(page, "insp")
    assert page.active_button.text() == "Enable"
    select(page, "eng")
    page.role_button.click()
    dialog = page.dialog
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("approver"))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: ["eng", "Eng Person", "Approver", "Yes"] in rows(page))


def test_the_last_administrator_cannot_be_disabled(qtbot, ctx, ui_session):
    page = make_page(qtbot, ui_session("admin"))
    select(page, "admin")
    page.active_button.click()
    qtbot.waitUntil(lambda: page.message.text() != "")
    assert page.message.text() == "admin is the last active administrator; appoint another first."


def test_admin_resets_a_password(qtbot, ctx, ui_session):
    page = make_page(qtbot, ui_session("admin"))
    select(page, "appr")
    page.reset_button.click()
    dialog = page.dialog
    assert not dialog.current_edit.isVisible()
    dialog.new_edit.setText("reset-by-admin-1")
    dialog.repeat_edit.setText("reset-by-admin-1")
    dialog._validate()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.message.text() == "The password of appr was reset.")
    assert PeopleService(ctx).sign_in("appr", "reset-by-admin-1").username == "appr"


def test_others_see_the_list_without_the_buttons(qtbot, ctx, ui_session):
    page = make_page(qtbot, ui_session("eng"))
    assert len(rows(page)) == 5
    for button in (page.role_button, page.active_button, page.reset_button):
        assert not button.isVisible()
    # Add stays in sight, disabled, saying who may add people
    assert not page.add_button.isEnabled()
    assert page.add_button.toolTip().startswith("Only an administrator may manage people.")
