"""A barcode scanner in the search fields: it types the code fast and ends with Enter (or Tab);
the exact match opens or is chosen, anything else is searched, and the dialog's OK is never
pressed by it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_app.domain.parts import PartDraft
from desktop_app.services.certification import CertificationService
from desktop_app.services.evidence_dto import GaugeDraft
from desktop_app.services.parts import PartService
from desktop_app.ui.dialogs.new_submission_dialog import NewSubmissionDialog
from desktop_app.ui.dialogs.part_dialog import PartDialog
from desktop_app.ui.pages.certification_page import CertificationPage
from desktop_app.ui.pages.gauges_page import GaugesPage
from desktop_app.ui.pages.parts_page import PartsPage
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, approved
from tests.services.certification_fixtures import make_part as certified_part
from tests.services.evidence_fixtures import make_service

# A Qt warning (a tab order across windows, a shortcut Qt finds ambiguous) fails the test; the
# offscreen platform's own notices do not.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def parts(ctx, actors) -> dict[str, str]:
    """Two revisions of JT-7100, a longer number that begins the same, and a bracket."""
    service, eng = PartService(ctx), actors["eng"]
    ids = {}
    for number, revision, designation in (("JT-7100", "A", "Support moteur"),
                                          ("JT-7100", "B", "Support moteur"),
                                          ("JT-71000", "A", "Support batterie"),
                                          ("JT-8800", "A", "Patte de fixation")):
        ids[f"{number} {revision}"] = service.register_part(eng, PartDraft(
            part_number=number, revision=revision, designation=designation,
            family="body_stamping")).part_id
    return ids


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def scan(edit, code: str, end: Qt.Key = Qt.Key.Key_Return) -> None:
    """What a scanner does: the code, then Enter (or Tab), with no pause."""
    edit.setFocus()
    QTest.keyClicks(edit, code)
    QTest.keyClick(edit, end)


@pytest.fixture
def parts_page(qtbot, ui_session, parts):
    page = shown(qtbot, PartsPage(ui_session("eng")))
    qtbot.waitUntil(lambda: page.model.total == 4 and not page.model.loading)
    return page


def test_a_scanned_part_number_opens_its_latest_revision(qtbot, parts_page):
    page = parts_page
    with qtbot.waitSignal(page.scan.looked_up) as blocker:
        scan(page.search_edit, "JT-7100")
    assert blocker.args == ["JT-7100", True]
    qtbot.waitUntil(lambda: isinstance(page.dialog, PartDialog) and page.dialog.isVisible())
    draft = page.dialog.detail.draft
    assert (draft.part_number, draft.revision) == ("JT-7100", "B")
    assert page.search_edit.selectedText() == "JT-7100"  # the next scan replaces it


def test_a_scan_after_an_older_code_replaces_it_and_may_name_the_revision(qtbot, parts_page):
    page = parts_page
    page.search_edit.setText("JT-8800")  # left from the last search, cursor at its end
    with qtbot.waitSignal(page.scan.looked_up):
        scan(page.search_edit, "JT-7100 A")
    assert page.search_edit.text() == "JT-7100 A"
    qtbot.waitUntil(lambda: isinstance(page.dialog, PartDialog))
    assert page.dialog.detail.draft.revision == "A"


def test_a_code_that_names_no_part_exactly_is_searched(qtbot, parts_page):
    page = parts_page
    with qtbot.waitSignal(page.scan.looked_up) as blocker:
        scan(page.search_edit, "JT-71")
    assert blocker.args == ["JT-71", False]
    qtbot.waitUntil(lambda: page.model.total == 3 and not page.model.loading)
    assert page.dialog is None


def test_a_scan_ending_with_tab_chooses_the_part_and_never_presses_ok(qtbot, ctx, ui_session,
                                                                      actors, parts):
    dialog = shown(qtbot, NewSubmissionDialog(ui_session("eng")))
    qtbot.waitUntil(lambda: dialog.part_combo.count() == 4)
    with qtbot.waitSignal(dialog.picker.scan.looked_up):
        scan(dialog.search_edit, "JT-8800", end=Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.part_combo.currentData() == parts["JT-8800 A"])
    assert QApplication.focusWidget() is dialog.search_edit  # the Tab ended the code
    with qtbot.waitSignal(dialog.picker.scan.looked_up):
        scan(dialog.search_edit, "JT-7100 A")  # Enter: the dialog stays, nothing is created
    qtbot.waitUntil(lambda: dialog.part_combo.currentData() == parts["JT-7100 A"])
    assert dialog.isVisible() and dialog.created is None
    assert CertificationService(ctx).count_submissions(actors["eng"]) == 0
    # A person's Tab, after a pause, goes on to the next field as always.
    QTest.keyClick(dialog.search_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier, 120)
    assert QApplication.focusWidget() is dialog.part_combo


def test_a_scanned_gauge_code_selects_the_gauge(qtbot, ctx, actors, ui_session):
    evidence = make_service(ctx)
    for code, kind in (("MIC-014", "Micrometer 0-25 mm"), ("CAL-007", "Caliper 0-150 mm"),
                       ("CAL-0071", "Caliper 0-300 mm")):
        evidence.add_gauge(actors["insp"], GaugeDraft(code, kind, "0-25 mm", "0.001",
                                                      "2026-06-01", "2027-06-01"))
    page = shown(qtbot, GaugesPage(ui_session("insp")))
    qtbot.waitUntil(lambda: len(page.gauges) == 3)
    with qtbot.waitSignal(page.scan.looked_up) as blocker:
        scan(page.search_edit, "cal-007")
    assert blocker.args == ["cal-007", True]
    assert [i.text() for i in page.table.selectedItems()][:2] == ["CAL-007", "Caliper 0-150 mm"]


def test_a_scanned_submission_or_certificate_number_opens_it(qtbot, ctx, actors, ui_session):
    svc = Services(ctx)
    sid = approved(svc, actors, certified_part(svc, actors), PASSWORD)
    detail = svc.cert.submission(actors["insp"], sid)
    certificate = detail.decisions[-1].certificate_number
    page = shown(qtbot, CertificationPage(ui_session("insp")))
    qtbot.waitUntil(lambda: page.model.total == 1 and page.register.model.total == 1)
    with qtbot.waitSignal(page.scan.looked_up) as blocker:
        scan(page.search_edit, detail.summary.number.lower())
    assert blocker.args[1] is True
    qtbot.waitUntil(lambda: page.editor.detail is not None
                    and page.editor.detail.summary.submission_id == sid)
    page.search_edit.selectAll()
    with qtbot.waitSignal(page.scan.looked_up) as blocker:
        scan(page.search_edit, certificate)
    assert blocker.args == [certificate, True]
    assert page.tabs.currentWidget() is page.register
    assert page.register.selected().number == certificate
