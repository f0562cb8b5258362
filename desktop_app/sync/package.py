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
from desktop_app.sync.writer import WrittenPackage, write_package

__all__ = ["EnrolledKey", "VerifiedPackage", "WrittenPackage", "read_package", "write_package"]

CHUNK = 1024 * 1024
RATIO_ALLOWANCE = 1024 * 1024  # small members may compress well without being bombs
BLOB_RE = re.compile(r"blobs/[0-9a-f]{64}")
FIXED_NAMES = frozenset({MANIFEST, SIGNATURE, REVISIONS, BATCHES})
HEX64 = re.compile(r"[0-9a-f]{64}")
HEX128 = re.compile(r"[0-9a-f]{128}")
BATCH_KEYS = frozenset({"batch_id", "site_id", "public_key", "created_at", "rev_ids", "signature"})
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
    retired_at: str = ""  # when the key was retired ("" while in use)


KeyLookup = Callable[[str, str], EnrolledKey | None]  # (site_id, public key hex)


@dataclass(frozen=True)
class VerifiedPackage:
    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signer: EnrolledKey
    revisions: list[Revision]
    blobs: dict[str, int] = field(default_factory=dict)  # sha256 -> size
    batches: list[Batch] = field(default_factory=list)  # verified origin signatures

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
    def __init__(self, name: str, zf: zipfile.ZipFile, limits: Limits, progress: Progress,
                 cancelled: IsCancelled, total: int) -> None:
        self.name, self.zf, self.limits = name, zf, limits
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
            raise err.NotAPackage(name=self.name, detail=f"{name}: {exc}"[:200]) from exc
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
    for required in (REVISIONS, BATCHES):
        if required not in listed:
            raise err.MissingMember(member=required)
    return listed


def read_package(path: Path, lookup_key: KeyLookup, limits: Limits = DEFAULT_LIMITS,
                 progress: Progress | None = None, cancelled: IsCancelled = lambda: False,
                 allow_retired: bool = False, name: str = "") -> VerifiedPackage:
    """Verify the package at `path` completely; PackageRejected says why it is refused, naming
    the file `name` (the one the person chose, when `path` is a staged copy)."""
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
    except _ZIP_ERRORS as exc:
        raise err.NotAPackage(name=name, detail=str(exc)[:200]) from exc
    with zf:
        return _verify(path, name, zf, lookup_key, limits, report, cancelled, allow_retired)


def _verify(path: Path, name: str, zf: zipfile.ZipFile, lookup_key: KeyLookup, limits: Limits,
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
            raise err.TooLarge(member=name, limit=limits.max_total_bytes)
    for required in (MANIFEST, SIGNATURE, REVISIONS, BATCHES):
        if required not in by_name:
            raise err.MissingMember(member=required)
    reader = _Reader(name, zf, limits, report, cancelled, total)

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
    batches = _read_batches(reader, by_name[BATCHES], listed[BATCHES], limits)
    if counts.get("batches") != len(batches):
        raise _bad_manifest("the counts do not match the content")
    batches = _check_origins(revisions, batches, lookup_key, allow_retired)
    return VerifiedPackage(path=path, manifest=manifest, manifest_bytes=manifest_bytes,
                           signer=signer, revisions=revisions, blobs=blobs, batches=batches)


def _lines(reader: _Reader, info: zipfile.ZipInfo, entry: dict[str, Any], limits: Limits,
           member: str) -> Iterator[tuple[int, bytes]]:
    """The member's lines (numbered from 1); its hash is checked once it is all read."""
    digest = hashlib.sha256()
    pending = b""
    line_no = 0
    for chunk in reader.chunks(info, limits.max_member_bytes):
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


def _read_batches(reader: _Reader, info: zipfile.ZipInfo, entry: dict[str, Any],
                  limits: Limits) -> list[Batch]:
    """Every line is one batch: strict JSON, exactly the expected keys and shapes."""
    batches: list[Batch] = []
    for line_no, line in _lines(reader, info, entry, limits, BATCHES):
        try:
            data = strict_json.loads(line, limits.max_depth)
        except strict_json.StrictJsonError as exc:
            raise err.BadJson(member=BATCHES, line=line_no, detail=str(exc)) from exc
        if not isinstance(data, dict) or set(data) != BATCH_KEYS:
            raise err.BadBatch(line=line_no, detail="unexpected keys")
        texts = [data[k] for k in ("batch_id", "site_id", "public_key", "created_at",
                                   "signature")]
        rev_ids = data["rev_ids"]
        if not all(isinstance(t, str) and 0 < len(t) <= 128 for t in texts) \
                or not HEX64.fullmatch(data["public_key"]) \
                or not HEX128.fullmatch(data["signature"]) \
                or not isinstance(rev_ids, list) or not rev_ids \
                or len(rev_ids) > limits.max_revisions \
                or not all(isinstance(r, str) and HEX64.fullmatch(r) for r in rev_ids):
            raise err.BadBatch(line=line_no, detail="a field is missing or of the wrong form")
        batches.append(Batch(data["batch_id"], data["site_id"], data["public_key"],
                             data["created_at"], tuple(rev_ids), data["signature"]))
        if len(batches) > limits.max_batches:
            raise err.TooLarge(member=BATCHES, limit=limits.max_batches)
    return batches


def _check_origins(revisions: list[Revision], batches: list[Batch], lookup_key: KeyLookup,
                   allow_retired: bool) -> list[Batch]:
    """Every revision is covered by a valid signature of the site named in its site_id, made
    with a key enrolled here (and, for a retired key, made before its retirement). Returns the
    batches that cover something in the package."""
    wanted = {r.rev_id for r in revisions}
    proven: set[tuple[str, str]] = set()  # (rev_id, site) covered by a valid batch of that site
    used: list[Batch] = []
    seen: set[str] = set()
    for batch in batches:
        if batch.batch_id in seen:
            continue
        seen.add(batch.batch_id)
        covered = [rev_id for rev_id in batch.rev_ids if rev_id in wanted]
        if not covered:
            continue
        key = lookup_key(batch.site_id, batch.public_key)
        site = key.site_code if key else batch.site_id[:8]
        if key is None:
            raise err.BatchSignerUnknown(site=site)
        if key.retired and not allow_retired and not (
                key.retired_at and batch.created_at < key.retired_at):
            raise err.BatchSignedAfterRetirement(site=site)
        if not verify_signature(batch.public_key, bytes.fromhex(batch.signature),
                                batch.payload()):
            raise err.BadBatchSignature(site=site)
        proven.update((rev_id, batch.site_id) for rev_id in covered)
        used.append(batch)
    for revision in revisions:
        if (revision.rev_id, revision.site_id) not in proven:
            raise err.OriginNotProven(rev_id=revision.rev_id[:12], kind=revision.record_type,
                                      record=revision.record_id[:13],
                                      site=revision.site_id[:13])
    return used


def _read_revisions(reader: _Reader, info: zipfile.ZipInfo, entry: dict[str, Any],
                    limits: Limits) -> list[Revision]:
    revisions: list[Revision] = []
    problem: err.PackageRejected | None = None
    # The whole member is read before a content problem is raised: a tampered member is
    # reported as tampered, whatever its content looks like.
    for line_no, line in _lines(reader, info, entry, limits, REVISIONS):
        if problem is not None:
            continue
        try:
            data = strict_json.loads(line, limits.max_depth)
        except strict_json.StrictJsonError as exc:
            problem = err.BadJson(member=REVISIONS, line=line_no, detail=str(exc))
            continue
        if not isinstance(data, dict):
            problem = err.BadJson(member=REVISIONS, line=line_no, detail="not an object")
            continue
        try:
            revisions.append(Revision.from_dict(data))
        except ValidationError as exc:
            problem = err.BadRevision(line=line_no, detail=exc.message())
        except ValueError as exc:  # text that cannot be UTF-8 encoded (lone surrogates)
            problem = err.BadRevision(line=line_no, detail=type(exc).__name__)
        if len(revisions) > limits.max_revisions:
            problem = err.TooLarge(member=REVISIONS, limit=limits.max_revisions)
    if problem is not None:
        raise problem
    return revisions
