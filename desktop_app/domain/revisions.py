"""Records as append-only sets of content-addressed revisions (DESIGN.md, "Records").

A revision names its parents; the current value of a record is a pure function of its heads (the
revisions no other revision names as parent). Several heads are a conflict with a deterministic
provisional value: highest Lamport counter, then site id, then rev_id.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]
Fields = dict[str, Any]


class Op(StrEnum):
    UPSERT = "upsert"
    TOMBSTONE = "tombstone"


# -- identifiers -------------------------------------------------------------------------------


def uuid7(now_ms: int | None = None) -> str:
    """A UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sortable by time."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 68) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))


def utc_now() -> str:
    """The current time as the ISO 8601 text stored in revisions (UTC, microseconds)."""
    return format_timestamp(datetime.now(UTC))


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# -- canonical JSON ----------------------------------------------------------------------------


_PLAIN = (str, bool, type(None))


def _normalise(value: Any, path: str = "$") -> JsonValue:
    kind = type(value)
    if kind in _PLAIN:  # the common case first: most fields are text
        return value
    if kind is int:
        return value
    if kind is dict:
        out: dict[str, JsonValue] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "A key at {path} is not text."), path=path
                )
            item_kind = type(item)
            out[key] = (item if item_kind in _PLAIN or item_kind is int
                        else _normalise(item, f"{path}.{key}"))
        return out
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The value at {path} is not a finite number."),
                path=path,
            )
        return str(value)
    if isinstance(value, float):
        # Floats never enter a revision: their text is not stable across platforms.
        if not math.isfinite(value):
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The value at {path} is not a finite number."),
                path=path,
            )
        return str(Decimal(repr(value)))
    if isinstance(value, Mapping):
        return _normalise(dict(value), path)
    if isinstance(value, list | tuple):
        return [_normalise(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise ValidationError(
        QT_TRANSLATE_NOOP("Errors", "The value at {path} cannot be stored ({kind})."),
        path=path,
        kind=type(value).__name__,
    )


def normalise_fields(fields: Mapping[str, Any]) -> Fields:
    """Fields as they are stored: JSON types only, decimals and floats as strings."""
    result = _normalise(dict(fields))
    assert isinstance(result, dict)
    return result


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text, decimals as strings, no floats and no NaN."""
    return json.dumps(
        _normalise(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def normalised_json(value: Any) -> str:
    """canonical_json for a value that is normalised already (the fields and body of a Revision):
    the same text, without walking the value again. Floats and NaN never get here."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# -- revisions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Revision:
    rev_id: str
    record_type: str
    record_id: str
    parents: tuple[str, ...]
    site_id: str
    lamport: int
    created_at: str
    author: str
    op: Op
    fields: Fields = field(hash=False, compare=False)
    reason: str = ""

    def body(self) -> dict[str, Any]:
        """Everything but the rev_id, as hashed."""
        return {
            "record_type": self.record_type,
            "record_id": self.record_id,
            "parents": sorted(self.parents),
            "site_id": self.site_id,
            "lamport": self.lamport,
            "created_at": self.created_at,
            "author": self.author,
            "op": str(self.op),
            "fields": self.fields,
            "reason": self.reason,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"rev_id": self.rev_id, **self.body()}

    @property
    def is_tombstone(self) -> bool:
        return self.op is Op.TOMBSTONE

    def order_key(self) -> tuple[int, str, str]:
        """The provisional winner among conflicting heads is the highest key."""
        return (self.lamport, self.site_id, self.rev_id)

    @classmethod
    def create(
        cls,
        *,
        record_type: str,
        record_id: str,
        parents: Iterable[str],
        site_id: str,
        lamport: int,
        author: str,
        fields: Mapping[str, Any],
        op: Op = Op.UPSERT,
        reason: str = "",
        created_at: str | None = None,
    ) -> Revision:
        draft = cls(
            rev_id="",
            record_type=record_type,
            record_id=record_id,
            parents=tuple(sorted(set(parents))),
            site_id=site_id,
            lamport=lamport,
            created_at=created_at or utc_now(),
            author=author,
            op=Op(op),
            fields=normalise_fields(fields) if op is Op.UPSERT else {},
            reason=reason,
        )
        return cls._with_id(draft)

    @classmethod
    def _with_id(cls, draft: Revision) -> Revision:
        rev_id = sha256_hex(normalised_json(draft.body()))  # fields normalised in create()
        return cls(
            rev_id=rev_id,
            record_type=draft.record_type,
            record_id=draft.record_id,
            parents=draft.parents,
            site_id=draft.site_id,
            lamport=draft.lamport,
            created_at=draft.created_at,
            author=draft.author,
            op=draft.op,
            fields=draft.fields,
            reason=draft.reason,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Revision:
        """Rebuild a revision received from elsewhere; its rev_id must match its content."""
        try:
            revision = cls(
                rev_id=str(data["rev_id"]),
                record_type=_text(data["record_type"]),
                record_id=_text(data["record_id"]),
                parents=tuple(sorted(_text(p) for p in data["parents"])),
                site_id=_text(data["site_id"]),
                lamport=_int(data["lamport"]),
                created_at=_text(data["created_at"]),
                author=_text(data["author"]),
                op=Op(data["op"]),
                fields=normalise_fields(data["fields"]),
                reason=_text(data.get("reason", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "A revision is malformed ({detail})."), detail=str(exc)
            ) from exc
        # The fields were normalised just above; the rest of the body is text and integers.
        if revision.rev_id != sha256_hex(normalised_json(revision.body())):
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "Revision {rev_id} does not match its content; it was altered."
                ),
                rev_id=revision.rev_id[:12],
            )
        return revision


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value


# -- state of a record -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordState:
    """The current value of one record, derived from its heads only."""

    record_type: str
    record_id: str
    heads: tuple[str, ...]
    winner: Revision
    owner: str = ""  # the site that created the record; empty while its root is unknown

    @property
    def conflict(self) -> bool:
        return len(self.heads) > 1

    @property
    def deleted(self) -> bool:
        return self.winner.is_tombstone

    @property
    def fields(self) -> Fields:
        return self.winner.fields


def resolve(heads: Iterable[Revision], owner: str = "") -> RecordState:
    """The state of a record from its head revisions (any order, at least one). With the owning
    site known, its revisions come first: another site's edit never wins provisionally."""
    if owner:
        ordered = sorted(heads, key=lambda r: (r.site_id == owner, *r.order_key()))
    else:
        ordered = sorted(heads, key=Revision.order_key)
    if not ordered:
        raise ValueError("a record has at least one head")
    winner = ordered[-1]
    return RecordState(
        record_type=winner.record_type,
        record_id=winner.record_id,
        heads=tuple(sorted(r.rev_id for r in ordered)),
        winner=winner,
        owner=owner,
    )


def heads_of(revisions: Iterable[Revision]) -> list[Revision]:
    """Reference definition: the revisions no other revision in the set names as parent."""
    revs = list({r.rev_id: r for r in revisions}.values())
    named = {p for r in revs for p in r.parents}
    return [r for r in revs if r.rev_id not in named]


def changed_fields(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, tuple]:
    """Field name -> (old value, new value) for every field that differs."""
    before = old or {}
    keys = sorted(set(before) | set(new))
    return {k: (before.get(k), new.get(k)) for k in keys if before.get(k) != new.get(k)}


BLOB_FIELD = "blob_sha256"


def referenced_blobs(fields: Mapping[str, Any]) -> set[str]:
    """Blobs a record's fields point at: by convention the fields named `blob_sha256` or ending in
    `_blob_sha256`, holding one hash or a list of hashes."""
    found: set[str] = set()
    for key, value in fields.items():
        if key == BLOB_FIELD or key.endswith("_" + BLOB_FIELD):
            values = value if isinstance(value, list) else [value]
            found.update(v for v in values if isinstance(v, str) and v)
    return found
