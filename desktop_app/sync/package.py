"""Read and verify a sync package from a staging copy, before anything touches the database.

The checks, in order (DESIGN.md, "Sync through export files"): the file is a zip of bounded size;
every member name is on the allow-list (names are matched, never used as paths: nothing is
extracted); no links, special files, duplicates, encryption or unusual compression; member count,
sizes and compression ratio are capped on the bytes actually read (headers may lie); the manifest
is strict JSON of a supported format and data version, signed with Ed25519 by an enrolled, not
retired key; every member's size and SHA-256 match the manifest; every revision line is strict
JSON and its rev_id is recomputed; every blob a revision refers to is in the package.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.domain.keys import verify_signature
from desktop_app.domain.revisions import Revision, referenced_blobs
from desktop_app.sync import errors as err
from desktop_app.sync import strict_json
from desktop_app.sync.limits import (
    BLOB_PREFIX,
    DEFAULT_LIMITS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    REVISIONS,
    SCHEMA_VERSION,
    SIGNATURE,
    Limits,
)
from desktop_app.sync.writer import WrittenPackage, write_package

__all__ = ["EnrolledKey", "VerifiedPackage", "WrittenPackage", "read_package", "write_package"]

CHUNK = 1024 * 1024
RATIO_ALLOWANCE = 1024 * 1024  # small members may compress well without being bombs
BLOB_RE = re.compile(r"blobs/[0-9a-f]{64}")
FIXED_NAMES = frozenset({MANIFEST, SIGNATURE, REVISIONS})
S_IFMT, S_IFREG = 0o170000, 0o100000
MSDOS_DIRECTORY = 0x10
# What zipfile raises on a damaged or hostile file; NotImplementedError is its answer to an
# unknown compression method, RuntimeError to an encrypted member.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
               NotImplementedError, KeyError, IndexError)

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class EnrolledKey:
    """What the caller knows of a signing key: the site's code and whether it is retired."""

    site_code: str
    retired: bool


KeyLookup = Callable[[str, str], EnrolledKey | None]  # (site_id, public key hex)


@dataclass(frozen=True)
class VerifiedPackage:
    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signer: EnrolledKey
    revisions: list[Revision]
    blobs: dict[str, int] = field(default_factory=dict)  # sha256 -> size

    @property
    def package_id(self) -> str:
        return str(self.manifest["package_id"])

    @property
    def site_id(self) -> str:
        return str(self.manifest["site_id"])

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])

    @contextmanager
    def open_blob(self, sha256: str) -> Iterator[BinaryIO]:
        if sha256 not in self.blobs:
            raise err.MissingMember(member=BLOB_PREFIX + sha256)
        with zipfile.ZipFile(self.path) as zf, zf.open(BLOB_PREFIX + sha256) as fh:
            yield fh  # type: ignore[misc]


def _check_member_header(info: zipfile.ZipInfo, limits: Limits) -> None:
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


class _Reader:
    def __init__(self, path: Path, zf: zipfile.ZipFile, limits: Limits, progress: Progress,
                 cancelled: IsCancelled, total: int) -> None:
        self.path, self.zf, self.limits = path, zf, limits
        self.progress, self.cancelled = progress, cancelled
        self.total, self.done = total, 0

    def chunks(self, info: zipfile.ZipInfo, cap: int) -> Iterator[bytes]:
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
                    self.done += len(chunk)
                    if self.cancelled():
                        raise Cancelled()
                    self.progress(self.done, self.total, name)
                    yield chunk
        except _ZIP_ERRORS as exc:
            raise err.NotAPackage(name=self.path.name, detail=f"{name}: {exc}"[:200]) from exc
        if read != info.file_size:
            raise err.SizeMismatch(member=name)

    def whole(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        return b"".join(self.chunks(info, cap))


def _bad_manifest(detail: str) -> err.BadManifest:
    return err.BadManifest(detail=detail)


def _check_manifest_shape(manifest: Any) -> dict[str, dict[str, Any]]:
    """The listed members by name, once the signature is known good."""
    for key, kind in (("package_id", str), ("site_id", str), ("sequence", int),
                      ("members", list), ("counts", dict), ("seen", dict)):
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise _bad_manifest(f"{key} is missing or of the wrong type")
    if manifest["sequence"] < 1:
        raise _bad_manifest("sequence is below 1")
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["members"]:
        if not isinstance(entry, dict):
            raise _bad_manifest("a member entry is not an object")
        name, sha, size = entry.get("name"), entry.get("sha256"), entry.get("size")
        if not isinstance(name, str) or not (name in FIXED_NAMES or BLOB_RE.fullmatch(name)):
            raise err.ForbiddenMember(member=str(name)[:120])
        if name in (MANIFEST, SIGNATURE):
            raise err.ForbiddenMember(member=name)
        if name in listed:
            raise err.DuplicateMember(member=name)
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha) \
                or not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _bad_manifest(f"the entry of {name} lacks a hash or size")
        if name.startswith(BLOB_PREFIX) and name[len(BLOB_PREFIX):] != sha:
            raise err.HashMismatch(member=name)
        listed[name] = entry
    if REVISIONS not in listed:
        raise err.MissingMember(member=REVISIONS)
    return listed


def read_package(path: Path, lookup_key: KeyLookup, limits: Limits = DEFAULT_LIMITS,
                 progress: Progress | None = None, cancelled: IsCancelled = lambda: False,
                 allow_retired: bool = False) -> VerifiedPackage:
    """Verify the package at `path` completely; PackageRejected says why it is refused."""
    report = progress or (lambda done, total, message: None)
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise err.NotAPackage(name=path.name, detail=exc.strerror or str(exc)) from exc
    if size > limits.max_package_bytes:
        raise err.PackageTooLarge(name=path.name, limit=limits.max_package_bytes)
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise err.NotAPackage(name=path.name, detail=str(exc)[:200]) from exc
    with zf:
        return _verify(path, zf, lookup_key, limits, report, cancelled, allow_retired)


def _verify(path: Path, zf: zipfile.ZipFile, lookup_key: KeyLookup, limits: Limits,
            report: Progress, cancelled: IsCancelled, allow_retired: bool) -> VerifiedPackage:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise err.TooManyMembers(count=len(infos), limit=limits.max_members)
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.orig_filename in by_name:
            raise err.DuplicateMember(member=info.orig_filename[:120])
        _check_member_header(info, limits)
        by_name[info.orig_filename] = info
        total += info.file_size
        if total > limits.max_total_bytes:
            raise err.TooLarge(member=path.name, limit=limits.max_total_bytes)
    for required in (MANIFEST, SIGNATURE, REVISIONS):
        if required not in by_name:
            raise err.MissingMember(member=required)
    reader = _Reader(path, zf, limits, report, cancelled, total)

    manifest_bytes = reader.whole(by_name[MANIFEST], limits.max_manifest_bytes)
    signature = reader.whole(by_name[SIGNATURE], 1024)
    try:
        manifest = strict_json.loads(manifest_bytes, limits.max_depth)
    except strict_json.StrictJsonError as exc:
        raise err.BadJson(member=MANIFEST, line=1, detail=str(exc)) from exc
    if not isinstance(manifest, dict):
        raise _bad_manifest("not an object")
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise err.UnsupportedFormat(detail=f"{str(manifest.get('format'))[:40]} "
                                           f"{str(manifest.get('format_version'))[:10]}")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad_manifest("schema_version is missing")
    if version > SCHEMA_VERSION:
        raise err.NewerSchema(version=version, supported=SCHEMA_VERSION)
    site_id, public_key = manifest.get("site_id"), manifest.get("public_key")
    if not isinstance(site_id, str) or not isinstance(public_key, str):
        raise _bad_manifest("the signing site is not named")
    signer = lookup_key(site_id, public_key)
    site_label = str(manifest.get("site_code") or site_id)[:40]
    if signer is None:
        raise err.UnknownSigner(site=site_label)
    if signer.retired and not allow_retired:
        raise err.RetiredSigner(site=signer.site_code)
    if len(signature) != 64 or not verify_signature(public_key, signature, manifest_bytes):
        raise err.BadSignature()

    listed = _check_manifest_shape(manifest)
    for name in by_name:
        if name not in (MANIFEST, SIGNATURE) and name not in listed:
            raise err.UnlistedMember(member=name)
    for name, entry in listed.items():
        if name not in by_name:
            raise err.MissingMember(member=name)
        if by_name[name].file_size != entry["size"]:
            raise err.SizeMismatch(member=name)

    blobs: dict[str, int] = {}
    for name in sorted(n for n in listed if n.startswith(BLOB_PREFIX)):
        digest = hashlib.sha256()
        for chunk in reader.chunks(by_name[name], limits.max_member_bytes):
            digest.update(chunk)
        if digest.hexdigest() != listed[name]["sha256"]:
            raise err.HashMismatch(member=name)
        blobs[name[len(BLOB_PREFIX):]] = listed[name]["size"]

    revisions = _read_revisions(reader, by_name[REVISIONS], listed[REVISIONS], limits)
    counts = manifest["counts"]
    if counts.get("revisions") != len(revisions) or counts.get("blobs") != len(blobs):
        raise _bad_manifest("the counts do not match the content")
    for revision in revisions:
        for sha in sorted(referenced_blobs(revision.fields)):
            if sha not in blobs:
                raise err.MissingBlob(rev_id=revision.rev_id[:12], sha=sha[:12])
    return VerifiedPackage(path=path, manifest=manifest, manifest_bytes=manifest_bytes,
                           signer=signer, revisions=revisions, blobs=blobs)


def _read_revisions(reader: _Reader, info: zipfile.ZipInfo, entry: dict[str, Any],
                    limits: Limits) -> list[Revision]:
    digest = hashlib.sha256()
    revisions: list[Revision] = []
    problem: err.PackageRejected | None = None
    pending = b""
    line_no = 0

    def take(line: bytes) -> None:
        nonlocal problem, line_no
        line_no += 1
        if problem is not None:
            return
        try:
            data = strict_json.loads(line, limits.max_depth)
        except strict_json.StrictJsonError as exc:
            problem = err.BadJson(member=REVISIONS, line=line_no, detail=str(exc))
            return
        if not isinstance(data, dict):
            problem = err.BadJson(member=REVISIONS, line=line_no, detail="not an object")
            return
        try:
            revisions.append(Revision.from_dict(data))
        except ValidationError as exc:
            problem = err.BadRevision(line=line_no, detail=exc.message())
        except ValueError as exc:  # text that cannot be UTF-8 encoded (lone surrogates)
            problem = err.BadRevision(line=line_no, detail=type(exc).__name__)
        if len(revisions) > limits.max_revisions:
            problem = err.TooLarge(member=REVISIONS, limit=limits.max_revisions)

    for chunk in reader.chunks(info, limits.max_member_bytes):
        digest.update(chunk)
        pending += chunk
        lines = pending.split(b"\n")
        pending = lines.pop()
        if len(pending) > limits.max_line_bytes:
            problem = problem or err.TooLarge(member=REVISIONS, limit=limits.max_line_bytes)
            pending = b""
        for line in lines:
            take(line)
    if pending:
        take(pending)
    # A tampered member is reported as tampered, whatever its content looks like.
    if digest.hexdigest() != entry["sha256"]:
        raise err.HashMismatch(member=REVISIONS)
    if problem is not None:
        raise problem
    return revisions
