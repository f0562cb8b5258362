"""The laboratories tab: an accreditation recorded in the window, shown expired in red until it
is renewed; the EN 10204 documents listed with their French designation."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from desktop_app.domain.laboratories import InspectionDocumentDraft
from desktop_app.services.laboratories import LaboratoryService
from desktop_app.ui.pages.certification_page import CertificationPage
from desktop_app.ui.widgets.laboratories_widget import BAD
from tests.services.certification_fixtures import Services, make_part
from tests.ui.shell_fixtures import ui_session  # noqa: F401 - fixtures


def test_an_expired_accreditation_shows_until_renewed(qtbot, ui_session, ctx, actors,  # noqa: F811
                                                      tmp_path):
    part = make_part(Services(ctx), actors)
    LaboratoryService(ctx).record_document(actors["insp"], InspectionDocumentDraft(
        part["material"], "3.1", "26-0412", "K. Ouali"))
    page = CertificationPage(ui_session("insp"))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.tabs.setCurrentWidget(page.laboratories)
    widget = page.laboratories
    qtbot.waitUntil(lambda: widget.docs_model.total == 1 and not widget.docs_model.loading)
    docs = widget.docs_model
    assert [docs.data(docs.index(0, c)) for c in (1, 2, 3, 4)] == [
        "3.1 Inspection certificate 3.1", "certificat de réception 3.1", "26-0412", "K. Ouali"]
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    dialog = widget.lab_dialog
    dialog.name_edit.setText("LNMC Alger")
    dialog.body_edit.setText("ALGERAC")
    dialog.number_edit.setText("L-0142")
    dialog.scope_edit.setText("ISO 6892-1; ISO 9227")
    dialog.until_edit.setDate(QDate(2021, 6, 30))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: widget.labs_model.total == 1 and not widget.labs_model.loading)
    labs = widget.labs_model
    assert [labs.data(labs.index(0, c)) for c in range(5)] == [
        "LNMC Alger", "ALGERAC L-0142", "ISO 6892-1; ISO 9227", "30 Jun 2021", "Expired"]
    assert labs.data(labs.index(0, 4), Qt.ItemDataRole.ForegroundRole) == BAD
    widget.labs_table.selectRow(0)
    qtbot.mouseClick(widget.renew_button, Qt.MouseButton.LeftButton)
    dialog = widget.lab_dialog
    assert dialog.number_edit.text() == "L-0142"
    dialog.until_edit.setDate(QDate(date.today().year + 3, 6, 30))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: labs.data(labs.index(0, 4)) == "Valid")
    assert labs.total == 1
    page.grab().save(str(tmp_path / "labs.png"))


def test_a_32_is_recorded_with_its_cosigner(qtbot, ui_session, ctx, actors):  # noqa: F811
    from desktop_app.services.evidence_queries import EvidenceQueries

    part = make_part(Services(ctx), actors)
    number = EvidenceQueries(ctx).report(part["material"]).summary.number
    page = CertificationPage(ui_session("insp"))
    qtbot.addWidget(page)
    page.show()
    widget = page.laboratories
    qtbot.mouseClick(widget.document_button, Qt.MouseButton.LeftButton)
    dialog = widget.document_dialog
    assert dialog.type_combo.currentText().startswith("3.1 — certificat de réception 3.1")
    assert not dialog.cosigner_edit.isEnabled()
    dialog.type_combo.setCurrentIndex(3)
    assert dialog.cosigner_edit.isEnabled()
    dialog.report_edit.setText(number)
    dialog.heat_edit.setText("26-1187")
    dialog.inspector_edit.setText("K. Ouali")
    dialog.buttons.accepted.emit()  # no co-signer: refused, the dialog stays
    qtbot.waitUntil(lambda: "purchaser" in dialog.message.text())
    assert dialog.isVisible()
    dialog.cosigner_edit.setText("Li Wei")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: widget.docs_model.total == 1 and not widget.docs_model.loading)
    docs = widget.docs_model
    assert [docs.data(docs.index(0, c)) for c in (2, 5)] == ["certificat de réception 3.2",
                                                            "Li Wei"]
