"""File names made safe to write: the original name of an attachment is data, never a path."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_BYTES = 150


def safe_file_name(original: str, extension: str = "", fallback: str = "attachment") -> str:
    """A name that is one plain file name on Windows, macOS and Linux.

    Directory parts, control and reserved characters, leading dots, trailing dots and spaces and
    reserved device names are removed; the length is capped; `extension` (".pdf") is added when
    the name does not already end with it."""
    name = unicodedata.normalize("NFC", original or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").rstrip(". ")
    name = re.sub(r"\s+", " ", name)
    if not name or name.strip("_") == "":
        name = fallback
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    suffix = f".{suffix}" if suffix else ""
    if extension and suffix.lower() != extension.lower() and not (
            extension == ".jpg" and suffix.lower() == ".jpeg") and not (
            extension == ".tif" and suffix.lower() == ".tiff") and not (
            extension == ".step" and suffix.lower() == ".stp"):
        suffix += extension
    while len((stem + suffix).encode("utf-8")) > MAX_BYTES and stem:
        stem = stem[:-1]
    return (stem or fallback) + suffix


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2)`, `name (3)` ... when it is taken."""
    target = folder / name
    stem, suffix = target.stem, target.suffix
    n = 2
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target
