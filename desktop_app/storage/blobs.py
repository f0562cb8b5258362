"""Content-addressed file store: `blobs/ab/<sha256>`.

A blob is written to a temporary file in the store, fsynced, then renamed to its hash: a file whose
name is not its hash never exists under `blobs/xx/`. The same bytes stored twice are kept once.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop_app.domain.errors import Cancelled, NotFound, StorageError, ValidationError
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.text import QT_TRANSLATE_NOOP

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


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"

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

    def path(self, sha256: str) -> Path:
        if not SHA256_RE.match(sha256):
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{value} is not a SHA-256 hash."), value=sha256[:80]
            )
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError as exc:
            raise NotFound(what="File", key=sha256[:12]) from exc

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
            raise fault_from_os_error(exc, self.root) from exc
        tmp = Path(tmp_name)
        try:
            return self._write(stream, fd, tmp, total, max_size, progress, cancelled, name,
                               expected_sha256)
        except _SourceUnreadable as exc:
            raise exc.error from None  # the source's fault, for the caller to name
        except OSError as exc:
            # Writing the store failed (full, denied, held, I/O): a fault of this disk, named.
            raise fault_from_os_error(exc, self.root) from exc
        finally:
            tmp.unlink(missing_ok=True)

    def _write(self, stream: BinaryIO, fd: int, tmp: Path, total: int, max_size: int | None,
               progress: Progress | None, cancelled: IsCancelled | None, name: str,
               expected_sha256: str | None) -> StoredBlob:
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
        sha = digest.hexdigest()
        if expected_sha256 is not None and sha != expected_sha256:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The file {name} does not match its hash."),
                name=name or expected_sha256[:12],
            )
        target = self.path(sha)
        # Present and intact: keep it. Present but altered on disk: the fresh, verified
        # bytes replace it, so attaching the original again repairs the store.
        if target.is_file() and self.verify(sha) is None:
            return StoredBlob(sha256=sha, size=written, already_present=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(tmp, target)
        _fsync_dir(target.parent)
        return StoredBlob(sha256=sha, size=written, already_present=False)

    def hash_of(self, sha256: str) -> str:
        digest = hashlib.sha256()
        with self.open(sha256) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def verify(self, sha256: str) -> str | None:
        """None when the blob is present and intact, otherwise what is wrong."""
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

    def copy_out(self, sha256: str, target: Path) -> None:
        with self.open(sha256) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
