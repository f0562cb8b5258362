"""The part approval certificate as a PDF (reportlab), with its signed QR code and file seal.

The QR code carries the compact payload signed by the issuing site when it issued the
certificate. The same payload is embedded in the document's metadata (keywords
`partdesk-certificate=...`). When the issuing site prints, it also seals the file: an Ed25519
signature over the SHA-256 of the whole file (the seal's own hex digits read as zeros), so a
changed byte anywhere in the file, on the page or in the payload, fails verification. Another
site printing the certificate never seals it with its own key: the file says `partdesk-seal=none`
and names the printing site; its QR code still carries the issuer's seal. A certificate without
any stored seal prints a visible "not sealed" note where the QR code would be.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.documents.certificate_text import REASONS, check_languages, label, meaning
from desktop_app.documents.fonts import draw_text, embed, fonts_for, paragraph, shape, text_width
from desktop_app.documents.local_format import colon, day, language_tag, number, stamp
from desktop_app.domain.certificate_qr import ALPHANUMERIC, compact
from desktop_app.domain.certificates import CertificateData

SEAL_MARK = b"partdesk-seal=S1:"
UNSEALED_MARK = b"partdesk-seal=none"
SEAL_LEN = 16 + 1 + 128  # key id, ":", signature hex
PAYLOAD_MARK = "partdesk-certificate="
_PLACEHOLDER = "0" * 16 + ":" + "0" * 128
# A QR module of 1.25 mm: the code still reads after a 72 dpi grey scan with a slight blur (a
# decoder fails below about 1.2 mm); the usual symbol (version 7, 45 modules) is 56 mm wide.
# The quiet zone (4 modules) lies outside the box: page margins and gaps keep it blank.
QR_MODULE = 1.25 * mm
QR_QUIET = 4 * QR_MODULE
QR_SIZE = 45 * QR_MODULE  # the usual box
NOTE_SIZE = 34 * mm  # the "not sealed" note in place of a QR code
CELL_PADDING = 4
ACCENT = colors.HexColor("#1f4e79")
GRID = colors.HexColor("#9aa9b8")


# Binary (Flate only) streams: ASCII85 would make files larger and rendering slower.
rl_config.useA85 = 0


@dataclass(frozen=True, slots=True)
class Seal:
    key_id: str
    signature: bytes


Signer = Callable[[bytes], bytes]


class _Layout:
    def __init__(self, data: CertificateData, languages: tuple[str, ...],
                 printed_by: str = "") -> None:
        self.data = data
        self.langs = languages
        self.printed_by = printed_by
        self.rtl = languages == ("ar",)
        self.locale = languages[0]  # numbers, dates and colons follow the first language
        lang = "zh" if "zh" in languages else languages[0]
        self.font, self.bold = fonts_for(lang)
        self.base_dir = "R" if self.rtl else None
        self.qr = qr_modules(data.payload) if data.payload else None
        self.qr_size = len(self.qr) * QR_MODULE if self.qr else NOTE_SIZE
        align = TA_RIGHT if self.rtl else TA_LEFT
        wrap = "CJK" if lang == "zh" else None
        self.small = ParagraphStyle("small", fontName=self.font, fontSize=7.5, leading=9.2,
                                    alignment=align, wordWrap=wrap)
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=8.6, leading=10.6,
                                   alignment=align, wordWrap=wrap)
        self.head = ParagraphStyle("head", fontName=self.bold, fontSize=8.2, leading=10,
                                   alignment=align, textColor=colors.white, wordWrap=wrap)
        self.section = ParagraphStyle("section", fontName=self.bold, fontSize=10, leading=13,
                                      alignment=align, textColor=ACCENT, spaceBefore=5,
                                      spaceAfter=2, wordWrap=wrap)

    def l(self, key: str) -> str:  # noqa: E743 - a label
        return label(key, self.langs)

    def join(self, *parts: str, sep: str = " ") -> str:
        """Label and data pieces in reading (logical) order; a paragraph puts each line in
        display order after wrapping. In Arabic each piece keeps its own order (a date stays
        2027-03-31)."""
        return sep.join(embed(p) for p in parts) if self.rtl else sep.join(parts)

    def kv(self, key: str, value: str) -> str:
        return f"{self.l(key)}{colon(self.locale)}{embed(value) if self.rtl else value}"

    def day(self, iso: str) -> str:
        return day(iso, self.locale)

    def num(self, text: str) -> str:
        return number(text, self.locale)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Flowable:
        return paragraph(text, style or self.body, self.base_dir)

    def row(self, cells: list) -> list:
        return list(reversed(cells)) if self.rtl else cells

    def widths(self, widths: list[float]) -> list[float]:
        return list(reversed(widths)) if self.rtl else widths


def _fields_table(lay: _Layout, width: float) -> Table:
    d = lay.data
    reason = label(d.reason, lay.langs, REASONS) if d.reason in REASONS else d.reason
    if d.reason_detail:
        reason = lay.join(reason, "—", d.reason_detail)
    if d.status in ENDED_STATES:  # never "approved": the state the register gives it now
        disposition, validity = lay.l(f"status_{d.status}"), _state_since(lay)
    elif d.disposition == "interim":
        disposition = lay.l("ots_interim" if d.kind == "ots" else "interim")
        parts = []
        if d.valid_until:
            parts.append(lay.join(lay.l("until"), lay.day(d.valid_until)))
        if d.quantity_limit:
            parts.append(lay.join(d.quantity_limit, lay.l("parts")))
        validity = lay.join(*parts, sep=" · ") if lay.rtl else " · ".join(parts)
    else:
        disposition, validity = lay.l("approved"), lay.l("unlimited")
    rows = [
        ("supplier", f"{d.supplier_name} ({d.supplier_code})"),
        ("issuer", f"{d.site_code} — {d.site_name}"),
        ("customer", " / ".join(x for x in (d.customer, d.vehicle_model) if x) or "—"),
        ("part_number", d.part_number),
        ("designation", d.designation),
        ("drawing_revision", d.drawing_revision),
        ("approval_type", _approval_type(lay)),
        ("reason", reason),
        ("disposition", disposition),
        ("validity", validity),
    ]
    if d.action_plan:
        rows.append(("action_plan", d.action_plan))
    if d.deviations:
        rows.append(("deviations", "; ".join(d.deviations)))
    table = Table([lay.row([lay.p(lay.l(k), lay.small), lay.p(v)]) for k, v in rows],
                  colWidths=lay.widths([width * 0.32, width * 0.68]))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (1, 0) if lay.rtl else (0, 0), (1, -1) if lay.rtl else (0, -1),
         colors.HexColor("#eef2f6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _cell(lay: _Layout, text: str, width: float) -> str | Flowable:
    """Short plain text as a plain cell (no paragraph to lay out: much faster); anything that
    wraps or needs another script as a paragraph."""
    if (text.isascii() and "\n" not in text and pdfmetrics.stringWidth(
            text, lay.small.fontName, lay.small.fontSize) < width - 2 * CELL_PADDING):
        return text
    return lay.p(text, lay.small)


def _grid(lay: _Layout, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data = [lay.row([lay.p(h, lay.head) for h in header])]
    data += [lay.row([_cell(lay, c, w) for c, w in zip(r, widths, strict=True)]) for r in rows]
    table = Table(data, colWidths=lay.widths(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 1), (-1, -1), lay.small.fontName, lay.small.fontSize, lay.small.leading),
        ("ALIGN", (0, 1), (-1, -1), "RIGHT" if lay.rtl else "LEFT"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _story(lay: _Layout, width: float) -> list:
    d = lay.data
    story: list = [_fields_table(lay, width)]
    if d.status in ENDED_STATES:
        story.insert(0, _state_box(lay, width))
    story.append(lay.p(lay.l("evidence"), lay.section))
    if d.evidence:
        story.append(_grid(lay, [lay.l("element"), lay.l("document"), lay.l("sha256")],
                           [[e.element, e.label, e.sha256[:16]] for e in d.evidence],
                           [width * 0.12, width * 0.63, width * 0.25]))
    else:
        story.append(lay.p(lay.l("none")))
    story.append(lay.p(lay.l("capability"), lay.section))
    if d.capability:
        story.append(_grid(
            lay, [lay.l("characteristic"), lay.l("class"), lay.l("ppk"), lay.l("verdict")],
            [[c.characteristic, c.special_class, lay.num(c.value), _verdict(lay, c.verdict)]
             for c in d.capability], [width * 0.46, width * 0.1, width * 0.12, width * 0.32]))
    else:
        story.append(lay.p(lay.l("none")))
    story.append(lay.p(lay.l("signatures"), lay.section))
    story.append(_grid(
        lay, [lay.l("signer"), lay.l("meaning"), lay.l("signed_at")],
        [[f"{s.name}" + (f" — {s.title}" if s.title else ""), meaning(s.meaning, lay.langs),
          stamp(s.signed_at, lay.locale)] for s in d.signatures] or [["—", "—", "—"]],
        [width * 0.38, width * 0.37, width * 0.25]))
    story.append(lay.p(lay.l("verification"), lay.section))
    if not d.payload:
        story.append(lay.p(lay.l("not_sealed_text"), lay.small))
    else:
        story.append(lay.p(lay.l("verification_text"), lay.small))
        if lay.printed_by:
            story.append(lay.p(_printed_by(lay), lay.small))
        story.append(Spacer(1, 2))
        story.append(lay.p(lay.kv("key", d.key_fingerprint), lay.small))
    story.append(lay.p(lay.kv("content_hash", d.content_hash()[:32]), lay.small))
    for flowable in story:  # a table's own default font is Helvetica (never embedded)
        if isinstance(flowable, Table):
            flowable.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), lay.font)]))
    return story


def _printed_by(lay: _Layout) -> str:
    """Which site printed another site's certificate (each language's sentence)."""
    d = lay.data
    return " / ".join(dict.fromkeys(
        label("printed_by", (lang,)).format(printer=lay.printed_by, issuer=d.site_code)
        for lang in lay.langs))


def _approval_type(lay: _Layout) -> str:
    d = lay.data
    interim = d.disposition == "interim"
    if d.kind == "ots":
        text, condition = lay.l("ots"), lay.l("ots_interim") if interim else ""
    else:
        text = " / ".join(dict.fromkeys(label("ppap_level", (lang,)).format(n=d.level)
                                        for lang in lay.langs))
        condition = lay.l("interim") if interim else ""
    if not condition:
        return text
    return lay.join(text, "—", condition) if lay.rtl else f"{text} ({condition})"


def _verdict(lay: _Layout, verdict: str) -> str:
    if verdict.startswith("deviation "):
        return lay.join(lay.l("deviation"), verdict[len("deviation "):])
    return lay.l(verdict)


# States in which a certificate is no longer valid: printed as such, with a banner.
ENDED_STATES = ("suspended", "revoked", "expired", "superseded", "needs_reapproval")
STATE_RED = colors.HexColor("#b00020")


def _state_since(lay: _Layout) -> str:
    """Since when the certificate is in its state ("since 2026-11-20"; an expiry "on" its
    date), and the certificate that replaced it."""
    note = lay.data.note
    if note is None or not note.since:
        return "—"
    # Each date and number joined on its own, so that it keeps its order in Arabic lines.
    text = lay.l("expired_on" if lay.data.status == "expired" else "since").format(
        date=lay.join(lay.day(note.since)))
    if note.replaced_by:
        text = lay.join(text, "—", lay.l("replaced_by").format(
            number=lay.join(note.replaced_by)))
    return text


def _state_box(lay: _Layout, width: float) -> Table:
    """The banner above the fields: the state and since when, the recorded reason and who
    decided, and that the certificate is not valid (every line in each language)."""
    d, note = lay.data, lay.data.note
    lines = [lay.p(lay.join(lay.l(f"status_{d.status}"), "—", _state_since(lay)), lay.section)]
    if d.status == "needs_reapproval":
        lines.append(lay.p(lay.l("changed_after_approval")))
    if note is not None and note.reason.strip():
        why = note.reason.strip() + (f" ({note.decided_by})" if note.decided_by else "")
        lines.append(lay.p(lay.kv("state_reason", why)))
    lines.append(lay.p(lay.l("not_valid"), lay.section))
    box = Table([[line] for line in lines], colWidths=[width])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.6, STATE_RED),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdecee")),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def _status_banner(lay: _Layout) -> str:
    d = lay.data
    if d.status in ENDED_STATES:
        return lay.l(f"status_{d.status}")
    if d.disposition == "interim":
        return lay.l("status_interim")
    return ""


def _first_page(lay: _Layout) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        d = lay.data
        page_w, page_h = A4
        left, right, top = doc.leftMargin, page_w - doc.rightMargin, page_h - 14 * mm
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, page_h - 8 * mm, page_w, 8 * mm, stroke=0, fill=1)
        box = lay.qr_size
        qr_x = left if lay.rtl else right - box
        if lay.qr:
            draw_qr(canvas, lay.qr, qr_x, top - box, box)
        else:
            _draw_not_sealed(canvas, lay, qr_x, top - box)
        text_w = right - left - box - max(6 * mm, QR_QUIET)
        text_x = right - text_w if lay.rtl else left
        title_style = ParagraphStyle(
            "title", fontName=lay.bold, fontSize=14 if len(lay.langs) > 1 else 16, leading=17,
            textColor=ACCENT, alignment=TA_RIGHT if lay.rtl else TA_LEFT)
        titles = [paragraph(label("title", (lang,)), title_style, lay.base_dir)
                  for lang in lay.langs]
        number = lay.p(lay.kv("number", d.number), ParagraphStyle(
            "number", fontName=lay.bold, fontSize=11.5, leading=14,
            alignment=TA_RIGHT if lay.rtl else TA_LEFT))
        issued = lay.p(lay.kv("issued_on", lay.day(d.issued_on)))
        y = top
        for para in (*titles, number, issued):
            _, h = para.wrap(text_w, 60)
            y -= h
            para.drawOn(canvas, text_x, y)
            y -= 3
        banner = _status_banner(lay)
        if banner:
            canvas.setFillColor(colors.HexColor("#b45309"))
            if lay.rtl:
                draw_text(canvas, right, top - box + 1, banner, lay.bold, 10, "end")
            else:
                draw_text(canvas, left, top - box + 1, banner, lay.bold, 10)
        canvas.setFillColor(colors.grey)
        canvas.setFont(lay.font, 6.5)
        canvas.drawString(left, 8 * mm, f"{d.number} · {d.content_hash()[:16]}")
        canvas.restoreState()

    return draw


def _draw_not_sealed(canvas: Canvas, lay: _Layout, x: float, y: float) -> None:
    """In place of the QR code: a framed note that nothing here vouches for the certificate.
    One line per phrase and language, each shrunk to fit (a wrapped right-to-left line would
    be read in the wrong order)."""
    lines = []
    for lang in lay.langs:
        regular, bold = fonts_for(lang)
        lines += [(label("not_sealed", (lang,)), bold), (label("ask_issuer", (lang,)), regular)]
    box = lay.qr_size
    room = box - 8
    leading = 10.5
    canvas.saveState()
    red = colors.HexColor("#b00020")
    canvas.setStrokeColor(red)
    canvas.setFillColor(red)
    canvas.setLineWidth(1.2)
    canvas.rect(x, y, box, box, stroke=1, fill=0)
    line_y = y + box / 2 + leading * len(lines) / 2 - 8
    for text, font in lines:
        size = min(8.0, 8.0 * room / max(text_width(shape(text), font, 8.0), 1.0))
        draw_text(canvas, x + box / 2, line_y, text, font, size, "middle")
        line_y -= leading
    canvas.restoreState()


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code of a certificate payload (error correction M) as rows of dark modules.

    The code carries the compact text of the payload (domain/certificate_qr.py): one
    alphanumeric segment when every field allows it, else the fields in byte mode and the
    signature alphanumeric; a payload that has no compact form is encoded as it is. One fixed
    mask pattern: scoring all eight costs eight encodings for a marginal gain."""
    fields, signature = compact(payload)
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    if not signature:
        code.addData(qrencoder.QR8bitByte(fields.encode("utf-8")))
    elif ALPHANUMERIC.fullmatch(fields):
        code.addData(qrencoder.QRAlphaNum(fields + signature))
    else:
        code.addData(qrencoder.QR8bitByte(fields.encode("utf-8")))
        code.addData(qrencoder.QRAlphaNum(signature))
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    return [list(row) for row in code.modules]


def draw_qr(canvas: Canvas, modules: list[list[bool]], x: float, y: float, size: float) -> None:
    """Dark modules as one filled path, horizontal runs merged, filling the square of `size`
    whose lower left corner is (x, y); the quiet zone around it is left to the layout."""
    count = len(modules)
    cell = size / count
    ops = []
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            ops.append(f"{start} {count - 1 - r} {c - start} 1 re")
    canvas.saveState()
    canvas.setFillColor(colors.black)
    # In module units: integer operators are exact and cheap to write.
    canvas.transform(cell, 0, 0, cell, x, y)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def render_certificate(data: CertificateData, languages: tuple[str, ...],
                       seal_key_id: str = "", signer: Signer | None = None, *,
                       printed_by: str = "") -> bytes:
    """The certificate as PDF bytes. With `signer` (the issuing site's Ed25519 sign of a 32-byte
    digest) the file is sealed; without, it is marked unsealed and, with `printed_by`, names the
    site that printed another site's certificate."""
    langs = check_languages(languages)
    lay = _Layout(data, langs, printed_by)
    seal_mark = f"{SEAL_MARK.decode()}{_PLACEHOLDER}" if signer else UNSEALED_MARK.decode()
    buffer = io.BytesIO()
    subject = " / ".join(dict.fromkeys(
        label("subject", (lang,)).format(part=data.part_number, revision=data.drawing_revision)
        for lang in langs))
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
        topMargin=14 * mm + lay.qr_size + max(5 * mm, QR_QUIET + 1 * mm), bottomMargin=14 * mm,
        title=f"{label('title', langs)} {data.number}", author=data.site_name,
        subject=subject, creator="PartDesk", lang=language_tag(langs[0]),
        initialFontName=lay.font,  # never a standard-14 font: every font is embedded
        keywords=f"{PAYLOAD_MARK}{_b64(data.payload)} {seal_mark}")
    first = _first_page(lay)
    doc.build(_story(lay, doc.width), onFirstPage=first, onLaterPages=first)
    pdf = buffer.getvalue()
    if signer is None:
        return pdf
    at = pdf.find(SEAL_MARK)
    if at < 0:
        raise RuntimeError("the seal placeholder is missing from the rendered PDF")
    digest = hashlib.sha256(pdf).digest()
    seal = f"{seal_key_id}:{signer(digest).hex()}".encode("ascii")
    start = at + len(SEAL_MARK)
    return pdf[:start] + seal + pdf[start + SEAL_LEN:]


def read_embedded(pdf: bytes) -> tuple[str, Seal | None, bytes]:
    """(payload, seal, digest the seal covers) from a certificate file.

    The digest is empty when the file is not byte for byte as written (e.g. re-saved by another
    program, which rewrites the metadata): such a file cannot pass the seal."""
    keywords = ""
    match = re.search(
        rb"partdesk-certificate=([A-Za-z0-9_\-]*) partdesk-seal=(?:S1:[0-9a-f:]+|none)", pdf)
    if match:
        keywords = match.group(0).decode("ascii")
    else:
        try:
            meta = PdfReader(io.BytesIO(pdf)).metadata
            keywords = str(meta.get("/Keywords", "")) if meta is not None else ""
        except (PdfReadError, ValueError, KeyError, TypeError):
            keywords = ""
    payload_b64 = re.search(r"partdesk-certificate=([A-Za-z0-9_\-]+)", keywords)
    seal_text = re.search(r"partdesk-seal=S1:([0-9a-f]{16}):([0-9a-f]{128})", keywords)
    payload = ""
    if payload_b64:
        try:
            raw = payload_b64.group(1) + "=" * (-len(payload_b64.group(1)) % 4)
            payload = base64.urlsafe_b64decode(raw).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            payload = ""
    if seal_text is None:
        return payload, None, b""
    seal = Seal(seal_text.group(1), bytes.fromhex(seal_text.group(2)))
    at = pdf.find(SEAL_MARK)
    if match is None or at < 0:
        return payload, seal, b""
    start = at + len(SEAL_MARK)
    zeroed = pdf[:start] + _PLACEHOLDER.encode("ascii") + pdf[start + SEAL_LEN:]
    return payload, seal, hashlib.sha256(zeroed).digest()
