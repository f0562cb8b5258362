"""Write a sync package: revisions and blobs first, then the manifest listing every member's
hash and size, signed with the site's Ed25519 key. Written to a temporary file, then renamed."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.domain.errors import Cancelled
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.keys import public_key_hex, sign
from desktop_app.domain.revisions import Revision, canonical_json, referenced_blobs, uuid7
from desktop_app.domain.trust import Batch, batch_payload
from desktop_app.sync.limits import (
    BATCHES,
    BLOB_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    REVISIONS,
    SCHEMA_VERSION,
    SIGNATURE,
)

CHUNK = 1024 * 1024
Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
OpenBlob = Callable[[str], BinaryIO]
LoadBatches = Callable[[Sequence[str]], Iterable[Batch]]


@dataclass(frozen=True, slots=True)
class WrittenPackage:
    path: Path
    manifest: dict[str, Any]
    revisions: int
    blobs: int
    size: int


def _copy_member(zf: zipfile.ZipFile, name: str, source: BinaryIO,
                 compress: int, cancelled: IsCancelled) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = compress
    info.external_attr = 0o100644 << 16  # a regular file
    with zf.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(CHUNK):
            if cancelled():
                raise Cancelled()
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": name, "sha256": digest.hexdigest(), "size": size}


def write_package(out_path: Path, header: Mapping[str, Any],
                  revisions: Iterable[tuple[Revision, str]], open_blob: OpenBlob,
                  key: Ed25519PrivateKey, load_batches: LoadBatches, total_revisions: int = 0,
                  progress: Progress | None = None,
                  cancelled: IsCancelled = lambda: False) -> WrittenPackage:
    """Write the package atomically. `header` holds the manifest fields the service decides
    (package id, site, sequence, seen, audit head, ...); members are added here.

    `revisions` pairs each revision with the id of the signed batch of its origin site that
    covers it; other sites' batches (`load_batches`) travel with their original signatures.
    This site's own revisions are signed afresh in a few large batches: one signature to check
    per 100,000 revisions instead of one per local operation."""
    report = progress or (lambda done, total, message: None)
    out_path = Path(out_path)
    tmp = out_path.with_name(f".{out_path.name}.partial")
    wanted: dict[str, None] = {}
    batch_ids: dict[str, None] = {}
    own_site, own = str(header.get("site_id", "")), []
    count = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            digest = hashlib.sha256()
            size = 0
            info = zipfile.ZipInfo(REVISIONS, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            with zf.open(info, "w", force_zip64=True) as out:
                for revision, batch_id in revisions:
                    if revision.site_id == own_site:
                        own.append(revision.rev_id)
                    else:
                        batch_ids.setdefault(batch_id)
                    line = (canonical_json(revision.to_dict()) + "\n").encode("utf-8")
                    digest.update(line)
                    size += len(line)
                    out.write(line)
                    for sha in sorted(referenced_blobs(revision.fields)):
                        wanted.setdefault(sha)
                    count += 1
                    if count % 1000 == 0:
                        if cancelled():
                            raise Cancelled()
                        report(count, max(total_revisions, count), "revisions")
            members = [{"name": REVISIONS, "sha256": digest.hexdigest(), "size": size}]
            fresh = _own_batches(own, own_site, str(header.get("created_at", "")), key)
            members.append(_write_lines(zf, BATCHES, (
                canonical_json(batch.to_dict())
                for batch in chain(fresh, load_batches(list(batch_ids))))))
            for i, sha in enumerate(wanted):
                with open_blob(sha) as source:
                    # Attachments are mostly compressed already (PDF, PNG, XLSX): stored as is.
                    members.append(_copy_member(zf, BLOB_PREFIX + sha, source,
                                                zipfile.ZIP_STORED, cancelled))
                report(i + 1, len(wanted), "files")
            manifest = {
                **header,
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_version": SCHEMA_VERSION,
                "public_key": public_key_hex(key),
                "counts": {"revisions": count, "blobs": len(wanted),
                           "batches": len(fresh) + len(batch_ids)},
                "members": members,
            }
            manifest_bytes = canonical_json(manifest).encode("utf-8")
            zf.writestr(_plain_info(MANIFEST), manifest_bytes)
            zf.writestr(_plain_info(SIGNATURE), sign(key, manifest_bytes))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        replace_file(tmp, out_path)
    except OSError as exc:
        raise fault_from_os_error(exc, out_path) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return WrittenPackage(path=out_path, manifest=manifest, revisions=count, blobs=len(wanted),
                          size=out_path.stat().st_size)


OWN_BATCH = 100_000  # revisions per batch: a line of about 7 MB, under max_line_bytes


def _own_batches(rev_ids: list[str], site_id: str, created_at: str,
                 key: Ed25519PrivateKey) -> list[Batch]:
    batches = []
    for start in range(0, len(rev_ids), OWN_BATCH):
        chunk = tuple(rev_ids[start:start + OWN_BATCH])
        batch_id = uuid7()
        signature = sign(key, batch_payload(batch_id, site_id, created_at, chunk)).hex()
        batches.append(Batch(batch_id, site_id, public_key_hex(key), created_at, chunk,
                             signature))
    return batches


def _write_lines(zf: zipfile.ZipFile, name: str, lines: Iterable[str]) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with zf.open(_plain_info(name), "w", force_zip64=True) as out:
        for text in lines:
            line = (text + "\n").encode("utf-8")
            digest.update(line)
            size += len(line)
            out.write(line)
    return {"name": name, "sha256": digest.hexdigest(), "size": size}


def _plain_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16
    return info
