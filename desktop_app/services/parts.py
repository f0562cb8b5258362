"""The parts registry: register, edit, revise and find part revisions.

A part record is one drawing revision. Editing a released revision is refused; a new drawing
revision is a new record whose `replaces` names the previous one. Reads page from the `parts`
query table (sorting and filtering in SQL) and search through the FTS index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.parts import (
    PART,
    PartDraft,
    PartStatus,
    check_editable,
    check_status_move,
    part_key,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.parts_dto import (
    SORT_KEYS,
    PartDetail,
    PartPage,
    PartQuery,
    PartSummary,
)
from desktop_app.storage.models.core import Person
from desktop_app.storage.models.parts import (
    PART_SEARCH,
    Part,
    PartVehicleModel,
    Supplier,
    VehicleModel,
)
from desktop_app.storage.search import query_tokens

MAX_PAGE = 1000
# Two plans for a page of search results. Match-first: read the matches from the search index
# and sort them (cost grows with the number of matches). Walk: follow the sort column's index
# from the top and keep the rows that match, stopping at the page's end (cost grows with how far
# down the matches start). Up to DENSE_MATCHES matches, match-first always wins. Above it, the
# walk is taken only when it will stop early: a random sample of the matches (SAMPLE rowids)
# says where in the sort order the page's last row falls, and the index rows above that point
# must be fewer than the matches (or than WALK_BUDGET). Part-number prefixes such as "JX3" match
# densely and late in the sort order: their walk would read most of the table. Both plans read
# the part-number order from covering indexes (ix_parts_number_walk, ix_parts_search_sort).
DENSE_MATCHES = 1500
SAMPLE = 48
WALK_BUDGET = 12_000


# The column each sort walks (None: a column of another table).
_SORT_COLUMNS: dict[str, Any] = {
    "part_number": Part.part_number, "revision": Part.revision, "designation": Part.designation,
    "family": Part.family, "supplier": None, "material": Part.material, "mass": Part.mass_mg,
    "status": Part.status, "volume": Part.annual_volume, "updated": Part.updated_at,
}


def duplicate_error(number: str, revision: str, row: int | None = None) -> ValidationError:
    if row is None:
        return ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Part {number} revision {revision} is already registered."),
            field="part_number", number=number, revision=revision)
    return ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "Row {row}: part {number} revision {revision} is already registered."),
        field="part_number", number=number, revision=revision, row=row)


class PartService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- writing ---------------------------------------------------------------------------

    def register_part(self, actor: Actor, draft: PartDraft, reason: str = "") -> PartDetail:
        actor.require(Permission.EDIT_PARTS)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_references(uow, fields)
            self._check_unique(uow, fields, "")
            state = uow.records.create(PART, fields, actor=actor, reason=reason or "registered")
            return self._detail(uow, state.record_id)

    def edit_part(self, actor: Actor, part_id: str, draft: PartDraft,
                  expected_rev_id: str | None = None, reason: str = "") -> PartDetail:
        """Change an unreleased revision (its status may move forward in the same edit)."""
        actor.require(Permission.EDIT_PARTS)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            current = uow.records.require(part_id, "Part")
            old = PartDraft.from_fields(current.fields)
            check_editable(old.status, old.part_number, old.revision)
            check_status_move(old.status, PartStatus(fields["status"]))
            fields["replaces"] = old.replaces  # the lineage is not edited by hand
            self._check_references(uow, fields)
            self._check_unique(uow, fields, part_id)
            uow.records.update(part_id, fields, actor=actor, reason=reason or "edited",
                               expected_rev_id=expected_rev_id, what="Part")
            return self._detail(uow, part_id)

    def change_status(self, actor: Actor, part_id: str, status: PartStatus,
                      expected_rev_id: str | None = None, reason: str = "") -> PartDetail:
        actor.require(Permission.EDIT_PARTS)
        with self._ctx.unit_of_work() as uow:
            current = uow.records.require(part_id, "Part")
            old = PartStatus(current.fields.get("status", PartStatus.IN_DEVELOPMENT))
            new = PartStatus(status)
            check_status_move(old, new)
            if new != old:
                uow.records.patch(part_id, {"status": str(new)}, actor=actor,
                                  reason=reason or f"status: {old} -> {new}",
                                  expected_rev_id=expected_rev_id, what="Part")
            return self._detail(uow, part_id)

    def new_drawing_revision(self, actor: Actor, part_id: str, draft: PartDraft,
                             reason: str = "") -> PartDetail:
        """A new record for the next drawing revision; it names the one it replaces."""
        actor.require(Permission.EDIT_PARTS)
        with self._ctx.unit_of_work() as uow:
            previous = PartDraft.from_fields(uow.records.require(part_id, "Part").fields)
            if part_key(draft.part_number, draft.revision) == part_key(
                    previous.part_number, previous.revision):
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "A new drawing revision needs a revision other than {revision}."),
                    field="revision", revision=previous.revision)
            fields = replace(draft, replaces=part_id,
                             status=PartStatus.IN_DEVELOPMENT).fields()
            self._check_references(uow, fields)
            self._check_unique(uow, fields, "")
            state = uow.records.create(
                PART, fields, actor=actor,
                reason=reason or f"drawing revision {fields['revision']} "
                                 f"replaces {previous.revision}")
            return self._detail(uow, state.record_id)

    # -- rules -----------------------------------------------------------------------------

    @staticmethod
    def _check_unique(uow: UnitOfWork, fields: dict[str, Any], own_id: str) -> None:
        key = part_key(fields["part_number"], fields["revision"])
        taken = uow.session.execute(select(Part.id).where(
            Part.part_key == key, Part.id != own_id)).first()
        if taken is not None:
            raise duplicate_error(fields["part_number"], fields["revision"])

    @staticmethod
    def _check_references(uow: UnitOfWork, fields: dict[str, Any]) -> None:
        supplier_id = fields["supplier_id"]
        if supplier_id and uow.session.get(Supplier, supplier_id) is None:
            raise NotFound(what="Supplier", key=supplier_id)
        for model_id in fields["vehicle_model_ids"]:
            if uow.session.get(VehicleModel, model_id) is None:
                raise NotFound(what="Vehicle model", key=model_id)

    # -- reading ---------------------------------------------------------------------------

    def part(self, part_id: str) -> PartDetail:
        with self._ctx.unit_of_work() as uow:
            return self._detail(uow, part_id)

    def find(self, part_number: str, revision: str = "") -> PartDetail:
        """The given revision of a part number, or its latest registered revision."""
        with self._ctx.unit_of_work() as uow:
            stmt = select(Part.id).where(func.upper(Part.part_number) == part_number.upper())
            if revision:
                stmt = stmt.where(Part.part_key == part_key(part_number, revision))
            found = uow.session.execute(stmt.order_by(Part.revision.desc())).scalars().first()
            if found is None:
                raise NotFound(what="Part", key=f"{part_number} {revision}".strip())
            return self._detail(uow, found)

    def page(self, query: PartQuery, offset: int = 0, limit: int = 100) -> PartPage:
        limit = max(1, min(limit, MAX_PAGE))
        approved = self._approved_ids(query.approved_on) if query.approved_on else None
        with self._ctx.unit_of_work() as uow:
            where, known_total = self._where(uow, query, max(0, offset) + limit)
            if approved is not None:
                where, known_total = [*where, Part.id.in_(approved)], None
            total = known_total if known_total is not None else uow.session.execute(
                select(func.count()).select_from(Part).where(*where)).scalar_one()
            stmt = self._page_rows(query, where, max(0, offset), limit)
            rows = tuple(_summary(r) for r in uow.session.execute(stmt))
        return PartPage(rows=rows, total=int(total), offset=offset)

    def iter_summaries(self, query: PartQuery, batch: int = 2000) -> Iterator[PartSummary]:
        """Every row of a view, in its order (exports)."""
        offset = 0
        while True:
            page = self.page(query, offset, min(batch, MAX_PAGE))
            yield from page.rows
            offset += len(page.rows)
            if not page.rows or offset >= page.total:
                return

    def replaced_chain(self, part_id: str) -> list[PartDetail]:
        """This revision and the ones it replaces, newest first."""
        chain: list[PartDetail] = []
        seen: set[str] = set()
        with self._ctx.unit_of_work() as uow:
            current: str = part_id
            while current and current not in seen:
                seen.add(current)
                detail = self._detail(uow, current)
                chain.append(detail)
                current = detail.draft.replaces
        return chain

    # -- queries ---------------------------------------------------------------------------

    def _approved_ids(self, day: str) -> list[str]:
        """The parts that hold a valid approval on `day` (the certification's periods, the
        same the integration rate counts). Approved parts are a small share of the registry."""
        from desktop_app.domain.approvals import valid_on
        from desktop_app.services import roadmap_sources

        try:
            when = date.fromisoformat(day)
        except ValueError as exc:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "'{value}' is not a date (YYYY-MM-DD)."), value=day) from exc
        periods = roadmap_sources.all_approval_periods(self._ctx)
        return sorted(p for p, spans in periods.items() if valid_on(spans, when))

    @classmethod
    def _where(cls, uow: UnitOfWork, query: PartQuery, needed: int = 100
               ) -> tuple[list[ColumnElement[bool]], int | None]:
        """The WHERE terms of a view, and its row count when the search index alone knows it."""
        where: list[ColumnElement[bool]] = []
        known_total: int | None = None
        tokens = query_tokens(query.search)
        # Suppliers are few: find those a token names first. In the common case none does and
        # the whole search is one FTS match (the index intersects the words itself).
        session = uow.session
        suppliers: dict[str, list[str]] = {t: [] for t in tokens}
        if tokens:
            for supplier_id, words in session.execute(select(Supplier.id, Supplier.search_text)):
                for token in tokens:
                    if (" " + words).find(" " + token) >= 0:
                        suppliers[token].append(supplier_id)
        if tokens and not any(suppliers.values()):
            matches = PART_SEARCH.count(session, tokens)
            many = (matches is not None and matches > DENSE_MATCHES
                    and cls._walk_stops_early(session, query, tokens, matches, needed))
            where.append(PART_SEARCH.match(session, Part.search_key, Part.search_text, tokens,
                                           many=many, check=matches is None))
            known_total = matches
        if any(suppliers.values()):
            where, known_total = cls._with_suppliers(session, tokens, suppliers)
        filters: list[ColumnElement[bool]] = []
        if query.supplier_id:
            filters.append(Part.supplier_id == query.supplier_id)
        if query.family:
            filters.append(Part.family == query.family)
        if query.status:
            filters.append(Part.status == query.status)
        if query.model_id:
            filters.append(Part.id.in_(select(PartVehicleModel.part_id).where(
                PartVehicleModel.model_id == query.model_id)))
        return where + filters, None if filters else known_total

    @staticmethod
    def _with_suppliers(session: Any, tokens: list[str], suppliers: dict[str, list[str]]
                        ) -> tuple[list[ColumnElement[bool]], int | None]:
        """Terms when a token names suppliers: a part matches a token by its own text or by its
        supplier. A supplier holds many parts spread through the part-number order, so when the
        matches may be many, the page walks the sort index (the `+ 0` and `|| ''` keep SQLite
        from sorting every match), and the count of one token is counted in two cheap parts."""
        where: list[ColumnElement[bool]] = []
        bound = 0
        for token in tokens:
            ids = suppliers[token]
            own = PART_SEARCH.count(session, [token])
            by_supplier = session.execute(select(func.count()).select_from(Part).where(
                Part.supplier_id.in_(ids))).scalar_one() if ids else 0
            bound = max(bound, (own or 0) + by_supplier)
            many = bound > DENSE_MATCHES
            text = PART_SEARCH.match(session, Part.search_key, Part.search_text, [token],
                                     many=many, check=own is None)
            supplier = (Part.supplier_id + "") if many else Part.supplier_id
            where.append(or_(text, supplier.in_(ids)) if ids else text)
        total = None
        if len(tokens) == 1 and suppliers[tokens[0]]:
            ids = suppliers[tokens[0]]
            own_elsewhere = session.execute(select(func.count()).select_from(Part).where(
                PART_SEARCH.match(session, Part.search_key, Part.search_text, tokens,
                                  check=False), Part.supplier_id.not_in(ids))).scalar_one()
            by_supplier = session.execute(select(func.count()).select_from(Part).where(
                Part.supplier_id.in_(ids))).scalar_one()
            total = int(own_elsewhere) + int(by_supplier)
        return where, total

    @staticmethod
    def _walk_stops_early(session: Any, query: PartQuery, tokens: list[str], matches: int,
                          needed: int) -> bool:
        """Will walking the sort index find `needed` matching rows within WALK_BUDGET rows?
        Judged from where a random sample of the matches falls in the sort order."""
        column = _SORT_COLUMNS.get(query.sort_key, Part.part_number)
        if column is None:
            return True  # sorted through a join (supplier name): the walk as before
        keys = PART_SEARCH.sample(session, tokens, SAMPLE)
        values = [v for (v,) in session.execute(
            select(column).where(Part.search_key.in_(keys)))]
        if not values or len(values) < len(keys) or any(v is None for v in values):
            return True  # rows without a value sort first: the walk starts among them
        values.sort(reverse=query.descending)
        # The sample's value at the page's end, with a margin of two for the sample's chance.
        index = min(len(values) - 1, (2 * needed * len(values)) // max(1, matches))
        bound = values[index]
        before = column > bound if query.descending else column < bound
        # Reading an index row costs about what sorting a match costs: walk while the rows
        # to read are fewer than the matches to sort, and always within WALK_BUDGET rows.
        budget = max(WALK_BUDGET, matches)
        counted = session.execute(select(func.count()).select_from(
            select(column).where(before).limit(budget).subquery())).scalar_one()
        return int(counted) < budget

    @classmethod
    def _page_rows(cls, query: PartQuery, where: list[ColumnElement[bool]], offset: int,
                   limit: int) -> Select:
        """A page in two steps: the ids of the page, found and ordered from the parts' indexes
        alone when they cover the sort (part number; ix_parts_number_walk and
        ix_parts_search_sort), then those rows read and joined to their supplier."""
        sort_key = query.sort_key if query.sort_key in SORT_KEYS else "part_number"
        column = _SORT_COLUMNS.get(sort_key)
        if column is None:  # the supplier's name: ordered through the join
            return cls._rows(query).where(*where).offset(offset).limit(limit)
        first = column.desc() if query.descending else column.asc()
        ties = [Part.revision.asc(), Part.id.asc()]
        order = [first, *ties] if sort_key == "part_number" else [
            first, Part.part_number.asc(), *ties]
        keys = (select(Part.id.label("id"), column.label("sort_value"),
                       Part.part_number.label("part_number"), Part.revision.label("revision"))
                .where(*where).order_by(*order).offset(offset).limit(limit).subquery("page"))
        again = keys.c.sort_value.desc() if query.descending else keys.c.sort_value.asc()
        outer = [again, keys.c.revision, keys.c.id] if sort_key == "part_number" else [
            again, keys.c.part_number, keys.c.revision, keys.c.id]
        return cls._columns().join(keys, keys.c.id == Part.id).order_by(*outer)

    @staticmethod
    def _columns() -> Select:
        # Columns, not ORM objects: a page is read-only and this is the hot path of the table.
        return (
            select(Part.id, Part.part_number, Part.revision, Part.designation, Part.designations,
                   Part.family, Part.supplier_id, Supplier.name.label("supplier_name"),
                   Part.material,
                   Part.mass_kg, Part.unit, Part.status, Part.annual_volume,
                   Part.special_characteristics, Part.conflict, Part.rev_id, Part.updated_at)
            .outerjoin(Supplier, Supplier.id == Part.supplier_id)
        )

    @classmethod
    def _rows(cls, query: PartQuery) -> Select:
        sort_key = query.sort_key if query.sort_key in SORT_KEYS else "part_number"
        columns: dict[str, Any] = {
            "part_number": Part.part_number, "revision": Part.revision,
            "designation": Part.designation, "family": Part.family, "supplier": Supplier.name,
            "material": Part.material, "mass": Part.mass_mg, "status": Part.status,
            "volume": Part.annual_volume, "updated": Part.updated_at,
        }
        column = columns[sort_key]
        order = [column.desc() if query.descending else column.asc()]
        if sort_key != "part_number":
            order.append(Part.part_number.asc())
        order += [Part.revision.asc(), Part.id.asc()]
        return cls._columns().order_by(*order)

    @staticmethod
    def _detail(uow: UnitOfWork, part_id: str) -> PartDetail:
        state = uow.records.require(part_id, "Part")
        if state.record_type != PART:
            raise NotFound(what="Part", key=part_id)
        draft = PartDraft.from_fields(state.fields)
        supplier = uow.session.get(Supplier, draft.supplier_id) if draft.supplier_id else None
        models = uow.session.execute(select(VehicleModel).where(
            VehicleModel.id.in_(draft.vehicle_model_ids))).scalars().all()
        replaced_by = tuple(uow.session.execute(select(Part.id).where(
            Part.replaces == part_id)).scalars())
        author = uow.session.get(Person, state.winner.author)
        return PartDetail(
            part_id=part_id, rev_id=state.winner.rev_id, draft=draft,
            supplier_name=supplier.name if supplier else "",
            model_labels=tuple(sorted(f"{m.carmaker} {m.model}" for m in models)),
            conflict=state.conflict, replaced_by=replaced_by,
            updated_at=state.winner.created_at,
            updated_by=author.display_name if author else state.winner.author,
        )


def _summary(row: Any) -> PartSummary:
    return PartSummary(
        part_id=row.id, rev_id=row.rev_id, part_number=row.part_number,
        revision=row.revision, designation=row.designation, family=row.family,
        supplier_id=row.supplier_id, supplier_name=row.supplier_name or "",
        material=row.material, mass_kg=row.mass_kg, unit=row.unit,
        status=PartStatus(row.status), annual_volume=row.annual_volume,
        special_characteristics=bool(row.special_characteristics), conflict=bool(row.conflict),
        updated_at=row.updated_at, designations=_designations(row.designations),
    )


def _designations(text: str | None) -> dict[str, str]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


__all__ = ["PartService", "duplicate_error"]
