"""The verify window gives the same answer as `partdesk certificate verify`, coloured by what a
person should do with the part: accept (green), look closer (amber), refuse (red)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.domain.certification import Action
from desktop_app.ui.dialogs.verify_certificate_dialog import (
    CAUTION_STYLE,
    INVALID_STYLE,
    VALID_STYLE,
    VerifyCertificateDialog,
)
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, approved, make_part
from tests.ui.shell_fixtures import languages, ui_session  # noqa: F401 - fixtures


def scan(qtbot, dialog: VerifyCertificateDialog, text: str):
    dialog.last_result = None
    dialog.payload_edit.setText(text)
    qtbot.keyClick(dialog.payload_edit, Qt.Key.Key_Return)  # a keyboard-wedge scanner's Enter
    qtbot.waitUntil(lambda: dialog.last_result is not None)
    return dialog.last_result


def test_the_window_shows_the_same_answer_as_the_service(
        qtbot, ui_session, ctx, actors, tmp_path):  # noqa: F811 - a fixture
    svc = Services(ctx)
    sid = approved(svc, actors, make_part(svc, actors), PASSWORD)
    number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    payload = svc.certificates.certificate(None, number).payload
    path = svc.certificates.write_pdf(actors["insp"], number, tmp_path / "c.pdf")
    dialog = VerifyCertificateDialog(ui_session("insp"))
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.check_file(path)
    qtbot.waitUntil(lambda: dialog.last_result is not None)
    assert dialog.last_result.answer == "genuine" and dialog.last_result.file_seal == "issuer"
    assert dialog.verdict_label.text() == \
        svc.certificates.verify_certificate_pdf(path).sentence()
    assert dialog.verdict_label.styleSheet() == VALID_STYLE
    assert "Signed with key " + dialog.last_result.key_fingerprint \
        in dialog.details.toPlainText()

    svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD, reason="8D-114")
    result = scan(qtbot, dialog, payload)
    assert result.answer == "suspended"
    assert dialog.verdict_label.text() == svc.certificates.verify_certificate_payload(
        payload).sentence()
    assert "SUSPENDED" in dialog.verdict_label.text()
    assert dialog.verdict_label.styleSheet() == CAUTION_STYLE

    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="IATF lost")
    assert scan(qtbot, dialog, payload).answer == "revoked"
    assert "REVOKED" in dialog.verdict_label.text()
    assert dialog.verdict_label.styleSheet() == INVALID_STYLE

    assert scan(qtbot, dialog, payload.replace("|P3|", "|P2|")).answer == "not_genuine"
    assert "NOT genuine" in dialog.verdict_label.text()
    assert dialog.verdict_label.styleSheet() == INVALID_STYLE
