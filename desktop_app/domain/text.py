"""Marking translatable text outside Qt.

The domain must not import Qt, yet every sentence a person reads must go through Qt's
translation. `QT_TRANSLATE_NOOP(context, text)` marks a string for `pyside6-lupdate` and returns
it unchanged; the UI and the CLI translate it later with
`QCoreApplication.translate(context, text)`.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


def untranslated(context: str, text: str) -> str:
    """A `Translate` that returns the source text: for logs and tests."""
    return text
