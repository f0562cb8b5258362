"""The plant's site key, wrapped: AES-256-GCM under a key that only its holder has.

A plant (one site, several PCs, one PostgreSQL database) keeps its Ed25519 site key once, in the
database, never in clear: one copy for each enrolled PC, encrypted with that PC's key-encryption
key (32 random bytes in the PC's own data folder), and, while a PC is being enrolled, one copy for
the join code an administrator printed (its key drawn from the code with Argon2id). The
associated data binds each copy to its site and to the row it is stored in, so a copy moved to
another row or another plant does not open.

No file or database access here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

WRAP_FORMAT = b"partdesk-plant-key/1"
KEK_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# A join code: 25 letters and digits of Crockford's base32 (125 bits), read out in groups of 5.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 25
# Argon2id for a join code: the code is long and random, this is a margin, not its strength.
CODE_TIME_COST = 2
CODE_MEMORY_KIB = 19 * 1024


class WrongKey(Exception):
    """The copy does not open with this key (another key, another row, or altered bytes)."""


def new_kek() -> bytes:
    return os.urandom(KEK_BYTES)


def _aad(site_id: str, holder: str) -> bytes:
    return WRAP_FORMAT + b"\n" + site_id.encode("ascii") + b"\n" + holder.encode("ascii")


def wrap_key(kek: bytes, key: Ed25519PrivateKey, site_id: str, holder: str) -> bytes:
    """`nonce || AES-GCM(kek, raw private key)`, bound to the site and to the holder's id."""
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, raw, _aad(site_id, holder))


def unwrap_key(kek: bytes, wrapped: bytes, site_id: str, holder: str) -> Ed25519PrivateKey:
    """The site key; WrongKey when this key, site or holder does not open the copy."""
    if len(kek) != KEK_BYTES or len(wrapped) <= NONCE_BYTES:
        raise WrongKey("malformed")
    try:
        raw = AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                  _aad(site_id, holder))
    except (InvalidTag, ValueError) as exc:
        raise WrongKey("does not open") from exc
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError as exc:
        raise WrongKey("not an Ed25519 key") from exc


def new_join_code() -> str:
    """A one-time code, e.g. `7KQ2M-XR4TB-0HW9D-ZC3NE-5FJ8P`."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return format_join_code(code)


def format_join_code(code: str) -> str:
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def normalise_join_code(text: str) -> str:
    """The code's characters as typed, without spaces or dashes; O read as 0, I and L as 1
    (Crockford's base32); empty when what was typed cannot be a join code."""
    compact = text.strip().upper().replace("-", "").replace(" ", "")
    compact = compact.translate(str.maketrans("OIL", "011"))
    if len(compact) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in compact):
        return ""
    return compact


def code_lookup(code: str) -> str:
    """How the database finds an invitation without holding anything that opens it."""
    return hashlib.sha256(b"partdesk-join-code/1\n" + code.encode("ascii")).hexdigest()


def code_kek(code: str, salt: bytes) -> bytes:
    """The key that the copy for a join code is wrapped with (Argon2id over the code)."""
    return hash_secret_raw(code.encode("ascii"), salt, time_cost=CODE_TIME_COST,
                           memory_cost=CODE_MEMORY_KIB, parallelism=1, hash_len=KEK_BYTES,
                           type=Type.ID)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def encode_kek(kek: bytes) -> str:
    return base64.b64encode(kek).decode("ascii")


def decode_kek(text: str) -> bytes:
    """ValueError when the text is not a key-encryption key."""
    kek = base64.b64decode(text.encode("ascii"), validate=True)
    if len(kek) != KEK_BYTES:
        raise ValueError("not a 32-byte key")
    return kek
