"""The window refuses an approval the evidence does not support: the signature dialog stays open
and says, in one sentence, what is missing; nothing is signed."""

from __future__ import annotations

from desktop_app.domain.certification import Action, State
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part, ready_submission
from tests.services.test_approval_checks import record_poor_capability, under_review
from tests.ui.shell_fixtures import languages, ui_session  # noqa: F401 - fixtures
from tests.ui.test_certification_page import click, open_page


def test_the_signature_dialog_names_what_is_missing(qtbot, ui_session, ctx, actors):  # noqa: F811
    svc = Services(ctx)
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    under_review(svc, actors, sid)
    record_poor_capability(svc, actors, part)
    editor = open_page(qtbot, ui_session("appr")).editor
    click(qtbot, editor.workflow_buttons[Action.APPROVE])
    dialog = editor.signature_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.password_edit.setText(PASSWORD)
    click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.message.text() != "" and "Signing" not in
                    dialog.message.text())
    assert dialog.message.text().startswith(
        "This submission cannot be approved: Special characteristic 1 (CC) has Ppk 0.")
    assert dialog.isVisible() and dialog.result_detail is None
    assert svc.cert.submission(actors["appr"], sid).summary.state is State.UNDER_REVIEW
