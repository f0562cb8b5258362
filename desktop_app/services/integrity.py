"""`partdesk verify`: database integrity, the audit chain and its seals, the anchors held outside
the database (anchor file, backups, packages sent, peers' witnesses), every blob and revision."""

from __future__ import annotations

import json

from sqlalchemy import select

from desktop_app.domain.errors import PartDeskError, StorageError
from desktop_app.domain.revisions import canonical_json, referenced_blobs, sha256_hex
from desktop_app.services.backup import backup_heads
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.storage.anchors import anchor_problems
from desktop_app.storage.audit import AnchorFile
from desktop_app.storage.database import integrity_problems
from desktop_app.storage.models.core import RevisionRow
from desktop_app.storage.revisions import audit_coverage_problems


class IntegrityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def verify(
        self, progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled
    ) -> list[str]:
        """One line per problem; an empty list means everything checks out."""
        problems = [f"database: {p}" for p in integrity_problems(self._ctx.db)]
        if problems:
            return problems  # a damaged file cannot be trusted any further
        progress(0, 3, "audit log")
        try:
            key = self._ctx.signer()
        except PartDeskError as exc:
            problems.append(f"site key: {exc.message()}")
            key = None
        try:
            with self._ctx.unit_of_work() as uow:
                problems += uow.audit.verify()
                try:
                    problems += audit_coverage_problems(uow.session)
                except (KeyError, TypeError, ValueError) as exc:  # details rewritten by hand
                    problems.append(
                        f"audit log: the revisions it covers cannot be checked ({exc!r})"
                    )
                problems += anchor_problems(
                    uow.session,
                    key.public_key() if key is not None else None,
                    AnchorFile(self._ctx.folder.audit_anchor),
                    backup_heads(self._ctx.folder),
                )
        except StorageError as exc:
            problems.append(f"audit log: {exc.message()}")
        progress(1, 3, "revisions")
        wanted: set[str] = set()
        try:
            wanted = self._check_revisions(problems, cancelled)
        except StorageError as exc:
            problems.append(f"revisions: {exc.message()}")
        self._check_files(problems, wanted, progress, cancelled)
        progress(3, 3, "done")
        return problems

    def _check_revisions(self, problems: list[str], cancelled: IsCancelled) -> set[str]:
        wanted: set[str] = set()
        with self._ctx.unit_of_work() as uow:
            last = 0
            while True:
                rows = (
                    uow.session.execute(
                        select(RevisionRow)
                        .where(RevisionRow.seq > last)
                        .order_by(RevisionRow.seq)
                        .limit(5000)
                    )
                    .scalars()
                    .all()
                )
                if not rows or cancelled():
                    break
                for row in rows:
                    fields = json.loads(row.fields)
                    body = {
                        "record_type": row.record_type,
                        "record_id": row.record_id,
                        "parents": sorted(json.loads(row.parents)),
                        "site_id": row.site_id,
                        "lamport": row.lamport,
                        "created_at": row.created_at,
                        "author": row.author,
                        "op": row.op,
                        "fields": fields,
                        "reason": row.reason,
                    }
                    if sha256_hex(canonical_json(body)) != row.rev_id:
                        problems.append(
                            f"revision {row.rev_id[:12]}: content does not match its id (altered)"
                        )
                    wanted |= referenced_blobs(fields)
                    last = row.seq
                uow.session.expunge_all()
        return wanted

    def _check_files(
        self, problems: list[str], wanted: set[str], progress: Progress, cancelled: IsCancelled
    ) -> None:
        progress(2, 3, "files")
        blobs = self._ctx.blobs
        present = set(blobs.all_hashes())
        for sha in sorted(wanted - present):
            problems.append(f"file {sha[:12]}: missing from the store")
        for i, sha in enumerate(sorted(present)):
            if cancelled():
                break
            state = blobs.verify(sha) if len(sha) == 64 else "misnamed"
            if state == "altered":
                problems.append(f"file {sha[:12]}: bytes do not match the hash (altered)")
            elif state == "misnamed":
                problems.append(f"file {sha}: name is not a SHA-256 hash")
            progress(2, 3, f"files {i + 1}/{len(present)}")
