"""Sync bookkeeping: enrolled peer keys, the package log and what each peer has seen.

These tables are local to this data folder; they are not business records and never travel in
packages (enrolment and retirement are also written to the audit log). Refused packages are NOT
recorded here: a refusal leaves the database file byte-for-byte unchanged, so the quarantine is
the folder `quarantine/` (each package beside a `.reason.json` file).
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base


class PeerKey(Base):
    """A site key enrolled by an administrator after checking its fingerprint out of band."""

    __tablename__ = "sync_peer_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[str] = mapped_column(String(64))  # hex Ed25519
    fingerprint: Mapped[str] = mapped_column(String(60))
    enrolled_by: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[str] = mapped_column(String(32))
    retired_by: Mapped[str] = mapped_column(String(64), default="")
    retired_at: Mapped[str] = mapped_column(String(32), default="")  # empty: in use

    __table_args__ = (UniqueConstraint("site_id", "public_key"),)


class PackageLog(Base):
    """Every package written here or applied here."""

    __tablename__ = "sync_packages"

    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))  # sent | received
    site_id: Mapped[str] = mapped_column(String(36))  # the sender
    peer_site_id: Mapped[str] = mapped_column(String(36), default="")  # sent: the target, if any
    sequence: Mapped[int] = mapped_column(Integer)  # the sender's per-site package number
    created_at: Mapped[str] = mapped_column(String(32))  # when the sender made it
    logged_at: Mapped[str] = mapped_column(String(32))  # when written or applied here
    logged_by: Mapped[str] = mapped_column(String(64))
    full: Mapped[int] = mapped_column(Integer, default=0)
    since_seq: Mapped[int] = mapped_column(Integer, default=0)  # sender's local revision seqs
    up_to_seq: Mapped[int] = mapped_column(Integer, default=0)  # covered: (since, up_to]
    revisions: Mapped[int] = mapped_column(Integer, default=0)
    new_revisions: Mapped[int] = mapped_column(Integer, default=0)
    blobs: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)  # the sender's audit-log head
    audit_hash: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")

    __table_args__ = (Index("ix_sync_packages_site_direction", "site_id", "direction",
                            "sequence"),)


class PeerState(Base):
    """What this site knows another site has seen, and has received from it.

    `sent_up_to`: the highest local revision seq written into a package for that peer.
    `acked_up_to`: the highest local revision seq the peer says (in its own signed manifests)
    it holds without gaps. `received_up_to`: the peer's local revision seq up to which this
    site holds everything the peer sent (packages without gaps). `seen`: the peer's last
    advertised view of every site (canonical JSON).
    """

    __tablename__ = "sync_peer_state"

    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sent_up_to: Mapped[int] = mapped_column(Integer, default=0)
    acked_up_to: Mapped[int] = mapped_column(Integer, default=0)
    received_up_to: Mapped[int] = mapped_column(Integer, default=0)
    last_received_sequence: Mapped[int] = mapped_column(Integer, default=0)
    seen: Mapped[str] = mapped_column(Text, default="{}")


__all__ = ["PackageLog", "PeerKey", "PeerState"]
