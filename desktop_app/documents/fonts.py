"""Bundled TrueType fonts for printed documents, and text that reads right in every script.

DejaVu Sans covers Latin (French accents) and Arabic, including the presentation forms that
arabic-reshaper produces; WenQuanYi Micro Hei covers Simplified Chinese (and Latin). Both are in
`resources/fonts` with their licences; reportlab embeds a subset of each in every PDF (no
standard-14 font is ever referenced: pass `initialFontName=SANS` to a document template).

Public helpers (other documents use them; keep their names):

- `ensure_fonts(*names)`: register the bundled fonts with reportlab (all when none is named).
- `fonts_for(language)`: the (regular, bold) base fonts of a document language.
- `SANS`, `SANS_BOLD`, `CJK`: the registered font names.
- `font_runs(text, font)`: the text cut into runs, each with a font that has its glyphs (the base
  font first, then the other bundled font: Chinese in a French text gets WenQuanYi, Arabic in a
  Chinese text gets DejaVu).
- `markup(text, font)`: escaped paragraph markup with those runs (`<font face>`); no reordering.
- `shape(text)`: ONE line in display order (Arabic joined and reordered); never wrap its result.
- `embed(value)`: a data value (date, reference, name) that keeps its own reading order inside a
  right-to-left sentence (without it, "2027-03-31" after Arabic words prints "31-03-2027").
- `plain(text)`: the text without the invisible marks `embed` adds (for PDF metadata).
- `paragraph(text, style, base_dir)`: a flowable for any text. Text with right-to-left letters is
  wrapped in logical order, then each line is put in display order (`BidiParagraph`); other text
  is a plain reportlab Paragraph. Newlines are line breaks. `base_dir="R"` in Arabic documents.
- `text_width(text, font, size)`, `draw_text(canvas, x, y, text, font, size, anchor)`: one line
  on a canvas, with font fallback and display order.
- `wrap_lines(text, font, size, width)`: logical text cut into lines that fit (at spaces, between
  Chinese characters, never after an opening bracket); give each line to `draw_text`.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from desktop_app.paths import resources_dir

SANS = "PartDeskSans"
SANS_BOLD = "PartDeskSans-Bold"
CJK = "PartDeskCJK"

_FILES = {
    SANS: ("DejaVuSans.ttf", 0),
    SANS_BOLD: ("DejaVuSans-Bold.ttf", 0),
    CJK: ("wqy-microhei.ttc", 0),
}
# Where a character missing from a font is looked for next.
_FALLBACK = {SANS: (CJK,), SANS_BOLD: (CJK,), CJK: (SANS,)}
_lock = threading.Lock()
_registered: set[str] = set()
# Bidi controls: they steer the reordering and are never printed (no font has a glyph for them).
# The bidi algorithm used (python-bidi's pure Python one: it mirrors brackets, the Rust one does
# not) knows embeddings but not isolates, so `embed` uses LRE/RLE ... PDF.
_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                   "\u2066\u2067\u2068\u2069"))
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_CJK_CHAR = "\u2e80-\u2fff\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\uff00-\uffef"
# Where a line may break: at spaces and between Chinese characters, never after an opening
# bracket or before closing punctuation ("Li Wei (" / "李伟)" would be read wrongly).
_OPENING = "([{«“‘（【《"
_CLOSING = ")]}»”’,.;:!?،؛؟。，、；：！？）】》"
_TOKENS = re.compile(f"\n|[ \t\r\f\v]+"
                     f"|[{re.escape(_OPENING)}]*[{_CJK_CHAR}][{re.escape(_CLOSING)}]*"
                     f"|[^\\s{_CJK_CHAR}]+")


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
    """(regular, bold) font names for a language; the fallback fonts are registered too."""
    ensure_fonts()
    if language == "zh":
        return CJK, CJK
    return SANS, SANS_BOLD


@cache
def _glyphs(font: str) -> frozenset[int]:
    ensure_fonts(font)
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def _font_of(c: str, font: str) -> str:
    code = ord(c)
    if code in _glyphs(font) or c.isspace():
        return font
    for other in _FALLBACK.get(font, ()):
        if code in _glyphs(other):
            return other
    return font


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (run, font) pieces, each font having the glyphs of its run."""
    if text.isascii():
        return [(text, font)] if text else []
    runs: list[tuple[str, str]] = []
    run, run_font = "", font
    for c in text:
        chosen = run_font if c == " " else _font_of(c, font)
        if chosen != run_font and run:
            runs.append((run, run_font))
            run = ""
        run_font = chosen
        run += c
    if run:
        runs.append((run, run_font))
    return runs


def markup(text: str, font: str) -> str:
    """Escaped paragraph markup of one piece of text (no reordering), fallback runs in
    `<font face>`."""
    return "".join(escape(run) if f == font else f'<font face="{f}">{escape(run)}</font>'
                   for run, f in font_runs(text, font))


def plain(text: str) -> str:
    """`text` without the invisible direction marks `embed` adds (for metadata, file names)."""
    return text.translate(_CONTROLS)


def has_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def embed(value: str) -> str:
    """`value` marked as one embedded run in its own direction (left to right unless it holds
    right-to-left letters): inside an Arabic sentence its characters keep their order."""
    if not value:
        return value
    return ("\u202b" if has_rtl(value) else "\u202a") + value + "\u202c"


def _starts_rtl(text: str) -> bool:
    """The first letter of `text` is written right to left (what sets a paragraph's direction
    when the document does not)."""
    for c in text:
        if has_rtl(c):
            return True
        if c.isalpha():
            return False
    return False


def _display(line: str, base_dir: str | None) -> str:
    """One logical line (already reshaped) in display order, bidi controls removed."""
    if not has_rtl(line):
        return line.translate(_CONTROLS)
    shown = get_display(line.translate(_ISOLATES), base_dir=base_dir)
    return shown.translate(_CONTROLS)


def shape(text: str) -> str:
    """ONE line with Arabic letters joined (reshaped) and put in visual order (right to left);
    other text as is. A shaped text must not be wrapped afterwards: use `paragraph`."""
    if not has_arabic(text):
        return text.translate(_CONTROLS)
    return _display(arabic_reshaper.reshape(text), "R")


def text_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, f, size)
               for run, f in font_runs(text.translate(_CONTROLS), font))


def draw_text(canvas, x: float, y: float, text: str, font: str, size: float,
              anchor: str = "start") -> None:
    """One line on a canvas at (x, y): anchor "start" (left), "end" (right) or "middle"; Arabic
    shaped, each run in a font with its glyphs."""
    line = shape(text)
    runs = font_runs(line, font)
    width = sum(pdfmetrics.stringWidth(run, f, size) for run, f in runs)
    if anchor == "end":
        x -= width
    elif anchor == "middle":
        x -= width / 2
    for run, f in runs:
        canvas.setFont(f, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, f, size)


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` (logical order) broken into lines no wider than `width`: at spaces, between
    Chinese characters, inside a word only when the word alone is wider than a line. Each line
    is measured as it will be drawn (spaces in the font of their run)."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if token == "\n":
            lines.append(line.rstrip())
            line = ""
            continue
        if token.isspace():
            line += " " if line else ""
            continue
        if line and text_width(line + token, font, size) > width:
            lines.append(line.rstrip())
            line = ""
        while len(token) > 1 and text_width(line + token, font, size) > width:
            cut = len(token) - 1  # a word longer than the line
            while cut > 1 and text_width(line + token[:cut], font, size) > width:
                cut -= 1
            while cut > 1 and all(c in _CLOSING for c in token[cut:]):
                cut -= 1  # a closing bracket never starts a line alone
            lines.append(line + token[:cut])
            line, token = "", token[cut:]
        line += token
    lines.append(line.rstrip())
    return lines


class BidiParagraph(Flowable):
    """Text with right-to-left letters, wrapped in logical order to the width it is given, then
    each line reordered for display; a line never moves above the one it follows."""

    def __init__(self, text: str, style, base_dir: str | None = None) -> None:
        super().__init__()
        self.text = arabic_reshaper.reshape(text)
        self.style = style
        self.base_dir = base_dir
        # Lines already fit: the paragraph must not wrap them again (CJK wrapping would cut an
        # Arabic word). A right-to-left text in a left-to-right document is aligned right.
        changes: dict = {"wordWrap": None} if style.wordWrap else {}
        if base_dir is None and style.alignment == TA_LEFT and _starts_rtl(text):
            changes["alignment"] = TA_RIGHT
        self._lines_style = (ParagraphStyle(f"{style.name}-lines", parent=style, **changes)
                             if changes else style)
        self._para: Paragraph | None = None
        self._for_width = -1.0

    def _paragraph(self, avail_width: float) -> Paragraph:
        if self._para is None or self._for_width != avail_width:
            s = self.style
            room = avail_width - s.leftIndent - s.rightIndent
            lines = wrap_lines(self.text, s.fontName, s.fontSize, room)
            self._para = Paragraph("<br/>".join(
                markup(_display(line, self.base_dir), s.fontName) for line in lines),
                self._lines_style)
            self._for_width = avail_width
        return self._para

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        para = self._paragraph(availWidth)
        self.width, self.height = para.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)

    def split(self, availWidth, availHeight):  # noqa: N803
        return self._paragraph(availWidth).split(availWidth, availHeight)

    def getSpaceBefore(self):  # noqa: N802
        return self.style.spaceBefore

    def getSpaceAfter(self):  # noqa: N802
        return self.style.spaceAfter

    def getPlainText(self) -> str:  # noqa: N802
        return self.text


def paragraph(text: str, style, base_dir: str | None = None) -> Flowable:
    """A flowable for `text` in `style`: newlines break lines, every run in a font with its
    glyphs, right-to-left text wrapped in logical order and reordered line by line."""
    if has_rtl(text):
        return BidiParagraph(text, style, base_dir)
    return Paragraph(markup(text.translate(_CONTROLS), style.fontName).replace("\n", "<br/>"),
                     style)
