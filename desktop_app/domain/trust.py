"""Who may write what between sites (DESIGN.md, "Trust between sites").

- Origin: every batch of revisions written at a site is signed with that site's key; a revision
  counts only when a batch signature of the site named in its `site_id` covers it.
- Ownership: a record belongs to the site that wrote its first revision (its root). Only the
  owner's revisions settle a record: another site's edit never replaces the owner's value; it
  stays a competing version (a proposal) until a person at the owning site merges it.
- Scope: what an enrolled peer may author, by record type, with defaults by site kind.
- Local authority: a site's people and the site record itself are written only by that site.

Plain Python: the storage layer and the sync reader call these rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktop_app.domain.revisions import Revision, canonical_json, sha256_hex

BATCH_FORMAT = "partdesk-batch"
BATCH_VERSION = 1
# Lamport counters stay exact in every JSON reader and far from SQLite's 64-bit limit; a peer
# may run ahead of this site, but not by more than a site could ever write.
LAMPORT_LIMIT = 2**53
LAMPORT_LEAD = 2**32

# Record types a site always writes for itself only (local authority).
SELF_ONLY_TYPES = frozenset({"site", "user"})

SUPPLIER_SCOPE = frozenset({
    "supplier", "component_family", "part", "characteristic", "gauge", "test_report",
    "measurement_set", "attachment", "submission", "deviation", "production_end",
    "laboratory", "inspection_document",
    "delivery", "msa_study",
})
CARMAKER_SCOPE = frozenset({
    "vehicle_model", "component_family", "reference_set", "set_link", "milestone_rule",
    "regulatory_rules",
    "roadmap_step", "step_signoff", "decision", "signature", "certificate", "deviation_decision",
    "retention_policy",
})
DEFAULT_SCOPES: Mapping[str, frozenset[str]] = {
    "supplier": SUPPLIER_SCOPE,
    "plant": SUPPLIER_SCOPE,
    "carmaker": CARMAKER_SCOPE,
}


def default_scope(kind: str) -> frozenset[str]:
    """What a peer of this kind may author unless the administrator says otherwise."""
    return DEFAULT_SCOPES.get(kind, frozenset())


# -- batch signatures ---------------------------------------------------------------------------


def batch_digest(rev_ids: Sequence[str]) -> str:
    return sha256_hex("\n".join(rev_ids))


def batch_payload(batch_id: str, site_id: str, created_at: str, rev_ids: Sequence[str]) -> bytes:
    """The exact bytes a site signs for one batch: small, whatever the batch's size."""
    return canonical_json({
        "format": BATCH_FORMAT, "version": BATCH_VERSION, "batch_id": batch_id,
        "site_id": site_id, "created_at": created_at, "count": len(rev_ids),
        "digest": batch_digest(rev_ids),
    }).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Batch:
    """One signed batch of revisions, as stored and as carried in packages."""

    batch_id: str
    site_id: str
    public_key: str
    created_at: str
    rev_ids: tuple[str, ...]
    signature: str  # hex

    def payload(self) -> bytes:
        return batch_payload(self.batch_id, self.site_id, self.created_at, self.rev_ids)

    def to_dict(self) -> dict[str, object]:
        return {"batch_id": self.batch_id, "site_id": self.site_id,
                "public_key": self.public_key, "created_at": self.created_at,
                "rev_ids": list(self.rev_ids), "signature": self.signature}


# -- ownership and heads ------------------------------------------------------------------------


def owner_of(revisions: Iterable[Revision]) -> str:
    """The site that created the record (its root revision); empty while the root is unknown."""
    roots = sorted((r for r in revisions if not r.parents), key=lambda r: r.rev_id)
    return roots[0].site_id if roots else ""


@dataclass(frozen=True, slots=True)
class Link:
    """What the head rule needs of a revision."""

    rev_id: str
    site_id: str
    parents: tuple[str, ...]


def owned_heads(links: Iterable[Link], owner: str) -> set[str]:
    """The heads of one record under ownership: a revision is settled (no longer a head) when a
    revision of the owner names it, or a later revision of its own site does. Another site's
    edit therefore never silently replaces the owner's value: both stay heads until the owner
    merges. Without a known owner only a site's own later revisions settle its earlier ones.

    A pure function of the set of revisions: any import order gives the same heads."""
    items = {link.rev_id: link for link in links}
    settled: set[str] = set()
    for link in items.values():
        for parent_id in link.parents:
            parent = items.get(parent_id)
            if parent is None:
                continue
            if (owner and link.site_id == owner) or link.site_id == parent.site_id:
                settled.add(parent_id)
    return set(items) - settled



def record_heads(revisions: Iterable[Revision]) -> tuple[list[Revision], str]:
    """Reference definition for one record: its head revisions and owner under ownership."""
    revs = list({r.rev_id: r for r in revisions}.values())
    owner = owner_of(revs)
    heads = owned_heads((Link(r.rev_id, r.site_id, r.parents) for r in revs), owner)
    return [r for r in revs if r.rev_id in heads], owner
