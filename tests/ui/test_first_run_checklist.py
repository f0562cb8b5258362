"""A first run that leads somewhere: the dashboard's checklist says what to set up next, its
button opens the right page or dialog, and it goes away once everything is set up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.parts import PartDraft, SupplierDraft, VehicleModelDraft
from desktop_app.domain.people import Role
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.services.setup import SetupChecklist, SetupService, SetupStep, SetupStepKind
from desktop_app.services.site import SiteService
from desktop_app.services.suppliers import SupplierService, VehicleModelService
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.dialogs.person_dialog import PersonDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets.setup_checklist import SetupChecklistWidget
from tests.conftest import PASSWORD

PAGES = [f"desktop_app.ui.pages.{module}" for module in (
    "dashboard_page:DashboardPage", "parts_page:PartsPage", "sync_page:SyncPage",
    "people_page:PeoplePage")]


@pytest.fixture
def admin_session(ctx, tmp_path):
    """The administrator `init` made, signed in; nobody else exists."""
    events = AppEvents()
    tasks = TaskRunner(events)
    yield UiSession(ctx=ctx, actor=PeopleService(ctx).sign_in("admin", PASSWORD), tasks=tasks,
                    events=events, settings=Settings(tmp_path / "admin.ini"))
    tasks.shutdown()


@pytest.fixture
def window(qtbot, ctx, admin_session, languages):
    """The main window of a folder fresh from `init`: one administrator, nothing else."""
    session = admin_session
    window = MainWindow(session, SiteService(ctx).local_site(), languages, pages=PAGES)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.setup is not None)
    return window


def test_a_fresh_folder_shows_the_checklist_with_people_first(window, qtbot):
    dashboard = window.page("dashboard")
    checklist = dashboard.checklist
    assert checklist.isVisible()
    assert [s.done for s in dashboard.setup.steps] == [False] * 5
    assert checklist.summary.text() == "Steps done: 0 of 5. Next: People."
    button = checklist.next_button()
    assert button is checklist.buttons[SetupStepKind.PEOPLE]
    assert button.text() == "Add a person…" and button.isEnabled() and button.isDefault()
    assert "Only an engineer may register parts" in \
        checklist.details[SetupStepKind.PEOPLE].text()
    assert "No vehicle model yet" in dashboard.findChild(type(checklist.summary),
                                                         "no_models_hint").text()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.page("people")
    assert isinstance(dashboard.dialog, PersonDialog) and dashboard.dialog.isVisible()
    dashboard.dialog.close()


def test_steps_the_administrator_may_not_do_say_who_may(window):
    checklist = window.page("dashboard").checklist
    parts = checklist.buttons[SetupStepKind.PARTS]
    assert not parts.isEnabled()
    assert parts.toolTip() == ("Only an engineer may register parts. Add an engineer in People, "
                               "then sign in as that person.")
    # An administrator does add suppliers and models, and enrols the other sites.
    assert checklist.buttons[SetupStepKind.REFERENCE_DATA].isEnabled()
    assert checklist.buttons[SetupStepKind.PEERS].isEnabled()


def test_each_step_is_done_when_the_data_says_so(ctx, actors, qtbot, window):
    # `actors` added an engineer, an inspector and approvers.
    admin, eng = actors["admin"], actors["eng"]
    service = SetupService(ctx)
    state = service.checklist(admin)
    assert state.step(SetupStepKind.PEOPLE).done
    assert state.next_step.kind is SetupStepKind.REFERENCE_DATA
    supplier = SupplierService(ctx).add_supplier(eng, SupplierDraft("Sidérurgie", "SUP"))
    VehicleModelService(ctx).add_model(eng, VehicleModelDraft("X70", "Jetour", "X70"))
    assert service.checklist(admin).step(SetupStepKind.REFERENCE_DATA).done
    PartService(ctx).register_part(eng, PartDraft("JX7-100", "A", "Traverse",
                                                  supplier_id=supplier.supplier_id))
    service.record_key_shared()
    state = service.checklist(admin)
    assert [s.done for s in state.steps] == [True, True, True, True, False]
    assert state.next_step.kind is SetupStepKind.PEERS

    dashboard = window.page("dashboard")
    dashboard.refresh()
    qtbot.waitUntil(lambda: dashboard.setup.step(SetupStepKind.PARTS).done)
    checklist = dashboard.checklist
    assert checklist.isVisible()
    assert checklist.buttons[SetupStepKind.PARTS].isHidden()
    assert checklist.marks[SetupStepKind.PARTS].text() == "✔"
    assert checklist.next_button() is checklist.buttons[SetupStepKind.PEERS]
    qtbot.mouseClick(checklist.next_button(), Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.page("sync")


def test_the_checklist_goes_away_once_everything_is_set_up(qtbot, actors):
    widget = SetupChecklistWidget(actors["admin"])
    qtbot.addWidget(widget)
    widget.show()
    widget.set_checklist(SetupChecklist(tuple(SetupStep(k, False, 0) for k in SetupStepKind)))
    assert widget.isVisible()
    widget.set_checklist(SetupChecklist(tuple(SetupStep(k, True, 1) for k in SetupStepKind)))
    assert not widget.isVisible()


def test_a_disabled_engineer_does_not_count(ctx, actors):
    people = PeopleService(ctx)
    people.set_active(actors["admin"], actors["eng"].user_id, False)
    assert not SetupService(ctx).checklist(actors["admin"]).step(SetupStepKind.PEOPLE).done
    people.add_person(actors["admin"], "eng2", "Second Engineer", Role.ENGINEER, PASSWORD)
    assert SetupService(ctx).checklist(actors["admin"]).step(SetupStepKind.PEOPLE).done
