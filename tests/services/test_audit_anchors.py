"""`verify` compares the audit log with every anchor: the anchor file, backups, packages sent and
peers' witnesses; a restore rolls the anchors back with the log, on record."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.parts import PartDraft, SupplierDraft
from desktop_app.domain.people import Actor, Role
from desktop_app.services.backup import BackupService, head_file
from desktop_app.services.context import ServiceContext
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.services.suppliers import SupplierService
from desktop_app.storage.anchors import ROLLED_BACK, record_witness
from desktop_app.storage.audit import AnchorFile
from desktop_app.storage.models.core import AuditEntry
from desktop_app.storage.models.sync import PackageLog
from tests.conftest import PASSWORD
from tests.storage.audit_tampering import cut_log, rewrite_and_rechain

PEER = "0190a1b2-0000-7000-8000-00000000c0de"


def _head(ctx: ServiceContext) -> tuple[int, str]:
    with ctx.unit_of_work() as uow:
        head = uow.audit.head()
    return head.seq, head.hash


def _work(ctx: ServiceContext, actors: dict[str, Actor], tag: str) -> None:
    """A few ordinary operations: sign-ins, a supplier and parts (revisions), a person."""
    people = PeopleService(ctx)
    people.sign_in("eng", PASSWORD)
    supplier = SupplierService(ctx).add_supplier(
        actors["eng"], SupplierDraft(name=f"Supplier {tag}", code=f"S{tag}"))
    for i in range(3):
        PartService(ctx).register_part(actors["eng"], PartDraft(
            part_number=f"JT-{tag}-{i}", revision="A", designation="Traverse avant",
            family="body_stamping", supplier_id=supplier.supplier_id))
    people.add_person(actors["admin"], f"tmp{tag.lower()}", "Temp Person", Role.ENGINEER, PASSWORD)


def test_a_sound_folder_after_work_backups_and_a_restore_verifies(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    service = BackupService(ctx)
    _work(ctx, actors, "A")
    first = service.backup(actors["admin"])
    _work(ctx, actors, "B")
    service.backup(actors["admin"])
    assert IntegrityService(ctx).verify() == []
    service.restore(actors["admin"], first.path)  # the "B" work and its backup are rolled back
    assert IntegrityService(ctx).verify() == []
    held = AnchorFile(ctx.folder.audit_anchor).read()
    assert held is not None and (held.seq, held.hash) == _head(ctx)
    with ctx.unit_of_work() as uow:
        details = json.loads(uow.session.execute(
            select(AuditEntry.details).where(AuditEntry.action == "restore")).scalar_one())
    assert details[ROLLED_BACK]  # the abandoned heads are on record, sealed
    _work(ctx, actors, "C")
    service.backup(actors["admin"])
    assert IntegrityService(ctx).verify() == []


def test_a_peer_may_witness_a_head_a_restore_rolled_back(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    service = BackupService(ctx)
    first = service.backup(actors["admin"])
    _work(ctx, actors, "A")
    sent = _head(ctx)  # as if sent in a package to the peer, which later says it holds it
    service.restore(actors["admin"], first.path)
    with ctx.unit_of_work() as uow:
        assert record_witness(uow.session, PEER, {"seq": sent[0], "hash": sent[1]}, "now") is None
    assert IntegrityService(ctx).verify() == []


def test_restoring_the_safety_copy_rolls_forward_again(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    service = BackupService(ctx)
    first = service.backup(actors["admin"])
    _work(ctx, actors, "A")
    safety = service.restore(actors["admin"], first.path)
    service.restore(actors["admin"], safety.path)
    assert IntegrityService(ctx).verify() == []


def test_a_restore_does_not_excuse_a_latercut_log(ctx: ServiceContext, actors) -> None:
    service = BackupService(ctx)
    first = service.backup(actors["admin"])
    _work(ctx, actors, "A")
    service.restore(actors["admin"], first.path)
    _work(ctx, actors, "B")
    seq, _ = _head(ctx)
    cut_log(ctx.folder.database, seq - 1)
    problems = IntegrityService(ctx).verify()
    assert any(f"the anchor file holds the log up to entry {seq}" in p for p in problems)


def test_cutting_the_last_rows_fails_verify(ctx: ServiceContext, actors) -> None:
    _work(ctx, actors, "A")
    seq, _ = _head(ctx)
    cut_log(ctx.folder.database, seq - 3)
    problems = IntegrityService(ctx).verify()
    assert problems
    assert any(f"up to entry {seq}, but the log ends at entry {seq - 3}" in p for p in problems)


def test_a_rewritten_row_with_the_chain_recomputed_fails_verify(ctx: ServiceContext, actors):
    _work(ctx, actors, "A")
    rewrite_and_rechain(ctx.folder.database, 3, '{"why":"nothing happened"}')
    problems = IntegrityService(ctx).verify()
    assert any("do not match their entries, the first at entry 3" in p for p in problems)
    assert any("differs from the anchor file" in p for p in problems)


def test_a_deleted_anchor_file_is_reported(ctx: ServiceContext) -> None:
    ctx.folder.audit_anchor.unlink()
    problems = IntegrityService(ctx).verify()
    assert len(problems) == 1 and "anchor file" in problems[0] and "is missing" in problems[0]


def test_a_fresh_folder_verifies(empty_ctx: ServiceContext) -> None:
    with empty_ctx.unit_of_work() as uow:  # before init: no key, so nothing is sealed
        uow.audit.record("nobody", "login.failed", "user:nobody")
    assert IntegrityService(empty_ctx).verify() == []


@pytest.mark.parametrize("recorded", [True, False], ids=["head beside it", "head inside it"])
def test_a_backup_holding_more_of_the_log_fails_verify(
    ctx: ServiceContext, actors, recorded: bool
) -> None:
    _work(ctx, actors, "A")
    backup = BackupService(ctx).backup(actors["admin"])
    if not recorded:  # e.g. the copies made before a migration: read from the backup itself
        head_file(backup.path).unlink()
    seq, _ = _head(ctx)
    cut_log(ctx.folder.database, seq - 4)
    ctx.folder.audit_anchor.unlink()  # the attacker removed the anchor file too
    problems = IntegrityService(ctx).verify()
    assert any(f"backup {backup.path.name} holds the log up to entry {seq - 1}" in p
               for p in problems)


def test_a_head_sent_in_a_package_beyond_the_log_fails_verify(ctx: ServiceContext, actors):
    _work(ctx, actors, "A")
    seq, digest = _head(ctx)
    with ctx.unit_of_work() as uow:
        uow.session.add(PackageLog(
            package_id=str(uuid.uuid4()), direction="sent", site_id=ctx.site_id,
            sequence=7, created_at="2026-12-01T10:00:00Z", logged_at="2026-12-01T10:00:00Z",
            logged_by="admin", audit_seq=seq, audit_hash=digest))
    assert IntegrityService(ctx).verify() == []
    cut_log(ctx.folder.database, seq - 2)
    ctx.folder.audit_anchor.unlink()
    problems = IntegrityService(ctx).verify()
    assert any(f"package 7 sent on 2026-12-01 carried the log up to entry {seq}" in p
               for p in problems)


def test_only_an_administrator_restores(ctx: ServiceContext, actors) -> None:
    backup = BackupService(ctx).backup(actors["admin"])
    with pytest.raises(PermissionDenied):
        BackupService(ctx).restore(actors["eng"], backup.path)
    assert IntegrityService(ctx).verify() == []


def test_a_backup_records_the_head_it_holds(ctx: ServiceContext, actors) -> None:
    before = _head(ctx)
    backup = BackupService(ctx).backup(actors["admin"])
    recorded = AnchorFile(head_file(backup.path)).read()
    assert recorded is not None and (recorded.seq, recorded.hash) == before
    assert recorded.signature  # the seal of that head
    with sqlite3.connect(backup.path) as conn:
        assert conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0] == before[0]
