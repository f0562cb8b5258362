"""This PC's part in a plant: its key file, the plant settings file, and the plant's site key
opened from the database with this PC's key (storage.models.plant holds the tables).

A PC of a plant keeps in its data folder (a local cache; the data is on the server):
- `plant.json`: the database URL (paths.configured_database_url reads it before anything opens);
- `keys/plant-pc.json`: this PC's id and its key-encryption key (32 random bytes, only the
  owner may read the file). With it, the PC opens its own wrapped copy of the site key in
  `plant_pcs`; without it, or once an administrator removed the PC, the PC signs nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import PermissionDenied, StorageError
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.key_wrap import WrongKey, decode_kek, encode_kek, unwrap_key, wrap_key
from desktop_app.domain.keys import public_key_hex
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.paths import PLANT_CONFIG_FORMAT, DataFolder
from desktop_app.storage.database import Database
from desktop_app.storage.models.plant import PlantPc, PlantSiteKey

PC_FORMAT = "partdesk-plant-pc/1"

NOT_ENROLLED = QT_TRANSLATE_NOOP(
    "Errors",
    "This PC is not enrolled in the plant whose database is {where}: ask an administrator for a "
    "join code ('partdesk --user NAME plant invite' on an enrolled PC), then run 'partdesk "
    "plant join --database-url URL --code CODE' here.",
)
REMOVED = QT_TRANSLATE_NOOP(
    "Errors",
    "This PC was removed from the plant on {date} by {by}; ask an administrator for a new join "
    "code and run 'partdesk plant join --database-url URL --code CODE' again.",
)
KEY_DOES_NOT_OPEN = QT_TRANSLATE_NOOP(
    "Errors",
    "This PC's plant key {path} does not open the plant's site key (it belongs to another plant "
    "or was altered); ask an administrator for a join code and run 'partdesk plant join "
    "--database-url URL --code CODE' again.",
)
PLANT_KEY_MISSING = QT_TRANSLATE_NOOP(
    "Errors",
    "The plant's site key is missing from the database {where}, although this PC was enrolled; "
    "nothing is signed until plant IT restores the database from its backup.",
)
PC_KEY_UNREADABLE = QT_TRANSLATE_NOOP(
    "Errors",
    "This PC's plant key {path} cannot be read ({detail}); ask an administrator for a join code "
    "and run 'partdesk plant join --database-url URL --code CODE' again.",
)


@dataclass(frozen=True, slots=True)
class PcIdentity:
    """Who this PC is in its plant, and the key that opens its copy of the site key."""

    pc_id: str
    site_id: str
    kek: bytes

    def to_json(self) -> dict[str, Any]:
        return {"format": PC_FORMAT, "pc_id": self.pc_id, "site_id": self.site_id,
                "kek": encode_kek(self.kek)}


def read_pc_identity(path: Path) -> PcIdentity | None:
    """None when the PC has no key file; StorageError when it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(PC_KEY_UNREADABLE, path=str(path),
                           detail=exc.strerror or type(exc).__name__) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != PC_FORMAT:
            raise ValueError("not a PartDesk plant key")
        pc_id, site_id = data["pc_id"], data["site_id"]
        if not isinstance(pc_id, str) or not isinstance(site_id, str):
            raise ValueError("no PC or site id")
        return PcIdentity(pc_id=pc_id, site_id=site_id, kek=decode_kek(data["kek"]))
    except (UnicodeDecodeError, ValueError, AttributeError, KeyError, TypeError) as exc:
        raise StorageError(PC_KEY_UNREADABLE, path=str(path), detail=str(exc)[:80]) from exc


def write_private_json(path: Path, data: dict[str, Any]) -> None:
    """A small secret file only the owner may read, written atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(data, sort_keys=True, indent=1).encode("utf-8") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp, path)
    except OSError as exc:
        raise fault_from_os_error(exc, path) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_plant_config(folder: DataFolder, database_url: str, site_code: str) -> None:
    """Point this PC's data folder at the plant's database (the URL may hold a password: only
    the owner may read the file)."""
    write_private_json(folder.plant_config, {"format": PLANT_CONFIG_FORMAT,
                                             "database_url": database_url,
                                             "site_code": site_code})


def plant_public_key(db: Database) -> str | None:
    """The public half of the plant's site key (hex), None when this database holds no plant."""
    if db.is_sqlite:
        return None
    with db.reading() as conn:
        return conn.execute(select(PlantSiteKey.public_key).limit(1)).scalar()


def load_plant_key(db: Database, folder: DataFolder) -> Ed25519PrivateKey | None:
    """The plant's site key, opened with this PC's key; None when the database holds no plant
    key (before the first set-up). One sentence (PermissionDenied, StorageError) when this PC
    is not enrolled, was removed, or holds a key that does not open its copy.

    Read without waiting for another PC's write, so it may be asked inside a unit of work."""
    identity = read_pc_identity(folder.plant_pc_key)
    with db.reading() as conn:
        plant = conn.execute(select(PlantSiteKey.site_id, PlantSiteKey.public_key)).first()
        if plant is None:
            if identity is not None:  # enrolled, yet the plant's key is gone from the database
                raise StorageError(PLANT_KEY_MISSING, where=db.where)
            return None
        row = None
        if identity is not None:
            row = conn.execute(select(PlantPc.wrapped_key, PlantPc.removed_at,
                                      PlantPc.removed_by, PlantPc.site_id)
                               .where(PlantPc.pc_id == identity.pc_id)).first()
    if identity is None or row is None:
        raise PermissionDenied(NOT_ENROLLED, where=db.where)
    if row.removed_at:
        raise PermissionDenied(REMOVED, date=row.removed_at[:10], by=row.removed_by)
    try:
        if identity.site_id != plant.site_id or row.site_id != plant.site_id:
            raise WrongKey("another plant")
        key = unwrap_key(identity.kek, bytes(row.wrapped_key), plant.site_id, identity.pc_id)
        if public_key_hex(key) != plant.public_key:
            raise WrongKey("another key")
    except WrongKey as exc:
        raise StorageError(KEY_DOES_NOT_OPEN, path=str(folder.plant_pc_key)) from exc
    return key


def register_site_key(session: Session, site_id: str, key: Ed25519PrivateKey, at: str) -> None:
    session.execute(insert(PlantSiteKey), [{"site_id": site_id, "public_key": public_key_hex(key),
                                            "created_at": at}])


def enrol_pc(session: Session, key: Ed25519PrivateKey, identity: PcIdentity, name: str,
             by: str, at: str) -> None:
    """This PC's copy of the site key, wrapped with its own key, in the caller's transaction."""
    session.execute(insert(PlantPc), [{
        "pc_id": identity.pc_id, "site_id": identity.site_id, "name": name[:120],
        "wrapped_key": wrap_key(identity.kek, key, identity.site_id, identity.pc_id),
        "enrolled_at": at, "enrolled_by": by[:64], "removed_at": "", "removed_by": ""}])


def pc_name() -> str:
    """This computer's name, as the list of a plant's PCs shows it."""
    import platform

    return (platform.node() or "PC").strip()[:120]
