"""The demo data folder exported whole and imported into a freshly initialised site: the same
records (every type, generically), the same query-table rows and the same file bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.demo import build_demo
from desktop_app.demo.people import DEMO_PASSWORDS
from desktop_app.demo.sync import MSR_SCOPE_AT_JTR
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_keys import KEY_FORMAT
from desktop_app.storage.models.core import RecordHead, RecordRow
from desktop_app.storage.models.sync import PeerKey
from desktop_app.storage.projections import projection_for, registered_types
from tests.sync.sites import SiteUnderTest, enrol, make_site

pytestmark = pytest.mark.slow


def _records(ctx: ServiceContext) -> dict[str, tuple]:
    with ctx.unit_of_work() as uow:
        heads: dict[str, set[str]] = {}
        for rec, rev in uow.session.execute(select(RecordHead.record_id, RecordHead.rev_id)):
            heads.setdefault(rec, set()).add(rev)
        return {r.record_id: (r.record_type, r.current_rev_id, r.head_count, r.deleted,
                              frozenset(heads[r.record_id]))
                for r in uow.session.execute(select(RecordRow)).scalars()}


def _rows(ctx: ServiceContext, ids: set[str]) -> dict[str, list[tuple]]:
    tables: dict[str, list[tuple]] = {}
    with ctx.unit_of_work() as uow:
        for record_type in registered_types():
            table = getattr(projection_for(record_type), "table", None)
            if table is None or "id" not in table.c:
                continue
            rows = uow.session.execute(select(table).where(table.c.id.in_(ids))).all()
            tables[table.name] = sorted(tuple(r) for r in rows)
    return tables


def _enrol_relayed_keys(fresh: SiteUnderTest, demo_ctx: ServiceContext, tmp: Path) -> None:
    """Each key the demo site enrolled, as the key file its site would e-mail to the fresh one."""
    with demo_ctx.unit_of_work() as uow:
        peers = list(uow.session.execute(select(PeerKey)).scalars())
    for row in peers:
        key_file = tmp / f"{row.code}.partdesk-key"
        key_file.write_text(json.dumps({
            "format": KEY_FORMAT, "version": 1, "site_id": row.site_id, "code": row.code,
            "name": row.name, "kind": row.kind, "public_key": row.public_key,
            "fingerprint": row.fingerprint}), encoding="utf-8")
        fresh.keys.enrol(fresh.admin, key_file, row.fingerprint)


def test_demo_round_trip_into_a_fresh_site(tmp_path: Path):
    demo_folder = DataFolder(tmp_path / "demo")
    demo_folder.root.mkdir()
    demo_ctx = open_context(demo_folder)
    fresh = make_site(tmp_path / "fresh", "NEW")
    try:
        build_demo(demo_ctx, password=None)
        people = PeopleService(demo_ctx)
        admin = people.sign_in("admin", DEMO_PASSWORDS["admin"])
        demo_site = SiteUnderTest("MSR", demo_ctx, admin, admin)
        # The fresh site trusts MSR with everything MSR writes, and enrols Jetour's key too
        # (the demo package relays Jetour's own work, signed by Jetour).
        enrol(fresh, demo_site, tmp_path, scope=MSR_SCOPE_AT_JTR)
        _enrol_relayed_keys(fresh, demo_ctx, tmp_path)
        package = tmp_path / "demo-full.partdesk"
        SyncService(demo_ctx).export_package(admin, package, full=True)
        summary = fresh.sync.import_package(fresh.engineer, package)
        assert summary.applied and summary.conflicted_records == ()

        original, copied = _records(demo_ctx), _records(fresh.ctx)
        assert original and {k: copied[k] for k in original} == original
        assert len({v[0] for v in original.values()}) >= 3  # several record types travelled
        assert _rows(fresh.ctx, set(original)) == _rows(demo_ctx, set(original))
        blobs = set(demo_ctx.blobs.all_hashes())
        assert blobs <= set(fresh.ctx.blobs.all_hashes())
        for sha in blobs:
            with demo_ctx.blobs.open(sha) as a, fresh.ctx.blobs.open(sha) as b:
                assert a.read() == b.read()
            assert fresh.ctx.blobs.verify(sha) is None
    finally:
        demo_ctx.close()
        fresh.ctx.close()
