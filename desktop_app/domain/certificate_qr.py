"""The text a certificate's QR code carries: the signed payload, written compactly.

The signed payload (`PDC1|number|part|rev|type|issued|until|qty|hash|signature`, see
domain/certificates.py) is what the issuing site signed and what the register stores; it never
changes. Printed as it is, it needs a QR code of version 9 (53 x 53 modules) in byte mode. The
QR code carries the same fields and the same signature written for the QR alphanumeric mode
(5.5 bits a character instead of 8):

    PDC1*CERT-MSR-2026-0042*JT-5401-220*C*P3*2026-11-26***CF87E24D4526*<signature>

- `*` separates the fields (it never occurs in them; a payload whose fields hold one is printed
  as it is);
- the content hash (lower-case hex) is written in capitals;
- the 64-byte Ed25519 signature is a 512-bit number written in base 43 with the alphanumeric
  characters other than space and `*` (95 characters).

Expanding gives back exactly the signed text, so the offline check is the same for both forms,
and a certificate printed before (its QR code holds the payload as it is) still verifies.
"""

from __future__ import annotations

import base64
import binascii
import re

PREFIX = "PDC1"
SEPARATOR = "*"
SIGNATURE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$%+-./:"
SIGNATURE_LENGTH = 95  # 43 ** 95 > 2 ** 512
ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")
_HASH = re.compile(r"[0-9a-f]+")
_FIELDS = 8  # number, part, revision, type, issued, until, quantity, hash
_DIGIT = {c: i for i, c in enumerate(SIGNATURE_ALPHABET)}


def _b64_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def signature_text(signature: bytes) -> str:
    value = int.from_bytes(signature, "big")
    digits = []
    for _ in range(SIGNATURE_LENGTH):
        value, digit = divmod(value, len(SIGNATURE_ALPHABET))
        digits.append(SIGNATURE_ALPHABET[digit])
    return "".join(reversed(digits))


def signature_bytes(text: str) -> bytes | None:
    if len(text) != SIGNATURE_LENGTH or any(c not in _DIGIT for c in text):
        return None
    value = 0
    for c in text:
        value = value * len(SIGNATURE_ALPHABET) + _DIGIT[c]
    if value >= 1 << 512:
        return None
    return value.to_bytes(64, "big")


def compact(payload: str) -> tuple[str, str]:
    """(fields, signature) of the QR text of `payload`: `fields` ends with the separator; the
    QR text is their concatenation. A payload that cannot be written compactly comes back as
    (payload, "")."""
    signed, _, sig_text = payload.strip().rpartition("|")
    fields = signed.split("|")
    if len(fields) != _FIELDS + 1 or fields[0] != PREFIX or any(
            SEPARATOR in f for f in fields) or not _HASH.fullmatch(fields[-1]):
        return payload, ""
    try:
        signature = _b64_decode(sig_text)
    except (binascii.Error, ValueError):
        return payload, ""
    if len(signature) != 64 or _b64_encode(signature) != sig_text:
        return payload, ""
    fields[-1] = fields[-1].upper()
    return SEPARATOR.join(fields) + SEPARATOR, signature_text(signature)


def qr_text(payload: str) -> str:
    """The text the QR code carries for `payload`."""
    fields, signature = compact(payload)
    return fields + signature


def expand(text: str) -> str:
    """The signed payload from a QR code's text: a compact text expanded, anything else as is
    (the parser then says whether it is a payload)."""
    text = text.strip()
    if not text.startswith(PREFIX + SEPARATOR):
        return text
    parts = text.split(SEPARATOR)
    if len(parts) != _FIELDS + 2:
        return text
    signature = signature_bytes(parts[-1])
    if signature is None or not _HASH.fullmatch(parts[-2].lower()):
        return text
    fields = [*parts[:-2], parts[-2].lower()]
    return "|".join(fields) + "|" + _b64_encode(signature)
