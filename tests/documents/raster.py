"""A PDF's first page as a person sees it, read from its pixels (poppler's pdftoppm draws it).

What these helpers check does not follow the fonts of the machine, the PNG encoder's version or
the size of a file: the page's dimensions, and dark ink both in its upper third (title, QR code)
and below it (the tables).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image


def rasterise(pdf: Path, dpi: int) -> Path:
    """Page 1 of `pdf` as a PNG next to it, at `dpi`."""
    prefix = pdf.with_name(f"{pdf.stem}-page")
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", str(dpi), "-f", "1",
                    "-l", "1", str(pdf), str(prefix)], check=True)
    [png] = pdf.parent.glob(f"{prefix.name}*.png")
    return png


def assert_printed_page(png: Path, page_points: tuple[float, float], dpi: int) -> None:
    """`png` shows a page of `page_points` (width, height in points) at `dpi`, with ink (over 1 %
    of the page each) in its upper third and in the rest. A blank page, a page with only a QR
    code or a page of another size fails."""
    opened = Image.open(png)
    assert opened.format == "PNG"
    image = opened.convert("L")
    width, height = image.size
    expected = (page_points[0] * dpi / 72, page_points[1] * dpi / 72)
    assert abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1, (image.size, expected)
    pixels = image.load()
    header = sum(pixels[x, y] < 128 for x in range(width) for y in range(height // 3))
    body = sum(pixels[x, y] < 128 for x in range(width) for y in range(height // 3, height))
    area = width * height
    assert header > area // 100 and body > area // 100, (header, body, area)
