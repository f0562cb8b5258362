"""What a PDF says and how it says it, read back with pypdf: the reading order of a wrapped Arabic
text, and whether every character is drawn in a font that has a glyph for it.

The glyph check uses only the fonts bundled in `resources/fonts` (never the machine's): the font
each piece of text is drawn with is named in the PDF (`AAAAAA+DejaVuSans`, a subset of a bundled
font), and that bundled font's character map must hold every character of the piece. A Chinese
name drawn in DejaVu Sans (which has no Chinese) prints empty boxes and fails here.
"""

from __future__ import annotations

import io
from functools import cache

import arabic_reshaper
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile

from desktop_app.paths import resources_dir

BUNDLED = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
           "WenQuanYiMicroHei-0": "wqy-microhei.ttc", "WenQuanYiMicroHei": "wqy-microhei.ttc"}

# Thirty distinct words: three lines or more in any table cell of the documents.
ARABIC_PLAN = (
    "أولا نعيد تأهيل قالب الختم في المحطة الثلاثين ثم نراقب يوميا الأبعاد الحرجة للثقوب "
    "ونرسل تقريرا أسبوعيا مفصلا إلى العميل لغاية نهاية الفترة المؤقتة المحددة بعد موافقة "
    "مهندس الجودة لدى المصنع وأخيرا نغلق الملف")
CHINESE_NAME = "Li Wei (李伟)"


def _pdf(pdf: bytes | str) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def text_of(pdf: bytes | str) -> str:
    return "\n".join(page.extract_text() for page in _pdf(pdf).pages)


def arabic_lines(pdf: bytes | str, logical: str = ARABIC_PLAN) -> list[list[int]]:
    """The words of `logical` found in the document, as word numbers line by line, top of the
    document first and each line in reading order. Text that prints the lines of a wrapped
    paragraph in the wrong order, or the words of a line, gives numbers out of order."""
    words = logical.split()
    assert len(set(words)) == len(words)
    forms = {}
    for i, word in enumerate(words):
        shaped = arabic_reshaper.reshape(word)
        forms[shaped] = (i, False)
        forms[shaped[::-1]] = (i, True)
    lines = []
    for line in text_of(pdf).splitlines():
        found = [forms[token] for token in line.split() if token in forms]
        if not found:
            continue
        numbers = [i for i, _ in found]
        if all(visual for _, visual in found) and len(found) > 1:
            numbers.reverse()  # a line left in display order: read it from the right
        lines.append(numbers)
    return lines


@cache
def _glyphs(base_font: str) -> frozenset[int]:
    name = base_font.lstrip("/").split("+", 1)[-1]
    assert name in BUNDLED, f"{base_font} is not a bundled font"
    face = TTFontFile(str(resources_dir() / "fonts" / BUNDLED[name]), subfontIndex=0)
    return frozenset(face.charToGlyph)


def runs(pdf: bytes | str) -> list[tuple[str, str]]:
    """(font name, text) of every piece of text drawn, in the order drawn."""
    found: list[tuple[str, str]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text.strip():
            found.append((str(font_dict.get("/BaseFont", "?")) if font_dict else "?", text))

    for page in _pdf(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found


def missing_glyphs(pdf: bytes | str) -> list[tuple[str, str]]:
    """(font, character) for every character drawn in a font without a glyph for it."""
    missing = []
    for font, text in runs(pdf):
        glyphs = _glyphs(font)
        missing += [(font, c) for c in text if not c.isspace() and ord(c) not in glyphs]
    return missing


def font_of(pdf: bytes | str, characters: str) -> set[str]:
    """The fonts that draw any of `characters`."""
    return {font.split("+", 1)[-1] for font, text in runs(pdf)
            if any(c in text for c in characters)}


def unembedded_fonts(pdf: bytes | str) -> list[str]:
    """Every font resource of every page (and of its form XObjects) whose program is not in the
    file: standard-14 fonts such as Helvetica included."""
    bad: list[str] = []

    def walk(resources, seen: set[int]) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        fonts = resources.get("/Font")
        for _, ref in (fonts.get_object().items() if fonts is not None else []):
            font = ref.get_object()
            descriptors = []
            if "/DescendantFonts" in font:
                descriptors = [d.get_object().get("/FontDescriptor")
                               for d in font["/DescendantFonts"]]
            else:
                descriptors = [font.get("/FontDescriptor")]
            if not all(d is not None and any(k in d.get_object() for k in
                                             ("/FontFile", "/FontFile2", "/FontFile3"))
                       for d in descriptors):
                bad.append(str(font.get("/BaseFont")))
        xobjects = resources.get("/XObject")
        for _, ref in (xobjects.get_object().items() if xobjects is not None else []):
            xobject = ref.get_object()
            if id(xobject) not in seen and "/Resources" in xobject:
                seen.add(id(xobject))
                walk(xobject["/Resources"], seen)

    for page in _pdf(pdf).pages:
        walk(page.get("/Resources"), set())
    return bad
