"""Hand-made packages, good and bad, signed with a real site key when the test needs it."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop_app.domain.keys import public_key_hex, sign
from desktop_app.domain.revisions import Revision, canonical_json, uuid7
from desktop_app.domain.trust import Batch, batch_payload
from desktop_app.services.sync import SyncService
from desktop_app.sync import errors as err
from tests.sync.sites import SiteUnderTest, file_hash


@dataclass
class Member:
    name: str
    data: bytes
    compress: int = zipfile.ZIP_DEFLATED
    external_attr: int = 0o100644 << 16


def write_zip(path: Path, members: list[Member]) -> Path:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names on purpose
        with zipfile.ZipFile(path, "w") as zf:
            for m in members:
                info = zipfile.ZipInfo(m.name, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = m.compress
                info.external_attr = m.external_attr
                zf.writestr(info, m.data)
    return path


def read_members(path: Path) -> list[Member]:
    with zipfile.ZipFile(path) as zf:
        return [Member(i.filename, zf.read(i), i.compress_type, i.external_attr)
                for i in zf.infolist()]


def revision_lines(revisions: list[Revision]) -> list[bytes]:
    return [canonical_json(r.to_dict()).encode() for r in revisions]


def origin_batch(site: SiteUnderTest, rev_ids: list[str], site_id: str | None = None,
                 created_at: str = "2026-01-01T00:00:00.000000Z") -> bytes:
    """A batch line signed with `site`'s key (claiming `site_id`, by default its own)."""
    key = site.ctx.signing_key()
    batch_id, claimed = uuid7(), site_id or site.ctx.site_id
    signature = sign(key, batch_payload(batch_id, claimed, created_at, rev_ids)).hex()
    return canonical_json(Batch(batch_id, claimed, public_key_hex(key), created_at,
                                tuple(rev_ids), signature).to_dict()).encode()


def _own_rev_ids(site: SiteUnderTest, lines: list[bytes]) -> list[str]:
    found = []
    for line in lines:
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and isinstance(data.get("rev_id"), str):
            found.append(data["rev_id"])
    return found


def signed_package(site: SiteUnderTest, path: Path, lines: list[bytes],
                   blobs: dict[str, bytes] | None = None, manifest_bytes: bytes | None = None,
                   extra: list[Member] | None = None, batches: list[bytes] | None = None,
                   **overrides: Any) -> Path:
    """A package signed by `site` whose content the test chooses (it may be wrong on purpose).
    Unless `batches` says otherwise, one origin batch signed by `site` covers every line."""
    blobs = blobs or {}
    if batches is None:
        own = _own_rev_ids(site, lines)
        batches = [origin_batch(site, own)] if own else []
    ndjson = b"".join(line + b"\n" for line in lines)
    batch_bytes = b"".join(line + b"\n" for line in batches)
    entries = [{"name": "revisions.ndjson", "sha256": hashlib.sha256(ndjson).hexdigest(),
                "size": len(ndjson)},
               {"name": "batches.ndjson", "sha256": hashlib.sha256(batch_bytes).hexdigest(),
                "size": len(batch_bytes)}]
    members = [Member("revisions.ndjson", ndjson), Member("batches.ndjson", batch_bytes)]
    for name, data in blobs.items():
        entries.append({"name": f"blobs/{name}", "sha256": name, "size": len(data)})
        members.append(Member(f"blobs/{name}", data, zipfile.ZIP_STORED))
    key = site.ctx.signing_key()
    manifest: dict[str, Any] = {
        "format": "partdesk-sync", "format_version": 2, "schema_version": 1,
        "package_id": uuid7(), "site_id": site.ctx.site_id, "site_code": site.code,
        "site_name": f"Site {site.code}", "sequence": 1, "created_at": "2026-01-01T00:00:00Z",
        "to_site_id": "", "full": True, "since_seq": 0, "up_to_seq": 0, "seen": {},
        "audit_head": {"seq": 0, "hash": "0" * 64}, "public_key": public_key_hex(key),
        "counts": {"revisions": len(lines), "blobs": len(blobs), "batches": len(batches)},
        "members": entries,
    }
    manifest.update(overrides)
    raw = manifest_bytes if manifest_bytes is not None else canonical_json(manifest).encode()
    members += [Member("manifest.json", raw), Member("manifest.sig", sign(key, raw))]
    return write_zip(path, members + (extra or []))


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def refused(site: SiteUnderTest, package: Path, error: type[err.PackageRejected],
            service: SyncService | None = None) -> str:
    before = file_hash(site.ctx)
    sync = service or site.sync
    with pytest.raises(error) as caught:
        sync.import_package(site.engineer, package)
    assert file_hash(site.ctx) == before
    sentence = caught.value.message()
    assert sentence.count(". ") == 0 and sentence.endswith((".", ")")) and "\n" not in sentence
    reasons = list(site.ctx.folder.quarantine.glob("*.reason.json"))
    assert len(reasons) == 1
    assert json.loads(reasons[0].read_text("utf-8"))["reason"] == sentence
    assert not list(site.ctx.folder.staging.glob("*"))
    quarantined = sync.quarantine()
    assert quarantined[0].original_name == package.name and quarantined[0].reason == sentence
    return sentence
