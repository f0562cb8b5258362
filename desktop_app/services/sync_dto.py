"""Frozen results of the sync services, handed to the UI and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


def _json(obj: Any) -> dict[str, Any]:
    data = asdict(obj)
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in data.items()}


@dataclass(frozen=True, slots=True)
class PeerKeyInfo:
    site_id: str
    code: str
    name: str
    kind: str
    fingerprint: str
    enrolled_by: str
    enrolled_at: str
    retired_at: str  # empty while in use

    @property
    def retired(self) -> bool:
        return bool(self.retired_at)

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True, slots=True)
class SiteKeyFile:
    path: Path
    code: str
    fingerprint: str

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    package_id: str
    sequence: int
    to_site_code: str  # empty: not for one site
    full: bool
    since_seq: int
    up_to_seq: int
    revisions: int
    blobs: int
    size: int

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True, slots=True)
class TypeCounts:
    record_type: str
    new: int
    known: int
    conflicting: int


@dataclass(frozen=True, slots=True)
class PackageCheck:
    """A package verified without being imported (signature, hashes, every revision)."""

    file_name: str
    package_id: str
    sender_code: str
    sender_name: str
    sequence: int
    created_at: str
    revisions: int
    blobs: int
    signer_retired: bool

    def to_json(self) -> dict[str, object]:
        return {"valid": True, **asdict(self)}


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    package_id: str
    sender_site_id: str
    sender_code: str
    sender_name: str
    sequence: int
    created_at: str
    full: bool
    by_type: tuple[TypeCounts, ...]
    new_blobs: int
    blobs: int
    already_imported: bool  # this very package was applied before: importing changes nothing
    last_sequence: int  # the highest sequence received from the sender before this one

    @property
    def older(self) -> bool:
        return self.sequence <= self.last_sequence

    @property
    def new(self) -> int:
        return sum(t.new for t in self.by_type)

    @property
    def known(self) -> int:
        return sum(t.known for t in self.by_type)

    @property
    def conflicting(self) -> int:
        return sum(t.conflicting for t in self.by_type)

    def to_json(self) -> dict[str, Any]:
        data = _json(self)
        data.update(new=self.new, known=self.known, conflicting=self.conflicting,
                    older=self.older)
        return data


@dataclass(frozen=True, slots=True)
class ImportSummary:
    preview: ImportPreview
    applied: bool
    conflicted_records: tuple[str, ...]
    backup: str  # the backup made just before, if any
    # Sentences about audit logs (the sender's cut or rewritten, or ours shorter than the sender
    # holds): the package is imported all the same, and `verify` reports them from then on.
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**self.preview.to_json(), "applied": self.applied,
                "conflicted_records": list(self.conflicted_records), "backup": self.backup,
                "warnings": [str(w) for w in self.warnings]}


@dataclass(frozen=True, slots=True)
class SiteStatus:
    """One other site as the sync page and the dashboard show it."""

    site_id: str
    code: str
    name: str
    kind: str
    fingerprint: str  # of the key in use; empty if none is
    enrolled: bool
    retired: bool
    last_sent_sequence: int
    last_sent_at: str
    last_received_sequence: int
    last_received_at: str  # when it was applied here
    last_received_created_at: str  # when the sender made it
    sent_up_to: int
    acked_up_to: int
    pending_revisions: int  # local revisions not yet sent to that site
    scope: tuple[str, ...] = ()  # the record types it may write here (enrolled sites)

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True, slots=True)
class QuarantinedPackage:
    file_name: str
    original_name: str
    reason: str
    at: str
    by: str

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True)
class SiteScope:
    """The record types an enrolled site may author here, beside its kind's defaults."""

    site_id: str
    code: str
    kind: str
    record_types: tuple[str, ...]
    defaults: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"site_id": self.site_id, "code": self.code, "kind": self.kind,
                "record_types": list(self.record_types), "defaults": list(self.defaults)}
