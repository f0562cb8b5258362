"""A plant on several PCs sharing one PostgreSQL database: its stored files and its site key.

On SQLite these tables exist and stay empty: files live in the data folder (`blobs/`) and the
site key beside them (`keys/`). On a server they hold what every PC of the plant must reach:

- `plant_blobs` / `plant_blob_chunks`: attached files, content-addressed like the folder's
  store (a blob row is written in the same transaction as all of its chunks, so a blob that is
  listed is whole; its bytes are checked against its SHA-256 whenever they are read);
- `plant_site_keys`: the public half of the plant's site key (the key registry's own entry);
- `plant_pcs`: the PCs enrolled in the plant, each with its own wrapped copy of the private key
  (AES-GCM under a key that only that PC holds, in its data folder);
- `plant_invites`: one-time join codes an administrator printed, each with a copy wrapped under
  a key drawn from the code; used or expired, the copy is erased.

None of these rows are business records: they never travel in packages.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base


class PlantBlob(Base):
    __tablename__ = "plant_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[str] = mapped_column(String(32))


class PlantBlobChunk(Base):
    __tablename__ = "plant_blob_chunks"

    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("plant_blobs.sha256", ondelete="CASCADE"), primary_key=True)
    chunk_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PlantSiteKey(Base):
    __tablename__ = "plant_site_keys"

    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # hex Ed25519
    created_at: Mapped[str] = mapped_column(String(32))


class PlantPc(Base):
    __tablename__ = "plant_pcs"

    pc_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(120))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)  # empty once removed
    enrolled_at: Mapped[str] = mapped_column(String(32))
    enrolled_by: Mapped[str] = mapped_column(String(64))
    removed_at: Mapped[str] = mapped_column(String(32), default="")  # empty: enrolled
    removed_by: Mapped[str] = mapped_column(String(64), default="")


class PlantInvite(Base):
    __tablename__ = "plant_invites"

    invite_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    lookup: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[str] = mapped_column(String(36))
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)  # empty once used or expired
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str] = mapped_column(String(32), default="")
    used_by_pc: Mapped[str] = mapped_column(String(36), default="")
