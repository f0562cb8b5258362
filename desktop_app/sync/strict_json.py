"""Strict JSON for untrusted input: UTF-8 only, no NaN or Infinity, no fractions, no duplicate
keys, bounded nesting. Everything a package carries is canonical JSON, so nothing else is needed.
"""

from __future__ import annotations

import json
from typing import Any


class StrictJsonError(ValueError):
    """The text is not strict JSON; the message says why (English, used as a detail)."""


def _no_constant(name: str) -> Any:
    raise StrictJsonError(f"{name} is not allowed")


def _no_float(text: str) -> Any:
    raise StrictJsonError(f"the number {text[:20]} has a fraction or exponent")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJsonError(f"the key {key[:40]!r} appears twice")
        result[key] = value
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant,
                            parse_float=_no_float, strict=True)


def _depth(value: Any, limit: int) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise StrictJsonError(f"nested deeper than {limit} levels")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def loads(data: bytes | str, max_depth: int = 32) -> Any:
    """Parse one JSON document strictly; StrictJsonError says what is wrong."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise StrictJsonError(f"not UTF-8 text (byte {exc.start})") from exc
    else:
        text = data
    if text.startswith("\ufeff"):
        raise StrictJsonError("a byte-order mark is not allowed")
    # A cheap bound first: the count of brackets is at least the depth.
    possibly_deep = text.count("{") + text.count("[") > max_depth
    try:
        value, end = _DECODER.raw_decode(text)
    except RecursionError as exc:
        raise StrictJsonError(f"nested deeper than {max_depth} levels") from exc
    except StrictJsonError:
        raise
    except ValueError as exc:  # json.JSONDecodeError and over-long integers
        raise StrictJsonError(str(exc).split(":")[0]) from exc
    if text[end:].strip():
        raise StrictJsonError("extra data after the value")
    if possibly_deep:
        _depth(value, max_depth)
    return value
