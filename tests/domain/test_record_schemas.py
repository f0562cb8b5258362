"""Bounded input: the schema accepts everything the app writes, refuses malformed revisions with
one sentence, and never fails with anything but a ValidationError."""

from __future__ import annotations

from dataclasses import MISSING, replace
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app.demo import build_demo
from desktop_app.demo.people import DEMO_PASSWORDS
from desktop_app.domain import field_specs as specs
from desktop_app.domain.certificates import NOT_STORED, CertificateData
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import PartDraft, SupplierDraft, VehicleModelDraft
from desktop_app.domain.record_schemas import (
    MAX_LAMPORT,
    SCHEMAS,
    TOMBSTONE_WITH_FIELDS,
    UNKNOWN_TYPE,
    check_revision,
    schema_fields,
)
from desktop_app.domain.record_types import RECORD_TYPE_LABELS
from desktop_app.domain.revisions import Op, Revision
from desktop_app.domain.roadmap import StepDraft
from desktop_app.files.sniff import BY_CONTENT_TYPE
from desktop_app.paths import DataFolder
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.certification_psw import PSW_FIELDS
from desktop_app.services.context import open_context
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.integration import IntegrationService
from desktop_app.services.people import PeopleService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.retention import RetentionService
from desktop_app.services.roadmap import RoadmapService
from desktop_app.services.suppliers import FamilyService
from desktop_app.storage.models.core import RevisionRow
from desktop_app.storage.models.evidence import Attachment, Characteristic, Gauge
from desktop_app.storage.models.parts import VehicleModel
from desktop_app.storage.models.roadmap import ReferenceSet, RoadmapStep, SetLinkRow
from desktop_app.storage.revisions import revision_from_row

LOOSE = MAX_LAMPORT  # the caller's bound is not what these tests are about


def _more_writes(ctx) -> None:
    """What the demo does not write: families, milestone rules, a recalibration, deletions."""
    people = PeopleService(ctx)
    admin = people.sign_in("admin", DEMO_PASSWORDS["admin"])
    engineer = people.sign_in("k.benali", DEMO_PASSWORDS["k.benali"])
    inspector = people.sign_in("n.mansouri", DEMO_PASSWORDS["n.mansouri"])
    with ctx.unit_of_work() as uow:
        s = uow.session
        model_id = s.execute(select(VehicleModel.id)).scalars().first()
        gauge_id = s.execute(select(Gauge.id)).scalars().first()
        characteristic_id = s.execute(select(Characteristic.id)).scalars().first()
        attachment_id = s.execute(select(Attachment.id)).scalars().first()
        link_id = s.execute(select(SetLinkRow.id)).scalars().first()
        step_id = s.execute(select(RoadmapStep.id)).scalars().first()
        set_id = s.execute(select(ReferenceSet.id).where(
            ReferenceSet.id.not_in(select(SetLinkRow.set_id)))).scalars().first()
    FamilyService(ctx).set_family(admin, "brake_disc", "Disques de frein")
    FamilyService(ctx).set_family(admin, "tyre", "Pneumatiques", active=False)
    IntegrationService(ctx).set_milestone_rules(
        admin, model_id, [(2, "10", "Décret 22-384 art. 5"), (3, "20", ""), (5, "30.5", "")])
    rules, _ = IntegrationService(ctx).supply_rules(admin, model_id)
    IntegrationService(ctx).set_supply_rules(admin, model_id, {**rules.fields(),
                                                               "grace_months": 18})
    EvidenceService(ctx).recalibrate_gauge(inspector, gauge_id, date.today().isoformat(),
                                           date(date.today().year + 1, 1, 1).isoformat())
    EvidenceService(ctx).remove_characteristic(engineer, characteristic_id, "doublon")
    AttachmentService(ctx).withdraw(inspector, attachment_id, "mauvais fichier")
    IntegrationService(ctx).unlink(engineer, link_id)
    RoadmapService(ctx).remove_step(engineer, step_id)
    ReferenceListService(ctx).remove_set(admin, set_id)
    # A customer's retention period (the demo's customer keeps the default year).
    RetentionService(ctx).set_policy(admin, "Chery", 15, "Chery group CSR")


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> list[Revision]:
    """Every revision of the demo data folder, after a few more kinds of write."""
    folder = DataFolder(tmp_path_factory.mktemp("schemas") / "data")
    folder.root.mkdir()
    ctx = open_context(folder)
    try:
        build_demo(ctx)
        _more_writes(ctx)
        with ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(RevisionRow).order_by(RevisionRow.seq)).scalars()
            return [revision_from_row(r) for r in rows]
    finally:
        ctx.close()


# -- (a) everything the app writes passes ----------------------------------------------------


def test_every_revision_the_app_writes_passes(stored):
    highest = max(r.lamport for r in stored)
    for revision in stored:
        check_revision(revision, max_lamport=highest)
    assert {r.record_type for r in stored} == set(RECORD_TYPE_LABELS)
    assert {r.record_type for r in stored if r.op is Op.TOMBSTONE} >= {
        "characteristic", "attachment", "set_link", "roadmap_step", "reference_set"}


def test_every_record_type_has_a_schema():
    assert set(SCHEMAS) == set(RECORD_TYPE_LABELS)


def test_schemas_name_the_fields_the_drafts_write():
    def keys(record_type: str) -> set[str]:
        return set(schema_fields(record_type))

    assert keys("part") == set(PartDraft("P-1", "A", "Part").fields())
    assert keys("supplier") == set(SupplierDraft.__slots__)
    assert keys("vehicle_model") == set(VehicleModelDraft.__slots__) | {"name"}
    assert keys("roadmap_step") == set(StepDraft("S1", "Step", "m", date(2027, 1, 1)).fields())
    data = schema_fields("certificate")["data"]
    stored = [f for f in dataclass_fields(CertificateData) if f.name not in NOT_STORED]
    assert set(data.fields) == {f.name for f in stored}
    assert data.required == {f.name for f in stored
                             if f.default is MISSING and f.default_factory is MISSING}


def test_every_allowed_file_type_and_warrant_field_passes(stored):
    attachment = next(r for r in stored if r.record_type == "attachment" and r.fields)
    for content_type in BY_CONTENT_TYPE:
        check_revision(_with(attachment, content_type=content_type), max_lamport=LOOSE)
    submission = next(r for r in stored if r.record_type == "submission")
    psw = {key: "x" for key in PSW_FIELDS}
    check_revision(_with(submission, psw=psw), max_lamport=LOOSE)


# -- (b) refusals, one sentence each ---------------------------------------------------------


def _with(original: Revision, /, **changes: Any) -> Revision:
    return replace(original, fields={**original.fields, **changes})


def _refusal(revision: Revision, max_lamport: int = LOOSE, names_field: bool = True
             ) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_revision(revision, max_lamport=max_lamport)
    error = caught.value
    message = error.message()
    assert message.endswith(".") and "\n" not in message and message.count(". ") == 0
    assert len(message) < 300
    assert specs.short_id(revision.record_id) in message
    assert error.field
    if names_field:
        assert error.field.split(".")[0].split("[")[0] in message
    return error


def _first(stored: list[Revision], record_type: str) -> Revision:
    return next(r for r in stored if r.record_type == record_type and r.op is Op.UPSERT)


def test_an_integer_of_2_to_the_63_is_refused(stored):
    part = _first(stored, "part")
    error = _refusal(_with(part, annual_volume=2**63))
    assert error.field == "annual_volume" and error.template == specs.OUT_OF_RANGE
    assert error.message().startswith("part record ")


def test_designations_as_text_are_refused(stored):
    error = _refusal(_with(_first(stored, "part"), designations="Traverse avant"))
    assert (error.field, error.template) == ("designations", specs.NOT_OBJECT)


def test_an_unknown_role_is_refused(stored):
    error = _refusal(_with(_first(stored, "user"), role="superuser"))
    assert (error.field, error.template) == ("role", specs.NOT_ONE_OF)
    assert "administrator" in error.message()


@pytest.mark.parametrize("lamport", [-1, 2**53, 2**63, True, "7"])
def test_a_lamport_counter_out_of_bounds_is_refused(stored, lamport):
    error = _refusal(replace(_first(stored, "part"), lamport=lamport))
    assert error.field == "lamport"


def test_a_lamport_counter_above_the_callers_bound_is_refused(stored):
    part = _first(stored, "part")
    check_revision(part, max_lamport=part.lamport)
    error = _refusal(part, max_lamport=part.lamport - 1)
    assert error.field == "lamport" and str(part.lamport - 1) in error.message()


@pytest.mark.parametrize("created_at", ["yesterday", "2026-13-01T00:00:00.000000Z",
                                        "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000000+01:00",
                                        "", 1767225600])
def test_a_created_at_that_is_not_a_time_stamp_is_refused(stored, created_at):
    error = _refusal(replace(_first(stored, "part"), created_at=created_at))
    assert (error.field, error.template) == ("created_at", specs.NOT_TIMESTAMP)


def test_a_ten_megabyte_string_is_refused(stored):
    error = _refusal(_with(_first(stored, "test_report"), conclusion="x" * 10_000_000))
    assert (error.field, error.template) == ("conclusion", specs.TOO_LONG)


def test_a_deeply_nested_list_where_text_belongs_is_refused(stored):
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    error = _refusal(_with(_first(stored, "part"), designation=deep))
    assert (error.field, error.template) == ("designation", specs.NOT_TEXT)


def test_an_unknown_record_type_is_refused(stored):
    error = _refusal(replace(_first(stored, "part"), record_type="superuser_grant"),
                     names_field=False)
    assert (error.field, error.template) == ("record_type", UNKNOWN_TYPE)
    assert error.message().startswith("superuser_grant record ")


def test_a_tombstone_with_fields_is_refused(stored):
    tombstone = next(r for r in stored if r.op is Op.TOMBSTONE)
    check_revision(tombstone, max_lamport=LOOSE)
    error = _refusal(replace(tombstone, fields={"note": "still here"}))
    assert (error.field, error.template) == ("fields", TOMBSTONE_WITH_FIELDS)


@pytest.mark.parametrize(("record_type", "changes", "field", "template"), [
    ("part", {"colour": "red"}, "colour", specs.UNKNOWN_FIELD),
    ("part", {"mass_kg": 12.5}, "mass_kg", specs.NOT_DECIMAL),
    ("part", {"mass_kg": "1e400"}, "mass_kg", specs.NOT_DECIMAL),
    ("part", {"mass_kg": "1E+20"}, "mass_kg", specs.DECIMAL_MAGNITUDE),
    ("part", {"designations": {"de": "Querträger"}}, "designations.de", specs.NOT_ONE_OF),
    ("part", {"vehicle_model_ids": ["X70"]}, "vehicle_model_ids[0]", specs.NOT_RECORD_ID),
    ("part", {"special_characteristics": 1}, "special_characteristics", specs.NOT_BOOLEAN),
    ("part", {"designation": "a\x00b"}, "designation", specs.BAD_CHARACTER),
    ("part", {"notes": "\ud800"}, "notes", specs.BAD_CHARACTER),
    ("submission", {"level": 6}, "level", specs.NOT_ONE_OF),
    ("submission", {"level": True}, "level", specs.NOT_ONE_OF),
    ("submission", {"elements": {"09": {"evidence": "all"}}}, "elements.09.evidence",
     specs.NOT_LIST),
    ("submission", {"prepared_by": ["0" * 36] * 1001}, "prepared_by", specs.TOO_MANY),
    ("measurement_set", {"readings": ["1.5", "NaN"]}, "readings[1]", specs.NOT_DECIMAL),
    ("measurement_set", {"subgroup_size": 0}, "subgroup_size", specs.OUT_OF_RANGE),
    ("gauge", {"due_on": "2026-02-30"}, "due_on", specs.NOT_DATE),
    ("site", {"kind": "bank"}, "kind", specs.NOT_ONE_OF),
    ("site", {"code": "msr"}, "code", specs.BAD_FORM),
    ("reference_set", {"rate": "100.5"}, "rate", specs.OUT_OF_RANGE),
    ("roadmap_step", {"components": [{"name": "Seat", "volumes": {"next year": 10}}]},
     "components[0].volumes.next year", specs.BAD_FORM),
    ("signature", {"covers_rev_id": "ABC"}, "covers_rev_id", specs.NOT_HASH),
    ("certificate", {"data": {}}, "data.number", specs.MISSING),
])
def test_other_malformed_fields_are_refused(stored, record_type, changes, field, template):
    error = _refusal(_with(_first(stored, record_type), **changes))
    assert (error.field, error.template) == (field, template)


def test_every_sentence_starts_with_the_record_and_names_the_field():
    from desktop_app.domain import record_schemas

    templates = {value for module in (specs, record_schemas) for name, value in vars(module).items()
                 if name.isupper() and isinstance(value, str) and "{record}" in value}
    assert len(templates) == 23
    for template in templates:
        assert template.startswith("{type} record {record}: ") and template.endswith(".")
        assert "{name}" in template or template == UNKNOWN_TYPE


def test_a_submission_without_its_state_is_refused(stored):
    submission = _first(stored, "submission")
    fields = {k: v for k, v in submission.fields.items() if k != "state"}
    error = _refusal(replace(submission, fields=fields))
    assert (error.field, error.template) == ("state", specs.MISSING)


@pytest.mark.parametrize(("name", "value"), [
    ("record_id", "P-0001"), ("record_id", "0190F3A2-0000-7000-8000-000000000000"),
    ("site_id", ""), ("rev_id", "x" * 64), ("parents", ["0" * 64] * 65),
    ("parents", ("a" * 64, "a" * 64)), ("author", "a" * 65), ("reason", "r" * 4001),
    ("op", "delete"), ("fields", []),
])
def test_a_malformed_envelope_is_refused(stored, name, value):
    error = _refusal(replace(_first(stored, "part"), **{name: value}))
    assert error.field == name


def test_a_tombstone_names_what_it_deletes(stored):
    part = _first(stored, "part")
    error = _refusal(replace(part, op=Op.TOMBSTONE, fields={}, parents=()))
    assert error.field == "parents"


# -- (c) any mutation: accepted or one ValidationError, never anything else --------------------

_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True) | st.decimals(allow_nan=True) | st.text(max_size=30)
    | st.sampled_from(["", "2026-02-29", "2028-02-29", "12.5", "-0.1", "1E+3", "0E-8", "S",
                       "approved", "fr", "01a", "2027-Q1", "0" * 64, "CC",
                       "01a234d3-0000-7000-8000-000000000000", "2026-01-01T00:00:00.000000Z"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(max_size=12) | st.sampled_from(["fr", "09", "evidence", "na_reason", "name"]),
        inner, max_size=4),
    max_leaves=12,
)


def _mutate(data: st.DataObject, value: Any) -> Any:
    """The value with one place inside it replaced, removed or added to."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["into", "drop", "add"]))
        if action == "drop":
            return {k: v for k, v in value.items() if k != key}
        if action == "add":
            return {**value, data.draw(st.text(max_size=12)): data.draw(_VALUES)}
        return {**value, key: _mutate(data, value[key])}
    if isinstance(value, list) and value and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(value) - 1))
        return [*value[:i], _mutate(data, value[i]), *value[i + 1:]]
    return data.draw(_VALUES)


_ENVELOPE = ("record_type", "record_id", "parents", "site_id", "lamport", "created_at", "author",
             "op", "reason", "rev_id")


@settings(max_examples=300)
@given(data=st.data())
def test_any_mutation_passes_or_is_refused_with_one_sentence(stored, data):
    revision = data.draw(st.sampled_from(stored))
    if data.draw(st.integers(0, 4)) == 0:
        name = data.draw(st.sampled_from(_ENVELOPE))
        mutated = replace(revision, **{name: _mutate(data, getattr(revision, name))})
    else:
        mutated = replace(revision, fields=_mutate(data, revision.fields))
    try:
        check_revision(mutated, max_lamport=data.draw(st.integers(-1, 2**60)))
    except ValidationError as error:
        message = error.message()
        assert message.endswith(".") and "\n" not in message
        assert len(message) < 400
        assert error.field


@given(value=_VALUES)
def test_any_value_in_any_field_passes_or_is_refused(stored, value):
    for record_type, schema in SCHEMAS.items():
        revision = _first(stored, record_type)
        for name in schema.fields:
            try:
                check_revision(_with(revision, **{name: value}), max_lamport=LOOSE)
            except ValidationError as error:
                assert error.field and error.field.startswith(name)


def test_decimals_are_what_str_of_decimal_writes():
    spec = specs.Dec()
    where = specs.Where("part", "x")
    for text in ("12.05", "-0.1", "1E+3", "1.5E-7", "0E-8", "0", "9999999999999"):
        assert str(Decimal(text)) == text
        spec.check(text, "v", where)
    for text in ("12,05", " 1", "+1", "1e3", "Infinity", "NaN", "0x10", "1_000", "٣"):
        with pytest.raises(ValidationError):
            spec.check(text, "v", where)
