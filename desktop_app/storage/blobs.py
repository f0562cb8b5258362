"""Content-addressed stores of attached files, behind one interface (`Blobs`).

`BlobStore`, the data folder's: `blobs/ab/<sha256>`. A blob is written to a temporary file in the
store, fsynced, then renamed to its hash: a file whose name is not its hash never exists under
`blobs/xx/`. The same bytes stored twice are kept once.

`ServerBlobStore`, a plant's on PostgreSQL, which every PC of the plant reaches: the same bytes in
chunks of 1 MB in `plant_blob_chunks`, listed in `plant_blobs` in the same transaction as all of
their chunks (a listed blob is whole). The bytes are first spooled to a temporary file of this PC
while their hash is computed, then written in one transaction; the same bytes stored twice (by
two PCs at once, too) are kept once. Reads do not wait for another PC's write.

`open_blob_store` picks the store that fits the database.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from sqlalchemy import delete, insert, select

from desktop_app.domain.errors import Cancelled, NotFound, StorageError, ValidationError
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.revisions import utc_now
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.storage.models.plant import PlantBlob, PlantBlobChunk

if TYPE_CHECKING:
    from desktop_app.storage.database import Database

CHUNK = 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int
    already_present: bool


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _SourceUnreadable(Exception):
    """Reading the stream failed: the source's fault, not the store's."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _read(stream: BinaryIO) -> bytes:
    try:
        return stream.read(CHUNK)
    except OSError as exc:
        raise _SourceUnreadable(exc) from exc


def _check_hash(sha256: str) -> str:
    if not SHA256_RE.match(sha256):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{value} is not a SHA-256 hash."), value=sha256[:80]
        )
    return sha256


class Blobs(ABC):
    """What services use of a content-addressed store, wherever it keeps the bytes.

    Writes go through a temporary file of this PC (`tmp`, emptied at start): the bytes are
    hashed and checked (size limit, expected hash) while copied, and only then kept."""

    def __init__(self, tmp: Path) -> None:
        self._tmp = tmp

    @property
    @abstractmethod
    def where(self) -> str:
        """The store as a sentence names it."""

    def ensure(self) -> None:
        self._tmp.mkdir(parents=True, exist_ok=True)

    def clean_temporary(self) -> int:
        """Remove leftovers of writes interrupted by a crash; returns how many."""
        removed = 0
        if self._tmp.is_dir():
            for leftover in self._tmp.iterdir():
                leftover.unlink(missing_ok=True)
                removed += 1
        return removed

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """The stored bytes (NotFound when there are none); not checked against the hash."""

    @abstractmethod
    def verify(self, sha256: str) -> str | None:
        """None when the blob is present and intact, otherwise "missing" or "altered"."""

    @abstractmethod
    def all_hashes(self) -> Iterator[str]: ...

    @abstractmethod
    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        """A file on this PC holding the stored bytes, for as long as the block lasts."""

    @abstractmethod
    def discard(self, sha256: str) -> None:
        """Forget a blob that the caller stored and nothing references (a refused attachment),
        where the store allows it."""

    @abstractmethod
    def _keep(self, tmp: Path, sha256: str, size: int) -> StoredBlob:
        """Keep the checked bytes of `tmp` as blob `sha256` (or find them already kept)."""

    def put_bytes(self, data: bytes) -> StoredBlob:
        import io

        return self.put_stream(io.BytesIO(data), total=len(data))

    def put_file(
        self,
        source: Path,
        max_size: int | None = None,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> StoredBlob:
        try:
            size = source.stat().st_size
            if max_size is not None and size > max_size:
                raise ValidationError(
                    QT_TRANSLATE_NOOP(
                        "Errors", "{name} is {size} MB, above the limit of {limit} MB."
                    ),
                    name=source.name,
                    size=round(size / 1e6, 1),
                    limit=round(max_size / 1e6, 1),
                )
            with open(source, "rb") as fh:
                return self.put_stream(
                    fh,
                    total=size,
                    max_size=max_size,
                    progress=progress,
                    cancelled=cancelled,
                    name=source.name,
                )
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise StorageError(
                QT_TRANSLATE_NOOP("Errors", "The file {name} cannot be read ({detail})."),
                name=source.name,
                detail=exc.strerror or str(exc),
            ) from exc

    def put_stream(
        self,
        stream: BinaryIO,
        total: int = 0,
        max_size: int | None = None,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
        name: str = "",
        expected_sha256: str | None = None,
    ) -> StoredBlob:
        try:
            self.ensure()
            fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
        except OSError as exc:
            raise fault_from_os_error(exc, self._tmp) from exc
        tmp = Path(tmp_name)
        try:
            sha, written = self._spool(stream, fd, total, max_size, progress, cancelled, name)
            if expected_sha256 is not None and sha != expected_sha256:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("Errors", "The file {name} does not match its hash."),
                    name=name or expected_sha256[:12],
                )
            return self._keep(tmp, sha, written)
        except _SourceUnreadable as exc:
            raise exc.error from None  # the source's fault, for the caller to name
        except OSError as exc:
            # Writing the store failed (full, denied, held, I/O): a fault of this disk, named.
            raise fault_from_os_error(exc, self._tmp.parent) from exc
        finally:
            tmp.unlink(missing_ok=True)

    @staticmethod
    def _spool(stream: BinaryIO, fd: int, total: int, max_size: int | None,
               progress: Progress | None, cancelled: IsCancelled | None,
               name: str) -> tuple[str, int]:
        """Copy the stream into the temporary file, flushed to disk: its hash and size."""
        digest = hashlib.sha256()
        written = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := _read(stream):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                written += len(chunk)
                if max_size is not None and written > max_size:
                    raise ValidationError(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{name} is larger than the limit of {limit} MB."
                        ),
                        name=name,
                        limit=round(max_size / 1e6, 1),
                    )
                digest.update(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(written, max(total, written), name)
            out.flush()
            os.fsync(out.fileno())
        return digest.hexdigest(), written

    def hash_of(self, sha256: str) -> str:
        digest = hashlib.sha256()
        with self.open(sha256) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def copy_out(self, sha256: str, target: Path) -> None:
        with self.open(sha256) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)


class BlobStore(Blobs):
    """The data folder's store: `blobs/ab/<sha256>`."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / "tmp")
        self.root = root

    @property
    def where(self) -> str:
        return str(self.root)

    def path(self, sha256: str) -> Path:
        return self.root / _check_hash(sha256)[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError as exc:
            raise NotFound(what="File", key=sha256[:12]) from exc

    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        yield self.path(sha256)

    def discard(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def _keep(self, tmp: Path, sha256: str, size: int) -> StoredBlob:
        target = self.path(sha256)
        # Present and intact: keep it. Present but altered on disk: the fresh, verified
        # bytes replace it, so attaching the original again repairs the store.
        if target.is_file() and self.verify(sha256) is None:
            return StoredBlob(sha256=sha256, size=size, already_present=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(tmp, target)
        _fsync_dir(target.parent)
        return StoredBlob(sha256=sha256, size=size, already_present=False)

    def verify(self, sha256: str) -> str | None:
        path = self.path(sha256)
        if not path.is_file():
            return "missing"
        return None if self.hash_of(sha256) == sha256 else "altered"

    def all_hashes(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for f in sorted(sub.iterdir()):
                    yield f.name


# Read back into memory up to this size, beyond it into a temporary file of this PC.
SPOOL_IN_MEMORY = 8 * CHUNK


class ServerBlobStore(Blobs):
    """A plant's store in its PostgreSQL database, reached by every PC of the plant."""

    def __init__(self, db: Database, tmp: Path) -> None:
        super().__init__(tmp)
        self._db = db

    @property
    def where(self) -> str:
        return self._db.where

    def exists(self, sha256: str) -> bool:
        with self._db.reading() as conn:
            return conn.execute(select(PlantBlob.sha256).where(
                PlantBlob.sha256 == _check_hash(sha256))).first() is not None

    def _listed(self, sha256: str) -> tuple[int, int] | None:
        with self._db.reading() as conn:
            row = conn.execute(select(PlantBlob.size, PlantBlob.chunks).where(
                PlantBlob.sha256 == _check_hash(sha256))).first()
        return (int(row[0]), int(row[1])) if row else None

    def _chunks(self, sha256: str, count: int) -> Iterator[bytes | None]:
        """The chunks in order, one query each (a chunk of 1 MB at a time in memory); None
        for a chunk that is not there."""
        with self._db.reading() as conn:
            for number in range(count):
                data = conn.execute(select(PlantBlobChunk.data).where(
                    PlantBlobChunk.sha256 == sha256,
                    PlantBlobChunk.chunk_no == number)).scalar()
                yield bytes(data) if data is not None else None

    def open(self, sha256: str) -> BinaryIO:
        listed = self._listed(sha256)
        if listed is None:
            raise NotFound(what="File", key=sha256[:12])
        self.ensure()
        # handed to the caller, who closes it
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=str(self._tmp))  # noqa: SIM115
        try:
            for chunk in self._chunks(sha256, listed[1]):
                if chunk is not None:
                    out.write(chunk)
            out.seek(0)
        except BaseException:
            out.close()
            raise
        return cast(BinaryIO, out)

    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        self.ensure()
        fd, name = tempfile.mkstemp(dir=self._tmp, prefix="out-")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out, self.open(sha256) as src:
                shutil.copyfileobj(src, out, CHUNK)
            yield path
        finally:
            path.unlink(missing_ok=True)

    def discard(self, sha256: str) -> None:
        """Nothing is removed from a shared store: another PC may be attaching the same bytes
        at this moment. An unreferenced blob is harmless (as after a crash in the folder)."""

    def verify(self, sha256: str) -> str | None:
        listed = self._listed(sha256)
        if listed is None:
            return "missing"
        size, count = listed
        digest = hashlib.sha256()
        total = 0
        for chunk in self._chunks(sha256, count):
            if chunk is None:
                return "altered"
            digest.update(chunk)
            total += len(chunk)
        return None if total == size and digest.hexdigest() == sha256 else "altered"

    def all_hashes(self) -> Iterator[str]:
        with self._db.reading() as conn:
            hashes = list(conn.execute(select(PlantBlob.sha256).order_by(PlantBlob.sha256))
                          .scalars())
        yield from hashes

    def _keep(self, tmp: Path, sha256: str, size: int) -> StoredBlob:
        # Present and intact (written before, or by another PC a moment ago): keep it.
        if self.verify(sha256) is None:
            return StoredBlob(sha256=sha256, size=size, already_present=True)
        with self._db.session() as session:
            # Under the plant's write lock: look again, another PC may have just written it.
            if session.execute(select(PlantBlob.sha256).where(
                    PlantBlob.sha256 == sha256)).first() is not None:
                if self.verify(sha256) is None:
                    return StoredBlob(sha256=sha256, size=size, already_present=True)
                # Altered in the database: the fresh, verified bytes replace it.
                session.execute(delete(PlantBlobChunk).where(PlantBlobChunk.sha256 == sha256))
                session.execute(delete(PlantBlob).where(PlantBlob.sha256 == sha256))
            session.execute(insert(PlantBlob), [{
                "sha256": sha256, "size": size, "chunks": -(-size // CHUNK),
                "stored_at": utc_now()}])
            with open(tmp, "rb") as fh:
                number = 0
                while chunk := fh.read(CHUNK):
                    session.execute(insert(PlantBlobChunk), [{
                        "sha256": sha256, "chunk_no": number, "data": chunk}])
                    number += 1
        return StoredBlob(sha256=sha256, size=size, already_present=False)


def open_blob_store(folder_blobs: Path, db: Database) -> Blobs:
    """The data folder's store on SQLite; the plant's store in the database on a server (the
    folder's `blobs/tmp` is then this PC's spool for files on their way in and out)."""
    if db.is_sqlite:
        return BlobStore(folder_blobs)
    return ServerBlobStore(db, folder_blobs / "tmp")
