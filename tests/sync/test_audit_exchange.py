"""Audit heads travel in packages both ways: each site checks the heads a peer advertises against
the ones it advertised before, and keeps what the peer holds of its own log as an anchor that
`verify` compares. Both only warn: the package is imported all the same."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from desktop_app.services.integrity import IntegrityService
from tests.storage.audit_tampering import cut_log
from tests.sync.sites import SiteUnderTest, make_sites


def _head(site: SiteUnderTest) -> int:
    with site.ctx.unit_of_work() as uow:
        return uow.audit.head().seq


def _exchange(a: SiteUnderTest, b: SiteUnderTest, tmp: Path) -> None:
    for sender, receiver in ((a, b), (b, a)):
        summary = receiver.sync.import_package(receiver.engineer,
                                               sender.export(tmp, to=receiver.code))
        assert summary.warnings == ()


def test_a_sound_exchange_witnesses_both_logs_and_verifies(tmp_path):
    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    a.create({"title": "bracket"})
    _exchange(a, b, tmp_path)
    with a.ctx.unit_of_work() as uow:
        sent = uow.audit.head()  # the head AAA's last package to BBB advertised, at most
    with zipfile.ZipFile(b.export(tmp_path, to="AAA")) as z:
        witness = json.loads(z.read("manifest.json"))["audit_witness"]
    assert 0 < witness["seq"] <= sent.seq and len(witness["hash"]) == 64
    _exchange(a, b, tmp_path)
    assert IntegrityService(a.ctx).verify() == []
    assert IntegrityService(b.ctx).verify() == []
    for s in (a, b):
        s.ctx.close()


def test_a_peer_that_holds_more_of_the_log_reveals_a_cut(tmp_path):
    """AAA's log is cut after BBB saw its head: BBB's next package says so, and verify stays
    red at AAA from then on."""
    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    for i in range(5):
        a.create({"title": f"bracket {i}"})
    _exchange(a, b, tmp_path)  # BBB now holds AAA's head
    witnessed = _head(a)
    a.ctx.db.dispose()
    cut_log(a.ctx.folder.database, witnessed - 6)
    summary = a.sync.import_package(a.engineer, b.export(tmp_path, to="AAA"))
    assert summary.applied
    assert any("site BBB holds this log up to entry" in w for w in summary.warnings)
    problems = IntegrityService(a.ctx).verify()
    # The log has grown again since: entry 12 is not the one BBB holds.
    assert any("site BBB holds" in p for p in problems)
    for s in (a, b):
        s.ctx.close()


def test_a_peer_whose_log_shrank_between_packages_is_reported(tmp_path):
    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    for i in range(5):
        a.create({"title": f"bracket {i}"})
    b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB"))
    seq = _head(a)
    a.ctx.db.dispose()
    cut_log(a.ctx.folder.database, seq - 8)
    summary = b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB", full=True))
    assert summary.applied
    assert any("of site AAA shows its audit log up to entry" in w and "its log was cut" in w
               for w in summary.warnings)
    for s in (a, b):
        s.ctx.close()
