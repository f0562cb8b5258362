"""Caps a package must stay under while it is read; enforced on the bytes actually read."""

from __future__ import annotations

from dataclasses import dataclass

FORMAT = "partdesk-sync"
# 2: origin signatures (batches.ndjson); packages of format 1 carry no proof of origin.
FORMAT_VERSION = 2
# The version of the revision data inside packages (the record model), not of the SQL schema.
SCHEMA_VERSION = 1

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
REVISIONS = "revisions.ndjson"
BATCHES = "batches.ndjson"
BLOB_PREFIX = "blobs/"


@dataclass(frozen=True, slots=True)
class Limits:
    max_package_bytes: int = 8 * 1024**3  # the file on the stick
    max_members: int = 200_000
    max_member_bytes: int = 1024**3  # any one member, uncompressed
    max_total_bytes: int = 8 * 1024**3  # all members together, uncompressed
    max_ratio: int = 200  # uncompressed / compressed, per member
    max_manifest_bytes: int = 64 * 1024**2
    max_line_bytes: int = 16 * 1024**2  # one revision in revisions.ndjson
    max_depth: int = 32  # JSON nesting
    max_revisions: int = 5_000_000
    max_batches: int = 1_000_000
    # Revisions checked, then applied, at a time: what an import holds of a package's content.
    block_revisions: int = 2000


DEFAULT_LIMITS = Limits()
