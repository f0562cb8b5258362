"""Sign-in as a person meets it: the right password opens the window, anything else one sentence."""

from __future__ import annotations

from desktop_app.domain.people import Role
from desktop_app.services.people import PeopleService
from desktop_app.ui import settings as keys
from tests.ui.shell_fixtures import PASSWORD, sign_in


def test_right_password_opens_the_main_window_with_person_and_site(qtbot, ctx, make_shell):
    shell = make_shell(ctx)
    sign_in(qtbot, shell, "admin")
    qtbot.waitUntil(lambda: shell.main_window is not None and shell.main_window.isVisible())
    window = shell.main_window
    assert not shell.sign_in.isVisible()
    assert window.person_label.text() == "Ada Admin · Administrator"
    assert window.site_label.text() == "Site TST — Test plant"
    assert window.language_label.text() == "English"
    assert shell.settings.get(keys.LAST_USER) == "admin"


def test_wrong_password_shows_the_sentence_and_stays(qtbot, ctx, make_shell):
    shell = make_shell(ctx)
    sign_in(qtbot, shell, "admin", "not-the-password")
    dialog = shell.sign_in
    qtbot.waitUntil(lambda: dialog.error_label.text() != "")
    assert dialog.error_label.text() == "The user name or password is wrong."
    assert dialog.password_edit.text() == ""
    assert dialog.isVisible() and shell.main_window is None


def test_unknown_user_gets_the_same_sentence(qtbot, ctx, make_shell):
    shell = make_shell(ctx)
    sign_in(qtbot, shell, "nobody")
    qtbot.waitUntil(lambda: shell.sign_in.error_label.text() != "")
    assert shell.sign_in.error_label.text() == "The user name or password is wrong."
    assert shell.main_window is None


def test_disabled_account_is_refused(qtbot, ctx, actors, make_shell):
    PeopleService(ctx).set_active(actors["admin"], actors["eng"].user_id, False)
    shell = make_shell(ctx)
    sign_in(qtbot, shell, "eng")
    qtbot.waitUntil(lambda: shell.sign_in.error_label.text() != "")
    assert shell.sign_in.error_label.text() == "The account eng is disabled; ask an administrator."
    assert shell.main_window is None


def test_repeated_failures_are_throttled(qtbot, ctx, actors, make_shell):
    shell = make_shell(ctx)
    for attempt in range(6):
        sign_in(qtbot, shell, "insp", f"wrong-{attempt}")
        dialog = shell.sign_in
        qtbot.waitUntil(dialog.sign_in_button.isEnabled)
    assert dialog.error_label.text().startswith("Too many failed sign-ins for insp")
    sign_in(qtbot, shell, "insp", PASSWORD)  # even the right password waits now
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled())
    assert dialog.error_label.text().startswith("Too many failed sign-ins for insp")
    assert shell.main_window is None


def test_sign_out_returns_to_sign_in_for_someone_else(qtbot, ctx, actors, make_shell):
    PeopleService(ctx).change_role(actors["admin"], actors["eng"].user_id, Role.ENGINEER)
    shell = make_shell(ctx)
    sign_in(qtbot, shell, "admin")
    qtbot.waitUntil(lambda: shell.main_window is not None)
    shell.main_window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: shell.sign_in.isVisible())
    assert shell.main_window is None
    assert shell.sign_in.username_edit.text() == "admin"
    assert shell.sign_in.password_edit.text() == ""
    sign_in(qtbot, shell, "eng")
    qtbot.waitUntil(lambda: shell.main_window is not None)
    assert shell.main_window.person_label.text() == "Eng Person · Engineer"
