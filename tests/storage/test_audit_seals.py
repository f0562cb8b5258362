"""Seals of the audit log, the anchor file, and the heads peers witness (with real sessions)."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
from sqlalchemy import func, select

from desktop_app.domain.people import Role, SiteKind
from desktop_app.services.context import ServiceContext
from desktop_app.storage import audit as audit_module
from desktop_app.storage.anchors import (
    anchor_problems,
    check_peer_head,
    record_witness,
    witness_for,
)
from desktop_app.storage.audit import ANCHOR_REPLACED, AnchorFile, AuditEvent, Finding
from desktop_app.storage.models.core import AuditAnchor, AuditEntry, AuditSeal
from desktop_app.storage.models.sync import PackageLog
from tests.storage.audit_tampering import cut_log, rewrite_and_rechain

PEER = "0190a1b2-0000-7000-8000-00000000c0de"


def _verify(ctx: ServiceContext) -> list[str]:
    with ctx.unit_of_work() as uow:
        key = uow.signer()
        problems = uow.audit.verify()
        problems += anchor_problems(
            uow.session, key.public_key() if key else None, AnchorFile(ctx.folder.audit_anchor)
        )
    return problems


def _record(ctx: ServiceContext, n: int, action: str = "print") -> None:
    for i in range(n):
        with ctx.unit_of_work() as uow:
            uow.audit.record("admin", action, f"report:{i}")


def _head(ctx: ServiceContext) -> tuple[int, str]:
    with ctx.unit_of_work() as uow:
        head = uow.audit.head()
    return head.seq, head.hash


# -- seals ---------------------------------------------------------------------------------------


def test_each_batch_is_sealed_once_and_a_sound_log_verifies(ctx: ServiceContext) -> None:
    with ctx.unit_of_work() as uow:
        before = uow.session.execute(select(func.count()).select_from(AuditSeal)).scalar_one()
        head = uow.audit.record_many(
            "admin", [AuditEvent("print", f"report:{i}") for i in range(50)]
        )
    with ctx.unit_of_work() as uow:
        seals = uow.session.execute(select(AuditSeal)).scalars().all()
    assert len(seals) == before + 1
    assert (seals[-1].seq, seals[-1].hash) == (head.seq, head.hash)
    assert _verify(ctx) == []


def test_a_row_rewritten_with_the_chain_recomputed_fails_its_seals(ctx: ServiceContext) -> None:
    _record(ctx, 3)
    with ctx.unit_of_work() as uow:
        assert uow.audit.verify() == []
    rewrite_and_rechain(ctx.folder.database, 2, '{"code":"XXX"}')
    with ctx.unit_of_work() as uow:
        problems = uow.audit.verify()
    assert problems and all(isinstance(p, Finding) for p in problems)
    assert "do not match their entries, the first at entry 2" in problems[0]
    assert any("differs from the anchor file" in p for p in _verify(ctx))


def test_seals_rewritten_without_the_key_are_not_signed_by_it(ctx: ServiceContext) -> None:
    _record(ctx, 2)
    rewrite_and_rechain(ctx.folder.database, 1, "{}")
    with sqlite3.connect(ctx.folder.database) as conn:  # the seals made to fit the new hashes
        conn.execute("UPDATE audit_seals SET hash = "
                     "(SELECT hash FROM audit_log WHERE audit_log.seq = audit_seals.seq)")
    problems = _verify(ctx)
    assert any("are not signed by this site's key, the first at entry 1" in p for p in problems)


def test_entries_after_the_last_seal_are_reported(ctx: ServiceContext) -> None:
    _record(ctx, 2)
    seq, _ = _head(ctx)
    with sqlite3.connect(ctx.folder.database) as conn:
        conn.execute("DELETE FROM audit_seals WHERE seq = ?", (seq,))
    assert any(f"to {seq} are not sealed" in p for p in _verify(ctx))


def test_a_log_without_any_seal_is_reported_once(ctx: ServiceContext) -> None:
    with sqlite3.connect(ctx.folder.database) as conn:
        conn.execute("DELETE FROM audit_seals")
    ctx.folder.audit_anchor.unlink()
    problems = _verify(ctx)
    assert len(problems) == 1 and "none of its" in problems[0]


def test_entries_before_init_stay_unsealed_and_the_first_seal_covers_them(
    empty_ctx: ServiceContext,
) -> None:
    from desktop_app.services.site import SiteService

    with empty_ctx.unit_of_work() as uow:
        uow.audit.record("nobody", "login.failed", "user:nobody")
    assert not empty_ctx.folder.audit_anchor.exists()
    assert _verify(empty_ctx) == []  # a fresh folder: no key, no seal, no anchor, no problem
    SiteService(empty_ctx).initialise(
        "TST", "Test plant", SiteKind.PLANT, "admin", "A", "pw-123456789"
    )
    with empty_ctx.unit_of_work() as uow:
        first_seal = uow.session.execute(select(func.min(AuditSeal.seq))).scalar_one()
    assert first_seal > 1
    assert _verify(empty_ctx) == []


# -- the anchor file ------------------------------------------------------------------------------


def test_the_anchor_file_follows_the_head_once_per_transaction(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = []
    original = AnchorFile.write
    monkeypatch.setattr(AnchorFile, "write", lambda self, head: (writes.append(head.seq),
                                                                  original(self, head)))
    with ctx.unit_of_work() as uow:
        for i in range(20):
            uow.audit.record("admin", "print", f"report:{i}")
        head = uow.audit.head()
    assert writes == [head.seq]
    held = AnchorFile(ctx.folder.audit_anchor).read()
    assert held is not None and (held.seq, held.hash) == (head.seq, head.hash)


def test_a_rolled_back_transaction_leaves_the_anchor_file_alone(ctx: ServiceContext) -> None:
    before = ctx.folder.audit_anchor.read_bytes()
    with pytest.raises(RuntimeError), ctx.unit_of_work() as uow:
        uow.audit.record("admin", "print", "report:x")
        raise RuntimeError("the operation failed")
    assert ctx.folder.audit_anchor.read_bytes() == before


def test_cutting_the_last_batches_is_caught_by_the_anchor_file(ctx: ServiceContext) -> None:
    _record(ctx, 3)
    seq, _ = _head(ctx)
    cut_log(ctx.folder.database, seq - 2)
    with ctx.unit_of_work() as uow:
        assert uow.audit.verify() == []  # the database alone cannot tell
    problems = _verify(ctx)
    assert len(problems) == 1
    assert f"holds the log up to entry {seq}, but the log ends at entry {seq - 2}" in problems[0]
    # Later work does not move the anchor over the gap: the evidence stays.
    _record(ctx, 5)
    held = AnchorFile(ctx.folder.audit_anchor).read()
    assert held is not None and held.seq == seq
    assert any("differs from the anchor file" in p for p in _verify(ctx))


def test_an_edited_anchor_file_is_not_signed_by_the_site_key(ctx: ServiceContext) -> None:
    data = json.loads(ctx.folder.audit_anchor.read_text())
    data["seq"] -= 1
    ctx.folder.audit_anchor.write_text(json.dumps(data))
    assert any("is not signed by this site's key" in p for p in _verify(ctx))
    ctx.folder.audit_anchor.write_text("{not json")
    assert any("cannot be read (not JSON)" in p for p in _verify(ctx))
    # The next change replaces what is no anchor of this key, and says so in the log, sealed.
    _record(ctx, 1)
    assert _verify(ctx) == []
    with ctx.unit_of_work() as uow:
        note = uow.session.execute(
            select(AuditEntry.details).where(AuditEntry.action == ANCHOR_REPLACED)
        ).scalar_one()
    assert json.loads(note)["found"] == "unreadable (not JSON)"


def test_a_missing_anchor_file_is_reported_then_recreated_on_record(
    ctx: ServiceContext,
) -> None:
    ctx.folder.audit_anchor.unlink()
    problems = _verify(ctx)
    assert len(problems) == 1 and "is missing although the log is sealed" in problems[0]
    _record(ctx, 1)
    assert ctx.folder.audit_anchor.exists() and _verify(ctx) == []
    with ctx.unit_of_work() as uow:
        actions = uow.session.execute(
            select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(2)
        ).scalars().all()
    assert actions == ["print", ANCHOR_REPLACED]


# -- peers -------------------------------------------------------------------------------------


def _log_package(ctx: ServiceContext, direction: str, site_id: str, sequence: int,
                 audit_seq: int, audit_hash: str) -> None:
    with ctx.unit_of_work() as uow:
        uow.session.add(PackageLog(
            package_id=str(uuid.uuid4()), direction=direction, site_id=site_id,
            peer_site_id="", sequence=sequence, created_at="2026-12-01T10:00:00Z",
            logged_at="2026-12-01T10:00:00Z", logged_by="admin", audit_seq=audit_seq,
            audit_hash=audit_hash))


def test_witness_for_gives_the_highest_head_received_from_the_peer(ctx: ServiceContext) -> None:
    with ctx.unit_of_work() as uow:
        assert witness_for(uow.session, PEER) is None
    _log_package(ctx, "received", PEER, 2, 40, "b" * 64)
    _log_package(ctx, "received", PEER, 1, 25, "a" * 64)  # imported after, older
    _log_package(ctx, "sent", ctx.site_id, 1, 9, "c" * 64)
    with ctx.unit_of_work() as uow:
        assert witness_for(uow.session, PEER) == {"seq": 40, "hash": "b" * 64}


def test_record_witness_keeps_the_head_and_says_when_the_log_does_not_fit(
    ctx: ServiceContext,
) -> None:
    seq, digest = _head(ctx)
    with ctx.unit_of_work() as uow:
        assert record_witness(uow.session, PEER, {"seq": seq, "hash": digest}, "2026-12-01") is None
        assert record_witness(uow.session, PEER, {"seq": seq, "hash": digest}, "2026-12-02") is None
        assert record_witness(uow.session, PEER, None, "2026-12-02") is None
        bad = record_witness(uow.session, PEER, {"seq": "1", "hash": digest}, "2026-12-02")
        assert bad is not None and "cannot be read" in bad
    with ctx.unit_of_work() as uow:
        assert uow.session.execute(select(func.count()).select_from(AuditAnchor)).scalar_one() == 1
    assert _verify(ctx) == []
    with ctx.unit_of_work() as uow:
        longer = record_witness(uow.session, PEER, {"seq": seq + 5, "hash": "d" * 64}, "2026-12-03")
        other = record_witness(uow.session, PEER, {"seq": seq, "hash": "e" * 64}, "2026-12-03")
    assert longer is not None and f"up to entry {seq + 5}" in longer
    assert other is not None and f"entry {seq} differs" in other
    problems = _verify(ctx)  # kept: verify shows them from now on
    assert any(f"up to entry {seq + 5}" in p for p in problems)
    assert any(f"entry {seq} differs from the one site" in p for p in problems)


def test_check_peer_head_sees_a_cut_or_rewritten_peer_log(ctx: ServiceContext) -> None:
    _log_package(ctx, "received", PEER, 1, 30, "a" * 64)
    _log_package(ctx, "received", PEER, 3, 50, "b" * 64)
    with ctx.unit_of_work() as uow:
        s = uow.session
        assert check_peer_head(s, PEER, 60, "c" * 64) is None
        assert check_peer_head(s, PEER, 60, "c" * 64, sequence=4) is None
        assert check_peer_head(s, PEER, 40, "c" * 64, sequence=2) is None  # out of order
        cut = check_peer_head(s, PEER, 45, "c" * 64)
        assert cut is not None and "up to entry 45" in cut and "up to entry 50" in cut
        cut = check_peer_head(s, PEER, 20, "c" * 64, sequence=2)
        assert cut is not None and "Package 2" in cut and "package 1" in cut
        cut = check_peer_head(s, PEER, 55, "c" * 64, sequence=2)  # package 3 was behind it
        assert cut is not None and "Package 3" in cut and "package 2" in cut
        rewritten = check_peer_head(s, PEER, 30, "f" * 64, sequence=2)
        assert rewritten is not None and "rewritten" in rewritten
        assert check_peer_head(s, "another-site", 1, "a" * 64) is None


def test_findings_translate(ctx: ServiceContext) -> None:
    finding = Finding(audit_module.TAIL_UNSEALED, first=3, last=4)
    assert str(finding) == "audit log: entries 3 to 4 are not sealed by this site's key."
    assert finding.message(lambda ctx_, text: text.replace("entries", "entrées")).startswith(
        "audit log: entrées 3 to 4"
    )


def test_people_of_every_role_write_sealed_entries(ctx: ServiceContext, actors) -> None:
    assert {a.role for a in actors.values()} == set(Role)
    assert _verify(ctx) == []


def test_an_anchor_of_another_key_is_replaced_on_record(ctx: ServiceContext) -> None:
    """E.g. a folder set up again: the old site's anchor file would otherwise stay for ever."""
    from desktop_app.domain.keys import generate_private_key, sign
    from desktop_app.storage.audit import SealedHead, seal_message

    other = generate_private_key()
    signature = sign(other, seal_message(99, "a" * 64)).hex()
    foreign = SealedHead(seq=99, hash="a" * 64, signature=signature)
    AnchorFile(ctx.folder.audit_anchor).write(foreign)
    assert any("is not signed by this site's key" in p for p in _verify(ctx))
    _record(ctx, 1)
    assert _verify(ctx) == []
    held = AnchorFile(ctx.folder.audit_anchor).read()
    assert held is not None and (held.seq, held.hash) == _head(ctx)
