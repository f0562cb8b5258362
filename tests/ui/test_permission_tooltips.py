"""A button someone's role does not allow is disabled and its tooltip says who may, and what to
do about it; the reason follows a change of language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop_app.domain.people import ROLE_PERMISSIONS, Permission, Role
from desktop_app.ui.pages.parts_page import PartsPage
from desktop_app.ui.pages.roadmap_page import RoadmapPage
from desktop_app.ui.widgets.permission import denied_reason, roles_with


def _page(qtbot, page_class, session):
    page = page_class(session)
    qtbot.addWidget(page)
    return page


def test_an_administrator_is_told_that_only_an_engineer_registers_parts(qtbot, ui_session):
    page = _page(qtbot, PartsPage, ui_session("admin"))
    assert not page.new_button.isEnabled()
    assert page.new_button.toolTip() == (
        "Only an engineer may register parts. Add an engineer in People, then sign in as that "
        "person.")
    assert not page.import_button.isEnabled()
    assert page.import_button.toolTip().startswith("Only an engineer may import parts.")


def test_someone_else_is_sent_to_an_administrator(qtbot, ui_session):
    page = _page(qtbot, PartsPage, ui_session("insp"))
    assert page.new_button.toolTip() == (
        "Only an engineer may register parts. Ask an administrator to add an engineer in "
        "People.")


def test_who_may_is_not_told_anything(qtbot, ui_session):
    page = _page(qtbot, PartsPage, ui_session("eng"))
    assert page.new_button.isEnabled() and page.new_button.toolTip() == ""


def test_every_role_that_may_is_named(actors):
    assert denied_reason(actors["appr"], Permission.RECORD_EVIDENCE).startswith(
        "Only an engineer or a quality inspector may record test evidence.")
    assert denied_reason(actors["eng"], Permission.MERGE_CONFLICTS) == ""
    assert denied_reason(actors["insp"], Permission.MERGE_CONFLICTS).startswith(
        "Only an engineer, an approver or an administrator may merge conflicting edits.")
    assert denied_reason(actors["eng"], Permission.MANAGE_PEOPLE) == (
        "Only an administrator may manage people. Ask an administrator to do it.")
    for permission in Permission:
        assert roles_with(permission) == [r for r in Role if permission in ROLE_PERMISSIONS[r]]


def test_each_disabled_roadmap_action_says_why(qtbot, ui_session):
    page = _page(qtbot, RoadmapPage, ui_session("insp"))
    for button in (page.add_set, page.add_milestone, page.add_step, page.sign_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Only "), button.objectName()
    assert "an administrator may edit the regulatory rules" in page.add_milestone.toolTip()
    assert page.sign_button.toolTip().startswith("Only an approver may sign off roadmap steps.")


class _Translator(QTranslator):
    """A catalogue of the sentences of this test (the real ones are the lead's to fill)."""

    WORDS = {"Only {roles} may {action}.": "Seul {roles} peut {action}.",
             "an engineer": "un ingénieur", "register parts": "enregistrer des pièces",
             "Add {role} in People, then sign in as that person.":
                 "Ajoutez {role} dans Personnes, puis connectez-vous en tant que cette personne."}

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        return self.WORDS.get(source, "") if context == "Permissions" else ""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override: an empty one announces no change
        return False


def test_the_reason_follows_the_language(qtbot, qapp, ui_session):
    page = _page(qtbot, PartsPage, ui_session("admin"))
    english = page.new_button.toolTip()
    translator = _Translator()
    QCoreApplication.installTranslator(translator)  # the change reaches widgets by the loop
    try:
        qtbot.waitUntil(lambda: page.new_button.toolTip() != english)
        assert page.new_button.toolTip() == (
            "Seul un ingénieur peut enregistrer des pièces. Ajoutez un ingénieur dans "
            "Personnes, puis connectez-vous en tant que cette personne.")
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: page.new_button.toolTip() == english)


def test_actions_once_hidden_from_a_role_are_shown_disabled_with_who_may(qtbot, ui_session):
    """The gauges register's Add, the Sync page's Enrol and People's Add were hidden from the
    roles that may not use them, so a person never learnt they exist or whom to ask."""
    from desktop_app.ui.pages.gauges_page import GaugesPage
    from desktop_app.ui.pages.people_page import PeoplePage
    from desktop_app.ui.pages.sync_page import SyncPage

    gauges = _page(qtbot, GaugesPage, ui_session("admin"))
    assert not gauges.add_button.isHidden() and not gauges.add_button.isEnabled()
    assert gauges.add_button.toolTip().startswith("Only ")
    assert "record test evidence" in gauges.add_button.toolTip()
    sync = _page(qtbot, SyncPage, ui_session("eng"))
    assert not sync.enrol_button.isHidden() and not sync.enrol_button.isEnabled()
    assert sync.enrol_button.toolTip() == (
        "Only an administrator may manage sites and keys. Ask an administrator to do it.")
    people = _page(qtbot, PeoplePage, ui_session("eng"))
    assert not people.add_button.isHidden() and not people.add_button.isEnabled()
    assert people.role_button.isHidden()  # what needs a chosen person stays out of the way
    assert _page(qtbot, GaugesPage, ui_session("eng")).add_button.isEnabled()
