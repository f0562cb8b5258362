"""A sync package imported block by block into a site on PostgreSQL: checked through a reading
snapshot (no write lock held), applied in one transaction, the same records as on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.people import Role, SiteKind
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.sync import errors as err
from desktop_app.sync.limits import Limits
from tests.conftest import PASSWORD
from tests.sync.sites import SiteUnderTest, enrol, make_site


def test_a_package_imports_in_blocks_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    sender = make_site(tmp_path / "sites", "AAA")
    ctx = open_context(DataFolder(tmp_path / "server-pc"), database_url=pg_url)
    try:
        SiteService(ctx).initialise("PG", "Server plant", SiteKind.PLANT, "admin", "Ada", PASSWORD)
        people = PeopleService(ctx)
        admin = people.sign_in("admin", PASSWORD)
        people.add_person(admin, "eng", "Eng Person", Role.ENGINEER, PASSWORD)
        server = SiteUnderTest("PG", ctx, admin, people.sign_in("eng", PASSWORD))
        enrol(server, sender, tmp_path)
        ids = [sender.create({"title": f"supplier {i}"}) for i in range(30)]
        for record_id in ids[:10]:
            sender.update(record_id, {"title": "renamed"})
        package = sender.export(tmp_path, full=True)

        summary = SyncService(ctx, Limits(block_revisions=7)).import_package(server.engineer,
                                                                            package)
        assert summary.applied and summary.preview.new >= 40
        records = server.records()
        assert {k: v for k, v in sender.records().items() if k in ids} == {
            k: v for k, v in records.items() if k in ids}
        assert IntegrityService(ctx).verify() == []
        again = SyncService(ctx).import_package(server.engineer, package)
        assert again.preview.already_imported

        sender.create({"title": "one more"})
        tampered = sender.export(tmp_path, full=True)
        data = bytearray(tampered.read_bytes())
        data[data.find(b"revisions.ndjson") + 200] ^= 0x01  # inside the compressed revisions
        tampered.write_bytes(bytes(data))
        with pytest.raises(err.PackageRejected):
            server.sync.import_package(server.engineer, tampered)
        assert server.records() == records
    finally:
        ctx.close()
        sender.ctx.close()
