"""Sync through export files: export a signed package, preview and import one, site status.

Import pipeline (DESIGN.md): copy off the stick into `staging/`; verify everything while the
database is untouched: the envelope (`desktop_app.sync.package.open_package`), then every
revision, read in blocks and checked against the package's proofs and the trust gate; a refused
package is moved to `quarantine/` beside a reason file and the database file stays byte-for-byte
unchanged. Then a backup, the blobs (content-addressed, harmless if what follows fails) and ONE
transaction: the same revisions read again block by block (each block's bytes compared with the
checked one) and applied, package logged, peer state updated, audit entry "import". What is held
at a time is one block of revisions, plus small keys (ids) for the checks across the package.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import Cancelled, StorageError, ValidationError
from desktop_app.domain.faults import fault_from_os_error, remove_file, replace_file
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.revisions import Revision, uuid7
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.backup import BackupService
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    UnitOfWork,
    never_cancelled,
    no_progress,
)
from desktop_app.services.site import SiteService
from desktop_app.services.sync_dto import (
    ExportSummary,
    ImportPreview,
    ImportSummary,
    PackageCheck,
    QuarantinedPackage,
    SiteStatus,
    TypeCounts,
)
from desktop_app.services.sync_keys import SiteKeyService
from desktop_app.services.sync_state import PeerBook
from desktop_app.services.sync_trust import TrustGate
from desktop_app.storage.anchors import check_peer_head, record_witness, witness_for
from desktop_app.storage.models.core import RevisionRow, Site
from desktop_app.storage.models.sync import PackageLog, PeerKey
from desktop_app.storage.revisions import BlockApply, revision_from_row
from desktop_app.sync.errors import PackageRejected, PackageTooLarge
from desktop_app.sync.limits import DEFAULT_LIMITS, Limits
from desktop_app.sync.package import PackageFile, open_package, write_package

COPY_CHUNK = 1024 * 1024


class _DryRun(Exception):  # noqa: N818 - control flow: roll the preview transaction back
    def __init__(self, applied: BlockApply) -> None:
        super().__init__("dry run")
        self.applied = applied


def _unreadable(source: Path, exc: OSError) -> StorageError:
    return StorageError(QT_TRANSLATE_NOOP("Errors", "The file {name} cannot be read ({detail})."),
                        name=source.name, detail=exc.strerror or type(exc).__name__)


def _safe_name(name: str) -> str:
    """A file name from outside, made harmless for our own folders (kept as data elsewhere)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80].lstrip(".")
    return cleaned or "package"


class SyncService:
    def __init__(self, ctx: ServiceContext, limits: Limits = DEFAULT_LIMITS) -> None:
        self._ctx = ctx
        self._limits = limits
        self._keys = SiteKeyService(ctx)

    # -- export ----------------------------------------------------------------------------

    def export_package(self, actor: Actor, out_path: Path, to_site: str | None = None,
                       full: bool = False, progress: Progress = no_progress,
                       cancelled: IsCancelled = never_cancelled) -> ExportSummary:
        """Everything `to_site` has not seen (or everything: `full`, or no target)."""
        actor.require(Permission.EXPORT)
        site = SiteService(self._ctx).local_site()
        target_id, target_code = self._target(to_site) if to_site else ("", "")
        full = full or not target_id
        with self._ctx.unit_of_work() as uow:
            uow.records.seal_unsigned()  # revisions written before origin signatures existed
        with self._ctx.unit_of_work() as uow:
            book = PeerBook(uow.session)
            since = 0 if full else book.export_from(target_id)
            up_to = uow.session.execute(
                select(func.coalesce(func.max(RevisionRow.seq), 0))).scalar_one()
            # A site holds what it wrote itself: an incremental export leaves that out.
            skip = "" if full else target_id
            total = uow.session.execute(select(func.count()).select_from(RevisionRow).where(
                RevisionRow.seq > since, RevisionRow.seq <= up_to,
                RevisionRow.site_id != skip, RevisionRow.batch_id.is_not(None))).scalar_one()
            sequence = book.next_sequence(self._ctx.site_id)
            head = uow.audit.head()
            package_id = uuid7()
            header: dict[str, Any] = {
                "package_id": package_id, "site_id": site.site_id, "site_code": site.code,
                "site_name": site.name, "sequence": sequence, "created_at": self._ctx.clock(),
                "to_site_id": target_id, "full": full, "since_seq": since, "up_to_seq": up_to,
                "seen": book.seen_vector(), "audit_head": {"seq": head.seq, "hash": head.hash},
                # What we hold of the target's audit head: it checks its log against it.
                "audit_witness": witness_for(uow.session, target_id) if target_id else None,
            }
            written = write_package(
                Path(out_path), header, self._revisions(uow.session, since, up_to, skip),
                self._ctx.blobs.open, self._ctx.signing_key(), uow.records.batches, total,
                progress, cancelled)
        with self._ctx.unit_of_work() as uow:
            uow.session.add(PackageLog(
                package_id=header["package_id"], direction="sent", site_id=site.site_id,
                peer_site_id=target_id, sequence=sequence, created_at=header["created_at"],
                logged_at=self._ctx.clock(), logged_by=actor.username, full=int(full),
                since_seq=since, up_to_seq=up_to, revisions=written.revisions,
                new_revisions=0, blobs=written.blobs, conflicts=0, audit_seq=head.seq,
                audit_hash=head.hash, file_name=Path(out_path).name[:255]))
            if target_id:
                PeerBook(uow.session).sent(target_id, up_to)
            uow.audit.record(actor.username, "export", f"package:{header['package_id']}",
                             {"to": target_code, "sequence": sequence, "full": full,
                              "revisions": written.revisions, "blobs": written.blobs})
        return ExportSummary(path=Path(out_path), package_id=package_id,
                             sequence=sequence, to_site_code=target_code, full=full,
                             since_seq=since, up_to_seq=up_to, revisions=written.revisions,
                             blobs=written.blobs, size=written.size)

    def _target(self, code: str) -> tuple[str, str]:
        wanted = code.strip().upper()
        with self._ctx.unit_of_work() as uow:
            site_id = uow.session.execute(select(PeerKey.site_id).where(
                PeerKey.code == wanted).order_by(PeerKey.id.desc())).scalar() \
                or uow.session.execute(select(Site.id).where(Site.code == wanted)).scalar()
        if not site_id or site_id == self._ctx.site_id:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Site {code} is not known here; enrol its key first, or export "
                          "everything."), field="to_site", code=wanted)
        return site_id, wanted

    @staticmethod
    def _revisions(session: Session, since: int, up_to: int,
                   skip_site: str) -> Iterator[tuple[Revision, str]]:
        """Each revision with the signed batch of its origin that covers it. Revisions of
        other sites received before origin signatures existed have none and are not relayed."""
        last = since
        while True:
            rows = session.execute(select(RevisionRow).where(
                RevisionRow.seq > last, RevisionRow.seq <= up_to,
                RevisionRow.site_id != skip_site)
                .order_by(RevisionRow.seq).limit(5000)).scalars().all()
            if not rows:
                return
            for row in rows:
                if row.batch_id:
                    yield revision_from_row(row), row.batch_id
            last = rows[-1].seq
            session.expunge_all()

    # -- import ----------------------------------------------------------------------------

    def preview_import(self, actor: Actor, path: Path, progress: Progress = no_progress,
                       cancelled: IsCancelled = never_cancelled) -> ImportPreview:
        """What importing would do, per record type; nothing is written (a refused package is
        quarantined all the same)."""
        actor.require(Permission.IMPORT)
        name = Path(path).name
        staged = self._stage(Path(path))
        try:
            with self._refused_to_quarantine(actor, staged, name), \
                    self._open(staged, name, progress, cancelled) as package:
                types = self._check(package)
                already, last_seq = self._known_package(package)
                if already:
                    return self._preview(package, name, types, None, True, last_seq)
                try:
                    with self._ctx.unit_of_work() as uow:
                        raise _DryRun(self._apply(uow, package, actor.username, progress,
                                                  cancelled))
                except _DryRun as dry:
                    return self._preview(package, name, types, dry.applied, False, last_seq)
        finally:
            staged.unlink(missing_ok=True)

    def import_package(self, actor: Actor, path: Path, progress: Progress = no_progress,
                       cancelled: IsCancelled = never_cancelled) -> ImportSummary:
        """Check the whole package block by block (nothing written), then a backup, the files,
        and ONE transaction applying the same blocks: what is held at a time is one block."""
        actor.require(Permission.IMPORT)
        name = Path(path).name
        staged = self._stage(Path(path))
        try:
            with self._refused_to_quarantine(actor, staged, name), \
                    self._open(staged, name, progress, cancelled) as package:
                return self._import(actor, package, name, progress, cancelled)
        finally:
            staged.unlink(missing_ok=True)

    def _import(self, actor: Actor, package: PackageFile, name: str, progress: Progress,
                cancelled: IsCancelled) -> ImportSummary:
        types = self._check(package)
        already, last_seq = self._known_package(package)
        if already:
            preview = self._preview(package, name, types, None, True, last_seq)
            return ImportSummary(preview=preview, applied=False, conflicted_records=(),
                                 backup="")
        backup = ""
        if self._ctx.db.path is not None:
            backup = BackupService(self._ctx).backup(None, label="before-import").path.name
        missing = {sha for sha in package.blobs if not self._ctx.blobs.exists(sha)}
        for i, sha in enumerate(sorted(package.blobs)):
            if cancelled():
                raise Cancelled()
            if sha in missing:
                with package.open_blob(sha) as fh:
                    self._ctx.blobs.put_stream(fh, total=package.blobs[sha],
                                               expected_sha256=sha, name=sha[:12])
            progress(i + 1, len(package.blobs), "files")
        if cancelled():
            raise Cancelled()
        progress(0, package.revision_count, "revisions")
        with self._ctx.unit_of_work() as uow:
            applied = self._apply(uow, package, actor.username, progress, cancelled)
            preview = self._preview(package, name, types, applied, False, last_seq,
                                    len(missing))
            m = package.manifest
            head = m.get("audit_head")
            audit: dict[str, Any] = head if isinstance(head, dict) else {}
            # The peer's log must not shrink or change between its packages, and what it
            # holds of ours is kept as an anchor that `verify` compares: both only warn.
            warnings = [w for w in (
                check_peer_head(uow.session, package.site_id, _int(audit.get("seq")),
                                str(audit.get("hash", ""))[:64], sequence=package.sequence),
                record_witness(uow.session, package.site_id, _witness(m, self._ctx.site_id),
                               self._ctx.clock()),
            ) if w]
            uow.session.add(PackageLog(
                package_id=package.package_id, direction="received",
                site_id=package.site_id, peer_site_id=str(m.get("to_site_id") or "")[:36],
                sequence=package.sequence, created_at=str(m.get("created_at", ""))[:32],
                logged_at=self._ctx.clock(), logged_by=actor.username,
                full=int(bool(m.get("full"))), since_seq=_int(m.get("since_seq")),
                up_to_seq=_int(m.get("up_to_seq")), revisions=package.revision_count,
                new_revisions=applied.new, blobs=len(package.blobs),
                conflicts=len(applied.conflicted), audit_seq=_int(audit.get("seq")),
                audit_hash=str(audit.get("hash", ""))[:64], file_name=name[:255]))
            PeerBook(uow.session).received(package.site_id, package.sequence,
                                           _int(m.get("since_seq")), _int(m.get("up_to_seq")),
                                           m.get("seen", {}), self._ctx.site_id)
            uow.audit.record(actor.username, "import", f"package:{package.package_id}", {
                "from": package.signer.site_code, "sequence": package.sequence,
                "new": applied.new, "known": applied.known,
                "conflicts": len(applied.conflicted), "sender_audit_head": audit,
                "warnings": [str(w) for w in warnings]})
        return ImportSummary(preview=preview, applied=True, backup=backup,
                             warnings=tuple(warnings),
                             conflicted_records=tuple(sorted(applied.conflicted)))

    def check_package(self, path: Path, progress: Progress = no_progress,
                      cancelled: IsCancelled = never_cancelled) -> PackageCheck:
        """Verify a package completely without importing it, also one signed by a site that
        has since been retired (its old packages stay checkable). Nothing is written, nothing
        quarantined; a refused package raises its one sentence."""
        with tempfile.TemporaryDirectory(prefix="partdesk-check-") as folder:
            staged = Path(folder) / "package.zip"
            try:
                shutil.copyfile(path, staged)
            except OSError as exc:
                raise StorageError(QT_TRANSLATE_NOOP(
                    "Errors", "The file {name} cannot be read ({detail})."),
                    name=Path(path).name, detail=exc.strerror or type(exc).__name__) from exc
            with open_package(staged, self._keys.lookup, self._limits, progress, cancelled,
                              allow_retired=True, name=Path(path).name) as package:
                revisions = sum(len(block) for block in package.blocks())
                m = package.manifest
                return PackageCheck(
                    file_name=Path(path).name, package_id=package.package_id,
                    sender_code=package.signer.site_code,
                    sender_name=str(m.get("site_name", ""))[:200], sequence=package.sequence,
                    created_at=str(m.get("created_at", ""))[:32], revisions=revisions,
                    blobs=len(package.blobs), signer_retired=package.signer.retired)

    def _open(self, staged: Path, original: str, progress: Progress,
              cancelled: IsCancelled) -> AbstractContextManager[PackageFile]:
        # A fresh registry lookup per package: enrolments may have changed since.
        return open_package(staged, SiteKeyService(self._ctx).lookup, self._limits, progress,
                            cancelled, name=original)

    def _check(self, package: PackageFile) -> Counter[str]:
        """Every revision checked, block by block, against the package's own proofs and the
        trust gate, reading the store as it is (nothing written, no write lock held). Returns
        how many revisions of each type the package holds."""
        types: Counter[str] = Counter()
        with self._ctx.db.reading() as conn, Session(bind=conn) as session:
            gate = TrustGate(session, self._ctx.site_id)
            try:
                for block in package.blocks():
                    gate.check_block(block)
                    types.update(r.record_type for r in block)
                    del block  # held no longer than its check: one block at a time
                gate.finish()
            except PackageRejected as exc:
                # A tampered member is reported as tampered, whatever its content looks like.
                refusal = package.refusal(exc)
                if refusal is exc:
                    raise
                raise refusal from exc
        return types

    def _apply(self, uow: UnitOfWork, package: PackageFile, actor_name: str,
               progress: Progress, cancelled: IsCancelled) -> BlockApply:
        """The checked revisions applied block by block in the caller's transaction."""
        applier = uow.records.in_blocks(actor_name, origin="import",
                                        batch_for=package.origins.batch_for)
        total, done = package.revision_count, 0
        for block in package.again():
            applier.apply(block)
            done += len(block)
            del block  # one block at a time
            progress(done, total, "revisions")
            if cancelled():  # the transaction is rolled back: nothing was changed
                raise Cancelled()
        applier.finish()
        return applier

    @contextmanager
    def _refused_to_quarantine(self, actor: Actor, staged: Path,
                               original: str) -> Iterator[None]:
        """A refused package is moved to quarantine beside its reason (once the package file
        is closed)."""
        try:
            yield
        except PackageRejected as exc:
            self._quarantine(actor, staged, original, exc)
            raise

    def _stage(self, source: Path) -> Path:
        """A private copy off the stick: the original may change or vanish while we read."""
        staging = self._ctx.folder.staging
        target = staging / f"{uuid7()}.zip"
        try:
            staging.mkdir(parents=True, exist_ok=True)
            # One import at a time (folder lock, one worker): anything here was left by a crash.
            for leftover in staging.glob("*.zip"):
                remove_file(leftover)
        except OSError as exc:
            raise fault_from_os_error(exc, staging) from exc
        try:
            src = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise _unreadable(source, exc) from exc
        copied = 0
        try:
            with src, open(target, "wb") as dst:
                while True:
                    try:
                        chunk = src.read(COPY_CHUNK)
                    except OSError as exc:
                        raise _unreadable(source, exc) from exc
                    if not chunk:
                        break
                    copied += len(chunk)
                    if copied > self._limits.max_package_bytes:
                        raise PackageTooLarge(name=source.name,
                                              limit=self._limits.max_package_bytes)
                    dst.write(chunk)
        except OSError as exc:  # writing the staged copy: a fault of this disk
            target.unlink(missing_ok=True)
            raise fault_from_os_error(exc, staging) from exc
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def _quarantine(self, actor: Actor, staged: Path, original: str,
                    exc: PackageRejected) -> None:
        folder = self._ctx.folder.quarantine
        folder.mkdir(parents=True, exist_ok=True)
        stamp = re.sub(r"[^0-9T]", "", self._ctx.clock())[:15]
        target = folder / f"{stamp}-{staged.stem[-12:]}-{_safe_name(original)}"
        replace_file(staged, target)
        reason = {"original_name": original, "reason": exc.message(), "template": exc.template,
                  "params": {k: str(v) for k, v in exc.params.items()},
                  "at": self._ctx.clock(), "by": actor.username}
        Path(str(target) + ".reason.json").write_text(
            json.dumps(reason, ensure_ascii=False, indent=2), encoding="utf-8")

    def quarantine(self) -> list[QuarantinedPackage]:
        folder = self._ctx.folder.quarantine
        if not folder.is_dir():
            return []
        found = []
        for reason_file in sorted(folder.glob("*.reason.json"), reverse=True):
            try:
                data = json.loads(reason_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found.append(QuarantinedPackage(
                file_name=reason_file.name[:-len(".reason.json")],
                original_name=str(data.get("original_name", "")),
                reason=str(data.get("reason", "")), at=str(data.get("at", "")),
                by=str(data.get("by", ""))))
        return found

    def _known_package(self, package: PackageFile) -> tuple[bool, int]:
        with self._ctx.unit_of_work() as uow:
            known = uow.session.get(PackageLog, package.package_id) is not None
            return known, PeerBook(uow.session).last_received(package.site_id)

    def _preview(self, package: PackageFile, name: str, all_types: Counter[str],
                 applied: BlockApply | None, already: bool, last_seq: int,
                 new_blobs: int | None = None) -> ImportPreview:
        m = package.manifest
        new_types = applied.new_types if applied else Counter()
        conflict_types = applied.conflict_types if applied else Counter()
        by_type = tuple(TypeCounts(t, new_types[t], all_types[t] - new_types[t],
                                   conflict_types[t]) for t in sorted(all_types))
        if new_blobs is None:
            new_blobs = sum(1 for sha in package.blobs if not self._ctx.blobs.exists(sha))
        return ImportPreview(
            file_name=name, package_id=package.package_id, sender_site_id=package.site_id,
            sender_code=package.signer.site_code, sender_name=str(m.get("site_name", ""))[:200],
            sequence=package.sequence, created_at=str(m.get("created_at", ""))[:32],
            full=bool(m.get("full")), by_type=by_type, new_blobs=new_blobs,
            blobs=len(package.blobs), already_imported=already, last_sequence=last_seq)

    # -- status ----------------------------------------------------------------------------

    def site_status(self) -> list[SiteStatus]:
        with self._ctx.unit_of_work() as uow:
            return PeerBook(uow.session).status(self._ctx.site_id)


def _witness(manifest: dict[str, Any], local_site_id: str) -> dict[str, Any] | None:
    """The head of this site's log the sender holds, when the package was made for this site."""
    witness = manifest.get("audit_witness")
    if manifest.get("to_site_id") != local_site_id or not isinstance(witness, dict):
        return None
    return witness


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

