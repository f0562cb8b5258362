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
        if code != SOURCE_LANGUAGE:
            ours = QTranslator(self._app)
            if ours.load(str(qm_path(code))):
                QCoreApplication.installTranslator(ours)
                self._translators.append(ours)
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
        QLocale.setDefault(QLocale(code))
        return code


def tr(context: str, text: str) -> str:
    """Translate text marked with QT_TRANSLATE_NOOP (domain errors, labels of enums)."""
    return QCoreApplication.translate(context, text)


def core_translator(code: str) -> Callable[[str, str], str]:
    """A translate function for the command line: a QTranslator used directly, so that no
    QCoreApplication is created (a test process, or a later window, needs a QApplication)."""
    translator = QTranslator()
    if not translator.load(str(qm_path(normalise(code)))):
        return lambda context, text: text
    return lambda context, text: translator.translate(context, text) or text
