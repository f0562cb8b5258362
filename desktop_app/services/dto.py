"""Frozen data handed to the UI and the CLI. No ORM object ever leaves a service."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from desktop_app.domain.keys import fingerprint
from desktop_app.domain.people import Role, SiteKind


@dataclass(frozen=True, slots=True)
class SiteInfo:
    site_id: str
    code: str
    name: str
    kind: SiteKind
    public_key: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key) if self.public_key else ""

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "kind": str(self.kind), "fingerprint": self.fingerprint}


@dataclass(frozen=True, slots=True)
class PersonSummary:
    user_id: str
    username: str
    display_name: str
    role: Role
    site_id: str
    active: bool
    email: str
    title: str
    conflict: bool

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "role": str(self.role)}


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    """One revision of a record as a history view shows it."""

    rev_id: str
    created_at: str
    author: str  # display name when known, else the author id
    site_code: str
    op: str
    reason: str
    changes: tuple[tuple[str, Any, Any], ...]  # (field, old, new)
    is_merge: bool
