"""The Part Submission Warrant as a printable A4 PDF (reportlab), in English, French, Arabic or
Chinese.

The sections and fields follow the AIAG PPAP 4th-edition warrant, in its order (part information;
supplier manufacturing and customer submittal information; materials reporting; reason; level;
results with the requirements answer; declaration; the supplier's authorised signature; customer
use only); the drawing is PartDesk's own. Every field is a labelled box: a value the record does
not hold leaves its box empty. Yes / no answers are boxes ticked from the data; the requirements
answer comes derived (`domain.psw.requirements_met`).

Text is drawn on the canvas with the bundled fonts only (`fonts_for`: every font embedded, none
of the standard 14) through the helpers of `fonts.py`: each character in a font that has its
glyph (Chinese names in a French warrant get the Chinese font), right-to-left text wrapped in
logical order (`wrap_lines`) and each line then put in display order (`draw_text`); an Arabic
warrant mirrors the page (labels and boxes read from the right).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from desktop_app.documents import local_format
from desktop_app.documents.certificate_text import meaning
from desktop_app.documents.fonts import (
    CJK,
    SANS,
    SANS_BOLD,
    draw_text,
    embed,
    ensure_fonts,
    fonts_for,
    text_width,
    wrap_lines,
)
from desktop_app.domain.certification import STATE_LABELS, State, SubmissionKind, state_label
from desktop_app.domain.ppap import LEVEL_LABELS, LEVELS, REASON_LABELS, Reason
from desktop_app.domain.psw import ANSWER_LABELS, FIELDS_BY_KEY, RESULT_ELEMENTS, Answer, Warrant
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

PAGE_W, PAGE_H = A4
MARGIN = 12 * mm
LABEL_SIZE = 6.2
VALUE_SIZE = 7.6
PAD = 2.2
TICK_SIZE = 9.4
TICKED, UNTICKED = "\u2612", "\u2610"  # ☒ ☐ (DejaVu Sans has them)


@cache
def _box() -> float:
    """Width of a ballot box glyph."""
    ensure_fonts(SANS)
    return pdfmetrics.stringWidth(UNTICKED, SANS, TICK_SIZE)
ACCENT = colors.HexColor("#1f4e79")
GRID = colors.HexColor("#8c9bab")
LABEL_GREY = colors.HexColor("#4a5560")
CUSTOMER_FILL = colors.HexColor("#eef2f6")
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "ar": "ar-DZ", "zh": "zh-CN"}

TITLE = QT_TRANSLATE_NOOP("Psw", "Part Submission Warrant")
SUBTITLE = QT_TRANSLATE_NOOP("Psw", "PPAP element 18 — AIAG Production Part Approval Process, "
                                    "4th edition")
DECLARATION = QT_TRANSLATE_NOOP(
    "Psw", "The supplier declares that the samples covered by this warrant represent its parts, "
           "made by a process that meets every requirement of the AIAG Production Part Approval "
           "Process (4th edition), at a production rate of {pieces} pieces in {hours} hours, and "
           "that documented evidence of this is on file and available for review. Any deviation "
           "from this declaration is explained under Explanation / comments.")
DERIVED_NOTE = QT_TRANSLATE_NOOP("Psw", "Derived from the results above and the completeness "
                                        "checks, not typed.")
FOOTER = QT_TRANSLATE_NOOP("Psw", "Printed by PartDesk on {day} from submission {number} — "
                                  "page {page}")
PSW = "Psw"


def _day(text: str, language: str) -> str:
    """An ISO date as the language writes it; an empty box stays empty."""
    return local_format.day(text, language) if text else text


_number = local_format.number


# -- the form ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """A box of a row: `share` of the row's width, a label on top, then text or tick boxes."""

    share: float
    label: str = ""
    value: str = ""
    choices: tuple[tuple[str, bool], ...] = ()
    bold: bool = False


class _Form:
    def __init__(self, canvas: Canvas, w: Warrant, language: str, translate: Translate) -> None:
        self.c = canvas
        self.w = w
        self.lang = language
        self.translate = translate
        self.rtl = language == "ar"
        self.font, self.bold = fonts_for(language)
        self.left, self.right = MARGIN, PAGE_W - MARGIN
        self.width = self.right - self.left
        self.page = 0
        self.y = 0.0
        self.today = date.today().isoformat()

    def t(self, text: str, context: str = PSW) -> str:
        return self.translate(context, text) if text else ""

    # drawing primitives ----------------------------------------------------------------------

    def line(self, text: str, x: float, y: float, width: float, font: str, size: float,
             color: colors.Color = colors.black, centre: bool = False) -> None:
        """One line at the start side of [x, x + width] (the right side in Arabic)."""
        self.c.setFillColor(color)
        if centre:
            draw_text(self.c, x + width / 2, y, text, font, size, "middle")
        elif self.rtl:
            draw_text(self.c, x + width, y, text, font, size, "end")
        else:
            draw_text(self.c, x, y, text, font, size)

    def tick(self, x: float, y: float, checked: bool) -> None:
        """A ballot box, ticked or empty: a glyph, so that the answer is in the text too."""
        self.c.setFillColor(colors.black)
        self.c.setFont(SANS, TICK_SIZE)
        self.c.drawString(x, y, TICKED if checked else UNTICKED)

    def box_x(self, offset: float, width: float) -> float:
        """Left edge of a box that starts `offset` from the start side of the page."""
        return self.right - offset - width if self.rtl else self.left + offset

    # pages -----------------------------------------------------------------------------------

    def new_page(self) -> None:
        if self.page:
            self.footer()
            self.c.showPage()
        self.page += 1
        top = PAGE_H - MARGIN
        self.line(self.t(TITLE), self.left, top - 14, self.width, self.bold, 15, ACCENT)
        self.line(self.t(SUBTITLE), self.left, top - 24, self.width, self.font, 7, LABEL_GREY)
        kind = SubmissionKind(self.w.kind)
        state = self.t(state_label(kind, State(self.w.state)), "Certification") \
            if self.w.state else ""
        parts = [self.w.submission_number, "OTS" if kind is SubmissionKind.OTS else "", state]
        status = "  ·  ".join(p for p in parts if p)
        # The number and state stand at the end side, under the title's line.
        width = text_width(status, self.bold, 8.6) + 2
        end_x = self.left if self.rtl else self.right - width
        self.line(status, end_x, top - 25, width, self.bold, 8.6)
        self.y = top - 31

    def footer(self) -> None:
        text = self.t(FOOTER).format(day=_day(self.today, self.lang),
                                     number=self.w.submission_number, page=self.page)
        self.line(text, self.left, MARGIN - 12, self.width, self.font, 6.5, LABEL_GREY,
                  centre=True)

    def room(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.new_page()

    # blocks ----------------------------------------------------------------------------------

    def bar(self, *titles: tuple[float, str], fill: colors.Color = ACCENT) -> None:
        height = 11.5
        self.room(height + 30)
        offset = 0.0
        for share, title in titles:
            width = share * self.width
            x = self.box_x(offset, width)
            self.c.setFillColor(fill)
            self.c.rect(x, self.y - height, width, height, stroke=0, fill=1)
            text = self.t(title).upper() if self.lang in ("en", "fr") else self.t(title)
            size = 7.4
            while size > 5.2 and text_width(text, self.bold, size) > width - 6:
                size -= 0.2
            self.line(text, x + 3, self.y - height + 3, width - 6, self.bold, size,
                      colors.white)
            offset += width
        self.y -= height

    def _cell_lines(self, cell: Cell, width: float) -> list[str]:
        font = self.bold if cell.bold else self.font
        return wrap_lines(cell.value, font, VALUE_SIZE, width - 2 * PAD) if cell.value else [""]

    def _choice_rows(self, cell: Cell, width: float) -> list[list[tuple[str, bool | None, float]]]:
        """Tick boxes with their labels flowed into lines that fit the box; a label wider than
        the box wraps under its own text (None: a continued line, no box)."""
        room = width - 2 * PAD
        rows: list[list[tuple[str, bool | None, float]]] = [[]]
        used = 0.0
        for label, checked in cell.choices:
            need = _box() + 3 + text_width(label, self.font, VALUE_SIZE) + 9
            if need - 9 > room:  # alone on its lines, wrapped
                if rows[-1]:
                    rows.append([])
                lines = wrap_lines(label, self.font, VALUE_SIZE, room - _box() - 3)
                for index, text in enumerate(lines):
                    rows[-1].append((text, checked if index == 0 else None, room))
                    rows.append([])
                used = 0.0
                continue
            if rows[-1] and used + need > room:
                rows.append([])
                used = 0.0
            rows[-1].append((label, checked, need))
            used += need
        return [r for r in rows if r] or [[]]

    def row(self, *cells: Cell, fill: colors.Color | None = None) -> None:
        leading = VALUE_SIZE + 2.2
        label_h = LABEL_SIZE + 3.4
        widths = [c.share * self.width for c in cells]
        heights = []
        labels: list[list[str]] = []
        for cell, width in zip(cells, widths, strict=True):
            lab = wrap_lines(self.t(cell.label), self.font, LABEL_SIZE, width - 2 * PAD) \
                if cell.label else []
            labels.append(lab)
            body = len(self._choice_rows(cell, width)) if cell.choices else \
                len(self._cell_lines(cell, width))
            heights.append(PAD + len(lab) * (LABEL_SIZE + 1) + 2 + body * leading + PAD)
        height = max(max(heights), label_h + leading + PAD)
        self.room(height)
        top = self.y
        offset = 0.0
        for cell, width, lab in zip(cells, widths, labels, strict=True):
            x = self.box_x(offset, width)
            if fill is not None:
                self.c.setFillColor(fill)
                self.c.rect(x, top - height, width, height, stroke=0, fill=1)
            self.c.setStrokeColor(GRID)
            self.c.setLineWidth(0.5)
            self.c.rect(x, top - height, width, height, stroke=1, fill=0)
            y = top - PAD - LABEL_SIZE
            for text in lab:
                self.line(text, x + PAD, y, width - 2 * PAD, self.font, LABEL_SIZE, LABEL_GREY)
                y -= LABEL_SIZE + 1
            y -= VALUE_SIZE - 1
            if cell.choices:
                self._draw_choices(cell, x, y, width, leading)
            else:
                font = self.bold if cell.bold else self.font
                for text in self._cell_lines(cell, width):
                    self.line(text, x + PAD, y, width - 2 * PAD, font, VALUE_SIZE)
                    y -= leading
            offset += width
        self.y = top - height

    def _draw_choices(self, cell: Cell, x: float, y: float, width: float,
                      leading: float) -> None:
        for items in self._choice_rows(cell, width):
            pos = x + width - PAD if self.rtl else x + PAD
            for label, checked, need in items:
                text_w = min(need, width - 2 * PAD) - _box() - 3
                if checked is not None:
                    self.tick(pos - _box() if self.rtl else pos, y - 1.0, checked)
                if self.rtl:
                    self.line(label, pos - _box() - 3 - text_w, y, text_w, self.font, VALUE_SIZE)
                    pos -= need
                else:
                    self.line(label, pos + _box() + 3, y, text_w, self.font, VALUE_SIZE)
                    pos += need
            y -= leading

    def long_text(self, label: str, text: str) -> None:
        """A full-width box whose text may be longer than a page: continued on the next page
        (under the same label) rather than drawn past the bottom."""
        lines = wrap_lines(text, self.font, VALUE_SIZE, self.width - 2 * PAD) if text else [""]
        leading = VALUE_SIZE + 2.2
        head = PAD + LABEL_SIZE + 1 + 2 + PAD
        while lines:
            fits = int((self.y - MARGIN - head) // leading)
            if fits < min(3, len(lines)):
                self.new_page()
                continue
            chunk, lines = lines[:fits], lines[fits:]
            self.row(Cell(1.0, label, "\n".join(chunk)))

    def paragraph(self, text: str, size: float = 7.6) -> None:
        lines = wrap_lines(text, self.font, size, self.width - 2 * PAD)
        height = len(lines) * (size + 2) + 2 * PAD
        self.room(height)
        y = self.y - PAD - size
        for text_line in lines:
            self.line(text_line, self.left + PAD, y, self.width - 2 * PAD, self.font, size)
            y -= size + 2
        self.y -= height

    def gap(self, height: float = 2.5) -> None:
        self.y -= height


def _answers(form: _Form, answer: Answer, options: Sequence[Answer] = (Answer.YES, Answer.NO,
                                                                        Answer.NA)
             ) -> tuple[tuple[str, bool], ...]:
    return tuple((form.t(ANSWER_LABELS[o]), answer is o) for o in options)


def _label(key: str) -> str:
    return FIELDS_BY_KEY[key].label


def _draw(form: _Form) -> None:
    w, t, lang = form.w, form.t, form.lang
    form.new_page()

    form.bar((1.0, QT_TRANSLATE_NOOP("Psw", "Part information")))
    form.row(Cell(0.5, QT_TRANSLATE_NOOP("Psw", "Part name"), w.part_name, bold=True),
             Cell(0.25, QT_TRANSLATE_NOOP("Psw", "Customer part number"),
                  w.customer_part_number, bold=True),
             Cell(0.25, _label("org_part_number"), w.org_part_number))
    form.row(Cell(0.24, QT_TRANSLATE_NOOP("Psw", "Drawing number"), w.drawing_number),
             Cell(0.16, QT_TRANSLATE_NOOP("Psw", "Engineering change level"), w.change_level),
             Cell(0.14, _label("change_date"), _day(w.change_date, lang)),
             Cell(0.32, _label("additional_changes"), w.additional_changes),
             Cell(0.14, _label("additional_changes_date"), _day(w.additional_changes_date, lang)))
    form.row(Cell(0.24, _label("safety_regulation"), choices=_answers(
                 form, w.safety_regulation, (Answer.YES, Answer.NO))),
             Cell(0.2, _label("purchase_order"), w.purchase_order),
             Cell(0.14, QT_TRANSLATE_NOOP("Psw", "Weight (kg)"), _number(w.weight_kg, lang)),
             Cell(0.28, _label("checking_aid"), w.checking_aid),
             Cell(0.14, _label("checking_aid_date"), _day(w.checking_aid_date, lang)))
    form.gap()

    form.bar((0.5, QT_TRANSLATE_NOOP("Psw", "Supplier manufacturing information")),
             (0.5, QT_TRANSLATE_NOOP("Psw", "Customer submittal information")))
    form.row(Cell(0.34, QT_TRANSLATE_NOOP("Psw", "Supplier name"), w.supplier_name),
             Cell(0.16, QT_TRANSLATE_NOOP("Psw", "Supplier code"), w.supplier_code),
             Cell(0.3, _label("customer_division"), w.customer),
             Cell(0.2, _label("buyer"), w.buyer))
    form.row(Cell(0.5, QT_TRANSLATE_NOOP("Psw", "Address"), w.supplier_address),
             Cell(0.5, QT_TRANSLATE_NOOP("Psw", "Application"), w.application))
    form.gap()

    form.bar((1.0, QT_TRANSLATE_NOOP("Psw", "Materials reporting")))
    form.row(Cell(0.36, _label("substances_reported"),
                  choices=_answers(form, w.substances_reported)),
             Cell(0.3, _label("imds"), w.imds),
             Cell(0.34, _label("polymer_marking"), choices=_answers(form, w.polymer_marking)))
    form.gap()

    form.bar((0.56, QT_TRANSLATE_NOOP("Psw", "Reason for submission")),
             (0.44, QT_TRANSLATE_NOOP("Psw", "Requested submission level")))
    reasons = list(Reason)
    half = (len(reasons) + 1) // 2
    levels = list(LEVELS)
    for index in range(half):
        cells = []
        for reason in (reasons[index], reasons[index + half] if index + half < len(reasons)
                       else None):
            if reason is None:
                cells.append(Cell(0.28))
                continue
            text = t(REASON_LABELS[reason], "Ppap")
            if reason.value == w.reason and w.reason_detail:
                text += f" — {w.reason_detail}"
            cells.append(Cell(0.28, choices=((text, reason.value == w.reason),)))
        level = levels[index] if index < len(levels) else None
        if level is not None:
            text = f"{t(QT_TRANSLATE_NOOP('Psw', 'Level'))} {level} — " \
                   f"{t(LEVEL_LABELS[level], 'Ppap')}"
            cells.append(Cell(0.44, choices=((text, w.level == level),)))
        else:
            cells.append(Cell(0.44))
        form.row(*cells)
    form.gap()

    form.bar((1.0, QT_TRANSLATE_NOOP("Psw", "Submission results")))
    form.row(*(Cell(0.25, label, choices=_answers(form, w.result(key)))
               for key, _code, label in RESULT_ELEMENTS))
    form.row(Cell(0.5, QT_TRANSLATE_NOOP("Psw", "These results meet all design record "
                                                "requirements"),
                  choices=_answers(form, w.meets_requirements, (Answer.YES, Answer.NO))),
             Cell(0.5, value=t(DERIVED_NOTE)))
    explanation = "\n".join(([w.explanation] if w.explanation else [])
                            + [note.text(form.translate, lambda v: _number(v, form.lang),
                                         lambda v: _day(v, form.lang)) for note in w.notes])
    form.long_text(_label("explanation"), explanation)
    form.row(Cell(1.0, _label("mould_cavity_process"), w.mould_cavity_process))
    form.gap()

    form.bar((1.0, QT_TRANSLATE_NOOP("Psw", "Declaration")))
    form.paragraph(t(DECLARATION).format(pieces=w.production_pieces or "____",
                                         hours=w.production_hours or "____"))
    form.row(Cell(0.6, _label("customer_tools_tagged"),
                  choices=_answers(form, w.customer_tools_tagged)),
             Cell(0.2, _label("production_pieces"), w.production_pieces),
             Cell(0.2, _label("production_hours"), w.production_hours))
    form.gap()

    form.bar((1.0, QT_TRANSLATE_NOOP("Psw", "Authorised supplier signature")))
    form.row(Cell(0.24, QT_TRANSLATE_NOOP("Psw", "Name"), w.signer_name, bold=True),
             Cell(0.22, QT_TRANSLATE_NOOP("Psw", "Title"), w.signer_title),
             Cell(0.16, _label("phone"), w.signer_phone),
             Cell(0.24, QT_TRANSLATE_NOOP("Psw", "E-mail"), w.signer_email),
             Cell(0.14, QT_TRANSLATE_NOOP("Psw", "Date"), _day(w.signed_on, lang)))
    form.gap()

    form.bar((1.0, QT_TRANSLATE_NOOP("Psw", "For customer use only")), fill=LABEL_GREY)
    other = w.disposition in (State.SUSPENDED, State.REVOKED)
    kind = SubmissionKind(w.kind)
    options = [(t(state_label(kind, s), "Certification"), w.disposition == s)
               for s in (State.APPROVED, State.INTERIM, State.REJECTED)]
    other_label = t(QT_TRANSLATE_NOOP("Psw", "Other"))
    if other:
        other_label += f": {t(STATE_LABELS[State(w.disposition)], 'Certification')}"
    options.append((other_label, other))
    form.row(Cell(1.0, QT_TRANSLATE_NOOP("Psw", "Disposition"), choices=tuple(options)),
             fill=CUSTOMER_FILL)
    signature = (f"{embed(w.customer_name)} — {meaning(w.customer_meaning, (lang,))}"
                 if w.customer_meaning else w.customer_signature)
    form.row(Cell(0.36, QT_TRANSLATE_NOOP("Psw", "Customer signature"), signature),
             Cell(0.24, QT_TRANSLATE_NOOP("Psw", "Customer name"), w.customer_name),
             Cell(0.14, QT_TRANSLATE_NOOP("Psw", "Date"), _day(w.customer_signed_on, lang)),
             Cell(0.26, _label("customer_tracking"), w.customer_tracking),
             fill=CUSTOMER_FILL)
    form.footer()


def write_warrant_pdf(w: Warrant, path: Path, translate: Translate = untranslated,
                      language: str = "en") -> Path:
    """Write the warrant to `path` (through a temporary file: a failed print leaves no half
    file); returns the path."""
    ensure_fonts(SANS, SANS_BOLD, CJK)
    font, _bold = fonts_for(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    title = translate(PSW, TITLE)
    canvas = Canvas(str(tmp), pagesize=A4, initialFontName=font,
                    lang=LANGUAGE_TAGS.get(language, language), pageCompression=1)
    canvas.setTitle(f"{title} — {w.submission_number}")
    canvas.setSubject(f"{w.customer_part_number} {w.change_level} — {w.part_name}")
    canvas.setAuthor(w.supplier_name or "PartDesk")
    canvas.setCreator("PartDesk")
    form = _Form(canvas, w, language, translate)
    _draw(form)
    try:
        canvas.save()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
