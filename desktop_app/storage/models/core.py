"""Core tables: revisions and their heads, records, the audit log, this site and its people."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base


class RevisionRow(Base):
    """Every revision ever written or received; never updated, never deleted."""

    __tablename__ = "revisions"

    rev_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Local arrival order: exports and audits walk the store in this order.
    seq: Mapped[int] = mapped_column(Integer, unique=True, index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    site_id: Mapped[str] = mapped_column(String(36))
    lamport: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    parents: Mapped[str] = mapped_column(Text)  # canonical JSON list
    fields: Mapped[str] = mapped_column(Text)  # canonical JSON object
    # The signed batch of its origin site that covers it (revision_batches); NULL only for
    # revisions stored before origin signatures existed.
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True, default=None)

    __table_args__ = (Index("ix_revisions_type_seq", "record_type", "seq"),)


class RevisionParent(Base):
    __tablename__ = "revision_parents"

    rev_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class RecordHead(Base):
    __tablename__ = "record_heads"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rev_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class RecordRow(Base):
    """One row per record: its type, current (provisional) revision and conflict state."""

    __tablename__ = "records"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40), index=True)
    current_rev_id: Mapped[str] = mapped_column(String(64))
    head_count: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(64))
    # The site that created the record (its root revision); empty while the root is unknown.
    owner_site_id: Mapped[str] = mapped_column(String(36), default="", server_default="")

    __table_args__ = (Index("ix_records_conflicts", "head_count"),)


class AuditEntry(Base):
    """Hash-chained local audit log; `hash` covers the previous hash and this entry."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditSeal(Base):
    """The site key's Ed25519 signature over the last entry of one batch of audit entries.

    A seal covers its entry and, through the chain, every entry before it. Entries written
    before the site had a key (before `init`) stay unsealed until the first seal covers them."""

    __tablename__ = "audit_seals"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))  # hex Ed25519 over seal_message()


class AuditAnchor(Base):
    """A head of THIS site's audit log that another site says it holds (a peer's witness).

    Heads this site sent are in `sync_packages`; heads kept in backups are beside the backup
    files; the latest head is in the anchor file beside the site key."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(60))  # "peer:<site id>"
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("source", "seq", "hash"),)


class LocalSite(Base):
    """Which site this data folder is. One row."""

    __tablename__ = "local_site"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32))


class Site(Base):
    """Query table of site records (this one and every peer seen)."""

    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[str] = mapped_column(String(64), default="")  # hex Ed25519
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class Person(Base):
    """Query table of user profile records."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(32), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[str] = mapped_column(String(36), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class Credential(Base):
    """Local only, never exported: the Argon2id hash and sign-in throttling of a person."""

    __tablename__ = "credentials"

    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str] = mapped_column(String(32), default="")
    changed_at: Mapped[str] = mapped_column(String(32))


class KeyValue(Base):
    """Small local settings that belong to the data, not to a person (e.g. sequence numbers)."""

    __tablename__ = "local_values"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "AuditAnchor",
    "AuditEntry",
    "AuditSeal",
    "Credential",
    "KeyValue",
    "LocalSite",
    "Person",
    "RecordHead",
    "RecordRow",
    "RevisionParent",
    "RevisionRow",
    "Site",
]


# -- projections of the core record types ----------------------------------------------------

from desktop_app.storage.projections import RowProjection, register  # noqa: E402

register(
    RowProjection(
        "site",
        Site,
        lambda s: {
            "code": s.fields.get("code", ""),
            "name": s.fields.get("name", ""),
            "kind": s.fields.get("kind", ""),
            "public_key": s.fields.get("public_key", ""),
        },
    )
)

register(
    RowProjection(
        "user",
        Person,
        lambda s: {
            "username": s.fields.get("username", ""),
            "display_name": s.fields.get("display_name", ""),
            "role": s.fields.get("role", "engineer"),
            "site_id": s.fields.get("site_id", ""),
            "active": bool(s.fields.get("active", True)),
            "email": s.fields.get("email", ""),
            "title": s.fields.get("title", ""),
        },
    )
)
