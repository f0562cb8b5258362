"""An empty list says why it is empty and what to do, once its rows are read (never while it
is still loading); a list with rows says nothing."""

from __future__ import annotations

import pytest

from desktop_app.domain.parts import PartDraft
from desktop_app.services.parts import PartService
from desktop_app.ui.pages.certification_page import CertificationPage
from desktop_app.ui.pages.gauges_page import GaugesPage
from desktop_app.ui.pages.parts_page import PartsPage
from desktop_app.ui.pages.roadmap_page import RoadmapPage
from desktop_app.ui.pages.sync_page import SyncPage


def _shown(qtbot, page_class, session):
    page = page_class(session)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: not session.tasks.busy)
    return page


def test_an_empty_parts_registry_says_who_registers_parts(qtbot, ui_session):
    page = _shown(qtbot, PartsPage, ui_session("admin"))
    qtbot.waitUntil(page.empty_hint.isVisible)
    assert page.empty_hint.text().startswith("No part registered yet. An engineer registers")


def test_a_search_without_match_says_so_and_rows_hide_the_hint(qtbot, ui_session, ctx, actors):
    PartService(ctx).register_part(actors["eng"], PartDraft("JX7-281", "A", "Traverse"))
    session = ui_session("eng")
    page = _shown(qtbot, PartsPage, session)
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.empty_hint.isHidden()
    page.search_edit.setText("zzz")
    qtbot.waitUntil(page.empty_hint.isVisible)
    assert page.empty_hint.text() == "No part matches this search or these filters."


@pytest.mark.parametrize(("page_class", "hint", "text"), [
    (SyncPage, "sites_hint", "No other site yet. Save this site's key"),
    (SyncPage, "quarantine_hint", "No package was refused."),
    (RoadmapPage, "sets_hint", "No vehicle model yet"),
    (RoadmapPage, "steps_hint", "No vehicle model yet"),
    (GaugesPage, "empty_hint", "No gauge registered yet"),
    (CertificationPage, "empty_hint", "No submission yet."),
])
def test_each_empty_list_says_why(qtbot, ui_session, page_class, hint, text):
    page = _shown(qtbot, page_class, ui_session("eng"))
    label = getattr(page, hint)
    qtbot.waitUntil(lambda: label.ready and label.text() != "")
    assert label.text().startswith(text)


def test_the_certificate_register_says_when_none_was_issued(qtbot, ui_session):
    page = _shown(qtbot, CertificationPage, ui_session("insp"))
    hint = page.register.empty_hint
    qtbot.waitUntil(lambda: hint.text() != "")
    assert hint.text().startswith("No certificate issued yet")
