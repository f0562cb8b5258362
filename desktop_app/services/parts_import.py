"""Import parts from CSV or Excel: a preview of every row, then all-or-nothing.

The preview maps columns (English and French headers recognised, any column mappable by hand) and
says for each row new / changed / unchanged / error with the reason and the row number. Applying
reads the file again, checks it again, and writes every revision in one transaction through the
revision store's batched `apply_many`; one error and nothing is written. Importing the same file
twice changes nothing the second time (unchanged rows write no revision).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.errors import Cancelled, PartDeskError, ValidationError
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
from desktop_app.files.tables import Table, read_table
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    UnitOfWork,
    never_cancelled,
    no_progress,
)
from desktop_app.services.parts_import_rows import (
    FIELD_LABELS,
    REQUIRED,
    SYNONYMS,
    ParsedRow,
    RowParser,
    supplier_key,
)
from desktop_app.storage.models.core import RecordRow, RevisionRow
from desktop_app.storage.models.parts import ComponentFamily, Part, Supplier, VehicleModel

BLOCK = 5000  # rows checked, then written, at a time


class RowStatus(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ImportRow:
    number: int  # row number in the sheet
    status: RowStatus
    part_number: str
    revision: str
    message: str = ""  # the reason of an error, untranslated sentence
    changed_fields: tuple[str, ...] = ()
    error: PartDeskError | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"row": self.number, "status": str(self.status), "part_number": self.part_number,
                "revision": self.revision, "message": self.message,
                "changed_fields": list(self.changed_fields)}


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    source_kind: str
    headers: tuple[str, ...]
    mapping: dict[str, int]  # field -> column index
    unmapped: tuple[int, ...]
    rows: tuple[ImportRow, ...]
    new_suppliers: tuple[str, ...]  # suppliers that applying would create
    strict: bool

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def errors(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == RowStatus.ERROR]

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name, "kind": self.source_kind,
            "mapping": {f: self.headers[i] for f, i in self.mapping.items()},
            "ignored_columns": [self.headers[i] for i in self.unmapped],
            "counts": {str(s): self.count(s) for s in RowStatus},
            "new_suppliers": list(self.new_suppliers),
            "rows": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int
    suppliers_created: int

    def to_json(self) -> dict[str, Any]:
        return {"created": self.created, "changed": self.changed, "unchanged": self.unchanged,
                "suppliers_created": self.suppliers_created}


class PartsImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @staticmethod
    def field_labels() -> dict[str, str]:
        """Field -> untranslated label (context "PartsImport"), in mapping order."""
        return dict(FIELD_LABELS)

    @staticmethod
    def suggest_mapping(table: Table, overrides: Overrides | None = None) -> dict[str, int]:
        """Field -> column the headers suggest (required fields may be missing)."""
        return map_headers(table.headers, SYNONYMS, overrides)

    def read(self, path: Path | str, progress: Progress = no_progress,
             cancelled: IsCancelled = never_cancelled) -> Table:
        return read_table(path, _scaled(
            progress, 0, 40, QT_TRANSLATE_NOOP("PartsImport", "Reading the file")), cancelled)

    def preview(self, actor: Actor, path: Path | str, overrides: Overrides | None = None,
                strict: bool = False, progress: Progress = no_progress,
                cancelled: IsCancelled = never_cancelled, table: Table | None = None
                ) -> ImportPreview:
        actor.require(Permission.EDIT_PARTS)
        table = table or self.read(path, progress, cancelled)
        with self._ctx.unit_of_work() as uow:
            return self._plan(uow, Path(path).name, table, overrides, strict, progress,
                              cancelled)

    def apply(self, actor: Actor, path: Path | str, overrides: Overrides | None = None,
              strict: bool = False, progress: Progress = no_progress,
              cancelled: IsCancelled = never_cancelled) -> ImportResult:
        """Check the file again and write everything, or nothing.

        Rows are checked and written block by block inside one transaction (memory stays flat
        on big sheets); the first bad row stops the import and the transaction is rolled back."""
        actor.require(Permission.EDIT_PARTS)
        table = self.read(path, progress, cancelled)
        with self._ctx.unit_of_work() as uow:
            writer = _Writer(self._ctx, uow, actor)
            preview = self._plan(uow, Path(path).name, table, overrides, strict, progress,
                                 cancelled, writer)
            if not preview.rows:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "The file {name} has no rows to import."), name=Path(path).name)
            result = ImportResult(created=preview.count(RowStatus.NEW),
                                  changed=preview.count(RowStatus.CHANGED),
                                  unchanged=preview.count(RowStatus.UNCHANGED),
                                  suppliers_created=len(writer.supplier_ids))
            uow.audit.record(actor.username, "parts.import", Path(path).name,
                             {**result.to_json(), "revisions": writer.written})
            return result

    # -- planning --------------------------------------------------------------------------

    def _plan(self, uow: UnitOfWork, name: str, table: Table, overrides: Overrides | None,
              strict: bool, progress: Progress, cancelled: IsCancelled,
              writer: _Writer | None = None) -> ImportPreview:
        """Check every row (and, with a writer, write them) a block at a time."""
        mapping = map_headers(table.headers, SYNONYMS, overrides)
        missing = missing_fields(mapping, REQUIRED)
        if missing:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "No column of {name} holds the {label}; map one by hand."),
                name=name, label=FIELD_LABELS[missing[0]])
        session = uow.session
        suppliers: dict[str, str] = {}
        for sid, code, sname in session.execute(select(Supplier.id, Supplier.code, Supplier.name)):
            suppliers[supplier_key(code)] = sid
            suppliers.setdefault(supplier_key(sname), sid)
        models: dict[str, str] = {}
        for mid, code, model in session.execute(
                select(VehicleModel.id, VehicleModel.code, VehicleModel.model)):
            models[supplier_key(code)] = mid
            models.setdefault(supplier_key(model), mid)
        existing = {key: (pid, status) for key, pid, status in session.execute(
            select(Part.part_key, Part.id, Part.status))}
        families = {code: code for code in DEFAULT_FAMILIES}
        families.update({code: name for code, name in session.execute(
            select(ComponentFamily.code, ComponentFamily.name)).all()})
        parser = RowParser(mapping, suppliers, models, strict, families)
        total = len(table.rows)
        report = _scaled(progress, 40, 100, QT_TRANSLATE_NOOP("PartsImport", "Checking rows")
                         if writer is None else QT_TRANSLATE_NOOP("PartsImport", "Importing"))
        seen: dict[str, int] = {}
        rows: list[ImportRow] = []
        for start in range(0, total, BLOCK):
            if cancelled():
                raise Cancelled()
            report(start, total, "")
            block = [self._checked(parser.parse(row), seen, existing)
                     for row in table.rows[start:start + BLOCK]]
            current = self._current(uow, [existing[k][0] for k, item in block
                                          if item.fields is not None and k in existing])
            for key, item in block:
                row, write = self._compare(parser, item, key, existing, current)
                rows.append(row)
                if writer is not None:
                    if row.status == RowStatus.ERROR:
                        raise row.error or ValidationError(
                            QT_TRANSLATE_NOOP("Errors", "Row {row}: {reason}"),
                            row=row.number, reason=row.message)
                    if write is not None:
                        writer.add(*write)
            if writer is not None:
                writer.flush(cancelled)
        report(total, total, "")
        return ImportPreview(
            file_name=name, source_kind=table.source_kind, headers=tuple(table.headers),
            mapping=mapping, unmapped=tuple(unmapped_columns(table.headers, mapping)),
            rows=tuple(rows), new_suppliers=tuple(sorted(parser.new_suppliers.values())),
            strict=strict)

    @staticmethod
    def _checked(item: ParsedRow, seen: dict[str, int],
                 existing: Mapping[str, tuple[str, str]]) -> tuple[str, ParsedRow]:
        if item.fields is None:
            return "", item
        key = part_key(item.fields["part_number"], item.fields["revision"])
        if key in seen:
            return key, item.failed(ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Row {row}: part {number} revision {revision} appears twice "
                          "in the file (also row {other})."), row=item.number,
                number=item.fields["part_number"], revision=item.fields["revision"],
                other=seen[key]))
        seen[key] = item.number
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
        self.supplier_ids: dict[str, str] = {}  # supplier key -> created record id
        self.written = 0

    def add(self, record_id: str, parent: str, fields: dict[str, Any]) -> None:
        pending = fields.pop("_new_supplier", "")
        name = fields.pop("_supplier_name", "")
        if pending:
            fields = {**fields, "supplier_id": self._supplier(pending, name)}
        self.batch.append(Revision.create(
            record_type=PART, record_id=record_id or uuid7(),
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
                                         origin="local")
            self.written += len(self.batch)
            self.batch = []


def _scaled(progress: Progress, low: int, high: int, message: str) -> Progress:
    """Report a phase of the work as a share (low..high per cent) of the whole."""

    def report(done: int, total: int, _message: str = "") -> None:
        share = done / total if total else 1.0
        progress(low + int((high - low) * share), 100, message)

    return report
