"""Ed25519 site keys: generate, sign, verify, fingerprint. No file or database access here."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The site key is not an Ed25519 key."))
    return key


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def load_public_key(hex_key: str) -> Ed25519PublicKey:
    try:
        raw = bytes.fromhex(hex_key.strip())
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "This is not an Ed25519 public key.")
        ) from exc


def fingerprint(public_hex: str) -> str:
    """What people read out by phone: 10 groups of 4 hex digits of the key's SHA-256."""
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest().upper()[:40]
    return " ".join(digest[i : i + 4] for i in range(0, 40, 4))


def normalise_fingerprint(text: str) -> str:
    compact = "".join(c for c in text.upper() if c in "0123456789ABCDEF")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify_signature(public_hex: str, signature: bytes, data: bytes) -> bool:
    try:
        load_public_key(public_hex).verify(signature, data)
    except (InvalidSignature, ValidationError):
        return False
    return True
