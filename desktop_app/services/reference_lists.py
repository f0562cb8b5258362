"""Reference lists of vehicle models: edit one set, or import a whole list from .xlsx / .csv.

An import is previewed first (what would be added, changed and removed, and the list's total);
applying it writes the whole list in one transaction or nothing. Sets are matched by code, so
the links of a set to local parts survive a re-import.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.errors import Cancelled, NotFound, ValidationError
from desktop_app.domain.integration import (
    ListCheck,
    ReferenceEntry,
    SetKind,
    check_reference_list,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.tabular import map_headers, missing_fields
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.header_detect import HeaderVocabulary
from desktop_app.files.tables import SheetRef, read_table
from desktop_app.services import roadmap_sources as sources
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.storage.models.roadmap import ReferenceSet, SetLinkRow

SYNONYMS = {
    "code": ("set code", "code ensemble", "reference", "référence", "ref", "رمز المجموعة",
             "الرمز", "المرجع", "代码", "总成代码", "编码"),
    "name": ("designation", "désignation", "set", "ensemble", "libelle", "libellé", "label",
             "التسمية", "المجموعة", "الاسم", "名称", "总成", "总成名称"),
    "kind": ("type", "category", "catégorie", "nature", "النوع", "الفئة", "类型", "类别"),
    "rate": ("contributory rate", "taux contributif", "taux", "rate %", "taux %", "percent",
             "pourcentage", "نسبة المساهمة", "النسبة", "贡献率", "比例", "百分比"),
}
REQUIRED = ("code", "name", "rate")
# Finds the header row of a reference list, past titles and logos, on the sheet that has one.
VOCABULARY = HeaderVocabulary.of(SYNONYMS, REQUIRED, (
    "Code / Code ensemble", "Name / Désignation", "Rate / Taux contributif"))


@dataclass(frozen=True, slots=True)
class ReferenceSetInfo:
    set_id: str
    model_id: str
    code: str
    name: str
    kind: SetKind
    rate: Decimal
    position: int
    links: int

    def to_json(self) -> dict[str, Any]:
        return {"set_id": self.set_id, "code": self.code, "name": self.name,
                "kind": str(self.kind), "rate": str(self.rate), "links": self.links}


@dataclass(frozen=True, slots=True)
class ReferenceImportPreview:
    model_code: str
    entries: tuple[ReferenceEntry, ...]
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    removed_with_links: tuple[str, ...]
    check: ListCheck

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model_code, "rows": len(self.entries), "added": list(self.added),
                "changed": list(self.changed), "removed": list(self.removed),
                "removed_with_links": list(self.removed_with_links),
                "total": str(self.check.total), "shortfall": str(self.check.shortfall)}


def read_reference_file(path: Path | str, progress: Progress = no_progress,
                        cancelled: IsCancelled = never_cancelled, *, sheet: SheetRef = None,
                        header_row: int | None = None) -> list[ReferenceEntry]:
    """The sets of a reference list; its sheet and header row found by the column names they
    hold, unless given (`sheet`: a name or a number from 1)."""
    table = read_table(path, progress, cancelled, sheet=sheet, header_row=header_row,
                       vocabulary=VOCABULARY)
    mapping = map_headers(table.headers, SYNONYMS)
    missing = missing_fields(mapping, REQUIRED)
    if missing:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The file {name} has no column for {fields}; expected columns: code, "
            "name, kind, rate."), name=Path(path).name, fields=", ".join(missing))
    entries = []
    for row in table.rows:
        if cancelled():
            raise Cancelled()

        def cell(field: str, row=row) -> str:
            return row.value(mapping[field]) if field in mapping else ""

        entries.append(ReferenceEntry.parse(cell("code"), cell("name"), cell("kind") or "set",
                                            cell("rate"), row=row.number))
    check_reference_list(entries)
    return entries


class ReferenceListService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def reference_list(self, actor: Actor | None, model_id: str) -> list[ReferenceSetInfo]:
        sources.require_view(actor)
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(ReferenceSet).where(
                ReferenceSet.model_id == model_id).order_by(
                ReferenceSet.position, ReferenceSet.code)).scalars().all()
            counts: dict[str, int] = {}
            for set_id in uow.session.execute(select(SetLinkRow.set_id).where(
                    SetLinkRow.model_id == model_id)).scalars():
                counts[set_id] = counts.get(set_id, 0) + 1
            return [ReferenceSetInfo(r.id, r.model_id, r.code, r.name, SetKind(r.kind),
                                     Decimal(r.rate), r.position, counts.get(r.id, 0))
                    for r in rows]

    def save_set(self, actor: Actor, model_id: str, code: object, name: object, kind: object,
                 rate: object, set_id: str | None = None) -> ReferenceSetInfo:
        """Add or change one set; the list may not pass 100 % and codes stay unique."""
        actor.require(Permission.EDIT_REFERENCE_DATA)
        entry = ReferenceEntry.parse(code, name, kind, rate)
        with self._ctx.unit_of_work() as uow:
            sources.vehicle_model(uow.session, model_id)
            rows = uow.session.execute(select(ReferenceSet).where(
                ReferenceSet.model_id == model_id)).scalars().all()
            others = [ReferenceEntry(r.code, r.name, SetKind(r.kind), Decimal(r.rate))
                      for r in rows if r.id != set_id]
            check_reference_list([*others, entry])
            position = next((r.position for r in rows if r.id == set_id),
                            max((r.position for r in rows), default=0) + 1)
            fields = {"model_id": model_id, "code": entry.code, "name": entry.name,
                      "kind": str(entry.kind), "rate": str(entry.rate), "position": position}
            if set_id:
                state = uow.records.update(set_id, fields, actor, "set changed", what="Set")
            else:
                state = uow.records.create("reference_set", fields, actor, "set added")
            links = len(uow.session.execute(select(SetLinkRow.id).where(
                SetLinkRow.set_id == state.record_id)).all())
            return ReferenceSetInfo(state.record_id, model_id, entry.code, entry.name,
                                    entry.kind, entry.rate, position, links)

    def remove_set(self, actor: Actor, set_id: str) -> None:
        """Remove a set and its links to parts."""
        actor.require(Permission.EDIT_REFERENCE_DATA)
        with self._ctx.unit_of_work() as uow:
            if uow.session.get(ReferenceSet, set_id) is None:
                raise NotFound(what="Set", key=set_id)
            for link_id in uow.session.execute(select(SetLinkRow.id).where(
                    SetLinkRow.set_id == set_id)).scalars().all():
                uow.records.tombstone(link_id, actor, "set removed", what="Link")
            uow.records.tombstone(set_id, actor, "set removed", what="Set")

    # -- import --------------------------------------------------------------------------------

    def preview_import(self, actor: Actor | None, model_id: str, path: Path | str,
                       progress: Progress = no_progress,
                       cancelled: IsCancelled = never_cancelled, *, sheet: SheetRef = None,
                       header_row: int | None = None) -> ReferenceImportPreview:
        sources.require_view(actor)
        entries = read_reference_file(path, progress, cancelled, sheet=sheet,
                                      header_row=header_row)
        with self._ctx.unit_of_work() as uow:
            return self._preview(uow.session, model_id, entries)

    def _preview(self, session: Any, model_id: str,
                 entries: list[ReferenceEntry]) -> ReferenceImportPreview:
        model = sources.vehicle_model(session, model_id)
        rows = {r.code.casefold(): r for r in session.execute(select(ReferenceSet).where(
            ReferenceSet.model_id == model_id)).scalars()}
        linked = set(session.execute(select(SetLinkRow.set_id).where(
            SetLinkRow.model_id == model_id)).scalars())
        added, changed = [], []
        for e in entries:
            row = rows.get(e.code.casefold())
            if row is None:
                added.append(e.code)
            elif (row.name, row.kind, Decimal(row.rate)) != (e.name, str(e.kind), e.rate):
                changed.append(e.code)
        codes = {e.code.casefold() for e in entries}
        removed = [r for key, r in rows.items() if key not in codes]
        return ReferenceImportPreview(
            model.code, tuple(entries), tuple(added), tuple(changed),
            tuple(r.code for r in removed),
            tuple(r.code for r in removed if r.id in linked), check_reference_list(entries))

    def apply_import(self, actor: Actor, model_id: str, path: Path | str,
                     progress: Progress = no_progress,
                     cancelled: IsCancelled = never_cancelled, *, sheet: SheetRef = None,
                     header_row: int | None = None) -> ReferenceImportPreview:
        """Replace the model's reference list by the file's, all or nothing."""
        actor.require(Permission.EDIT_REFERENCE_DATA)
        entries = read_reference_file(path, progress, cancelled, sheet=sheet,
                                      header_row=header_row)
        with self._ctx.unit_of_work() as uow:
            preview = self._preview(uow.session, model_id, entries)
            rows = {r.code.casefold(): r for r in uow.session.execute(select(ReferenceSet).where(
                ReferenceSet.model_id == model_id)).scalars()}
            total = len(entries)
            for position, entry in enumerate(entries, start=1):
                if cancelled():
                    raise Cancelled()  # the transaction rolls back: nothing is written
                progress(position, total, entry.code)
                fields = {"model_id": model_id, "code": entry.code, "name": entry.name,
                          "kind": str(entry.kind), "rate": str(entry.rate), "position": position}
                row = rows.pop(entry.code.casefold(), None)
                if row is None:
                    uow.records.create("reference_set", fields, actor, "reference list imported")
                elif (row.name, row.kind, row.rate, row.position) != (
                        entry.name, str(entry.kind), str(entry.rate), position):
                    uow.records.update(row.id, fields, actor, "reference list imported",
                                       what="Set")
            for row in rows.values():
                for link_id in uow.session.execute(select(SetLinkRow.id).where(
                        SetLinkRow.set_id == row.id)).scalars().all():
                    uow.records.tombstone(link_id, actor, "set left the reference list",
                                          what="Link")
                uow.records.tombstone(row.id, actor, "set left the reference list", what="Set")
            return preview
