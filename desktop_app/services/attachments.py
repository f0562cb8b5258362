"""Attached files: checked by content, stored once by hash, referenced by attachment records.

Order of work (what makes a crash harmless): the file is checked, copied into the blob store
(temporary file, fsync, rename to its hash), and only then is the attachment record written in
one transaction. A process killed while copying leaves a temporary file that is removed at the
next start and no record; killed after the rename, an unreferenced blob (valid, named by its
hash) and no record. A record never points at bytes that are not in the store.

On a plant's PostgreSQL database the store is the database (storage.blobs.ServerBlobStore): the
bytes are written first, in a transaction of their own, whole and named by their hash, and the
record after them, so any PC that reads the record finds the bytes. A refused attachment leaves
its bytes there (another PC may be attaching the same file at that moment).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.errors import Cancelled, NotFound, StorageError, ValidationError
from desktop_app.domain.evidence import AttachmentKind
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.safe_names import free_path, safe_file_name
from desktop_app.files.sniff import BY_CONTENT_TYPE, FileType, sniff
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.services.evidence import parse_choice, require_part
from desktop_app.services.evidence_dto import AttachmentInfo
from desktop_app.services.evidence_queries import attachment_info
from desktop_app.storage.blobs import CHUNK
from desktop_app.storage.models.evidence import Attachment, TestReport

DEFAULT_LIMIT_MB = 200
MB = 1_000_000


def _changed(name: str) -> StorageError:
    return StorageError(QT_TRANSLATE_NOOP(
        "Errors", "The file {name} changed or disappeared while it was being attached; nothing "
        "was stored. Try again once it is complete."), name=name)


class AttachmentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def attach_file(self, actor: Actor, part_id: str, path: Path, kind: str,
                    report_id: str = "", note: str = "", limit_mb: int = DEFAULT_LIMIT_MB,
                    progress: Progress = no_progress,
                    cancelled: IsCancelled = never_cancelled) -> AttachmentInfo:
        """Attach one file to a part (and optionally to one of its reports).

        Refused with one sentence: an unknown kind, a missing or unreadable file, a type not
        allowed by content, a file over `limit_mb`, a file that changes or disappears while it
        is copied, the same bytes already attached to the same part and report."""
        actor.require(Permission.RECORD_EVIDENCE)
        attachment_kind = parse_choice(AttachmentKind, kind, "kind")
        name = path.name
        limit = int(limit_mb) * MB
        with self._ctx.unit_of_work() as uow:
            require_part(uow, part_id)
            if report_id:
                report = uow.session.get(TestReport, report_id)
                if report is None or report.part_id != part_id:
                    raise NotFound(what="Report", key=report_id)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise IsADirectoryError(21, "not a file")
        except OSError as exc:
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "The file {name} cannot be read ({detail})."),
                name=name, detail=exc.strerror or str(exc)) from exc
        if size > limit:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "{name} is {size} MB, above the limit of {limit} MB."),
                field="file", name=name, size=round(size / MB, 1), limit=limit_mb)
        try:
            file_type = sniff(path, name)
        except FileNotFoundError as exc:
            raise _changed(name) from exc
        except OSError as exc:
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "The file {name} cannot be read ({detail})."),
                name=name, detail=exc.strerror or str(exc)) from exc
        try:
            stored = self._ctx.blobs.put_file(path, max_size=limit, progress=progress,
                                              cancelled=cancelled)
        except OSError as exc:  # the medium went away while reading (a USB stick pulled out)
            raise _changed(name) from exc
        fresh = not stored.already_present
        try:
            if stored.size != size or not path.is_file():
                raise _changed(name)
            if fresh:
                # What counts is what was stored: check the stored bytes too.
                with self._ctx.blobs.local_copy(stored.sha256) as kept:
                    sniff(kept, name)
            with self._ctx.unit_of_work() as uow:
                twin = uow.session.execute(select(Attachment).where(
                    Attachment.part_id == part_id, Attachment.report_id == report_id,
                    Attachment.blob_sha256 == stored.sha256)).scalars().first()
                if twin is not None:
                    fresh = False  # the blob is referenced: keep it
                    raise ValidationError(QT_TRANSLATE_NOOP(
                        "Errors", "{name} is already attached here as {existing} "
                        "(same content, SHA-256 {sha})."), field="file", name=name,
                        existing=twin.original_name, sha=stored.sha256[:12])
                state = uow.records.create("attachment", {
                    "part_id": part_id, "report_id": report_id,
                    "kind": str(attachment_kind), "original_name": name[:255],
                    "content_type": file_type.content_type, "size": stored.size,
                    "blob_sha256": stored.sha256, "note": note.strip(),
                }, actor, reason="file attached")
                uow.session.flush()
                row = uow.session.get(Attachment, state.record_id)
                assert row is not None
                info = attachment_info(row)
        except BaseException:
            if fresh:
                self._forget_blob(stored.sha256)
            raise
        return info

    def _forget_blob(self, sha256: str) -> None:
        """Remove a blob this call stored and nothing references (a refused attachment)."""
        with self._ctx.unit_of_work() as uow:
            used = uow.session.execute(select(Attachment.id).where(
                Attachment.blob_sha256 == sha256)).first()
        if used is None:
            self._ctx.blobs.discard(sha256)

    def withdraw(self, actor: Actor, attachment_id: str, reason: str) -> None:
        """Withdraw a file attached by mistake: the record is tombstoned with the reason (its
        history and the bytes stay)."""
        actor.require(Permission.RECORD_EVIDENCE)
        if not reason.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Say why the file is withdrawn."), field="reason")
        with self._ctx.unit_of_work() as uow:
            uow.records.tombstone(attachment_id, actor, reason.strip(), what="Attachment")

    # -- reading files back ----------------------------------------------------------------

    def info(self, attachment_id: str) -> AttachmentInfo:
        with self._ctx.unit_of_work() as uow:
            row = uow.session.get(Attachment, attachment_id)
            if row is None:
                raise NotFound(what="Attachment", key=attachment_id)
            return attachment_info(row)

    def file_type(self, info: AttachmentInfo) -> FileType | None:
        return BY_CONTENT_TYPE.get(info.content_type)

    def safe_name(self, info: AttachmentInfo) -> str:
        file_type = self.file_type(info)
        return safe_file_name(info.original_name, file_type.extension if file_type else "")

    def save_copy(self, attachment_id: str, target: Path,
                  progress: Progress = no_progress,
                  cancelled: IsCancelled = never_cancelled) -> Path:
        """Write the attached bytes to `target` (chosen by the person), checking the hash on
        the way: altered bytes are never handed out. Written to a temporary file, then renamed."""
        info = self.info(attachment_id)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".partdesk-")
        except OSError as exc:
            raise fault_from_os_error(exc, target) from exc
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            done = 0
            with self._ctx.blobs.open(info.blob_sha256) as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    if cancelled():
                        raise Cancelled()
                    digest.update(chunk)
                    dst.write(chunk)
                    done += len(chunk)
                    progress(done, info.size, info.original_name)
                dst.flush()
                os.fsync(dst.fileno())
            if digest.hexdigest() != info.blob_sha256:
                raise StorageError(QT_TRANSLATE_NOOP(
                    "Errors", "The stored copy of {name} is altered (its bytes no longer match "
                    "SHA-256 {sha}); run 'partdesk verify' and restore it from a backup."),
                    name=info.original_name, sha=info.blob_sha256[:12])
            replace_file(tmp, target)
        except OSError as exc:
            raise fault_from_os_error(exc, target) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def save_copy_to_folder(self, attachment_id: str, folder: Path) -> Path:
        """Save a copy into `folder` under a safe name made from the original name (never the
        original name used as a path); an existing file is never overwritten."""
        info = self.info(attachment_id)
        folder.mkdir(parents=True, exist_ok=True)
        return self.save_copy(attachment_id, free_path(folder, self.safe_name(info)))

    def read_verified(self, attachment_id: str, max_bytes: int = 64 * MB) -> bytes:
        """The attached bytes (for an image preview), refused when altered or too large."""
        info = self.info(attachment_id)
        if info.size > max_bytes:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "{name} is too large to preview; open it instead."),
                name=info.original_name)
        with self._ctx.blobs.open(info.blob_sha256) as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != info.blob_sha256:
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "The stored copy of {name} is altered (its bytes no longer match "
                "SHA-256 {sha}); run 'partdesk verify' and restore it from a backup."),
                name=info.original_name, sha=info.blob_sha256[:12])
        return data
