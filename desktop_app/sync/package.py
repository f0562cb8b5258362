"""Read and verify a sync package from a staging copy, before anything touches the database.

The checks, in order (DESIGN.md, "Sync through export files"): the file is a zip of bounded size;
every member name is on the allow-list (names are matched, never used as paths: nothing is
extracted); no links, special files, duplicates, encryption or unusual compression; member count,
sizes and compression ratio are capped on the bytes actually read (headers may lie); the manifest
is strict JSON of a supported format and data version, signed with Ed25519 by an enrolled, not
retired key; every member's size and SHA-256 match the manifest; every blob's bytes; the origin
batches. That is the envelope, checked by `open_package`.

The revisions are then read in bounded blocks, never all at once: `PackageFile.blocks()` checks
every line (strict JSON, rev_id recomputed, the blobs it names present, its origin signature)
and the member's hash and counts at the end; the caller checks each block against the trust gate.
`PackageFile.again()` reads the same revisions a second time for applying them: each block is
compared, by a digest of its bytes, with the block the first read checked, so nothing that was not
checked is ever applied, and only the small per-block digests are kept in between.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.domain.keys import verify_signature
from desktop_app.domain.revisions import Op, Revision, referenced_blobs
from desktop_app.domain.trust import Batch
from desktop_app.sync import errors as err
from desktop_app.sync import strict_json
from desktop_app.sync.limits import (
    BATCHES,
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
from desktop_app.sync.members import (
    BLOB_RE,
    FIXED_NAMES,
    ZIP_ERRORS,
    MemberReader,
    check_member_header,
)
from desktop_app.sync.origins import EnrolledKey, KeyLookup, Origins, read_batches
from desktop_app.sync.writer import WrittenPackage, write_package

__all__ = ["EnrolledKey", "KeyLookup", "PackageFile", "VerifiedPackage", "WrittenPackage",
           "open_package", "read_package", "write_package"]

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
# Problems of the member itself: reading it again to tell tampering apart would only repeat them.
_MEMBER_PROBLEMS = (err.TooLarge, err.CompressionBomb, err.SizeMismatch, err.NotAPackage,
                    err.HashMismatch)


class _Manifested:
    """What a package's manifest says of it, for both ways of holding a package."""

    manifest: dict[str, Any]

    @property
    def package_id(self) -> str:
        return str(self.manifest["package_id"])

    @property
    def site_id(self) -> str:
        return str(self.manifest["site_id"])

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])


@dataclass(frozen=True)
class VerifiedPackage(_Manifested):
    """A small package wholly in memory (`read_package`): tests and tools."""

    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signer: EnrolledKey
    revisions: list[Revision]
    blobs: dict[str, int] = field(default_factory=dict)  # sha256 -> size
    batches: list[Batch] = field(default_factory=list)  # verified origin signatures


class PackageFile(_Manifested):
    """An open package whose envelope is verified; its revisions are read in blocks."""

    def __init__(self, path: Path, zf: zipfile.ZipFile, reader: MemberReader,
                 manifest: dict[str, Any], manifest_bytes: bytes, signer: EnrolledKey,
                 blobs: dict[str, int], origins: Origins, revisions: zipfile.ZipInfo,
                 entry: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self.manifest_bytes = manifest_bytes
        self.signer = signer
        self.blobs = blobs  # sha256 -> size
        self.origins = origins
        self._zf = zf
        self._reader = reader
        self._info = revisions
        self._entry = entry
        self._digests: list[bytes] | None = None  # of each block, once `blocks()` read them all

    @property
    def revision_count(self) -> int:
        """How many revision lines the signed manifest announces (checked by `blocks()`)."""
        count = self.manifest["counts"].get("revisions")
        return count if isinstance(count, int) and not isinstance(count, bool) else 0

    @contextmanager
    def open_blob(self, sha256: str) -> Iterator[BinaryIO]:
        if sha256 not in self.blobs:
            raise err.MissingMember(member=BLOB_PREFIX + sha256)
        with self._zf.open(BLOB_PREFIX + sha256) as fh:
            yield fh  # type: ignore[misc]

    def refusal(self, exc: err.PackageRejected) -> err.PackageRejected:
        """What to say of a refusal found in the revisions' content (by the caller's checks
        too): tampering when the member is not the one the manifest lists (read again)."""
        if isinstance(exc, _MEMBER_PROBLEMS) or self._reader.intact(self._info, self._entry):
            return exc
        return err.HashMismatch(member=REVISIONS)

    def blocks(self) -> Iterator[list[Revision]]:
        """The revisions in blocks of `Limits.block_revisions`, each line checked: strict JSON,
        its rev_id recomputed, every blob it names in the package, its origin proven; the
        member's hash and the manifest's count once all are read. Nothing may be written
        before the last block is checked: `again()` gives the blocks to apply."""
        limits, blobs, origins = self._reader.limits, self.blobs, self.origins
        size = max(1, limits.block_revisions)
        report, cancelled = self._reader.progress, self._reader.cancelled
        total = self.revision_count
        lines = self._reader.lines(self._info, self._entry, REVISIONS, silent=True)
        digests: list[bytes] = []
        block: list[Revision] = []
        hasher = hashlib.sha256()
        count = 0
        try:
            for line_no, line in lines:
                count += 1
                if count > limits.max_revisions:
                    raise err.TooLarge(member=REVISIONS, limit=limits.max_revisions)
                hasher.update(line)
                hasher.update(b"\n")
                revision = _checked_revision(line, line_no, limits)
                for sha in sorted(referenced_blobs(revision.fields)):
                    if sha not in blobs:
                        raise err.MissingBlob(rev_id=revision.rev_id[:12], sha=sha[:12])
                origins.prove(revision)
                block.append(revision)
                if len(block) == size:
                    digests.append(hasher.digest())
                    hasher = hashlib.sha256()
                    yield block
                    block = []
                    if cancelled():
                        raise Cancelled()
                    report(count, max(total, count), REVISIONS)
        except err.PackageRejected as exc:
            if isinstance(exc, _MEMBER_PROBLEMS):
                raise
            # The whole member is read before a content problem is raised: a tampered member
            # is reported as tampered, whatever its content looks like.
            for _ in lines:
                pass
            raise
        if count != total:
            raise err.BadManifest(detail="the counts do not match the content")
        if block:
            digests.append(hasher.digest())
            yield block
            report(count, max(total, count), REVISIONS)
        self._digests = digests

    def again(self) -> Iterator[list[Revision]]:
        """The revisions `blocks()` checked, in the same blocks, read again for applying. A
        block whose bytes differ from the checked one is refused before it is parsed."""
        digests = self._digests
        if digests is None:
            raise RuntimeError("the revisions are applied only after blocks() checked them all")
        size = max(1, self._reader.limits.block_revisions)
        lines = self._reader.lines(self._info, self._entry, REVISIONS, silent=True)
        raw: list[bytes] = []
        hasher = hashlib.sha256()
        index = 0
        for _, line in lines:
            hasher.update(line)
            hasher.update(b"\n")
            raw.append(line)
            if len(raw) == size:
                yield self._replay(raw, hasher.digest(), index)
                index += 1
                raw = []
                hasher = hashlib.sha256()
        if raw:
            yield self._replay(raw, hasher.digest(), index)
            index += 1
        if index != len(digests):
            raise err.HashMismatch(member=REVISIONS)

    def _replay(self, raw: list[bytes], digest: bytes, index: int) -> list[Revision]:
        digests = self._digests or []
        if index >= len(digests) or digests[index] != digest:
            raise err.HashMismatch(member=REVISIONS)
        return [_checked_before(line) for line in raw]


def _checked_revision(line: bytes, line_no: int, limits: Limits) -> Revision:
    try:
        data = strict_json.loads(line, limits.max_depth)
    except strict_json.StrictJsonError as exc:
        raise err.BadJson(member=REVISIONS, line=line_no, detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise err.BadJson(member=REVISIONS, line=line_no, detail="not an object")
    try:
        return Revision.from_dict(data)
    except ValidationError as exc:
        raise err.BadRevision(line=line_no, detail=exc.message()) from exc
    except ValueError as exc:  # text that cannot be UTF-8 encoded (lone surrogates)
        raise err.BadRevision(line=line_no, detail=type(exc).__name__) from exc


def _checked_before(line: bytes) -> Revision:
    """A line `_checked_revision` accepted (its bytes compared by the caller): the same
    Revision, without checking it again. Strict JSON parses as plain JSON does, and values
    parsed from JSON are already normalised."""
    data = json.loads(line)
    return Revision(rev_id=data["rev_id"], record_type=data["record_type"],
                    record_id=data["record_id"], parents=tuple(sorted(data["parents"])),
                    site_id=data["site_id"], lamport=data["lamport"],
                    created_at=data["created_at"], author=data["author"], op=Op(data["op"]),
                    fields=data["fields"], reason=data.get("reason", ""))


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
    for required in (REVISIONS, BATCHES):
        if required not in listed:
            raise err.MissingMember(member=required)
    return listed


@contextmanager
def open_package(path: Path, lookup_key: KeyLookup, limits: Limits = DEFAULT_LIMITS,
                 progress: Progress | None = None, cancelled: IsCancelled = lambda: False,
                 allow_retired: bool = False, name: str = "") -> Iterator[PackageFile]:
    """Verify the envelope of the package at `path` and hold it open for reading its revisions;
    PackageRejected says why it is refused, naming the file `name` (the one the person chose,
    when `path` is a staged copy)."""
    report = progress or (lambda done, total, message: None)
    path = Path(path)
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise err.NotAPackage(name=name, detail=exc.strerror or str(exc)) from exc
    if size > limits.max_package_bytes:
        raise err.PackageTooLarge(name=name, limit=limits.max_package_bytes)
    try:
        zf = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise err.NotAPackage(name=name, detail=str(exc)[:200]) from exc
    with zf:
        yield _envelope(path, name, zf, lookup_key, limits, report, cancelled, allow_retired)


def read_package(path: Path, lookup_key: KeyLookup, limits: Limits = DEFAULT_LIMITS,
                 progress: Progress | None = None, cancelled: IsCancelled = lambda: False,
                 allow_retired: bool = False, name: str = "") -> VerifiedPackage:
    """Verify the package at `path` completely and return its revisions in memory (for small
    packages: the services read theirs in blocks with `open_package`)."""
    with open_package(path, lookup_key, limits, progress, cancelled, allow_retired,
                      name) as package:
        revisions = [r for block in package.blocks() for r in block]
        return VerifiedPackage(path=Path(path), manifest=package.manifest,
                               manifest_bytes=package.manifest_bytes, signer=package.signer,
                               revisions=revisions, blobs=package.blobs,
                               batches=package.origins.used())


def _envelope(path: Path, name: str, zf: zipfile.ZipFile, lookup_key: KeyLookup,
              limits: Limits, report: Progress, cancelled: IsCancelled,
              allow_retired: bool) -> PackageFile:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise err.TooManyMembers(count=len(infos), limit=limits.max_members)
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.orig_filename in by_name:
            raise err.DuplicateMember(member=info.orig_filename[:120])
        check_member_header(info, limits)
        by_name[info.orig_filename] = info
        total += info.file_size
        if total > limits.max_total_bytes:
            raise err.TooLarge(member=name, limit=limits.max_total_bytes)
    for required in (MANIFEST, SIGNATURE, REVISIONS, BATCHES):
        if required not in by_name:
            raise err.MissingMember(member=required)
    # Progress in bytes for the envelope; the revisions report by block as they are read.
    reader = MemberReader(name, zf, limits, report, cancelled,
                          total - by_name[REVISIONS].file_size)

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
    for member in by_name:
        if member not in (MANIFEST, SIGNATURE) and member not in listed:
            raise err.UnlistedMember(member=member)
    for member, entry in listed.items():
        if member not in by_name:
            raise err.MissingMember(member=member)
        if by_name[member].file_size != entry["size"]:
            raise err.SizeMismatch(member=member)

    blobs: dict[str, int] = {}
    for member in sorted(n for n in listed if n.startswith(BLOB_PREFIX)):
        digest = hashlib.sha256()
        for chunk in reader.chunks(by_name[member], limits.max_member_bytes):
            digest.update(chunk)
        if digest.hexdigest() != listed[member]["sha256"]:
            raise err.HashMismatch(member=member)
        blobs[member[len(BLOB_PREFIX):]] = listed[member]["size"]
    counts = manifest["counts"]
    if counts.get("blobs") != len(blobs):
        raise _bad_manifest("the counts do not match the content")
    batches = read_batches(reader, by_name[BATCHES], listed[BATCHES], limits)
    if counts.get("batches") != len(batches):
        raise _bad_manifest("the counts do not match the content")
    revisions = counts.get("revisions")
    if not isinstance(revisions, int) or isinstance(revisions, bool) or revisions < 0:
        raise _bad_manifest("the counts do not match the content")
    return PackageFile(path, zf, reader, manifest, manifest_bytes, signer, blobs,
                       Origins(batches, lookup_key, allow_retired), by_name[REVISIONS],
                       listed[REVISIONS])
