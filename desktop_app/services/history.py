"""The history of any record: each revision with who, when, where, why and what changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from desktop_app.domain.errors import NotFound
from desktop_app.domain.revisions import Revision, changed_fields, resolve
from desktop_app.services.context import ServiceContext
from desktop_app.services.dto import RevisionInfo
from desktop_app.storage.models.core import Person, Site


def flatten(fields: Mapping[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted names ("designations.fr"), so a change names the inner field."""
    flat: dict[str, Any] = {}
    for key, value in (fields or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, name + "."))
        elif isinstance(value, Mapping):
            continue
        else:
            flat[name] = value
    return flat


class HistoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def history(self, record_id: str) -> list[RevisionInfo]:
        """Every revision of the record, newest first; works for any record type."""
        with self._ctx.unit_of_work() as uow:
            revisions = uow.records.history(record_id)
            if not revisions:
                raise NotFound(what="Record", key=record_id)
            authors = {r.author for r in revisions}
            sites = {r.site_id for r in revisions}
            names: dict[str, str] = {pid: name for pid, name in uow.session.execute(
                select(Person.id, Person.display_name).where(Person.id.in_(authors)))}
            codes: dict[str, str] = {sid: code for sid, code in uow.session.execute(
                select(Site.id, Site.code).where(Site.id.in_(sites)))}
        by_id = {r.rev_id: r for r in revisions}
        infos = [self._info(r, by_id, names, codes) for r in revisions]
        return list(reversed(infos))

    @staticmethod
    def _info(revision: Revision, by_id: Mapping[str, Revision], names: Mapping[str, str],
              codes: Mapping[str, str]) -> RevisionInfo:
        parents = [by_id[p] for p in revision.parents if p in by_id]
        before = None
        if parents:
            previous = resolve(parents).winner
            before = None if previous.is_tombstone else previous.fields
        after = {} if revision.is_tombstone else revision.fields
        changes = changed_fields(flatten(before), flatten(after))
        return RevisionInfo(
            rev_id=revision.rev_id,
            created_at=revision.created_at,
            author=names.get(revision.author, revision.author),
            site_code=codes.get(revision.site_id, revision.site_id[:8]),
            op=str(revision.op),
            reason=revision.reason,
            changes=tuple((name, old, new) for name, (old, new) in changes.items()),
            is_merge=len(revision.parents) > 1,
        )
