"""The sync and conflicts pages driven as a person would: preview then import, a refused
package in the quarantine list, enrolment, and a field-by-field merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.domain.trust import default_scope
from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.dialogs.sync_dialogs import EnrolDialog, ScopeDialog
from desktop_app.ui.pages.base import UiSession
from desktop_app.ui.pages.conflicts_page import ConflictsPage
from desktop_app.ui.pages.sync_page import SyncPage
from desktop_app.ui.settings import Settings
from desktop_app.ui.tasks import TaskRunner
from tests.sync.sites import SiteUnderTest, make_sites


@pytest.fixture
def pair(tmp_path):
    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    yield a, b
    a.ctx.close()
    b.ctx.close()


def _session(site: SiteUnderTest, actor, tmp_path: Path) -> tuple[UiSession, TaskRunner]:
    events = AppEvents()
    tasks = TaskRunner(events)
    return UiSession(ctx=site.ctx, actor=actor, tasks=tasks, events=events,
                     settings=Settings(tmp_path / f"{site.code}.ini")), tasks


def test_preview_then_import_then_status(pair, qtbot, tmp_path):
    a, b = pair
    a.create({"title": "<b>not bold</b>"})
    package = a.export(tmp_path, to="BBB")
    session, tasks = _session(b, b.engineer, tmp_path)
    page = SyncPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.sites_table.rowCount() == 1
    assert page.sites_table.item(0, 7).text() == "—"
    assert not page.enrol_button.isEnabled()  # engineers do not enrol keys (the tooltip says)
    page.preview_file(package)
    qtbot.waitUntil(lambda: page.preview_dialog is not None)
    dialog = page.preview_dialog
    types = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
             for r in range(dialog.table.rowCount())}
    assert types["Supplier"] == "1"
    assert "AAA" in dialog.summary.text()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: page.last_import is not None)
    assert page.last_import.applied
    qtbot.waitUntil(lambda: page.sites_table.item(0, 7).text().startswith("no. 1"))
    assert "Imported package no. 1 from AAA" in page.message.text()
    tasks.shutdown()


def test_a_refused_package_shows_its_reason_and_lands_in_quarantine(pair, qtbot, tmp_path):
    _, b = pair
    junk = tmp_path / "junk.partdesk"
    junk.write_bytes(b"not a zip")
    session, tasks = _session(b, b.engineer, tmp_path)
    page = SyncPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.data is not None)
    page.preview_file(junk)
    qtbot.waitUntil(
        lambda: "junk.partdesk is not a complete PartDesk package" in page.message.text())
    qtbot.waitUntil(lambda: page.quarantine_table.rowCount() == 1)
    assert page.quarantine_table.item(0, 1).text() == "junk.partdesk"
    tasks.shutdown()


def test_administrator_enrols_and_retires(tmp_path, qtbot):
    a, b = make_sites(tmp_path / "s", "AAA", "BBB")
    c = make_sites(tmp_path / "t", "CCC")[0]
    key = tmp_path / "c.key"
    fp = c.keys.write_key_file(key).fingerprint
    session, tasks = _session(a, a.admin, tmp_path)
    page = SyncPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.enrol_button.isVisible()
    page.enrol(key, "0000" * 10)
    qtbot.waitUntil(lambda: "does not match" in page.message.text())
    page.enrol(key, fp.lower())
    qtbot.waitUntil(lambda: page.data is not None and len(page.data.sites) == 2)
    assert "CCC" in {page.sites_table.item(r, 0).text() for r in range(2)}
    page.retire("CCC")
    qtbot.waitUntil(lambda: any(s.retired for s in page.data.sites))
    tasks.shutdown()
    for s in (a, b, c):
        s.ctx.close()


def test_side_by_side_merge(pair, qtbot, tmp_path):
    a, b = pair
    record = a.create({"title": "bracket", "note": "<script>x</script>"})
    b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB"))
    a.update(record, {"title": "bracket LH", "note": "<script>x</script>"})
    b.propose(record, {"title": "bracket RH", "note": "=SUM(A1)"})  # BBB edits AAA's record
    a.sync.import_package(a.engineer, b.export(tmp_path, to="AAA"))
    session, tasks = _session(a, a.engineer, tmp_path)
    page = ConflictsPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.list_table.rowCount() == 1)
    assert not page.none_label.isVisible()
    page.select_record(record)
    qtbot.waitUntil(lambda: page.view is not None)
    fields = {page.compare_table.item(r, 0).text(): r
              for r in range(page.compare_table.rowCount())}
    row = fields["notes"]
    values = {page.compare_table.item(row, c).text() for c in (1, 2)}
    assert values == {"note=<script>x</script>", "note==SUM(A1)"}
    assert not page.merge_button.isEnabled()
    a_rev = next(h.rev_id for h in page.view.summary.heads if h.site_code == "AAA")
    page.take_combo.setCurrentIndex(page.take_combo.findData(a_rev))
    b_rev = next(h.rev_id for h in page.view.summary.heads if h.site_code == "BBB")
    combo = page.field_choices["notes"]
    combo.setCurrentIndex(combo.findData(b_rev))
    qtbot.keyClicks(page.reason_edit, "checked the drawing")
    assert page.merge_button.isEnabled()
    page.merge_button.click()
    qtbot.waitUntil(lambda: page.list_table.rowCount() == 0)
    qtbot.waitUntil(page.none_label.isVisible)  # said, not a blank table
    assert "nothing to merge" in page.none_label.text()
    with a.ctx.unit_of_work() as uow:
        assert uow.records.require(record).fields == {"name": "bracket LH",
                                                      "notes": "note==SUM(A1)"}
    tasks.shutdown()


def test_administrator_sees_and_changes_what_a_site_may_write(pair, qtbot, tmp_path):
    a, b = pair
    session, tasks = _session(a, a.admin, tmp_path)
    page = SyncPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.sites_table.horizontalHeaderItem(3).text() == "May write here"
    shown = page.sites_table.item(0, 3)
    plant = len(default_scope("plant"))  # BBB is a plant
    assert shown.text() == f"the defaults of its kind ({plant})"
    assert "Part" in shown.toolTip() and "Decision" not in shown.toolTip()
    page.sites_table.selectRow(0)
    assert page.scope_button.isEnabled()
    page.scope_button.click()
    dialog = page.findChild(ScopeDialog)
    assert dialog is not None and "part" in dialog.types()
    items = {dialog.checks.item(i).data(Qt.ItemDataRole.UserRole): dialog.checks.item(i)
             for i in range(dialog.checks.count())}
    items["decision"].setCheckState(Qt.CheckState.Checked)
    items["part"].setCheckState(Qt.CheckState.Unchecked)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "Decision" in page.sites_table.item(0, 3).toolTip())
    assert page.sites_table.item(0, 3).text() == f"changed here ({plant} kinds)"  # +1 -1
    assert "Part" not in page.sites_table.item(0, 3).toolTip()
    assert a.keys.scope("BBB").record_types.count("part") == 0
    tasks.shutdown()


def test_the_enrol_dialog_checks_the_kinds_defaults_from_the_key_file(tmp_path, qtbot):
    c = make_sites(tmp_path / "t", "CCC")[0]
    key = tmp_path / "c.key"
    c.keys.write_key_file(key)
    dialog = EnrolDialog(kind_of=lambda path: c.keys.read_key_file(path)["kind"])
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(key))
    dialog.path_edit.editingFinished.emit()
    assert "part" in dialog.scope() and "decision" not in dialog.scope()  # a plant's defaults
    c.ctx.close()


def test_a_site_that_does_not_own_the_record_sees_who_settles_it(pair, qtbot, tmp_path):
    a, b = pair
    record = a.create({"title": "bracket"})
    b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB"))
    a.update(record, {"title": "bracket LH"})
    b.propose(record, {"title": "bracket RH"})
    b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB"))
    session, tasks = _session(b, b.engineer, tmp_path)
    page = ConflictsPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.list_table.rowCount() == 1)
    page.select_record(record)
    qtbot.waitUntil(lambda: page.view is not None)
    assert "belongs to site AAA: only AAA can merge it" in page.owner_label.text()
    qtbot.keyClicks(page.reason_edit, "mine")
    assert not page.merge_button.isEnabled() and not page.reason_edit.isEnabled()
    tasks.shutdown()
