"""Draws PartDesk's icon and writes resources/icons/partdesk.ico (16 to 256 pixels).

    .venv/bin/python installer/make_icon.py          # rewrite the .ico (committed)
    .venv/bin/python installer/make_icon.py --check  # exit 1 if the committed .ico is missing
                                                     # or lacks a size

The icon is drawn, not traced from a picture: a hexagonal nut (a part) on a blue tile, with a
green tick (certified) from 32 pixels up. Each size is drawn on its own at eight times its size
and scaled down, so the small ones stay sharp instead of being shrunk from the 256-pixel one.
Pillow comes with reportlab, so it is in every PartDesk environment; nothing else is needed.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICO_PATH = ROOT / "resources" / "icons" / "partdesk.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)
SUPERSAMPLE = 8

TILE_TOP = (31, 78, 121)       # deep blue
TILE_BOTTOM = (46, 117, 182)   # lighter blue
NUT = (245, 247, 250)          # near-white
TICK_DISC = (46, 160, 67)      # green
TICK = (255, 255, 255)


def _hexagon(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    return [(cx + radius * math.cos(math.radians(60 * i)),
             cy + radius * math.sin(math.radians(60 * i))) for i in range(6)]


def draw(size: int) -> Image.Image:
    """The icon at `size` pixels, RGBA."""
    s = size * SUPERSAMPLE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    # the tile: a rounded square with a vertical gradient
    gradient = Image.new("RGBA", (s, s))
    g = ImageDraw.Draw(gradient)
    for y in range(s):
        t = y / (s - 1)
        g.line([(0, y), (s, y)], fill=tuple(
            round(a + (b - a) * t) for a, b in zip(TILE_TOP, TILE_BOTTOM, strict=True)) + (255,))
    mask = Image.new("L", (s, s), 0)
    margin = s * (0.02 if size <= 24 else 0.04)
    ImageDraw.Draw(mask).rounded_rectangle([margin, margin, s - margin, s - margin],
                                           radius=s * 0.18, fill=255)
    img.paste(gradient, (0, 0), mask)
    d = ImageDraw.Draw(img)
    small = size < 32
    # the nut: a hexagon with a round hole, a little up and left to leave room for the tick
    cx, cy = (s * 0.5, s * 0.5) if small else (s * 0.44, s * 0.44)
    radius = s * (0.36 if small else 0.31)
    d.polygon(_hexagon(cx, cy, radius), fill=NUT)
    hole = radius * 0.45
    d.ellipse([cx - hole, cy - hole, cx + hole, cy + hole], fill=TILE_TOP + (255,))
    if not small:
        # the tick: a green disc with a white check mark, bottom right
        r = s * 0.19
        tx, ty = s * 0.72, s * 0.72
        ring = s * 0.03
        d.ellipse([tx - r - ring, ty - r - ring, tx + r + ring, ty + r + ring],
                  fill=TILE_BOTTOM + (255,))
        d.ellipse([tx - r, ty - r, tx + r, ty + r], fill=TICK_DISC + (255,))
        width = max(1, round(r * 0.28))
        points = [(tx - r * 0.48, ty + r * 0.02), (tx - r * 0.12, ty + r * 0.38),
                  (tx + r * 0.52, ty - r * 0.36)]
        d.line(points, fill=TICK + (255,), width=width, joint="curve")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def write_ico(path: Path = ICO_PATH) -> None:
    images = [draw(size) for size in SIZES]
    path.parent.mkdir(parents=True, exist_ok=True)
    largest = images[-1]
    largest.save(path, format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=images[:-1])


def ico_sizes(path: Path = ICO_PATH) -> set[int]:
    with Image.open(path) as ico:
        return {w for w, h in ico.info.get("sizes", set()) if w == h}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the committed icon has every size")
    args = parser.parse_args(argv)
    if args.check:
        if not ICO_PATH.exists():
            print(f"{ICO_PATH} is missing: run installer/make_icon.py.", file=sys.stderr)
            return 1
        missing = set(SIZES) - ico_sizes()
        if missing:
            print(f"{ICO_PATH} lacks the sizes {sorted(missing)}: run installer/make_icon.py.",
                  file=sys.stderr)
            return 1
        return 0
    write_ico()
    print(f"Wrote {ICO_PATH.relative_to(ROOT)} ({', '.join(map(str, SIZES))} px)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
