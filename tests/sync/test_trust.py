"""Trust between sites, attacked as an enrolled but malicious peer would: every package here is
signed by the peer's own, enrolled key. Each is refused with one sentence naming what was refused
(the database file unchanged, the package quarantined, `verify` green), or, for an edit of a
record owned here, kept as a competing version that only this site can settle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import NotOwner, ValidationError
from desktop_app.domain.people import Role, SiteKind
from desktop_app.domain.revisions import Op, Revision, normalised_json, sha256_hex
from desktop_app.domain.trust import CARMAKER_SCOPE, SUPPLIER_SCOPE
from desktop_app.services.history import HistoryService
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.core import Credential, Person, RecordRow
from desktop_app.sync import errors as err
from tests.conftest import PASSWORD
from tests.sync.crafting import (
    Member,
    origin_batch,
    read_members,
    refused,
    revision_lines,
    signed_package,
    write_zip,
)
from tests.sync.sites import SiteUnderTest, enrol, make_site


@pytest.fixture
def sites(tmp_path: Path):
    """HOM (a plant, the victim), PER (an enrolled plant, the attacker), THR (a third site both
    have enrolled)."""
    root = tmp_path / "sites"
    home, peer, third = (make_site(root, code) for code in ("HOM", "PER", "THR"))
    for a in (home, peer, third):
        for b in (home, peer, third):
            if a is not b:
                enrol(a, b, tmp_path)
    yield home, peer, third
    for s in (home, peer, third):
        s.ctx.close()


def _person_id(site: SiteUnderTest, username: str) -> str:
    with site.ctx.unit_of_work() as uow:
        return uow.session.execute(select(Person.id).where(
            Person.username == username, Person.site_id == site.ctx.site_id)).scalar_one()


def _heads(site: SiteUnderTest, record_id: str) -> tuple[str, ...]:
    with site.ctx.unit_of_work() as uow:
        return uow.records.require(record_id).heads


def _fields(site: SiteUnderTest, record_id: str) -> dict[str, Any]:
    with site.ctx.unit_of_work() as uow:
        return dict(uow.records.require(record_id).fields)


def forge(peer: SiteUnderTest, record_type: str, record_id: str, fields: dict[str, Any],
          parents: tuple[str, ...] = (), lamport: int = 10, **body: Any) -> Revision:
    """A revision written by `peer` (its own site id, its own engineer unless told)."""
    values = dict(record_type=record_type, record_id=record_id, parents=parents,
                  site_id=peer.ctx.site_id, lamport=lamport, author=peer.engineer.user_id,
                  fields=fields, reason="hostile")
    values.update(body)
    return Revision.create(**values)


def raw_line(revision: Revision, **changes: Any) -> bytes:
    """The revision with `changes` in its body (fields too), its rev_id recomputed: content
    that Revision.create would never write, but that hashes correctly."""
    body = revision.body()
    fields = dict(body["fields"])
    fields.update(changes.pop("fields", {}))
    body.update(changes, fields=fields)
    rev_id = sha256_hex(normalised_json(body))
    return json.dumps({"rev_id": rev_id, **body}, separators=(",", ":")).encode()


def send(peer: SiteUnderTest, home: SiteUnderTest, tmp: Path, lines: list[bytes],
         name: str = "hostile.partdesk", **kwargs: Any) -> Path:
    return signed_package(peer, tmp / name, lines, to_site_id=home.ctx.site_id, **kwargs)


def _verify_green(site: SiteUnderTest) -> None:
    assert IntegrityService(site.ctx).verify() == []


# -- local authority: accounts, roles and people stay local ---------------------------------


def test_a_peer_cannot_make_a_local_engineer_administrator(sites, tmp_path):
    home, peer, _ = sites
    eng = _person_id(home, "eng")
    fields = {**_fields(home, eng), "role": "administrator"}
    package = send(peer, home, tmp_path, revision_lines(
        [forge(peer, "user", eng, fields, parents=_heads(home, eng))]))
    sentence = refused(home, package, err.LocalAuthority)
    assert "PER" in sentence and "user" in sentence
    assert PeopleService(home.ctx).sign_in("eng", PASSWORD).role is Role.ENGINEER
    _verify_green(home)


def test_a_peer_cannot_disable_the_local_administrator(sites, tmp_path):
    home, peer, _ = sites
    admin = _person_id(home, "admin")
    fields = {**_fields(home, admin), "active": False}
    package = send(peer, home, tmp_path, revision_lines(
        [forge(peer, "user", admin, fields, parents=_heads(home, admin))]))
    refused(home, package, err.LocalAuthority)
    assert PeopleService(home.ctx).sign_in("admin", PASSWORD).role is Role.ADMINISTRATOR


def test_a_peer_cannot_create_an_approver_of_this_site(sites, tmp_path):
    home, peer, _ = sites
    fields = {**_fields(home, _person_id(home, "eng")), "username": "mallory",
              "display_name": "Mallory", "role": "approver"}
    package = send(peer, home, tmp_path, revision_lines(
        [forge(peer, "user", "01900000-0000-7000-8000-00000000beef", fields)]))
    refused(home, package, err.LocalAuthority)
    with home.ctx.unit_of_work() as uow:
        assert uow.session.execute(select(Person).where(Person.username == "mallory")).first() \
            is None


def test_the_peers_own_people_arrive_as_a_directory_that_cannot_sign_in(sites, tmp_path):
    home, peer, _ = sites
    home.sync.import_package(home.engineer, peer.export(tmp_path, to="HOM"))
    with home.ctx.unit_of_work() as uow:
        theirs = uow.session.execute(select(Person).where(
            Person.site_id == peer.ctx.site_id)).scalars().all()
        assert {p.username for p in theirs} == {"admin", "eng"}
        assert all(uow.session.get(Credential, p.id) is None for p in theirs)
    # "eng" signs in as the local engineer, never as PER's, whatever the password.
    assert PeopleService(home.ctx).sign_in("eng", PASSWORD).site_id == home.ctx.site_id


# -- scope: a peer authors only what its enrolment allows -----------------------------------


def test_a_decision_from_a_plant_is_out_of_its_default_scope(sites, tmp_path):
    home, peer, _ = sites
    decision = forge(peer, "decision", "01900000-0000-7000-8000-0000000000d1", {
        "submission_id": "01900000-0000-7000-8000-0000000000a1",
        "submission_rev_id": "a" * 64, "part_id": "01900000-0000-7000-8000-0000000000b1",
        "kind": "ppap", "action": "approve", "state_after": "approved",
        "decided_by": peer.engineer.user_id, "decided_at": "2026-01-01T00:00:00.000000Z",
        "valid_until": "", "quantity_limit": "", "reason": "",
        "signature_id": "01900000-0000-7000-8000-0000000000c1", "certificate_id": ""})
    sentence = refused(home, send(peer, home, tmp_path, revision_lines([decision])),
                       err.OutOfScope)
    assert "PER" in sentence and "decision" in sentence


def test_the_scope_set_at_home_decides_and_is_audited(sites, tmp_path):
    home, peer, _ = sites
    assert home.keys.scope("PER").record_types == tuple(sorted(SUPPLIER_SCOPE))
    home.keys.set_scope(home.admin, "PER", ["part"])
    assert home.keys.scope("PER").record_types == ("part",)
    peer.create({"title": "a supplier record"})
    refused(home, peer.export(tmp_path, to="HOM"), err.OutOfScope)
    with pytest.raises(Exception, match="administrator|permission|allowed"):
        home.keys.set_scope(home.engineer, "PER", sorted(CARMAKER_SCOPE))


def test_a_signature_in_the_name_of_a_local_approver_is_refused(sites, tmp_path):
    home, peer, _ = sites
    home.keys.set_scope(home.admin, "PER", sorted(SUPPLIER_SCOPE | CARMAKER_SCOPE))
    people = PeopleService(home.ctx)
    people.add_person(home.admin, "appr", "Approver Home", Role.APPROVER, PASSWORD)
    approver = _person_id(home, "appr")
    signature = forge(peer, "signature", "01900000-0000-7000-8000-0000000000e1", {
        "subject_type": "submission", "subject_id": "01900000-0000-7000-8000-0000000000a1",
        "covers_rev_id": "b" * 64, "signer_id": approver, "printed_name": "Approver Home",
        "title": "", "meaning": "approved as PPAP level 3",
        "signed_at": "2026-01-01T00:00:00.000000Z"})
    sentence = refused(home, send(peer, home, tmp_path, revision_lines([signature])),
                       err.ForeignAuthor)
    assert "PER" in sentence


# -- origin: every revision covered by a signature of the site it names ---------------------


def test_a_revision_claiming_a_third_site_without_its_signature_is_refused(sites, tmp_path):
    home, peer, third = sites
    claimed = forge(peer, "supplier", "01900000-0000-7000-8000-0000000000f1",
                    {"name": "forged"}, site_id=third.ctx.site_id,
                    author=third.engineer.user_id)
    lines = revision_lines([claimed])
    # Covered by no batch at all, then by the peer's batch that claims the third site.
    refused(home, send(peer, home, tmp_path, lines, batches=[]), err.OriginNotProven)
    for q in home.ctx.folder.quarantine.glob("*"):
        q.unlink()
    forged = origin_batch(peer, [claimed.rev_id], site_id=third.ctx.site_id)
    # The batch names the third site but carries the peer's key: no key of THR signed it.
    refused(home, send(peer, home, tmp_path, lines, name="claimed.partdesk", batches=[forged]),
            err.BatchSignerUnknown)


def test_a_relayed_batch_with_an_altered_signature_is_refused(sites, tmp_path):
    home, peer, third = sites
    third.create({"title": "third site's supplier"})
    peer.sync.import_package(peer.engineer, third.export(tmp_path, to="PER"))
    relay = peer.export(tmp_path, to="HOM")
    members = read_members(relay)
    batches = next(m for m in members if m.name == "batches.ndjson")
    lines = batches.data.splitlines()
    altered = []
    for line in lines:
        batch = json.loads(line)
        if batch["site_id"] == third.ctx.site_id:
            sig = bytearray(bytes.fromhex(batch["signature"]))
            sig[5] ^= 0x01
            batch["signature"] = sig.hex()
        altered.append(json.dumps(batch, separators=(",", ":")).encode())
    revisions = next(m for m in members if m.name == "revisions.ndjson").data.splitlines()
    sentence = refused(home, send(peer, home, tmp_path, revisions, batches=altered),
                       err.BadBatchSignature)
    assert "THR" in sentence or third.ctx.site_id[:8] in sentence


def test_a_batch_signed_by_a_retired_key_after_its_retirement_is_refused(sites, tmp_path):
    home, peer, third = sites
    third.create({"title": "before retirement"})
    peer.sync.import_package(peer.engineer, third.export(tmp_path, to="PER"))
    home.sync.import_package(home.engineer, peer.export(tmp_path, to="HOM"))
    home.keys.retire(home.admin, "THR")
    third.create({"title": "after retirement"})
    peer.sync.import_package(peer.engineer, third.export(tmp_path, to="PER"))
    refused(home, peer.export(tmp_path, to="HOM"), err.BatchSignedAfterRetirement)


def test_one_forbidden_revision_among_a_thousand_refuses_the_whole_package(sites, tmp_path):
    home, peer, _ = sites
    valid = [forge(peer, "supplier", f"01900000-0000-7000-8000-{i:012x}", {"name": f"S{i}"},
                   lamport=10 + i) for i in range(1000)]
    eng = _person_id(home, "eng")
    bad = forge(peer, "user", eng, {**_fields(home, eng), "role": "administrator"},
                parents=_heads(home, eng), lamport=5000)
    lines = revision_lines(valid[:500] + [bad] + valid[500:])
    refused(home, send(peer, home, tmp_path, lines), err.LocalAuthority)
    _verify_green(home)


# -- bounded input ----------------------------------------------------------------------------


@pytest.mark.parametrize("lamport", [2**63 - 1, 2**63, 2**53, -1])
def test_a_lamport_counter_out_of_bounds_is_refused_and_writes_go_on(sites, tmp_path, lamport):
    home, peer, _ = sites
    base = forge(peer, "supplier", "01900000-0000-7000-8000-0000000000a9", {"name": "x"})
    package = send(peer, home, tmp_path, [raw_line(base, lamport=lamport)])
    sentence = refused(home, package, err.PackageRejected)
    assert "lamport" in sentence.lower() or "revision" in sentence.lower()
    home.create({"title": "a local write still works"})


def test_a_lamport_counter_far_ahead_of_this_site_is_refused(sites, tmp_path):
    home, peer, _ = sites
    ahead = forge(peer, "supplier", "01900000-0000-7000-8000-0000000000aa", {"name": "x"},
                  lamport=2**40)
    refused(home, send(peer, home, tmp_path, revision_lines([ahead])), err.BadRecordFields)


@pytest.mark.parametrize("record_type, changes", [
    ("supplier", {"fields": {"name": "x", "notes": 2**63}}),
    ("part", {"fields": {"designations": "Traverse"}}),
    ("user", {"fields": {"role": "superuser"}}),
    ("supplier", {"created_at": "yesterday"}),
])
def test_malformed_fields_are_refused_before_any_write(sites, tmp_path, record_type, changes):
    home, peer, _ = sites
    if record_type == "user":
        base = forge(peer, "user", peer.engineer.user_id, _fields(peer, peer.engineer.user_id),
                     parents=_heads(peer, peer.engineer.user_id))
    elif record_type == "part":
        home.sync.import_package(home.engineer, peer.export(tmp_path, to="HOM"))
        base = forge(peer, "part", "01900000-0000-7000-8000-0000000000ab", {
            "part_number": "JT-1", "revision": "A", "designations": {"fr": "Traverse"},
            "family": "body_stamping", "supplier_id": "", "status": "active"})
    else:
        base = forge(peer, record_type, "01900000-0000-7000-8000-0000000000ac", {"name": "x"})
    before = list(home.ctx.folder.backups.glob("*")) if home.ctx.folder.backups.exists() else []
    refused(home, send(peer, home, tmp_path, [raw_line(base, **changes)]), err.PackageRejected)
    after = list(home.ctx.folder.backups.glob("*")) if home.ctx.folder.backups.exists() else []
    assert after == before  # refused before the backup


# -- no silent wins over local records ------------------------------------------------------


def test_a_peers_edit_of_a_local_record_is_a_competing_version_only_home_settles(sites,
                                                                                tmp_path):
    home, peer, _ = sites
    record = home.create({"title": "bracket LH"})
    peer.sync.import_package(peer.engineer, home.export(tmp_path, to="PER"))
    with pytest.raises(NotOwner):
        peer.update(record, {"title": "bracket RH"})
    peer.propose(record, {"title": "bracket RH"})  # what a careless or hostile peer sends
    summary = home.sync.import_package(home.engineer, peer.export(tmp_path, to="HOM"))
    assert summary.conflicted_records == (record,)
    assert _fields(home, record)["name"] == "bracket LH"  # the owner's version is shown
    proposal = HistoryService(home.ctx).history(record)[0]  # newest first
    assert proposal.site_code == "PER" and proposal.author == "Engineer PER"
    # Home settles it field by field; the peer then shows home's merge, the conflict gone.
    with home.ctx.unit_of_work() as uow:
        uow.records.merge(record, {"name": "bracket RH"}, home.engineer, "drawing rev C")
    peer.sync.import_package(peer.engineer, home.export(tmp_path, to="PER"))
    assert peer.conflicts() == set() and _fields(peer, record)["name"] == "bracket RH"


def test_a_peers_tombstone_of_a_local_record_deletes_nothing_here(sites, tmp_path):
    home, peer, _ = sites
    record = home.create({"title": "bracket"})
    peer.sync.import_package(peer.engineer, home.export(tmp_path, to="PER"))
    kill = forge(peer, "supplier", record, {}, parents=_heads(home, record), lamport=50,
                 op=Op.TOMBSTONE)
    summary = home.sync.import_package(home.engineer, send(peer, home, tmp_path,
                                                           revision_lines([kill])))
    assert summary.conflicted_records == (record,)
    with home.ctx.unit_of_work() as uow:
        state = uow.records.require(record)
    assert not state.deleted and state.fields["name"] == "bracket"


def test_what_a_site_writes_passes_the_checks_its_peers_make(sites):
    """A value every peer would refuse (here a NUL) is refused at the first write, so that no
    site can hold data its peers will never import."""
    home, _, _ = sites
    with pytest.raises(ValidationError, match="cannot be stored"):
        home.create({"title": "bracket\x00"})
    assert not any(t == "supplier" for t, *_ in home.records().values())


def test_a_second_root_for_an_existing_record_is_refused(sites, tmp_path):
    home, peer, _ = sites
    record = home.create({"title": "bracket"})
    twin = forge(peer, "supplier", record, {"name": "hijacked"})
    refused(home, send(peer, home, tmp_path, revision_lines([twin])), err.RecordCreatedTwice)


# -- relays: supplier -> plant -> carmaker and back -----------------------------------------


def test_a_relay_keeps_the_origin_and_converges(tmp_path):
    root = tmp_path / "relay"
    supplier = make_site(root, "SUP", SiteKind.SUPPLIER)
    plant = make_site(root, "PLA", SiteKind.PLANT)
    carmaker = make_site(root, "CAR", SiteKind.CARMAKER)
    for a in (supplier, plant, carmaker):
        for b in (supplier, plant, carmaker):
            if a is not b:
                enrol(a, b, tmp_path)
    try:
        made = [supplier.create({"title": f"supplier record {i}"}) for i in range(3)]
        plant.sync.import_package(plant.engineer, supplier.export(tmp_path, to="PLA"))
        carmaker.sync.import_package(carmaker.engineer, plant.export(tmp_path, to="CAR"))
        supplier.update(made[0], {"title": "renamed at the supplier"})
        plant.sync.import_package(plant.engineer, supplier.export(tmp_path, to="PLA"))
        carmaker.sync.import_package(carmaker.engineer, plant.export(tmp_path, to="CAR"))
        # ...and back: the carmaker's own site and people reach the supplier through the plant.
        plant.sync.import_package(plant.engineer, carmaker.export(tmp_path, to="PLA"))
        supplier.sync.import_package(supplier.engineer, plant.export(tmp_path, to="SUP"))
        assert supplier.state() == plant.state() == carmaker.state()
        history = HistoryService(carmaker.ctx).history(made[0])
        assert {h.site_code for h in history} == {"SUP"}
        with carmaker.ctx.unit_of_work() as uow:
            owners = dict(uow.session.execute(select(RecordRow.record_id,
                                                     RecordRow.owner_site_id)).all())
        assert {owners[m] for m in made} == {supplier.ctx.site_id}
    finally:
        for s in (supplier, plant, carmaker):
            s.ctx.close()


def test_a_tampered_relay_member_is_refused_by_its_hash(sites, tmp_path):
    """Replacing the batches member without re-signing the manifest is caught before trust."""
    home, peer, _ = sites
    peer.create({"title": "x"})
    members = read_members(peer.export(tmp_path, to="HOM"))
    out = []
    for m in members:
        if m.name == "batches.ndjson":
            m = Member(m.name, m.data + b"\n")
        out.append(m)
    path = write_zip(tmp_path / "tampered.partdesk", out)
    refused(home, path, err.PackageRejected)

