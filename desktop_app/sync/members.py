"""Reading the members of a package's zip: every cap enforced on the bytes actually read.

Names are matched against the allow-list, never used as paths (nothing is extracted); links,
special files, encryption and unusual compression are refused from the headers; sizes and the
compression ratio are checked again on what is decompressed, because headers may lie.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from desktop_app.domain.errors import Cancelled
from desktop_app.sync import errors as err
from desktop_app.sync.limits import BATCHES, MANIFEST, REVISIONS, SIGNATURE, Limits

CHUNK = 1024 * 1024
RATIO_ALLOWANCE = 1024 * 1024  # small members may compress well without being bombs
BLOB_RE = re.compile(r"blobs/[0-9a-f]{64}")
FIXED_NAMES = frozenset({MANIFEST, SIGNATURE, REVISIONS, BATCHES})
S_IFMT, S_IFREG = 0o170000, 0o100000
MSDOS_DIRECTORY = 0x10
# What zipfile raises on a damaged or hostile file; NotImplementedError is its answer to an
# unknown compression method, RuntimeError to an encrypted member.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
              NotImplementedError, KeyError, IndexError)

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


def check_member_header(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.orig_filename
    if name != info.filename or not (name in FIXED_NAMES or BLOB_RE.fullmatch(name)):
        raise err.ForbiddenMember(member=name[:120])
    mode = info.external_attr >> 16
    if (mode & S_IFMT) not in (0, S_IFREG) or info.external_attr & MSDOS_DIRECTORY:
        raise err.SymlinkMember(member=name)
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                          zipfile.ZIP_DEFLATED):
        raise err.EncryptedMember(member=name)
    if info.file_size > limits.max_member_bytes:
        raise err.TooLarge(member=name, limit=limits.max_member_bytes)
    if info.file_size > max(limits.max_ratio * info.compress_size, RATIO_ALLOWANCE):
        raise err.CompressionBomb(member=name)


class MemberReader:
    """Reads members of one open zip; `progress` hears of the bytes read (`silent` members
    excepted: a second read of the revisions reports by block instead)."""

    def __init__(self, name: str, zf: zipfile.ZipFile, limits: Limits, progress: Progress,
                 cancelled: IsCancelled, total: int) -> None:
        self.name, self.zf, self.limits = name, zf, limits
        self.progress, self.cancelled = progress, cancelled
        self.total, self.done = total, 0

    def chunks(self, info: zipfile.ZipInfo, cap: int, silent: bool = False) -> Iterator[bytes]:
        """The member's bytes, with every cap enforced on what is actually decompressed."""
        name = info.orig_filename
        ratio_cap = max(self.limits.max_ratio * info.compress_size, RATIO_ALLOWANCE)
        read = 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    read += len(chunk)
                    if read > cap:
                        raise err.TooLarge(member=name, limit=cap)
                    if read > ratio_cap:
                        raise err.CompressionBomb(member=name)
                    if read > info.file_size:
                        raise err.SizeMismatch(member=name)
                    if self.cancelled():
                        raise Cancelled()
                    if not silent:
                        self.done += len(chunk)
                        self.progress(self.done, self.total, name)
                    yield chunk
        except ZIP_ERRORS as exc:
            raise err.NotAPackage(name=self.name, detail=f"{name}: {exc}"[:200]) from exc
        if read != info.file_size:
            raise err.SizeMismatch(member=name)

    def whole(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        return b"".join(self.chunks(info, cap))

    def lines(self, info: zipfile.ZipInfo, entry: dict[str, Any], member: str,
              silent: bool = False) -> Iterator[tuple[int, bytes]]:
        """The member's lines (numbered from 1); its hash is checked once it is all read."""
        limits = self.limits
        digest = hashlib.sha256()
        pending = b""
        line_no = 0
        for chunk in self.chunks(info, limits.max_member_bytes, silent):
            digest.update(chunk)
            pending += chunk
            lines = pending.split(b"\n")
            pending = lines.pop()
            if len(pending) > limits.max_line_bytes:
                raise err.TooLarge(member=member, limit=limits.max_line_bytes)
            for line in lines:
                line_no += 1
                yield line_no, line
        if pending:
            yield line_no + 1, pending
        if digest.hexdigest() != entry["sha256"]:
            raise err.HashMismatch(member=member)

    def intact(self, info: zipfile.ZipInfo, entry: dict[str, Any]) -> bool:
        """Whether the member's bytes are the ones the manifest lists (read again, quietly)."""
        digest = hashlib.sha256()
        for chunk in self.chunks(info, self.limits.max_member_bytes, silent=True):
            digest.update(chunk)
        return digest.hexdigest() == entry["sha256"]
