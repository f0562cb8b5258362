"""The trust gate of an import: who may write what (DESIGN.md, "Trust between sites").

Runs on each block of revisions as the package is read and verified (signatures, hashes, origin
batches), before the backup and any write. Every revision new to this site is checked:

- bounded input: its envelope and fields against the record type's schema, its Lamport counter
  at most a bounded lead over this site's;
- local authority: a site record is written only by that site, a person record only by the
  site the person belongs to (other sites' people are a directory for showing signatures);
- scope: a peer authors only the record types its enrolment allows;
- a record is created once: a second root for an existing record is a forgery;
- authors and signers: a revision of site S names people of S only.

The checks that span the package (a record created twice, an owner or a person the package
defines after naming them) keep small keys between blocks and finish once all are read. Any
failure refuses the whole package with one sentence. Edits of records owned elsewhere that
pass these checks are stored, and the ownership rule of the revision store keeps them as
competing versions (proposals) until a person of the owning site merges them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.people import SiteKind
from desktop_app.domain.record_schemas import MAX_LAMPORT, check_revision
from desktop_app.domain.record_types import RECORD_TYPE_LABELS
from desktop_app.domain.revisions import Op, Revision
from desktop_app.domain.trust import LAMPORT_LEAD, SELF_ONLY_TYPES, default_scope
from desktop_app.storage.models.core import Person, RecordRow, RevisionRow, Site
from desktop_app.storage.models.sync import PeerKey
from desktop_app.storage.models.trust import PeerScope
from desktop_app.sync import errors as err

CHUNK = 5000  # ids per query: far below SQLite's and PostgreSQL's limits on parameters
# Fields that name the person who decided or signed: they must belong to the writing site.
PERSON_FIELDS = ("signer_id", "decided_by")
# The record types whose fields name a site or a person that must be the writer's own.
NAMING_TYPES = frozenset({"certificate", "decision", "signature", "deviation_decision"})


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def peer_scope(session: Session, site_id: str) -> frozenset[str]:
    """What an enrolled site may author here: its stored scope, else its kind's defaults."""
    row = session.get(PeerScope, site_id)
    if row is not None:
        return frozenset(json.loads(row.record_types))
    kind = session.execute(select(PeerKey.kind).where(PeerKey.site_id == site_id)
                           .order_by(PeerKey.id.desc())).scalar()
    return default_scope(kind or "")


def all_record_types() -> frozenset[str]:
    return frozenset(RECORD_TYPE_LABELS) - {"site", "user"}


def scope_for_kind(kind: str) -> frozenset[str]:
    return default_scope(str(SiteKind(kind)))


class _IdQueries:
    """The gate's lookups by many ids. SQLite receives the ids as one JSON array (json_each):
    thousands of bound parameters cost more to render than the lookups themselves; other
    databases get an expanding IN."""

    def __init__(self, session: Session) -> None:
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        ids = self._ids()
        self.known = select(RevisionRow.rev_id).where(RevisionRow.rev_id.in_(ids))
        self.owners = select(RecordRow.record_id, RecordRow.owner_site_id).where(
            RecordRow.record_id.in_(ids))
        self.roots = select(RevisionRow.record_id, RevisionRow.rev_id).where(
            RevisionRow.record_id.in_(ids), RevisionRow.parents == "[]")

    def _ids(self) -> Any:
        if self.sqlite:
            return select(literal_column("value")).select_from(
                func.json_each(bindparam("ids"))).scalar_subquery()
        return bindparam("ids", expanding=True)

    def params(self, ids: Sequence[str]) -> dict[str, Any]:
        return {"ids": json.dumps(list(ids)) if self.sqlite else list(ids)}


class TrustGate:
    """Checks a package's revisions block after block (`check_block`, then `finish`), or all at
    once (`check`). Between blocks it keeps only small keys: the records the package creates
    (id and root rev_id), the people its user records place at a site, and the checks that wait
    for a record or a person the package names before it defines them. Nothing is written: the
    store is read as it was before the import."""

    def __init__(self, session: Session, local_site_id: str) -> None:
        self._s = session
        self._q = _IdQueries(session)
        self._local = local_site_id
        self._scopes: dict[str, frozenset[str]] = {}
        self._codes: dict[str, str] = {}
        self._max_lamport: int | None = None
        self._roots: dict[str, str] = {}  # record id -> root rev_id, of the package's new roots
        self._self_owners: dict[str, str] = {}  # site and user records: site of the first root
        self._waiting_owner: dict[tuple[str, str], tuple[str, str]] = {}
        self._directory: dict[str, str | None] = {}  # person id -> site here (None: unknown)
        self._package_people: dict[str, str] = {}  # person id -> site, from user records
        self._waiting_people: dict[tuple[str, str], str] = {}  # (person, site) -> rev_id

    def check(self, revisions: Sequence[Revision]) -> None:
        self.check_block(revisions)
        self.finish()

    def check_block(self, revisions: Sequence[Revision]) -> None:
        fresh = self._fresh(revisions)
        if not fresh:
            return
        if self._max_lamport is None:  # the bound is the store's before the import, fixed
            local_max = self._s.execute(
                select(func.coalesce(func.max(RevisionRow.lamport), 0))).scalar_one()
            self._max_lamport = min(MAX_LAMPORT, local_max + LAMPORT_LEAD)
        max_lamport = self._max_lamport
        owners, stored_roots = self._owners(sorted({r.record_id for r in fresh}))
        for r in revisions:
            if not r.parents and r.record_type in SELF_ONLY_TYPES:
                self._self_owners.setdefault(r.record_id, r.site_id)
        for r in fresh:
            if r.record_type == "user" and r.op is Op.UPSERT:
                self._package_people.setdefault(r.record_id,
                                                str(r.fields.get("site_id", r.site_id)))
        self._lookup_people(fresh)
        local, scope, roots, person_site = self._local, self._scope, self._roots, self._person
        # One tight loop: about 100,000 revisions a package, each checked in a few microseconds.
        for r in fresh:
            site, kind = r.site_id, r.record_type
            try:
                check_revision(r, max_lamport=max_lamport)
            except ValidationError as exc:
                raise err.BadRecordFields(site=self._code(site), detail=exc.message()) from exc
            if not r.parents and (roots.setdefault(r.record_id, r.rev_id) != r.rev_id
                                  or stored_roots.get(r.record_id, r.rev_id) != r.rev_id):
                raise err.RecordCreatedTwice(site=self._code(site), kind=kind,
                                             record=r.record_id[:13])
            if kind in SELF_ONLY_TYPES:
                self._check_authority(r, owners)
            elif site != local and kind not in scope(site):
                raise err.OutOfScope(site=self._code(site), kind=kind, record=r.record_id[:13])
            if kind in NAMING_TYPES and r.op is Op.UPSERT:
                self._check_naming(r)
            author_site = person_site(r.author, site, r.rev_id)
            if author_site and author_site != site:
                raise err.ForeignAuthor(rev_id=r.rev_id[:12], site=self._code(site),
                                        person=r.author[:13])

    def finish(self) -> None:
        """The checks that waited for the whole package: the owner of a site or user record
        whose root came later, and people whose user record came later."""
        for (record_id, site), (kind, belongs) in self._waiting_owner.items():
            owner = self._self_owners.get(record_id, "")
            if (owner and owner != site) or belongs != site:
                raise err.LocalAuthority(site=self._code(site), kind=kind, record=record_id[:13])
        for (person_id, site), rev_id in self._waiting_people.items():
            person_site = self._package_people.get(person_id)
            if person_site and person_site != site:
                raise err.ForeignAuthor(rev_id=rev_id[:12], site=self._code(site),
                                        person=person_id[:13])

    # -- rarer cases -------------------------------------------------------------------------

    def _check_authority(self, r: Revision, owners: dict[str, str]) -> None:
        """A site record only by that site; a person record only by the person's site."""
        site = r.site_id
        if r.record_type == "site":
            if r.record_id != site:
                raise err.LocalAuthority(site=self._code(site), kind=r.record_type,
                                         record=self._code(r.record_id))
            return
        belongs = r.fields.get("site_id", site) if r.op is Op.UPSERT else site
        owner = owners.get(r.record_id) or self._self_owners.get(r.record_id, "")
        if not owner and belongs == site:  # its root may come later in the package
            self._waiting_owner.setdefault((r.record_id, site), (r.record_type, belongs))
            return
        if (owner and owner != site) or belongs != site:
            raise err.LocalAuthority(site=self._code(site), kind=r.record_type,
                                     record=r.record_id[:13])

    def _check_naming(self, r: Revision) -> None:
        """A certificate names its issuer, a decision or signature its person: of the writer."""
        site = r.site_id
        if r.record_type == "certificate" and r.fields.get("site_id", site) != site:
            raise err.LocalAuthority(site=self._code(site), kind=r.record_type,
                                     record=r.record_id[:13])
        for key in PERSON_FIELDS:
            person_id = r.fields.get(key)
            if not isinstance(person_id, str) or not person_id:
                continue
            person_site = self._person(person_id, site, r.rev_id)
            if person_site and person_site != site:
                raise err.ForeignAuthor(rev_id=r.rev_id[:12], site=self._code(site),
                                        person=str(person_id)[:13])

    # -- lookups -----------------------------------------------------------------------------

    def _person(self, person_id: str, site: str, rev_id: str) -> str | None:
        """The site the person belongs to: from the local directory, else from the package's
        user records; when neither knows yet, checked again at `finish`."""
        found = self._directory.get(person_id) or self._package_people.get(person_id)
        if found is None:
            self._waiting_people.setdefault((person_id, site), rev_id)
        return found

    def _fresh(self, revisions: Sequence[Revision]) -> list[Revision]:
        known: set[str] = set()
        ids = [r.rev_id for r in revisions]
        for chunk in _chunks(ids):
            known.update(self._s.execute(self._q.known, self._q.params(chunk)).scalars())
        return [r for r in revisions if r.rev_id not in known]

    def _owners(self, record_ids: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
        owners: dict[str, str] = {}
        roots: dict[str, str] = {}
        stored: list[str] = []
        for chunk in _chunks(record_ids):
            for rec_id, owner in self._s.execute(self._q.owners, self._q.params(chunk)):
                stored.append(rec_id)
                if owner:
                    owners[rec_id] = owner
        for chunk in _chunks(stored):  # a record new here has no root here yet
            for rec_id, rev_id in self._s.execute(self._q.roots, self._q.params(chunk)):
                roots[rec_id] = min(rev_id, roots.get(rec_id, rev_id))
        return owners, roots

    def _lookup_people(self, fresh: Sequence[Revision]) -> None:
        """Every person the revisions name, looked up once in the local directory."""
        named_set = {r.author for r in fresh}
        for r in fresh:
            if r.record_type in NAMING_TYPES and r.op is Op.UPSERT:
                named_set.update(v for k in PERSON_FIELDS
                                 if isinstance(v := r.fields.get(k), str) and v)
        named = sorted(named_set - self._directory.keys())
        for person_id in named:
            self._directory[person_id] = None
        for chunk in _chunks(named):
            for person_id, site_id in self._s.execute(
                    select(Person.id, Person.site_id).where(Person.id.in_(chunk))):
                self._directory[person_id] = site_id

    def _scope(self, site_id: str) -> frozenset[str]:
        if site_id not in self._scopes:
            self._scopes[site_id] = peer_scope(self._s, site_id)
        return self._scopes[site_id]

    def _code(self, site_id: str) -> str:
        if site_id not in self._codes:
            code = self._s.execute(select(PeerKey.code).where(PeerKey.site_id == site_id)
                                   .order_by(PeerKey.id.desc())).scalar()
            site = None if code else self._s.get(Site, site_id)
            self._codes[site_id] = code or (site.code if site else site_id[:13])
        return self._codes[site_id]


__all__ = ["TrustGate", "all_record_types", "peer_scope", "scope_for_kind"]
