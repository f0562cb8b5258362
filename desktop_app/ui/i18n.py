"""Languages: French, English, Arabic (right to left) and Simplified Chinese, switched at run time.

Translations are Qt Linguist files: `resources/i18n/partdesk_<code>.ts`, compiled to `.qm` (both
committed; `make translations` refreshes them). A language switch installs the new translator and
sets the layout direction; widgets react to QEvent.LanguageChange by calling `retranslate_ui()`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator

from desktop_app.paths import resources_dir

SOURCE_LANGUAGE = "en"
# Native names: a person finds their own language whatever language the screen is in.
LANGUAGES: dict[str, str] = {
    "fr": "Français",
    "en": "English",
    "ar": "العربية",
    "zh": "简体中文",
}
RIGHT_TO_LEFT = {"ar"}
_current = SOURCE_LANGUAGE


def current_language() -> str:
    """The language the application shows now (data such as designations follow it)."""
    return _current


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def qm_path(code: str) -> Path:
    return i18n_dir() / f"partdesk_{code}.qm"


def normalise(code: str) -> str:
    base = (code or "").replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else SOURCE_LANGUAGE


def system_language() -> str:
    return normalise(QLocale.system().name())


class LanguageManager:
    """Owns the installed translators of one application."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self.code = SOURCE_LANGUAGE

    def apply(self, code: str) -> str:
        code = normalise(code)
        for translator in self._translators:
            QCoreApplication.removeTranslator(translator)
        self._translators.clear()
        ours = QTranslator(self._app)  # English too: its catalogue holds the plural forms
        if ours.load(str(qm_path(code))):
            QCoreApplication.installTranslator(ours)
            self._translators.append(ours)
        if code != SOURCE_LANGUAGE:
            qt = QTranslator(self._app)
            if qt.load(
                QLocale(code),
                "qtbase",
                "_",
                QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            ):
                QCoreApplication.installTranslator(qt)
                self._translators.append(qt)
        self.code = code
        global _current  # noqa: PLW0603 - one language per application
        _current = code
        direction = (
            Qt.LayoutDirection.RightToLeft
            if code in RIGHT_TO_LEFT
            else Qt.LayoutDirection.LeftToRight
        )
        set_direction = getattr(self._app, "setLayoutDirection", None)
        if set_direction is not None:
            set_direction(direction)
        QLocale.setDefault(app_locale(code))
        return code


def tr(context: str, text: str) -> str:
    """Translate text marked with QT_TRANSLATE_NOOP (domain errors, labels of enums)."""
    return QCoreApplication.translate(context, text)


def tr_n(context: str, text: str, n: int) -> str:
    """A count in the plural form of the language: `tr_n("Parts", "%Ln parts", 3056)` gives
    "3,056 parts", "3 056 pièces", "1 part"; `%Ln` is the number in the language's format."""
    return QCoreApplication.translate(context, text, None, n)


def app_locale(code: str) -> QLocale:
    """The locale numbers and dates are written in for a language: Arabic as written in
    Algeria, with Latin digits like every document and label the plant exchanges."""
    code = normalise(code)
    if code == "ar":
        return QLocale(QLocale.Language.Arabic, QLocale.Country.Algeria)
    return QLocale(code)


def core_plural(code: str) -> Callable[[str, str, int], str]:
    """`tr_n` for the command line (see `core_translator`): the form for n, with `%Ln` and
    `%n` replaced as QCoreApplication.translate replaces them."""
    translator = QTranslator()
    loaded = translator.load(str(qm_path(normalise(code or SOURCE_LANGUAGE))))
    locale = app_locale(code or SOURCE_LANGUAGE)

    def translate(context: str, text: str, n: int) -> str:
        found = translator.translate(context, text, None, n) if loaded else ""
        return (found or text).replace("%Ln", locale.toString(n)).replace("%n", str(n))

    return translate


def core_translator(code: str) -> Callable[[str, str], str]:
    """A translate function for the command line: a QTranslator used directly, so that no
    QCoreApplication is created (a test process, or a later window, needs a QApplication)."""
    translator = QTranslator()
    if not translator.load(str(qm_path(normalise(code)))):
        return lambda context, text: text
    return lambda context, text: translator.translate(context, text) or text
