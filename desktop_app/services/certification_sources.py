"""What certification reads from the parts and evidence areas, behind two small interfaces.

`PartFacts` and `EvidenceSource` are what the certification service asks; the default
implementations read the records of those areas through the revision store (their fields are a
snapshot of each record) so that certification never reaches into their query tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, cast

from desktop_app.domain.certification_checks import (
    CalibrationIssue,
    CharacteristicFact,
    EvidenceFacts,
    EvidenceItem,
)
from desktop_app.domain.revisions import canonical_json, sha256_hex
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.msa import gauge_study_facts


@dataclass(frozen=True, slots=True)
class PartInfo:
    part_id: str
    part_number: str
    designation: str
    drawing_revision: str
    supplier_name: str = ""
    supplier_code: str = ""
    supplier_address: str = ""
    customer: str = ""
    vehicle_model: str = ""
    safety_regulation: bool = False
    weight_kg: str = ""
    found: bool = True


def _first(fields: dict[str, Any], *names: str, default: Any = "") -> Any:
    for name in names:
        value = fields.get(name)
        if value not in (None, ""):
            return value
    return default


def _fields(uow: UnitOfWork, record_id: str) -> dict[str, Any]:
    if not record_id:
        return {}
    state = uow.records.state(record_id)
    return dict(state.fields) if state is not None and not state.deleted else {}


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _special(fields: dict[str, Any]) -> str:
    value = str(_first(fields, "special_class", "class", default="")).upper()
    return value if value in ("CC", "SC") else ""


class PartFacts(Protocol):
    def part_info(self, uow: UnitOfWork, part_id: str) -> PartInfo: ...


class EvidenceSource(Protocol):
    def facts(self, uow: UnitOfWork, part_id: str, evidence_ids: list[str]) -> EvidenceFacts: ...


class RecordPartFacts:
    """A part revision (record type "part" of services/parts.py), its supplier and vehicle
    models, from their records' fields."""

    def part_info(self, uow: UnitOfWork, part_id: str) -> PartInfo:
        part = _fields(uow, part_id)
        if not part:
            return PartInfo(part_id, part_id[:8], "", "", found=False)
        supplier = _fields(uow, _first(part, "supplier_id"))
        models = [_fields(uow, m) for m in (part.get("vehicle_model_ids") or [])]
        models = [m for m in models if m]
        customers = sorted({str(m.get("carmaker", "")) for m in models if m.get("carmaker")})
        names = sorted({str(_first(m, "model", "code")) for m in models})
        address = ", ".join(str(x) for x in (supplier.get("site"), supplier.get("country")) if x)
        return PartInfo(
            part_id=part_id,
            part_number=str(_first(part, "part_number")),
            designation=str(_first(part, "designation")),
            drawing_revision=str(_first(part, "revision", "drawing_revision")),
            supplier_name=str(_first(supplier, "name")),
            supplier_code=str(_first(supplier, "code")),
            supplier_address=address,
            customer=", ".join(customers),
            vehicle_model=", ".join(n for n in names if n),
            safety_regulation=bool(part.get("special_characteristics", False)),
            weight_kg=str(_first(part, "mass_kg")),
        )


class RecordEvidenceSource:
    """Evidence records linked to a submission, read through the revision store.

    Reads the fields each evidence record carries as a snapshot: `part_id`, a label, a blob hash
    (`blob_sha256` / `*_blob_sha256`) or else the record's canonical content hash, the people
    who produced it (`operator_id`, `inspector_id`, `recorded_by`, and every revision author),
    the characteristic ids its result lines cover, Ppk per characteristic and gauge calibration
    state at the result date when present."""

    def facts(self, uow: UnitOfWork, part_id: str, evidence_ids: list[str]) -> EvidenceFacts:
        items: dict[str, EvidenceItem] = {}
        ppk: dict[str, Decimal] = {}
        issues: list[CalibrationIssue] = []
        for eid in dict.fromkeys(evidence_ids):
            state = uow.records.state(eid)
            if state is None or state.deleted:
                continue
            f = state.fields
            authors = {r.author for r in uow.records.history(eid)}
            people = {str(f[k]) for k in ("operator_id", "inspector_id", "recorded_by",
                                          "produced_by") if f.get(k)}
            label = str(_first(f, "title", "number", "name", "original_name", default=eid[:8]))
            lines = f.get("lines") or f.get("results") or []
            covers = tuple(str(line.get("characteristic_id")) for line in lines
                           if isinstance(line, dict) and line.get("characteristic_id"))
            for line in lines:
                if isinstance(line, dict) and line.get("characteristic_id"):
                    value = _decimal(line.get("ppk"))
                    if value is not None:
                        ppk[str(line["characteristic_id"])] = value
                    if line.get("gauge_in_calibration") is False:
                        issues.append(CalibrationIssue(str(line.get("gauge", "")), label,
                                                       str(_first(line, "date", default=""))))
            sha = str(_first(f, "blob_sha256", *[k for k in f if k.endswith("_blob_sha256")],
                             default=sha256_hex(canonical_json(f))))
            items[eid] = EvidenceItem(
                evidence_id=eid, record_type=state.record_type,
                part_id=str(_first(f, "part_id")), label=label, sha256=sha,
                kind=str(_first(f, "kind", "report_type", "type")),
                produced_by=tuple(sorted(authors | people)),
                date=str(_first(f, "date", "tested_on", "measured_on", default="")),
                covers=covers,
            )
        characteristics = tuple(
            CharacteristicFact(cid, str(_first(cf, "number", default=cid[:6])),
                               str(_first(cf, "description", "name")),
                               _special(cf), ppk.get(cid))
            for cid, cf in self._characteristics(uow, part_id))
        return EvidenceFacts(items, characteristics, tuple(issues))

    def _characteristics(self, uow: UnitOfWork, part_id: str) -> list[tuple[str, dict]]:
        """Characteristics of the part revision: without the evidence area's query table, none
        are known here (the evidence source of that area replaces this class)."""
        return []


class _SameTransaction:
    """Looks like a ServiceContext to EvidenceQueries; every unit of work is the caller's."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        yield self._uow


class QueriesEvidenceSource(RecordEvidenceSource):
    """Evidence through the evidence area's `EvidenceQueries` (services/evidence_queries.py):
    reports and attachments of the part revision, the characteristics each linked report covers,
    Ppk of the special characteristics, gauge calibration on the day of each result and the MSA
    study of each gauge (services/msa.py). Ids that
    are not evidence of this part revision are read from their records (to say whose they are).
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def facts(self, uow: UnitOfWork, part_id: str, evidence_ids: list[str]) -> EvidenceFacts:
        # The queries run in the caller's transaction: a second session would wait for the
        # write lock a decision holds.
        self._queries = EvidenceQueries(cast(ServiceContext, _SameTransaction(uow)),
                                        today=self._ctx.today)
        wanted = list(dict.fromkeys(evidence_ids))
        generic = super().facts(uow, part_id, [])
        if not part_id:
            return generic
        own = self._queries.evidence_of_part(part_id, include_superseded=True)
        reports = {r.report_id: r for r in own.reports}
        files = {a.attachment_id: a for a in own.attachments}
        items: dict[str, EvidenceItem] = {}
        others = []
        for eid in wanted:
            if eid in reports:
                r = reports[eid]
                detail = self._queries.report(eid)
                state = uow.records.state(eid)
                authors = {rev.author for rev in uow.records.history(eid)}
                items[eid] = EvidenceItem(
                    evidence_id=eid, record_type="test_report", part_id=r.part_id,
                    label=f"{r.number} {r.title}".strip(),
                    sha256=state.winner.rev_id if state else "", kind=r.report_type,
                    produced_by=tuple(sorted(authors | {r.recorded_by} - {""})),
                    date=r.tested_on or r.issued_on,
                    covers=tuple(sorted({s.characteristic_id for s in detail.sets})))
            elif eid in files:
                a = files[eid]
                authors = {rev.author for rev in uow.records.history(eid)}
                items[eid] = EvidenceItem(
                    evidence_id=eid, record_type="attachment", part_id=a.part_id,
                    label=a.original_name, sha256=a.blob_sha256, kind=a.kind,
                    produced_by=tuple(sorted(authors | {a.attached_by} - {""})),
                    date=a.attached_at[:10])
            else:
                others.append(eid)
        items.update(super().facts(uow, part_id, others).items)
        studies = {c.characteristic_id: c for c in self._queries.special_capability(part_id)}
        # An attribute characteristic (OK / NG, defects) has no capability to ask for: its
        # counts and verdict are its dimensional result.
        characteristics = tuple(
            CharacteristicFact(c.characteristic_id, c.number, c.description,
                               c.char_class if c.char_class in ("CC", "SC") and not c.attribute
                               else "",
                               _decimal(studies[c.characteristic_id].ppk)
                               if c.characteristic_id in studies else None,
                               studies[c.characteristic_id].findings
                               if c.characteristic_id in studies else ())
            for c in self._queries.characteristics(part_id))
        linked = set(wanted)
        issues = tuple(
            CalibrationIssue(g.gauge_code, f"{g.report_number} #{g.char_number}", g.measured_on)
            for g in self._queries.gauge_checks(part_id)
            if not g.in_calibration and g.report_id in linked)
        # Element 8: the MSA study answering for each gauge the characteristics are measured with.
        return EvidenceFacts(items, characteristics, issues, gauge_study_facts(uow, part_id))

    def candidates(self, part_id: str) -> list[EvidenceItem]:
        """Evidence a person may link for this part revision (current reports, then files)."""
        own = EvidenceQueries(self._ctx).evidence_of_part(part_id)
        out = [EvidenceItem(r.report_id, "test_report", r.part_id, f"{r.number} {r.title}".strip(),
                            "", r.report_type) for r in own.reports]
        out += [EvidenceItem(a.attachment_id, "attachment", a.part_id, a.original_name,
                             a.blob_sha256, a.kind) for a in own.attachments]
        return out
