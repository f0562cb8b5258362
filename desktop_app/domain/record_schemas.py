"""The field schema of every record type, and the check of a revision against it (DESIGN.md,
"Trust between sites": bounded input).

`check_revision(revision, max_lamport=...)` checks the envelope of a revision (ids, parents,
Lamport counter, time stamp, author, reason, op, record type) and, for an upsert, its fields
against the schema of its record type. The first problem is refused with one sentence naming
the record type, the short record id and the field. Nothing else escapes: any value of any type
gives either no error or a `ValidationError`.

The schemas are what this version writes: every `records.create/update/patch/merge` and every
revision the services build, as data (a dict of field specs per record type). The choices:

- An unknown field is refused. A package of a newer schema version is refused anyway, so a field
  this version does not know is a defect or a forgery, and nothing here would read it.
- A known field may be missing (older versions wrote fewer and the projections default them),
  except those that services read without a default, listed first in each `obj(...)`.
- Text is bounded by the width of its query-table column where it has one (what PostgreSQL can
  hold), free text by `LONG_TEXT`; no text holds NUL or a lone surrogate.
- Integers have ranges no factory reaches and far below 2**53; decimals are text within what the
  evidence parsers read back; lists and objects have a bounded count of entries. A check costs at
  most what the schema allows, whatever the input.
- Tombstones carry no fields; a tombstone always names the revision it deletes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from desktop_app.domain.attributes import NG, OK, DataType
from desktop_app.domain.certification import (
    DECISIONS,
    CertificateStatus,
    State,
    SubmissionKind,
)
from desktop_app.domain.deviations import DeviationAction
from desktop_app.domain.evidence import (
    AttachmentKind,
    CharacteristicClass,
    LabKind,
    ReportType,
    StatedResult,
)
from desktop_app.domain.field_specs import (
    Bool,
    Day,
    Dec,
    Form,
    Hex64,
    Int,
    ListOf,
    MapOf,
    Obj,
    OneOf,
    RecordId,
    Stamp,
    Text,
    Where,
    kept_by,
    obj,
    pattern,
)
from desktop_app.domain.integration import SetKind
from desktop_app.domain.laboratories import En10204Type
from desktop_app.domain.msa import MAX_LABEL as MSA_LABEL
from desktop_app.domain.msa import MAX_TRIALS, MsaKind
from desktop_app.domain.parts import LANGUAGES, UNITS, PartStatus, check_family_code
from desktop_app.domain.people import Role, SiteKind, check_site_code, check_username
from desktop_app.domain.ppap import ELEMENTS_BY_CODE, LEVELS, Reason
from desktop_app.domain.retention import MAX_YEARS as MAX_RETENTION_YEARS
from desktop_app.domain.revisions import Op, Revision
from desktop_app.domain.roadmap import ApqpPhase, Party, StepStatus, check_period
from desktop_app.domain.text import QT_TRANSLATE_NOOP

# -- bounds ------------------------------------------------------------------------------------

MAX_LAMPORT = 2**53 - 1  # Lamport counters stay exact in any JSON reader
MAX_PARENTS = 64  # a merge names every head: one per site that edited at the same time
MAX_AUTHOR = 64  # a person's record id (the `author` column)
MAX_REASON = 4000  # "corrects <report>: <the person's reason>"
LONG_TEXT = 20_000  # conclusions, notes, action plans, comments
MAX_COUNT = 10**10  # pieces per year or per period: beyond any plant, far below 2**53
MAX_FILE_BYTES = 2**40  # 1 TiB: above any attachment; a package member holds 1 GiB
MAX_READINGS = 10_000  # readings of one characteristic in one report
MAX_IDS = 1_000  # ids in one list: evidence of an element, people who prepared, deviations

# -- reusable field specs ----------------------------------------------------------------------

ID, ID_OR_NONE = RecordId(), RecordId(empty=True)
REV_ID, STAMP = Hex64(), Stamp()
DAY, DAY_OR_NONE = Day(), Day(empty=True)
LONG = Text(LONG_TEXT)
RATE = Dec(Decimal(0), Decimal(100))  # a percentage
MEASURE = Dec(empty=True)  # nominal, tolerance, limit: signed, "" when not given
COUNT_TEXT = Form(pattern(r"[0-9]{0,12}"), 12)  # a quantity as text, "" when not given
FAMILY = Form(kept_by(check_family_code), 40)


@dataclass(frozen=True, slots=True)
class Reading(Dec):
    """One reading of a result: a measured number, or an attribute judgement ("OK" / "NG"; a
    defect count is a number)."""

    def check(self, value: Any, path: str, where: Where) -> None:
        if value in (OK, NG):
            return
        Dec.check(self, value, path, where)


def one_of(values: Any) -> OneOf:
    return OneOf.of(values)


# -- the schemas -------------------------------------------------------------------------------

_CERTIFICATE_DATA = obj(
    ("number", "site_code", "site_name", "supplier_name", "supplier_code", "customer",
     "vehicle_model", "part_number", "designation", "drawing_revision", "kind", "level",
     "approval_type", "reason", "reason_detail", "disposition", "valid_until", "quantity_limit",
     "action_plan", "deviations", "evidence", "capability", "signatures", "issued_on"),
    number=Text(40), site_code=Text(8), site_name=Text(200), supplier_name=Text(200),
    supplier_code=Text(40), customer=LONG, vehicle_model=LONG, part_number=Text(60),
    designation=Text(500), drawing_revision=Text(10), kind=one_of(SubmissionKind),
    level=one_of(LEVELS), approval_type=Text(100), reason=one_of(Reason), reason_detail=LONG,
    disposition=one_of(State), valid_until=DAY_OR_NONE, quantity_limit=COUNT_TEXT,
    action_plan=LONG, deviations=ListOf(LONG, MAX_IDS),
    evidence=ListOf(obj(("element", "label", "sha256"), element=Text(8), label=Text(1000),
                        sha256=Hex64(empty=True)), MAX_IDS),
    capability=ListOf(obj(("characteristic", "special_class", "value", "verdict"),
                          characteristic=Text(500), special_class=one_of(("CC", "SC")),
                          value=Text(40), verdict=Text(200)), MAX_IDS),
    signatures=ListOf(obj(("name", "title", "meaning", "signed_at", "covers_rev_id"),
                          name=Text(200), title=Text(200), meaning=Text(200), signed_at=STAMP,
                          covers_rev_id=REV_ID), 100),
    issued_on=DAY, key_fingerprint=Text(200), payload=Text(1000),
    status=one_of(CertificateStatus), extra=MapOf(Text(100), Text(1000), 50),
)

_COMPONENT = obj(
    name=Text(300), part_id=ID_OR_NONE, apqp_phase=one_of(ApqpPhase),
    volumes=MapOf(Form(kept_by(check_period), 10), Int(0, MAX_COUNT), 500),
    family=Text(40), set_code=Text(40), local=Bool(),
)

SCHEMAS: dict[str, Obj] = {
    "site": obj(
        code=Form(kept_by(check_site_code), 8), name=Text(200), kind=one_of(SiteKind),
        public_key=Hex64(),  # an Ed25519 key is 32 bytes: 64 hexadecimal digits
    ),
    "user": obj(
        username=Form(kept_by(check_username), 32), display_name=Text(200), role=one_of(Role),
        site_id=ID, active=Bool(), email=Text(200), title=Text(200),
    ),
    "supplier": obj(
        name=Text(200), code=Text(40), country=Text(60), site=Text(200), contact=Text(200),
        iso9001_certificate=Text(80), iso9001_expiry=DAY_OR_NONE,
        iatf16949_certificate=Text(80), iatf16949_expiry=DAY_OR_NONE, notes=Text(500),
    ),
    "vehicle_model": obj(
        code=Text(40), carmaker=Text(120), model=Text(120), vehicle_type=Text(120),
        power_range=Text(120), approval_date=DAY_OR_NONE, name=Text(250),
    ),
    "component_family": obj(code=FAMILY, name=Text(200), active=Bool()),
    "part": obj(
        part_number=Text(60), revision=Text(10), designation=Text(500),
        designations=MapOf(one_of(LANGUAGES), Text(500), len(LANGUAGES)), family=FAMILY,
        supplier_id=ID_OR_NONE, vehicle_model_ids=ListOf(ID, 200), material=Text(500),
        grade=Text(500), mass_kg=Dec(Decimal(0), Decimal(100_000), empty=True),
        unit=one_of(UNITS), drawing_ref=Text(500), special_characteristics=Bool(),
        annual_volume=Int(0, MAX_COUNT, null=True), status=one_of(PartStatus),
        notes=Text(500), replaces=ID_OR_NONE,
    ),
    "characteristic": obj(
        part_id=ID, number=Text(20), description=Text(300), nominal=MEASURE, lower_tol=MEASURE,
        upper_tol=MEASURE, lower_limit=MEASURE, upper_limit=MEASURE, unit=Text(20),
        char_class=one_of(CharacteristicClass), method=Text(200), gauge_id=ID_OR_NONE,
        data_type=one_of(DataType),
    ),
    "gauge": obj(
        code=Text(40), gauge_type=Text(120), range_text=Text(80),
        resolution=Dec(Decimal(0), empty=True), calibrated_on=DAY, due_on=DAY,
    ),
    "test_report": obj(
        number=Text(40), part_id=ID, report_type=one_of(ReportType), title=Text(300),
        standard=Text(120), laboratory=Text(200), lab_kind=one_of(LabKind),
        accreditation=Text(120), sample_size=Int(0, 1_000_000), tested_on=DAY,
        issued_on=DAY_OR_NONE, operator=Text(200), conclusion=LONG,
        stated_result=one_of(StatedResult), supersedes=ID_OR_NONE, supersede_reason=LONG,
    ),
    "measurement_set": obj(
        report_id=ID, part_id=ID, characteristic_id=ID, char_number=Text(20),
        description=Text(300), char_class=one_of(CharacteristicClass), nominal=MEASURE,
        lower_limit=MEASURE, upper_limit=MEASURE, unit=Text(20), gauge_id=ID_OR_NONE,
        gauge_code=Text(40), gauge_calibrated_on=DAY_OR_NONE, gauge_due_on=DAY_OR_NONE,
        gauge_overdue=Bool(), measured_on=DAY,
        subgroup_size=Int(1, 10),  # as EvidenceService refuses any other
        readings=ListOf(Reading(), MAX_READINGS), data_type=one_of(DataType),
    ),
    "attachment": obj(
        part_id=ID, report_id=ID_OR_NONE, kind=one_of(AttachmentKind), original_name=Text(255),
        content_type=Form(pattern(r"[a-z]+/[a-z0-9.+-]+"), 80), size=Int(0, MAX_FILE_BYTES),
        blob_sha256=Hex64(), note=LONG,
    ),
    "submission": obj(
        ("part_id", "kind", "level", "state"),
        number=Text(40), part_id=ID, kind=one_of(SubmissionKind), level=one_of(LEVELS),
        reason=one_of(Reason), reason_detail=LONG, bulk_material=Bool(), state=one_of(State),
        round=Int(1, 1000), site_id=ID, created_by=ID, prepared_by=ListOf(ID, MAX_IDS),
        customer_choices=MapOf(one_of(ELEMENTS_BY_CODE), one_of(("S", "R")),
                               len(ELEMENTS_BY_CODE)),
        elements=MapOf(one_of(ELEMENTS_BY_CODE),
                       obj(evidence=ListOf(ID, MAX_IDS), na_reason=LONG), len(ELEMENTS_BY_CODE)),
        deviations=MapOf(ID, LONG, MAX_IDS),  # characteristic id -> deviation reference
        psw=MapOf(Form(pattern(r"[a-z][a-z0-9_]{0,39}"), 40), Text(500), 50),
        last_decision_id=ID, suspended_from=one_of(State), reject_reasons=LONG,
        interim=obj(until=DAY_OR_NONE, quantity=COUNT_TEXT, action_plan=LONG),
    ),
    "decision": obj(
        submission_id=ID, submission_rev_id=REV_ID, part_id=ID, kind=one_of(SubmissionKind),
        action=one_of(DECISIONS), state_after=one_of(State), decided_by=ID, decided_at=STAMP,
        valid_until=DAY_OR_NONE, quantity_limit=COUNT_TEXT, reason=LONG, signature_id=ID,
        certificate_id=ID_OR_NONE, action_plan=LONG,
    ),
    "signature": obj(
        subject_type=one_of(("submission", "deviation")), subject_id=ID, covers_rev_id=REV_ID,
        signer_id=ID, printed_name=Text(200), title=Text(200), meaning=Text(200),
        signed_at=STAMP,
    ),
    "deviation": obj(
        ("part_id", "characteristic_ids"),
        number=Text(40), part_id=ID, characteristic_ids=ListOf(ID, MAX_IDS),
        description=LONG, valid_until=DAY_OR_NONE, quantity_limit=COUNT_TEXT,
        quantity_used=Int(0, MAX_COUNT), site_id=ID, requested_by=ID, requested_at=STAMP,
    ),
    "deviation_decision": obj(
        ("deviation_id", "deviation_rev_id", "action"),
        deviation_id=ID, deviation_rev_id=REV_ID, action=one_of(DeviationAction),
        part_id=ID, characteristic_ids=ListOf(ID, MAX_IDS), valid_until=DAY_OR_NONE,
        quantity_limit=COUNT_TEXT, decided_by=ID, decided_at=STAMP, reason=LONG,
        signature_id=ID,
    ),
    "production_end": obj(
        ("part_id", "ended_on"),
        part_id=ID, ended_on=DAY, note=LONG, recorded_by=ID,
    ),
    "retention_policy": obj(
        ("customer", "years"),
        customer=Text(120), years=Int(1, MAX_RETENTION_YEARS), reference=Text(200),
    ),
    "laboratory": obj(
        ("name",),
        name=Text(200), accreditation_body=Text(120), accreditation_number=Text(120),
        scope=ListOf(Text(200), 200), valid_until=DAY_OR_NONE,
    ),
    "inspection_document": obj(
        ("report_id", "doc_type"),
        report_id=ID, part_id=ID, doc_type=one_of(En10204Type), heat_number=Text(60),
        inspector=Text(200), inspector_title=Text(200), cosigner=Text(200),
        cosigner_organisation=Text(200),
    ),
    "msa_study": obj(
        ("gauge_id", "kind", "readings"),
        gauge_id=ID, kind=one_of(MsaKind), characteristic_id=ID_OR_NONE, part_id=ID_OR_NONE,
        studied_on=DAY, conducted_by=Text(200), tolerance=MEASURE, unit=Text(20),
        readings=ListOf(obj(("operator", "part", "trial", "value"), operator=Text(MSA_LABEL),
                            part=Text(MSA_LABEL), trial=Int(1, MAX_TRIALS), value=Reading()),
                        MAX_READINGS),
        reference=MapOf(Text(MSA_LABEL), one_of((OK, NG)), MAX_READINGS),
        source_name=Text(255), note=LONG,
    ),
    "certificate": obj(
        ("data",),
        number=Text(40), site_id=ID, year=Int(1970, 9999), sequence=Int(1, 1_000_000),
        submission_id=ID, decision_id=ID, signature_id=ID, part_id=ID, covers_rev_id=REV_ID,
        data=_CERTIFICATE_DATA,
    ),
    "reference_set": obj(
        model_id=ID, code=Text(40), name=Text(200), kind=one_of(SetKind), rate=RATE,
        position=Int(0, 100_000),
    ),
    "set_link": obj(
        model_id=ID, set_id=ID, part_id=ID, share=RATE, supply_start=DAY_OR_NONE,
        expected_approval=DAY_OR_NONE, planned_supply_start=DAY_OR_NONE,
    ),
    "milestone_rule": obj(
        model_id=ID, years=Int(1, 30), target=RATE, reference=Text(200),
    ),
    "roadmap_step": obj(
        code=Text(40), title=Text(300), model_id=ID, target_date=DAY, target_rate=RATE,
        milestone_years=Int(1, 30, null=True),  # as a milestone rule
        baseline_date=DAY_OR_NONE, forecast_date=DAY_OR_NONE,
        components=ListOf(_COMPONENT, 500), required_evidence=ListOf(Text(500), 200),
        owner=Text(200), status=one_of((*StepStatus, "")), status_reason=LONG,
        vehicle_volumes=MapOf(Form(kept_by(check_period), 10), Int(0, MAX_COUNT), 500),
    ),
    "delivery": obj(
        ("part_id", "delivered_on", "quantity"),
        part_id=ID, delivered_on=DAY, quantity=Int(1, MAX_COUNT), note=Text(200),
    ),
    "regulatory_rules": obj(
        ("model_id",),
        model_id=ID, grace_months=Int(0, 60), grace_source=LONG, supply_cut=RATE,
        supply_cut_source=LONG, cut_ends_early=Bool(), cut_ends_early_source=LONG,
        freeze=Bool(), freeze_source=LONG,
    ),
    "step_signoff": obj(
        step_id=ID, party=one_of(Party), signer_id=ID, signer_name=Text(200), comment=LONG,
        signed_at=STAMP, covers_rev_id=REV_ID,
    ),
}

# -- the envelope ------------------------------------------------------------------------------

UNKNOWN_TYPE = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: this kind of record is not known to this version.")
REPEATED_PARENT = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} names the same revision twice.")
TOMBSTONE_WITH_FIELDS = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: a deletion carries no fields, but {name} is not empty.")
TOMBSTONE_WITHOUT_PARENT = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: a deletion names no earlier revision in {name}.")

_AUTHOR, _REASON, _OP = Text(MAX_AUTHOR), Text(MAX_REASON), one_of(Op)
_PARENTS = ListOf(REV_ID, MAX_PARENTS)


@lru_cache(maxsize=64)
def _lamports(bound: int) -> Int:
    return Int(0, bound)


def check_revision(revision: Revision, *, max_lamport: int) -> None:
    """Refuse a revision whose envelope or fields break the schema, with one sentence.

    `max_lamport` is the highest Lamport counter accepted (the caller's bound, e.g. the local
    counter plus what one package may advance it); it is capped at 2**53 - 1 in any case."""
    record_type = revision.record_type
    where = Where(record_type, revision.record_id)
    schema = SCHEMAS.get(record_type) if isinstance(record_type, str) else None
    if schema is None:
        where.fail(UNKNOWN_TYPE, "record_type")
    ID.check(revision.record_id, "record_id", where)
    ID.check(revision.site_id, "site_id", where)
    REV_ID.check(revision.rev_id, "rev_id", where)
    parents = revision.parents
    _PARENTS.check(parents, "parents", where)
    if len(set(parents)) != len(parents):
        where.fail(REPEATED_PARENT, "parents")
    _lamports(min(max_lamport, MAX_LAMPORT)).check(revision.lamport, "lamport", where)
    STAMP.check(revision.created_at, "created_at", where)
    _AUTHOR.check(revision.author, "author", where)
    _REASON.check(revision.reason, "reason", where)
    _OP.check(revision.op, "op", where)
    if revision.op == Op.TOMBSTONE:
        if revision.fields != {}:
            where.fail(TOMBSTONE_WITH_FIELDS, "fields")
        if not parents:
            where.fail(TOMBSTONE_WITHOUT_PARENT, "parents")
        return
    schema.check(revision.fields, "", where)


def schema_fields(record_type: str) -> Mapping[str, Any]:
    """The field specs of a record type (for documentation and tests)."""
    return SCHEMAS[record_type].fields

