"""Import parts from CSV or a workbook: a preview of every row, then all-or-nothing.

The preview maps columns (English and French headers recognised, any column mappable by hand) and
says for each row new / changed / unchanged / error with the reason and the row number. The file is
read and checked once, a block of rows at a time: the rows' statuses and what applying would write
go to a plan on disk (`parts_import_plan`), so memory stays flat at any size. Applying writes that
plan as it is, in one transaction, provided the file's bytes (SHA-256) and the stored revisions are
still those the preview saw; otherwise `PlanOutdated` says so in one sentence and the file is read
again. `apply(path)` reads, checks and writes in the same single pass. One error and nothing is
written. Importing the same file twice changes nothing the second time (unchanged rows write no
revision).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.domain.parts import (
    DEFAULT_FAMILIES,
    PART,
    SUPPLIER,
    SupplierDraft,
    part_key,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.revisions import Revision, uuid7
from desktop_app.domain.tabular import Overrides, map_headers, missing_fields, unmapped_columns
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.header_detect import HeaderVocabulary
from desktop_app.files.tables import SheetRef, TableRow, TableStream, file_digest, open_table
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    UnitOfWork,
    never_cancelled,
    no_progress,
)
from desktop_app.services.parts_import_dto import (
    ColumnsNeeded,
    ImportPreview,
    ImportResult,
    PlanOutdated,
)
from desktop_app.services.parts_import_plan import (
    ImportRow,
    PlanRows,
    PlanStore,
    RowStatus,
    Write,
)
from desktop_app.services.parts_import_rows import (
    EXPECTED,
    FIELD_LABELS,
    REQUIRED,
    SYNONYMS,
    ParsedRow,
    RowParser,
    supplier_key,
)
from desktop_app.storage.models.core import RecordRow, RevisionRow
from desktop_app.storage.models.parts import ComponentFamily, Part, Supplier, VehicleModel

__all__ = ["ColumnsNeeded", "ImportPreview", "ImportResult", "ImportRow", "PartsImportService",
           "PlanOutdated", "RowStatus"]

BLOCK = 5000  # rows read, checked, then written, at a time
MappingChoice = Overrides | Callable[[list[str]], Overrides] | None
# What finds the header row of a parts sheet (past titles, logos, blank rows, a cover sheet).
VOCABULARY = HeaderVocabulary.of(SYNONYMS, REQUIRED, EXPECTED)


class PartsImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @staticmethod
    def field_labels() -> dict[str, str]:
        """Field -> untranslated label (context "PartsImport"), in mapping order."""
        return dict(FIELD_LABELS)

    @staticmethod
    def suggest_mapping(headers: Sequence[str], overrides: Overrides | None = None
                        ) -> dict[str, int]:
        """Field -> column the headers suggest (required fields may be missing)."""
        return map_headers(list(headers), SYNONYMS, overrides)

    def preview(self, actor: Actor, path: Path | str, overrides: MappingChoice = None,
                strict: bool = False, progress: Progress = no_progress,
                cancelled: IsCancelled = never_cancelled, *, sheet: SheetRef = None,
                header_row: int | None = None) -> ImportPreview:
        """Read and check the file once; nothing is written to the database.

        The sheet and its header row are found by the column names they hold (`layout` of the
        preview says which), unless `sheet` (name or number from 1) or `header_row` are given.
        `overrides` may be a function of the header row (the CLI maps columns by header name or
        letter). A required field without a column raises `ColumnsNeeded`."""
        actor.require(Permission.EDIT_PARTS)
        path = Path(path)
        with open_table(path, _scaled(progress, 0, 100, _CHECKING), cancelled, sheet=sheet,
                        header_row=header_row, vocabulary=VOCABULARY) as stream, \
                self._ctx.unit_of_work() as uow:
            preview = self._scan(uow, path, stream, overrides, strict, cancelled)
            uow.session.rollback()  # a preview writes nothing
            return preview

    def apply(self, actor: Actor, source: Path | str | ImportPreview,
              overrides: MappingChoice = None, strict: bool = False,
              progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled, *,
              sheet: SheetRef = None, header_row: int | None = None) -> ImportResult:
        """Write every row, or nothing.

        Given a preview, its plan is written as it is (the file is not read again), provided the
        file and the stored revisions did not change since (`PlanOutdated` otherwise). Given a
        path, the file is read, checked and written in one pass; the first bad row stops the
        import and the transaction is rolled back."""
        actor.require(Permission.EDIT_PARTS)
        if isinstance(source, ImportPreview):
            return self._apply_plan(actor, source, progress, cancelled)
        path = Path(source)
        with open_table(path, _scaled(progress, 0, 100, _IMPORTING), cancelled, sheet=sheet,
                        header_row=header_row, vocabulary=VOCABULARY) as stream, \
                self._ctx.unit_of_work() as uow:
            writer = _Writer(self._ctx, uow, actor)
            preview = self._scan(uow, path, stream, overrides, strict, cancelled, writer)
            try:
                return self._finish(uow, actor, preview, writer)
            finally:
                preview.discard()

    def _apply_plan(self, actor: Actor, preview: ImportPreview, progress: Progress,
                    cancelled: IsCancelled) -> ImportResult:
        if preview.plan is None or preview.path is None:
            raise ValueError("a preview without its plan")
        if preview.count(RowStatus.ERROR):
            first = preview.errors[0]
            raise first.error or ValidationError(
                QT_TRANSLATE_NOOP("Errors", "Row {row}: {reason}"), row=first.number,
                reason=first.message)
        if _digest_or_none(preview.path) != preview.digest:
            raise PlanOutdated(QT_TRANSLATE_NOOP(
                "Errors", "The file {name} changed since it was checked; it is read and "
                          "checked again."), name=preview.file_name)
        report = _scaled(progress, 0, 100, _IMPORTING)
        total = len(preview.rows)
        with self._ctx.unit_of_work() as uow:
            if _marker(uow) != preview.marker:
                raise PlanOutdated(QT_TRANSLATE_NOOP(
                    "Errors", "Parts were changed since {name} was checked; it is checked "
                              "again."), name=preview.file_name)
            writer = _Writer(self._ctx, uow, actor)
            done = 0
            for block in preview.plan.writes(BLOCK):
                if cancelled():
                    raise Cancelled()
                report(done, total, "")
                for record_id, parent, fields in block:
                    writer.add(record_id, parent, fields)
                writer.flush(cancelled)
                done += len(block)
            report(total, total, "")
            return self._finish(uow, actor, preview, writer)

    def _finish(self, uow: UnitOfWork, actor: Actor, preview: ImportPreview,
                writer: _Writer) -> ImportResult:
        if not len(preview.rows):
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The file {name} has no rows to import."), name=preview.file_name)
        result = ImportResult(created=preview.count(RowStatus.NEW),
                              changed=preview.count(RowStatus.CHANGED),
                              unchanged=preview.count(RowStatus.UNCHANGED),
                              suppliers_created=len(writer.supplier_ids))
        uow.audit.record(actor.username, "parts.import", preview.file_name,
                         {**result.to_json(), "revisions": writer.written})
        return result

    # -- planning --------------------------------------------------------------------------

    def _scan(self, uow: UnitOfWork, path: Path, stream: TableStream,
              overrides: MappingChoice, strict: bool, cancelled: IsCancelled,
              writer: _Writer | None = None) -> ImportPreview:
        """Check every row (and, with a writer, write them) a block at a time, in one read."""
        headers = stream.headers
        chosen = overrides(headers) if callable(overrides) else overrides
        mapping = map_headers(headers, SYNONYMS, chosen)
        missing = missing_fields(mapping, REQUIRED)
        if missing:
            raise ColumnsNeeded(path.name, FIELD_LABELS[missing[0]], headers, mapping,
                                stream.layout)
        session = uow.session
        marker = _marker(uow)
        suppliers: dict[str, str] = {}
        for sid, code, sname in session.execute(select(Supplier.id, Supplier.code, Supplier.name)):
            suppliers[supplier_key(code)] = sid
            suppliers.setdefault(supplier_key(sname), sid)
        models: dict[str, str] = {}
        for mid, code, model in session.execute(
                select(VehicleModel.id, VehicleModel.code, VehicleModel.model)):
            models[supplier_key(code)] = mid
            models.setdefault(supplier_key(model), mid)
        families = {code: code for code in DEFAULT_FAMILIES}
        families.update({code: name for code, name in session.execute(
            select(ComponentFamily.code, ComponentFamily.name)).all()})
        parser = RowParser(mapping, suppliers, models, strict, families)
        plan = PlanStore(self._ctx.folder.staging)
        counts = dict.fromkeys(RowStatus, 0)
        try:
            for rows in _blocks(stream.rows(), BLOCK):
                if cancelled():
                    raise Cancelled()
                self._check_block(uow, parser, rows, plan, counts, writer)
                if writer is not None:
                    writer.flush(cancelled)
        except BaseException:
            plan.discard()
            raise
        return ImportPreview(
            file_name=path.name, source_kind=stream.source_kind, headers=tuple(headers),
            mapping=mapping, unmapped=tuple(unmapped_columns(headers, mapping)),
            rows=PlanRows(plan, plan.size), new_suppliers=tuple(sorted(
                parser.new_suppliers.values())), strict=strict, counts=counts, path=path,
            digest=stream.digest, marker=marker, plan=plan, layout=stream.layout)

    def _check_block(self, uow: UnitOfWork, parser: RowParser, rows: list[TableRow],
                     plan: PlanStore, counts: dict[RowStatus, int], writer: _Writer | None
                     ) -> None:
        parsed = [parser.parse(row) for row in rows]
        keys = {part_key(p.fields["part_number"], p.fields["revision"]): p.number
                for p in reversed(parsed) if p.fields is not None}
        earlier = plan.duplicates(list(keys))
        existing = _existing(uow, list(keys))
        block: list[tuple[str, ParsedRow]] = []
        for item in parsed:
            block.append(self._checked(item, earlier, keys))
        current = self._current(uow, [existing[k][0] for k, item in block
                                      if item.fields is not None and k in existing])
        planned: list[tuple[ImportRow, Write | None]] = []
        for key, item in block:
            row, write = self._compare(parser, item, key, existing, current)
            counts[row.status] += 1
            planned.append((row, write))
            if writer is not None:
                if row.status == RowStatus.ERROR:
                    raise row.error or ValidationError(
                        QT_TRANSLATE_NOOP("Errors", "Row {row}: {reason}"),
                        row=row.number, reason=row.message)
                if write is not None:
                    writer.add(*write)
        # Written as it goes, a plan needs only the keys seen (duplicates), not its rows.
        plan.add(planned if writer is None else [],
                 [(k, n) for k, n in keys.items() if k not in earlier], len(planned))

    @staticmethod
    def _checked(item: ParsedRow, earlier: Mapping[str, int],
                 first: Mapping[str, int]) -> tuple[str, ParsedRow]:
        """The row's key, and the row failed when an earlier row has the same key."""
        if item.fields is None:
            return "", item
        key = part_key(item.fields["part_number"], item.fields["revision"])
        other = earlier.get(key) or first[key]
        if other != item.number:
            return key, item.failed(ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Row {row}: part {number} revision {revision} appears twice "
                          "in the file (also row {other})."), row=item.number,
                number=item.fields["part_number"], revision=item.fields["revision"],
                other=other))
        return key, item

    @staticmethod
    def _compare(parser: RowParser, item: ParsedRow, key: str,
                 existing: Mapping[str, tuple[str, str]],
                 current: Mapping[str, tuple[str, int, dict]]
                 ) -> tuple[ImportRow, tuple[str, str, dict[str, Any]] | None]:
        """The row's status, and what to write for it: (record id or "", parent, fields)."""
        if item.fields is None:
            return ImportRow(item.number, RowStatus.ERROR, item.part_number, item.revision,
                             item.message, error=item.error), None
        fields = item.fields
        number, revision = fields["part_number"], fields["revision"]
        if key not in existing:
            return (ImportRow(item.number, RowStatus.NEW, number, revision, item.message),
                    ("", "", fields))
        part_id, status = existing[key]
        rev_id, head_count, old = current[part_id]
        merged = {**old, **{k: v for k, v in fields.items() if k in item.provided}}
        if "designations" in item.provided:
            merged["designations"] = dict(sorted(
                {**(old.get("designations") or {}), **fields["designations"]}.items()))
        changed = tuple(sorted(k for k in merged
                               if merged.get(k) != old.get(k) and not k.startswith("_")))
        if fields.get("_new_supplier"):
            changed = tuple(sorted({*changed, "supplier_id"}))
        if not changed:
            return ImportRow(item.number, RowStatus.UNCHANGED, number, revision), None
        error = parser.refuse_change(item.number, merged, status, head_count, changed)
        if error is not None:
            return ImportRow(item.number, RowStatus.ERROR, number, revision, error.message(),
                             error=error), None
        return (ImportRow(item.number, RowStatus.CHANGED, number, revision, item.message,
                          changed), (part_id, rev_id, merged))

    @staticmethod
    def _current(uow: UnitOfWork, part_ids: list[str]) -> dict[str, tuple[str, int, dict]]:
        found: dict[str, tuple[str, int, dict]] = {}
        for start in range(0, len(part_ids), 500):
            chunk = part_ids[start:start + 500]
            for record_id, rev_id, heads, fields in uow.session.execute(
                    select(RecordRow.record_id, RecordRow.current_rev_id, RecordRow.head_count,
                           RevisionRow.fields)
                    .join(RevisionRow, RevisionRow.rev_id == RecordRow.current_rev_id)
                    .where(RecordRow.record_id.in_(chunk))):
                found[record_id] = (rev_id, heads, json.loads(fields))
        return found


class _Writer:
    """Revisions of an import, written through the revision store a block at a time."""

    def __init__(self, ctx: ServiceContext, uow: UnitOfWork, actor: Actor) -> None:
        self._ctx = ctx
        self._uow = uow
        self._actor = actor
        self.batch: list[Revision] = []
        self.fresh: list[str] = []  # record ids of the batch's new parts: plain inserts
        self.supplier_ids: dict[str, str] = {}  # supplier key -> created record id
        self.written = 0

    def add(self, record_id: str, parent: str, fields: dict[str, Any]) -> None:
        pending = fields.pop("_new_supplier", "")
        name = fields.pop("_supplier_name", "")
        if pending:
            fields = {**fields, "supplier_id": self._supplier(pending, name)}
        if not record_id:
            record_id = uuid7()
            self.fresh.append(record_id)
        self.batch.append(Revision.create(
            record_type=PART, record_id=record_id,
            parents=(parent,) if parent else (), site_id=self._ctx.site_id,
            lamport=self._uow.records.next_lamport(), author=self._actor.user_id,
            fields=fields, reason="imported" if not parent else "updated by import",
            created_at=self._ctx.clock()))

    def _supplier(self, key: str, name: str) -> str:
        if key not in self.supplier_ids:
            self._actor.require(Permission.EDIT_REFERENCE_DATA)
            name = name or key
            code = "".join(ch for ch in key.upper() if ch.isalnum())[:12] or "NEW"
            state = self._uow.records.create(
                SUPPLIER, SupplierDraft(name=name, code=code).fields(), actor=self._actor,
                reason="created by a parts import")
            self.supplier_ids[key] = state.record_id
        return self.supplier_ids[key]

    def flush(self, cancelled: IsCancelled) -> None:
        if cancelled():
            raise Cancelled()
        if self.batch:
            self._uow.records.apply_many(self.batch, actor_name=self._actor.username,
                                         origin="local", new_records=self.fresh)
            self.written += len(self.batch)
            self.batch, self.fresh = [], []


_CHECKING = QT_TRANSLATE_NOOP("PartsImport", "Reading and checking rows")
_IMPORTING = QT_TRANSLATE_NOOP("PartsImport", "Importing")


def _blocks(rows: Any, size: int) -> Any:
    block: list[TableRow] = []
    for row in rows:
        block.append(row)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _marker(uow: UnitOfWork) -> int:
    """The last revision stored: a plan checked against the database holds while it stays."""
    return int(uow.session.execute(
        select(func.coalesce(func.max(RevisionRow.seq), 0))).scalar_one())


def _existing(uow: UnitOfWork, keys: list[str]) -> dict[str, tuple[str, str]]:
    """Part key -> (record id, status) of the parts already registered, among `keys`."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(keys), 500):
        for key, pid, status in uow.session.execute(
                select(Part.part_key, Part.id, Part.status)
                .where(Part.part_key.in_(keys[start:start + 500]))):
            found[key] = (pid, status)
    return found


def _digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def _scaled(progress: Progress, low: int, high: int, message: str) -> Progress:
    """Report a phase of the work as a share (low..high per cent) of the whole."""

    def report(done: int, total: int, _message: str = "") -> None:
        share = done / total if total else 1.0
        progress(low + int((high - low) * share), 100, message)

    return report
