"""Languages at run time: French and back, Arabic right to left; the translation files are whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from desktop_app.services.site import SiteService
from desktop_app.ui import settings as keys
from desktop_app.ui.i18n import qm_path
from desktop_app.ui.i18n_build import CATALOGUES, PLURAL_FORMS, TARGETS, read_ts
from desktop_app.ui.main_window import MainWindow

PEOPLE = "desktop_app.ui.pages.people_page:PeoplePage"
# The contexts this area owns; every message in them is translated in every language.
SHELL_CONTEXTS = {
    "FirstRunDialog", "SignInDialog", "MainWindow", "LockWidget", "SettingsDialog",
    "PasswordDialog", "PersonDialog", "RoleDialog", "PeoplePage", "PageErrorWidget",
    "TaskRunner", "Roles", "Sites", "Permissions",
}
PLACEHOLDER = re.compile(r"\{[A-Za-z_]*\}")


@pytest.fixture
def window(qtbot, ctx, ui_session, languages):
    session = ui_session("admin")
    window = MainWindow(session, SiteService(ctx).local_site(), languages, pages=[PEOPLE])
    qtbot.addWidget(window)
    window.show()
    return window


def switch(window: MainWindow, code: str) -> None:
    window.session.settings.set(keys.LANGUAGE, code)
    window.apply_settings()
    QApplication.processEvents()  # LanguageChange events are posted


def test_french_changes_the_visible_texts_and_back(window):
    assert window.file_menu.title() == "&File"
    switch(window, "fr")
    assert window.file_menu.title() == "&Fichier"
    assert window.person_label.text() == "Ada Admin · Administrateur"
    assert window.nav.item(0).text() == "Personnes"
    assert window.page("people").add_button.text() == "Ajouter une personne…"
    assert window.language_label.text() == "Français"
    switch(window, "en")
    assert window.file_menu.title() == "&File"
    assert window.nav.item(0).text() == "People"


def test_arabic_flips_the_layout_right_to_left(window):
    switch(window, "ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.help_menu.title() == "م&ساعدة"
    switch(window, "zh")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.help_menu.title() == "帮助(&H)"


def test_the_sign_in_language_chooser_retranslates_at_once(qtbot, ctx, make_shell):
    shell = make_shell(ctx)
    qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
    dialog = shell.sign_in
    assert dialog.sign_in_button.text() == "Sign in"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    QApplication.processEvents()
    assert dialog.sign_in_button.text() == "Se connecter"
    assert shell.settings.get(keys.LANGUAGE) == "fr"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    QApplication.processEvents()
    assert dialog.sign_in_button.text() == "Sign in"


@pytest.mark.parametrize("code", TARGETS)
def test_the_compiled_translations_load(qapp, code):
    translator = QTranslator()
    assert translator.load(str(qm_path(code)))
    assert QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate("Roles", "Engineer") != "Engineer"
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("code", TARGETS)
def test_every_shell_message_is_translated_and_keeps_its_placeholders(code):
    messages = read_ts(Path(qm_path(code)).with_suffix(".ts"))
    untranslated = sorted(f"{m.context}: {m.source}" for m in messages.values()
                          if m.context in SHELL_CONTEXTS and m.kind == "unfinished")
    assert untranslated == []
    broken = sorted(f"{m.context}: {m.source}" for m in messages.values()
                    if m.translation and m.kind != "vanished"
                    and sorted(PLACEHOLDER.findall(m.translation))
                    != sorted(PLACEHOLDER.findall(m.source)))
    assert broken == []


@pytest.mark.parametrize("code", CATALOGUES)
def test_every_count_has_the_plural_forms_of_its_language(code):
    """French 2 forms, Arabic 6, Chinese 1, English 2; each keeps the placeholders and shows the
    number, except Arabic's "one" and "two", which the words say ("قطعة واحدة", "قطعتان")."""
    numerus = [m for m in read_ts(Path(qm_path(code)).with_suffix(".ts")).values()
               if m.numerus and m.kind != "vanished"]
    assert numerus, "no count in the catalogue"
    for m in numerus:
        assert len(m.forms) == PLURAL_FORMS[code], m.source
        for i, form in enumerate(m.forms):
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(m.source)), form
            assert "%Ln" in form or (code == "ar" and i in (1, 2)), form
