"""The warrant dialog as people use it: fill the warrant's own fields (answers from a list), then
"Print warrant…" writes the PDF in the window's language."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop_app.ui.pages.certification_page import CertificationPage
from tests.services.certification_fixtures import Services, make_part, ready_submission
from tests.ui.shell_fixtures import languages, ui_session  # noqa: F401 - fixtures


@pytest.fixture
def prepared(ctx, actors):
    svc = Services(ctx)
    part = make_part(svc, actors)
    return svc, ready_submission(svc, actors, part)


def open_dialog(qtbot, session):
    page = CertificationPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitUntil(lambda: page.model.total > 0 and not page.model.loading)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.editor.detail is not None)
    qtbot.mouseClick(page.editor.psw_button, Qt.MouseButton.LeftButton)
    dialog = page.editor.psw_dialog
    qtbot.waitUntil(lambda: dialog.summary is not None)
    return dialog


def test_the_print_button_writes_the_warrant_pdf(qtbot, ui_session, prepared, tmp_path,  # noqa: F811
                                                 monkeypatch) -> None:
    svc, sid = prepared
    dialog = open_dialog(qtbot, ui_session("eng"))
    dialog.edits["purchase_order"].setText("PO-2026-118")
    combo = dialog.choices["customer_tools_tagged"]
    combo.setCurrentIndex(combo.findData("yes"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "PO-2026-118" in dialog.text.toPlainText())
    psw = svc.cert.submission(dialog._session.actor, sid).psw
    assert psw["customer_tools_tagged"] == "yes" and psw["purchase_order"] == "PO-2026-118"

    target = tmp_path / "warrant"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert dialog.print_button.isEnabled()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "warrant.pdf"  # the suffix is added
    qtbot.waitUntil(lambda: "warrant.pdf" in dialog.message.text())
    reader = PdfReader(written)
    assert reader.metadata.title.startswith("Part Submission Warrant — SUB-")
    text = reader.pages[0].extract_text()
    assert "JT-5401-220" in text and "PO-2026-118" in text


def test_an_approver_prints_in_french_but_cannot_edit(qtbot, ui_session, prepared,  # noqa: F811
                                                      tmp_path, languages) -> None:  # noqa: F811
    dialog = open_dialog(qtbot, ui_session("appr"))
    assert dialog.edits["purchase_order"].isReadOnly()
    assert not dialog.choices["safety_regulation"].isEnabled()
    assert not dialog.save_button.isEnabled()
    languages.apply("fr")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Certificat de soumission de pièce (PSW)")
    target = tmp_path / "psw.pdf"
    dialog.print_to(target)
    qtbot.waitUntil(target.exists)
    reader = PdfReader(target)
    assert reader.metadata.title.startswith("Certificat de soumission de pièce (PSW)")
    assert "INFORMATIONS SUR LA PIÈCE" in reader.pages[0].extract_text()
    languages.apply("en")
