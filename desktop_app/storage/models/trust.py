"""Trust between sites: signed batches of revisions and what each enrolled peer may author."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base


class RevisionBatch(Base):
    """One batch of revisions signed by its origin site (a local operation or a file import
    there). Kept for every batch held here, so that packages relay the original signatures."""

    __tablename__ = "revision_batches"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # hex Ed25519 of the signing key
    created_at: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer)
    rev_ids: Mapped[str] = mapped_column(Text)  # the signed list, newline-separated
    signature: Mapped[str] = mapped_column(String(128))  # hex


class PeerScope(Base):
    """The record types an enrolled site may author here (JSON list), set at enrolment from
    the site kind's defaults and editable by an administrator."""

    __tablename__ = "sync_peer_scopes"

    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_types: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[str] = mapped_column(String(32))


__all__ = ["PeerScope", "RevisionBatch"]
