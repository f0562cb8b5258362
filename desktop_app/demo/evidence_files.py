"""Real files for the evidence demo: a laboratory report and a material certificate as PDF
(reportlab), a photo as PNG (written directly, no window needed) and a CSV of readings."""

from __future__ import annotations

import csv
import math
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def report_pdf(path: Path, title: str, header: Sequence[tuple[str, str]],
               rows: Sequence[Sequence[str]], conclusion: str) -> Path:
    """A laboratory report as a lab would send it: header block, results table, conclusion."""
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(title), styles["Title"]), Spacer(1, 4 * mm)]
    info = Table([[escape(k), escape(v)] for k, v in header], colWidths=[50 * mm, 120 * mm])
    info.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                              ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    story += [info, Spacer(1, 6 * mm)]
    table = Table([[escape(c) for c in row] for row in rows], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eceff1")]),
    ]))
    story += [table, Spacer(1, 6 * mm), Paragraph(escape(conclusion), styles["BodyText"])]
    SimpleDocTemplate(str(path), pagesize=A4, title=title, author="PartDesk demo").build(story)
    return path


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def part_photo_png(path: Path, width: int = 480, height: int = 320) -> Path:
    """A photo-like picture of a stamped bracket on a bench: a lit steel plate with holes."""
    rows = []
    holes = [(0.28, 0.5, 0.07), (0.72, 0.5, 0.07), (0.5, 0.3, 0.045)]
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            u, v = x / width, y / height
            r, g, b = 92 + int(40 * v), 78 + int(30 * v), 64 + int(20 * v)  # wooden bench
            if 0.12 < u < 0.88 and 0.18 < v < 0.82:
                shade = 150 + int(70 * math.cos((u - 0.35) * 3.0) * math.cos((v - 0.3) * 2.0))
                r = g = b = max(60, min(235, shade))
                b = min(255, b + 8)
                for hx, hy, hr in holes:
                    if (u - hx) ** 2 + ((v - hy) * height / width) ** 2 < hr ** 2:
                        r, g, b = 40, 38, 36
            row += bytes((r, g, b))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
                     + _png_chunk(b"IDAT", raw) + _png_chunk(b"IEND", b""))
    return path


def readings_csv(path: Path, columns: dict[str, Sequence[str]]) -> Path:
    """Readings in the long shape of a CMM export: characteristic, sample, value."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["characteristic", "sample", "value"])
        for number, values in columns.items():
            for i, value in enumerate(values, start=1):
                writer.writerow([number, i, value])
    return path
