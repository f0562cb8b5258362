"""Bundled TrueType fonts for printed documents, registered once with reportlab.

DejaVu Sans covers Latin (French accents) and Arabic, including the presentation forms that
arabic-reshaper produces; WenQuanYi Micro Hei covers Simplified Chinese (and Latin). Both are in
`resources/fonts` with their licences. reportlab reads TrueType outlines only (not CFF/OTF).
"""

from __future__ import annotations

import threading

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.paths import resources_dir

SANS = "PartDeskSans"
SANS_BOLD = "PartDeskSans-Bold"
CJK = "PartDeskCJK"

_FILES = {
    SANS: ("DejaVuSans.ttf", 0),
    SANS_BOLD: ("DejaVuSans-Bold.ttf", 0),
    CJK: ("wqy-microhei.ttc", 0),
}
_lock = threading.Lock()
_registered: set[str] = set()


def fonts_dir():
    return resources_dir() / "fonts"


def ensure_fonts(*names: str) -> None:
    """Register the named fonts (all when none are named); cheap after the first call."""
    wanted = names or tuple(_FILES)
    with _lock:
        for name in wanted:
            if name in _registered:
                continue
            filename, index = _FILES[name]
            pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename), subfontIndex=index))
            _registered.add(name)


def fonts_for(language: str) -> tuple[str, str]:
    """(regular, bold) font names for a language."""
    if language == "zh":
        ensure_fonts(CJK)
        return CJK, CJK
    ensure_fonts(SANS, SANS_BOLD)
    return SANS, SANS_BOLD


def has_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def shape(text: str) -> str:
    """Arabic letters joined (reshaped) and put in visual right-to-left order; other text as is."""
    if not has_arabic(text):
        return text
    return get_display(arabic_reshaper.reshape(text), base_dir="R")
