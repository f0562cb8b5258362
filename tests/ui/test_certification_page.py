"""The certification page as people use it: from draft to a signed approval, the register,
and verification of a scanned code."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageLayout

from desktop_app.domain.certification import Action, CertificateStatus, State
from desktop_app.domain.ppap import ELEMENTS
from desktop_app.ui.dialogs.verify_certificate_dialog import VerifyCertificateDialog
from desktop_app.ui.pages.certification_page import CertificationPage
from tests.conftest import PASSWORD
from tests.documents.raster import assert_printed_page, rasterise
from tests.services.certification_fixtures import Services, make_part, ready_submission
from tests.ui.shell_fixtures import languages, ui_session  # noqa: F401 - fixtures


@pytest.fixture
def prepared(ctx, actors):
    svc = Services(ctx)
    part = make_part(svc, actors)
    return svc, ready_submission(svc, actors, part)


def open_page(qtbot, session) -> CertificationPage:
    page = CertificationPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitUntil(lambda: page.model.total > 0 and not page.model.loading)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.editor.detail is not None)
    return page


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_submission_walks_from_draft_to_a_signed_approval(qtbot, ui_session, prepared):  # noqa: F811
    svc, sid = prepared
    page = open_page(qtbot, ui_session("eng"))
    editor = page.editor
    assert editor.elements.rowCount() == 19  # the 18 elements, element 1 in two parts
    assert not editor.workflow_buttons[Action.APPROVE].isEnabled()
    click(qtbot, editor.check_button)
    qtbot.waitUntil(lambda: editor.check_result is not None)
    assert editor.check_result.ok
    click(qtbot, editor.workflow_buttons[Action.SUBMIT])
    qtbot.waitUntil(lambda: editor.detail.summary.state is State.SUBMITTED)

    page = open_page(qtbot, ui_session("insp"))
    click(qtbot, page.editor.workflow_buttons[Action.START_REVIEW])
    qtbot.waitUntil(lambda: page.editor.detail.summary.state is State.UNDER_REVIEW)
    assert not page.editor.workflow_buttons[Action.APPROVE].isEnabled()

    page = open_page(qtbot, ui_session("appr"))
    editor = page.editor
    click(qtbot, editor.workflow_buttons[Action.APPROVE])
    dialog = editor.signature_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.meaning_label.text() == "approved as PPAP level 3"
    dialog.password_edit.setText("wrong-password-1")
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.message.text() != "" and "Signing" not in
                    dialog.message.text())
    assert "password is wrong" in dialog.message.text()
    assert dialog.isVisible()
    assert svc.cert.submission(ui_session("appr").actor, sid).summary.state \
        is State.UNDER_REVIEW
    dialog.password_edit.setText(PASSWORD)
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: editor.detail.summary.state is State.APPROVED)
    assert not dialog.isVisible()
    assert any("approved as PPAP level 3" in editor.history.item(i).text()
               for i in range(editor.history.count()))
    page.tabs.setCurrentIndex(1)
    register = page.register
    qtbot.waitUntil(lambda: register.model.total == 1 and not register.model.loading)
    cert = register.model.row_object(0)
    assert cert is not None and cert.status is CertificateStatus.VALID


def test_verification_window_takes_a_scanned_code(qtbot, ui_session, prepared, actors):  # noqa: F811
    svc, sid = prepared
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    payload = svc.certificates.certificate(None, detail.decisions[-1].certificate_number).payload
    dialog = VerifyCertificateDialog(ui_session("insp"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.payload_edit, payload)
    qtbot.keyClick(dialog.payload_edit, Qt.Key.Key_Return)  # what a keyboard-wedge scanner does
    qtbot.waitUntil(lambda: dialog.last_result is not None)
    assert "is genuine" in dialog.verdict_label.text()
    assert "JT-5401-220" in dialog.details.toPlainText()
    dialog.payload_edit.setText(payload.replace("JT-5401-220", "JT-5401-229"))
    dialog.last_result = None
    qtbot.keyClick(dialog.payload_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_result is not None)
    assert "NOT genuine" in dialog.verdict_label.text()


def test_printing_renders_the_certificate_pages(qapp, ctx, actors, prepared, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.ui.certificate_printing import print_pdf

    svc, sid = prepared
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    number = svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD) \
        .decisions[-1].certificate_number
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pdf(printer, svc.certificates.render_pdf(actors["insp"], number, ("zh",))) == 1
    # What came out of the printer: a sheet of the printer's paper (A4 or Letter, after the
    # locale) with the certificate on it, read from its pixels, not from the file's size.
    paper = printer.pageLayout().fullRect(QPageLayout.Unit.Point)
    png = rasterise(tmp_path / "printed.pdf", dpi=40)
    assert_printed_page(png, (paper.width(), paper.height()), dpi=40)


def retain_all(svc, actors, sid: str) -> None:
    """The customer's choice at level 4, every element retained (the tests then ask for 04)."""
    svc.cert.update_submission(actors["eng"], sid, customer_choices={
        e.code: "R" for e in ELEMENTS if e.code != "18"})


def test_level_four_takes_the_customers_choice_per_element(qtbot, ui_session, ctx, actors):  # noqa: F811
    svc = Services(ctx)
    part = make_part(svc, actors)
    retain_all(svc, actors, ready_submission(svc, actors, part, level=4))
    page = open_page(qtbot, ui_session("eng"))
    editor = page.editor
    row = next(i for i, e in enumerate(editor.detail.elements) if e.code == "04")
    assert editor.elements.item(row, 2).text() == "Retain (customer)"
    editor.elements.selectRow(row)
    click(qtbot, editor.choice_button)
    qtbot.waitUntil(lambda: editor.detail.customer_choices.get("04") == "S")
    assert editor.elements.item(row, 2).text() == "Submit (customer)"
    click(qtbot, editor.check_button)
    qtbot.waitUntil(lambda: editor.check_result is not None)
    assert [f.element for f in editor.check_result.problems] == ["04"]


def test_the_page_speaks_french(qtbot, ui_session, prepared, languages):  # noqa: F811
    page = open_page(qtbot, ui_session("appr"))
    languages.apply("fr")
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Soumissions")
    assert page.title() == "Certification"
    assert page.editor.workflow_buttons[Action.APPROVE].text() == "Approuver"
    assert page.register.print_button.text() == "Imprimer…"
    languages.apply("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Submissions")


@pytest.mark.parametrize(("code", "tab", "approve"), [("ar", "التقديمات", "اعتماد"),
                                                      ("zh", "提交", "批准")])
def test_the_page_in_arabic_and_chinese(qtbot, ui_session, prepared, languages, code, tab,  # noqa: F811
                                        approve):
    page = open_page(qtbot, ui_session("appr"))
    languages.apply(code)
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == tab)
    assert page.editor.workflow_buttons[Action.APPROVE].text() == approve
    languages.apply("en")


def test_the_warrant_is_shown_and_its_fields_saved(qtbot, ui_session, prepared):  # noqa: F811
    svc, sid = prepared
    page = open_page(qtbot, ui_session("eng"))
    click(qtbot, page.editor.psw_button)
    dialog = page.editor.psw_dialog
    qtbot.waitUntil(lambda: dialog.summary is not None)
    assert "JT-5401-220" in dialog.text.toPlainText()
    dialog.edits["purchase_order"].setText("PO-2026-118")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: "PO-2026-118" in dialog.text.toPlainText())
    assert svc.cert.submission(ui_session("eng").actor, sid).psw["purchase_order"] == "PO-2026-118"


def test_what_is_missing_is_said_in_the_persons_language(  # noqa: F811
        qtbot, ui_session, ctx, actors, languages):  # noqa: F811
    svc = Services(ctx)
    part = make_part(svc, actors)
    retain_all(svc, actors, ready_submission(svc, actors, part, level=4))
    languages.apply("fr")
    try:
        page = open_page(qtbot, ui_session("eng"))
        editor = page.editor
        row = next(i for i, e in enumerate(editor.detail.elements) if e.code == "04")
        editor.elements.selectRow(row)
        click(qtbot, editor.choice_button)
        qtbot.waitUntil(lambda: editor.detail.customer_choices.get("04") == "S")
        click(qtbot, editor.check_button)
        qtbot.waitUntil(lambda: editor.check_result is not None
                        and not editor.check_result.ok)
        finding = editor.check_result.problems[0]
        shown = editor.findings.item(0).text()
        # The 40 readings of the CC hole: for the approver to see, refusing nothing.
        items = [editor.findings.item(i).text() for i in range(editor.findings.count())]
        assert len(items) == len(editor.check_result.findings)
        assert any("caractéristique spéciale 1 (cc)" in n.lower() or
                   "Special characteristic 1 (CC)" in n for n in items), items
        assert finding.message.startswith("Element 4 (Design FMEA) is required")
        assert shown.startswith(("L’élément 4", "L'élément 4")), shown
        assert "Design FMEA" not in shown  # the element's name is translated too
    finally:
        languages.apply("en")
