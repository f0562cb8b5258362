"""SyncService, SiteKeyService and ConflictService as people use them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import Cancelled, NotOwner, PermissionDenied, ValidationError
from desktop_app.domain.people import Role
from desktop_app.services.conflicts import ConflictService
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.core import AuditEntry
from desktop_app.sync.errors import RetiredSigner
from desktop_app.sync.package import read_package
from tests.conftest import PASSWORD
from tests.sync.sites import as_record, file_hash

NASTY = {
    "sql": "'); DROP TABLE revisions; --",
    "html": "<script>alert('x')</script><b>bold</b><img src=x onerror=alert(1)>",
    "formula": "=HYPERLINK(\"http://evil.example\",\"click\")",
    "dde": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "unicode": "Bracket \u202eRH\u202c — 支架 — دعامة",
}


def _audit_actions(site) -> list[str]:
    with site.ctx.unit_of_work() as uow:
        return list(uow.session.execute(select(AuditEntry.action)).scalars())


def test_sql_html_and_formulas_are_stored_verbatim(pair, outbox):
    a, b = pair
    record = a.create(dict(NASTY))
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    with b.ctx.unit_of_work() as uow:
        assert uow.records.require(record).fields == as_record(dict(NASTY))[1]
    assert ConflictService(b.ctx).list_conflicts() == []


def test_preview_changes_nothing_and_counts_per_type(pair, outbox):
    a, b = pair
    a.create({"title": "one"})
    a.create({"title": "two"})
    package = a.export(outbox, to="BBB")
    before = file_hash(b.ctx)
    preview = b.sync.preview_import(b.engineer, package)
    assert file_hash(b.ctx) == before
    counts = {t.record_type: (t.new, t.known, t.conflicting) for t in preview.by_type}
    assert counts["supplier"] == (2, 0, 0)
    assert preview.sender_code == "AAA" and preview.sequence == 1
    b.sync.import_package(b.engineer, package)
    again = b.sync.preview_import(b.engineer, package)
    assert again.already_imported


def test_an_older_package_is_reported_and_harmless(pair, outbox):
    a, b = pair
    a.create({"title": "first"})
    first = a.export(outbox, to="BBB", full=True)
    a.create({"title": "second"})
    second = a.export(outbox, to="BBB", full=True)
    b.sync.import_package(b.engineer, second)
    state = b.state()
    late = b.sync.import_package(b.engineer, first)
    assert late.preview.older and late.preview.new == 0 and late.applied
    assert b.state() == state


def test_conflicting_revisions_are_counted_in_the_preview(pair, outbox):
    a, b = pair
    record = a.create({"title": "bracket"})
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    a.update(record, {"title": "bracket LH"})
    b.propose(record, {"title": "bracket RH"})
    preview = b.sync.preview_import(b.engineer, a.export(outbox, to="BBB"))
    assert {t.record_type: t.conflicting for t in preview.by_type}["supplier"] == 1


def test_enrolment_checks_the_fingerprint(pair, outbox, tmp_path):
    a, b = pair
    key_file = outbox / "a.key"
    written = a.keys.write_key_file(key_file)
    assert "PRIVATE" not in key_file.read_text()
    with pytest.raises(ValidationError, match="does not match"):
        b.keys.enrol(b.admin, key_file, "0000 " * 10)
    with pytest.raises(ValidationError, match="already enrolled"):
        b.keys.enrol(b.admin, key_file, written.fingerprint.lower().replace(" ", ""))
    own = outbox / "b.key"
    own_fp = b.keys.write_key_file(own).fingerprint
    with pytest.raises(ValidationError, match="own key"):
        b.keys.enrol(b.admin, own, own_fp)
    with pytest.raises(PermissionDenied):
        b.keys.enrol(b.engineer, key_file, written.fingerprint)
    assert "site.enrolled" in _audit_actions(b)


def test_a_retired_site_old_packages_stay_verifiable_but_new_ones_are_refused(pair, outbox):
    a, b = pair
    a.create({"title": "before retirement"})
    old = a.export(outbox, to="BBB")
    b.sync.import_package(b.engineer, old)
    b.keys.retire(b.admin, "AAA")
    assert "site.retired" in _audit_actions(b)
    shown = read_package(old, b.keys.lookup, allow_retired=True)
    assert shown.signer.retired and shown.signer.site_code == "AAA"
    check = b.sync.check_package(old)  # what a person runs: `partdesk sites check FILE`
    assert (check.sender_code, check.sequence, check.signer_retired) == ("AAA", 1, True)
    assert check.revisions >= 1
    with pytest.raises(RetiredSigner):
        b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    (status,) = b.sync.site_status()
    assert status.retired and status.last_received_sequence == 1


def test_site_status_after_an_exchange(pair, outbox):
    a, b = pair
    a.create({"title": "x"})
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    a.sync.import_package(a.engineer, b.export(outbox, to="AAA"))
    (seen_by_a,) = a.sync.site_status()
    assert (seen_by_a.code, seen_by_a.last_sent_sequence, seen_by_a.last_received_sequence) \
        == ("BBB", 1, 1)
    assert seen_by_a.acked_up_to == seen_by_a.sent_up_to > 0
    assert seen_by_a.pending_revisions == 0
    a.create({"title": "y"})
    assert a.sync.site_status()[0].pending_revisions == 1
    assert {"export", "import"} <= set(_audit_actions(a))


def test_an_incremental_export_sends_only_what_is_new(pair, outbox):
    a, b = pair
    a.create({"title": "x"})
    first = a.sync.export_package(a.engineer, outbox / "1.partdesk", to_site="BBB")
    a.create({"title": "y"})
    second = a.sync.export_package(a.engineer, outbox / "2.partdesk", to_site="BBB")
    assert second.revisions == 1 and second.sequence == first.sequence + 1
    full = a.sync.export_package(a.engineer, outbox / "3.partdesk", to_site="BBB", full=True)
    assert full.revisions > first.revisions


def test_a_cancelled_export_leaves_no_file(pair, outbox):
    a, _ = pair
    for i in range(1200):
        a.create({"title": str(i)})
    out = outbox / "cancelled.partdesk"
    with pytest.raises(Cancelled):
        a.sync.export_package(a.engineer, out, cancelled=lambda: True)
    assert list(outbox.iterdir()) == []


def test_merging_needs_the_role_and_a_reason(pair, outbox):
    a, b = pair
    record = a.create({"title": "x"})
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    a.update(record, {"title": "A"})
    b.propose(record, {"title": "B"})
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    a.sync.import_package(a.engineer, b.export(outbox, to="AAA"))
    heads = ConflictService(a.ctx).compare(record).summary.heads
    with pytest.raises(NotOwner):  # only the owner settles its record
        ConflictService(b.ctx).merge(b.engineer, record, heads[0].rev_id, "mine")
    people = PeopleService(a.ctx)
    people.add_person(a.admin, "insp", "Inspector", Role.INSPECTOR, PASSWORD)
    inspector = people.sign_in("insp", PASSWORD)
    with pytest.raises(PermissionDenied):
        ConflictService(a.ctx).merge(inspector, record, heads[0].rev_id, "mine")
    with pytest.raises(ValidationError):
        ConflictService(a.ctx).merge(a.engineer, record, heads[0].rev_id, "  ")
    with pytest.raises(ValidationError):
        ConflictService(a.ctx).merge(a.engineer, record, "f" * 12, "ok")
    proposal = next(h.rev_id for h in heads if h.site_code == "BBB")
    ConflictService(a.ctx).merge(a.engineer, record, proposal[:10], "B is right")
    assert a.conflicts() == set()
    b.sync.import_package(b.engineer, a.export(outbox, to="BBB"))
    assert b.conflicts() == set()
