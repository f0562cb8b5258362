"""Hand-made packages, good and bad, signed with a real site key when the test needs it."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.keys import public_key_hex, sign
from desktop_app.domain.revisions import Revision, canonical_json, uuid7
from tests.sync.sites import SiteUnderTest


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


def signed_package(site: SiteUnderTest, path: Path, lines: list[bytes],
                   blobs: dict[str, bytes] | None = None, manifest_bytes: bytes | None = None,
                   extra: list[Member] | None = None, **overrides: Any) -> Path:
    """A package signed by `site` whose content the test chooses (it may be wrong on purpose)."""
    blobs = blobs or {}
    ndjson = b"".join(line + b"\n" for line in lines)
    entries = [{"name": "revisions.ndjson", "sha256": hashlib.sha256(ndjson).hexdigest(),
                "size": len(ndjson)}]
    members = [Member("revisions.ndjson", ndjson)]
    for name, data in blobs.items():
        entries.append({"name": f"blobs/{name}", "sha256": name, "size": len(data)})
        members.append(Member(f"blobs/{name}", data, zipfile.ZIP_STORED))
    key = site.ctx.signing_key()
    manifest: dict[str, Any] = {
        "format": "partdesk-sync", "format_version": 1, "schema_version": 1,
        "package_id": uuid7(), "site_id": site.ctx.site_id, "site_code": site.code,
        "site_name": f"Site {site.code}", "sequence": 1, "created_at": "2026-01-01T00:00:00Z",
        "to_site_id": "", "full": True, "since_seq": 0, "up_to_seq": 0, "seen": {},
        "audit_head": {"seq": 0, "hash": "0" * 64}, "public_key": public_key_hex(key),
        "counts": {"revisions": len(lines), "blobs": len(blobs)}, "members": entries,
    }
    manifest.update(overrides)
    raw = manifest_bytes if manifest_bytes is not None else canonical_json(manifest).encode()
    members += [Member("manifest.json", raw), Member("manifest.sig", sign(key, raw))]
    return write_zip(path, members + (extra or []))


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))
