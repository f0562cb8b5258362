"""An import holds one block of revisions at a time: it checks the whole package block by block
(nothing written), then applies the same blocks in one transaction. A package refused in its last
block changes nothing; checks that span the package (a record created twice, a person or an owner
named before the package defines them) still hold across blocks; a block that changed between
its check and its application is refused and rolled back; blocks of any size give the same state;
and packages written before blocks existed import."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from desktop_app.domain.errors import Cancelled
from desktop_app.domain.revisions import Revision, canonical_json
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.people import PeopleService
from desktop_app.services.sync import SyncService
from desktop_app.storage.models.core import RecordRow, RevisionRow
from desktop_app.storage.models.parts import Part
from desktop_app.storage.models.sync import PackageLog
from desktop_app.storage.revisions import BlockApply
from desktop_app.sync import errors as err
from desktop_app.sync.limits import REVISIONS, Limits
from desktop_app.sync.members import MemberReader
from desktop_app.sync.package import PackageFile
from tests.conftest import PASSWORD
from tests.sync.crafting import origin_batch, refused, revision_lines, signed_package
from tests.sync.sites import SiteUnderTest, enrol, make_site

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sync"
NOW = "2026-11-26T08:00:00.000000Z"


def _rid(n: int) -> str:
    return f"01900000-0000-7000-8000-{n:012x}"


def _part(site: SiteUnderTest, n: int) -> Revision:
    return Revision.create(
        record_type="part", record_id=_rid(n), parents=(), site_id=site.ctx.site_id,
        lamport=10 + n, author=site.engineer.user_id, created_at=NOW, reason="generated",
        fields={"part_number": f"GEN-{n:06d}", "revision": "A",
                "designation": f"Bracket, front suspension, variant {n}",
                "family": "body_stamping", "supplier_id": "", "vehicle_model_ids": [],
                "material": "S355MC", "mass_kg": "1.250", "annual_volume": 12000,
                "drawing_ref": f"DRW-{n:06d}", "status": "in_development"})


def _supplier(site: SiteUnderTest, n: int, name: str = "", parents: tuple[str, ...] = (),
              author: str = "", lamport: int = 0) -> Revision:
    return Revision.create(
        record_type="supplier", record_id=_rid(n), parents=parents, site_id=site.ctx.site_id,
        lamport=lamport or 10 + n, author=author or site.engineer.user_id, created_at=NOW,
        reason="generated", fields={"name": name or f"Supplier {n}"})


def _fields_of(site: SiteUnderTest, record_id: str) -> dict[str, Any]:
    with site.ctx.unit_of_work() as uow:
        return dict(uow.records.require(record_id).fields)


def _stored(site: SiteUnderTest, rev_ids: set[str]) -> int:
    with site.ctx.unit_of_work() as uow:
        return sum(uow.session.execute(select(func.count()).select_from(RevisionRow).where(
            RevisionRow.rev_id.in_(chunk))).scalar_one()
            for chunk in (sorted(rev_ids)[i:i + 500] for i in range(0, len(rev_ids), 500)))


def _rev_ids(lines: list[bytes]) -> set[str]:
    return {json.loads(line)["rev_id"] for line in lines}


# -- bounded memory --------------------------------------------------------------------------


def _live_revisions() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Revision)


@pytest.mark.slow
def test_fifty_thousand_parts_import_holding_one_block_at_a_time(pair, outbox, monkeypatch):
    a, b = pair
    lines = [canonical_json(_part(a, n).to_dict()).encode() for n in range(50_000)]
    package = signed_package(a, outbox / "parts.partdesk", lines, to_site_id=b.ctx.site_id)
    del lines
    size = Limits().block_revisions
    held: list[int] = []

    def counted(method: Any) -> Any:
        def wrapper(self: PackageFile) -> Iterator[list[Revision]]:
            for block in method(self):
                held.append(_live_revisions())  # the block just read, nothing else
                yield block
        return wrapper

    apply = BlockApply.apply

    def applied(self: BlockApply, block: list[Revision]) -> Any:
        result = apply(self, block)
        held.append(_live_revisions())  # the block applied, with its records' states
        return result

    monkeypatch.setattr(PackageFile, "blocks", counted(PackageFile.blocks))
    monkeypatch.setattr(PackageFile, "again", counted(PackageFile.again))
    monkeypatch.setattr(BlockApply, "apply", applied)
    gc.collect()
    before = _live_revisions()
    summary = b.sync.import_package(b.engineer, package)

    assert summary.applied and summary.preview.new == 50_000
    assert len(held) == 3 * 25  # 25 blocks checked, read again and applied
    assert max(held) - before <= size
    with b.ctx.unit_of_work() as uow:
        assert uow.session.execute(select(func.count()).select_from(Part)).scalar_one() == 50_000
        found = uow.session.execute(text(
            "SELECT count(*) FROM fts_parts WHERE fts_parts MATCH '\"gen049999\"*'")).scalar_one()
        assert found == 1
    assert IntegrityService(b.ctx).verify() == []


# -- all or nothing ---------------------------------------------------------------------------


SMALL = Limits(block_revisions=40)


def _small(site: SiteUnderTest) -> SyncService:
    return SyncService(site.ctx, SMALL)


def test_a_forbidden_revision_in_the_last_block_changes_nothing(pair, outbox):
    a, b = pair
    valid = [_supplier(a, n) for n in range(1, 161)]  # four full blocks
    eng = b.engineer.user_id
    with b.ctx.unit_of_work() as uow:
        heads = uow.records.require(eng).heads
    bad = Revision.create(record_type="user", record_id=eng, parents=heads,
                          site_id=a.ctx.site_id, lamport=900, author=a.engineer.user_id,
                          fields={**_fields_of(b, eng), "role": "administrator"},
                          created_at=NOW, reason="hostile")
    package = signed_package(a, outbox / "last.partdesk", revision_lines(valid + [bad]),
                             to_site_id=b.ctx.site_id)
    refused(b, package, err.LocalAuthority, service=_small(b))
    assert IntegrityService(b.ctx).verify() == []


def test_a_record_created_again_blocks_later_is_refused(pair, outbox):
    a, b = pair
    first = _supplier(a, 7, "Aciers du Centre")
    again = _supplier(a, 7, "Aciers du Nord")  # a second root of the same record
    lines = revision_lines([first] + [_supplier(a, n) for n in range(100, 190)] + [again])
    package = signed_package(a, outbox / "twice.partdesk", lines, to_site_id=b.ctx.site_id)
    refused(b, package, err.RecordCreatedTwice, service=_small(b))


@pytest.fixture
def three(tmp_path: Path) -> Iterator[tuple[SiteUnderTest, SiteUnderTest, SiteUnderTest]]:
    """HOM receives; PER sends; THR is a third site both enrolled (PER relays its work)."""
    root = tmp_path / "sites"
    sites = [make_site(root, code) for code in ("HOM", "PER", "THR")]
    for x in sites:
        for y in sites:
            if x is not y:
                enrol(x, y, tmp_path)
    yield sites[0], sites[1], sites[2]
    for s in sites:
        s.ctx.close()


def _user(third: SiteUnderTest, person_id: str, parents: tuple[str, ...] = (),
          site_id: str = "", lamport: int = 50) -> Revision:
    fields = {**_fields_of(third, third.engineer.user_id), "username": "li.wei",
              "display_name": "Li Wei", "site_id": site_id or third.ctx.site_id}
    return Revision.create(record_type="user", record_id=person_id, parents=parents,
                           site_id=site_id or third.ctx.site_id, lamport=lamport,
                           author=third.engineer.user_id, fields=fields, created_at=NOW,
                           reason="joined")


def test_an_author_defined_blocks_later_as_another_sites_person_is_refused(three, tmp_path):
    home, peer, third = three
    person = _rid(0xBEEF)
    # PER signs a supplier in the name of a person that THR's user record (relayed by PER,
    # signed by THR, three blocks later) places at THR.
    forged = _supplier(peer, 1, author=person)
    filler = [_supplier(peer, n) for n in range(100, 190)]
    user = _user(third, person)
    own = [forged, *filler]
    lines = revision_lines(own + [user])
    batches = [origin_batch(peer, [r.rev_id for r in own]),
               origin_batch(third, [user.rev_id])]
    package = signed_package(peer, tmp_path / "author.partdesk", lines, batches=batches,
                             to_site_id=home.ctx.site_id)
    refused(home, package, err.ForeignAuthor, service=_small(home))


def test_an_edit_of_a_person_whose_record_comes_blocks_later_is_refused(three, tmp_path):
    home, peer, third = three
    person = _rid(0xCAFE)
    root = _user(third, person)  # THR's person, created at THR
    edit = Revision.create(record_type="user", record_id=person, parents=(root.rev_id,),
                           site_id=peer.ctx.site_id, lamport=60, author=peer.engineer.user_id,
                           fields={**root.fields, "site_id": peer.ctx.site_id},
                           created_at=NOW, reason="taken over")
    filler = [_supplier(peer, n) for n in range(100, 190)]
    own = [edit, *filler]
    lines = revision_lines(own + [root])  # the edit first, the person's root last
    batches = [origin_batch(peer, [r.rev_id for r in own]),
               origin_batch(third, [root.rev_id])]
    package = signed_package(peer, tmp_path / "owner.partdesk", lines, batches=batches,
                             to_site_id=home.ctx.site_id)
    refused(home, package, err.LocalAuthority, service=_small(home))


def test_a_block_changed_after_its_check_is_refused_and_rolled_back(pair, outbox, monkeypatch):
    a, b = pair
    valid = [_supplier(a, n) for n in range(1, 161)]
    lines = revision_lines(valid)
    package = signed_package(a, outbox / "changed.partdesk", lines, to_site_id=b.ctx.site_id)
    reads = []
    original = MemberReader.lines

    def second_read_differs(self: MemberReader, info: Any, entry: Any, member: str,
                            silent: bool = False) -> Iterator[tuple[int, bytes]]:
        if member == REVISIONS:
            reads.append(member)
        for line_no, line in original(self, info, entry, member, silent):
            if member == REVISIONS and len(reads) == 2 and line_no == 60:  # in block 2 of 4
                line = line.replace(b"Supplier 60", b"Supplier 6O")
            yield line_no, line

    monkeypatch.setattr(MemberReader, "lines", second_read_differs)
    with pytest.raises(err.HashMismatch):
        _small(b).import_package(b.engineer, package)
    assert len(reads) == 2  # block 1 was applied before block 2 was found changed
    assert _stored(b, _rev_ids(lines)) == 0  # and rolled back with it
    with b.ctx.unit_of_work() as uow:
        assert uow.session.execute(select(PackageLog)).first() is None
    assert len(list(b.ctx.folder.quarantine.glob("*.reason.json"))) == 1
    assert not list(b.ctx.folder.staging.glob("*"))
    assert IntegrityService(b.ctx).verify() == []


def test_cancelled_while_applying_changes_nothing(pair, outbox):
    a, b = pair
    lines = revision_lines([_supplier(a, n) for n in range(1, 161)])
    package = signed_package(a, outbox / "cancel.partdesk", lines, to_site_id=b.ctx.site_id)
    applied: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if message == "revisions" and done:
            applied.append(done)

    with pytest.raises(Cancelled):
        _small(b).import_package(b.engineer, package, progress=progress,
                                 cancelled=lambda: len(applied) >= 2)
    assert applied == [40, 80]  # two blocks were applied, then rolled back
    assert _stored(b, _rev_ids(lines)) == 0
    assert not list(b.ctx.folder.staging.glob("*"))
    summary = _small(b).import_package(b.engineer, package)  # and it imports afterwards
    assert summary.applied and summary.preview.new == 160


# -- blocks of any size give the same state ---------------------------------------------------


def _copy(site: SiteUnderTest, root: Path) -> SiteUnderTest:
    site.ctx.db.dispose()
    shutil.copytree(site.ctx.folder.root, root)
    ctx = open_context(DataFolder(root))
    people = PeopleService(ctx)
    return SiteUnderTest(site.code, ctx, people.sign_in("admin", PASSWORD),
                         people.sign_in("eng", PASSWORD))


def _projected(site: SiteUnderTest) -> list[tuple]:
    with site.ctx.unit_of_work() as uow:
        return sorted(tuple(r) for r in uow.session.execute(text(
            "SELECT * FROM suppliers")))


def test_blocks_of_one_and_one_block_give_the_same_state_and_preview(pair, outbox, tmp_path):
    a, b = pair
    ids = [a.create({"title": f"supplier {i}"}) for i in range(6)]
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    b.propose(ids[0], {"title": "changed at BBB"})  # competes with A's next edit
    for round_ in range(3):
        for record_id in ids[:4]:
            a.update(record_id, {"title": f"edit {round_}"})
    with a.ctx.unit_of_work() as uow:
        uow.records.tombstone(ids[5], a.engineer, "closed")
    package = a.export(outbox, to="BBB")

    one = _copy(b, tmp_path / "one")
    whole = _copy(b, tmp_path / "whole")
    try:
        tiny, big = SyncService(one.ctx, Limits(block_revisions=1)), SyncService(
            whole.ctx, Limits(block_revisions=100_000))
        assert tiny.preview_import(one.engineer, package) == big.preview_import(
            whole.engineer, package)
        first = tiny.import_package(one.engineer, package)
        second = big.import_package(whole.engineer, package)
        assert first.preview.conflicting == 3 and first.conflicted_records == (ids[0],)
        assert first.preview.by_type == second.preview.by_type
        assert first.conflicted_records == second.conflicted_records
        assert one.state() == whole.state() and one.records() == whole.records()
        assert _projected(one) == _projected(whole)
        for site in (one, whole):
            assert IntegrityService(site.ctx).verify() == []
            with site.ctx.unit_of_work() as uow:  # one audit entry for the whole import
                entries = uow.session.execute(text(
                    "SELECT count(*) FROM audit_log WHERE action = 'revisions' "
                    "AND details LIKE '%\"origin\":\"import\"%'")).scalar_one()
            assert entries == 2
    finally:
        one.ctx.close()
        whole.ctx.close()


# -- packages written before blocks -----------------------------------------------------------


@pytest.mark.parametrize("name", ["package-46938a4", "package-3d78de2"])
def test_a_package_written_before_blocks_imports(tmp_path, name):
    """Kept packages: one from the first writer of format 2 (a batch per local write), one
    from the writer just before blocks (the sender's revisions re-signed in large batches)."""
    site = make_site(tmp_path / "sites", "NEW")
    try:
        key = json.loads((FIXTURES / f"{name}.partdesk-key").read_text("utf-8"))
        site.keys.enrol(site.admin, FIXTURES / f"{name}.partdesk-key", key["fingerprint"])
        service = SyncService(site.ctx, Limits(block_revisions=5))
        preview = service.preview_import(site.engineer, FIXTURES / f"{name}.partdesk")
        summary = service.import_package(site.engineer, FIXTURES / f"{name}.partdesk")
        assert summary.applied and summary.preview == preview
        counts = {t.record_type: t.new for t in summary.preview.by_type}
        assert counts["part"] == 12 + 4 + 1 and counts["attachment"] == 1
        assert summary.preview.new_blobs == 1
        with site.ctx.unit_of_work() as uow:
            parts = uow.session.execute(select(Part.part_number, Part.designation)
                                        .order_by(Part.part_number)).all()
            live = uow.session.execute(select(func.count()).select_from(RecordRow).where(
                RecordRow.record_type == "part", RecordRow.deleted.is_(False))).scalar_one()
        assert len(parts) == live == 11
        assert parts[0] == ("OLD-000", "Bracket 0, revised")
        assert IntegrityService(site.ctx).verify() == []
        again = service.import_package(site.engineer, FIXTURES / f"{name}.partdesk")
        assert again.preview.already_imported and not again.applied
    finally:
        site.ctx.close()
