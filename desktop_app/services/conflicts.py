"""Records edited at two sites: list them, compare the competing values, merge with a reason.

Generic over every record type: a conflict is a record with several heads (DESIGN.md, "Records").
Other areas block approvals and printing on conflicts themselves (RecordInConflict).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.revisions import Revision, canonical_json
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext
from desktop_app.storage.models.core import Person, RecordRow, Site

LABEL_FIELDS = ("number", "part_number", "code", "name", "title", "username", "display_name")


@dataclass(frozen=True, slots=True)
class HeadInfo:
    rev_id: str
    author: str  # display name when known
    site_code: str
    created_at: str
    lamport: int
    deleted: bool
    reason: str
    provisional: bool  # the value shown until someone merges


@dataclass(frozen=True, slots=True)
class ConflictSummary:
    record_type: str
    record_id: str
    label: str
    heads: tuple[HeadInfo, ...]
    # The site that created the record: only it merges; other sites' versions are proposals.
    owner_code: str = ""
    owned_here: bool = True


@dataclass(frozen=True, slots=True)
class FieldComparison:
    name: str
    values: tuple[str, ...]  # as plain text, one per head in the order of `heads`
    differs: bool


@dataclass(frozen=True, slots=True)
class ConflictView:
    summary: ConflictSummary
    fields: tuple[FieldComparison, ...]


@dataclass(frozen=True, slots=True)
class MergeResult:
    record_id: str
    rev_id: str
    heads: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return canonical_json(value)


def _label(revision: Revision) -> str:
    for key in LABEL_FIELDS:
        value = revision.fields.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:120]
    return revision.record_id[:8]


class ConflictService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list_conflicts(self, record_type: str | None = None) -> list[ConflictSummary]:
        with self._ctx.unit_of_work() as uow:
            ids = uow.records.conflicted(record_type)
        return sorted((self.compare(i).summary for i in ids),
                      key=lambda c: (c.record_type, c.label, c.record_id))

    def compare(self, record_id: str) -> ConflictView:
        with self._ctx.unit_of_work() as uow:
            heads = sorted(uow.records.head_revisions(record_id), key=Revision.order_key,
                           reverse=True)
            if not heads:
                raise NotFound(what="Record", key=record_id)
            people = {p.id: p.display_name for p in uow.session.execute(
                select(Person).where(Person.id.in_({h.author for h in heads}))).scalars()}
            owner = uow.records.owner(record_id)
            sites = {s.id: s.code for s in uow.session.execute(
                select(Site).where(Site.id.in_({h.site_id for h in heads} | {owner}))).scalars()}
        infos = tuple(HeadInfo(
            rev_id=h.rev_id, author=people.get(h.author, h.author), site_code=sites.get(
                h.site_id, h.site_id[:8]), created_at=h.created_at, lamport=h.lamport,
            deleted=h.is_tombstone, reason=h.reason, provisional=(i == 0))
            for i, h in enumerate(heads))
        names = sorted({k for h in heads for k in h.fields})
        fields = tuple(FieldComparison(
            name=n, values=tuple(_text(h.fields.get(n)) for h in heads),
            differs=len({canonical_json(h.fields.get(n)) for h in heads}) > 1) for n in names)
        summary = ConflictSummary(heads[0].record_type, record_id, _label(heads[0]), infos,
                                  owner_code=sites.get(owner, owner[:8]),
                                  owned_here=owner in ("", self._ctx.site_id))
        return ConflictView(summary=summary, fields=fields)

    def merge(self, actor: Actor, record_id: str, take: str, reason: str,
              choices: Mapping[str, str] | None = None) -> MergeResult:
        """A merge revision whose parents are all heads: each field's value comes from the head
        named in `choices` (rev_id or its start), otherwise from `take`. Taking a deleted head
        merges to a deletion."""
        actor.require(Permission.MERGE_CONFLICTS)
        if not reason.strip():
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "A merge needs a reason."),
                                  field="reason")
        with self._ctx.unit_of_work() as uow:
            heads = uow.records.head_revisions(record_id)
            if not heads:
                raise NotFound(what="Record", key=record_id)
            if len(heads) < 2:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Record {key} has no competing versions to merge."), key=record_id)

            def pick(prefix: str) -> Revision:
                found = [h for h in heads if prefix and h.rev_id.startswith(prefix.lower())]
                if len(found) != 1:
                    raise ValidationError(QT_TRANSLATE_NOOP(
                        "Errors", "{rev} is not one of the competing versions of {key}."),
                        rev=prefix[:16], key=record_id)
                return found[0]

            base = pick(take)
            fields: dict[str, Any] | None = None
            if not base.is_tombstone or choices:
                fields = dict(base.fields)
                for name, rev in (choices or {}).items():
                    source = pick(rev)
                    if name in source.fields:
                        fields[name] = source.fields[name]
                    else:
                        fields.pop(name, None)
            state = uow.records.merge(record_id, fields, actor, reason.strip(),
                                      what=base.record_type)
            uow.session.flush()
            row = uow.session.get(RecordRow, record_id)
            return MergeResult(record_id=record_id, rev_id=state.winner.rev_id,
                               heads=row.head_count if row else len(state.heads))
