"""The Part Submission Warrant (PPAP element 18) as data: its fields, the answers a person gives
for the warrant only, and the rule that derives "these results meet all design record
requirements" from the results.

Field names and lists follow the AIAG PPAP 4th edition warrant (DOMAIN.md, "PSW sections"); the
printed layout is PartDesk's own. A field the data does not hold stays empty: it prints as an
empty box, never as a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated


class Answer(StrEnum):
    """A yes / no / not applicable box of the warrant; UNKNOWN prints every box empty."""

    YES = "yes"
    NO = "no"
    NA = "n/a"
    UNKNOWN = ""


ANSWER_LABELS = {
    Answer.YES: QT_TRANSLATE_NOOP("Psw", "yes"),
    Answer.NO: QT_TRANSLATE_NOOP("Psw", "no"),
    Answer.NA: QT_TRANSLATE_NOOP("Psw", "n/a"),
    Answer.UNKNOWN: "",
}


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"  # an Answer


# The parameters of findings that hold a measured value (written with the document's decimal
# mark); element and characteristic numbers are labels and stay as they are.
MEASURED_PARAMS = frozenset({"ppk", "cpk", "pp", "cp", "a2", "p", "u", "value"})
DATE_PARAMS = frozenset({"date", "day", "since", "until", "expired", "tested"})


@dataclass(frozen=True, slots=True)
class WarrantField:
    """A field of the warrant a person fills in (kept in the submission's `psw` map)."""

    key: str
    label: str  # context "Psw"
    kind: FieldKind = FieldKind.TEXT


def _f(key: str, label: str, kind: FieldKind = FieldKind.TEXT) -> WarrantField:
    return WarrantField(key, label, kind)


# In the order of the warrant. The keys of fields written before this list existed are kept.
WARRANT_FIELDS: tuple[WarrantField, ...] = (
    _f("org_part_number", QT_TRANSLATE_NOOP("Psw", "Supplier part number")),
    _f("drawing_number", QT_TRANSLATE_NOOP("Psw", "Drawing number")),
    _f("change_date", QT_TRANSLATE_NOOP("Psw", "Engineering change level date"), FieldKind.DATE),
    _f("additional_changes", QT_TRANSLATE_NOOP("Psw", "Additional engineering changes")),
    _f("additional_changes_date", QT_TRANSLATE_NOOP("Psw", "Additional engineering changes date"),
       FieldKind.DATE),
    _f("safety_regulation", QT_TRANSLATE_NOOP("Psw", "Safety and/or government regulation"),
       FieldKind.CHOICE),
    _f("purchase_order", QT_TRANSLATE_NOOP("Psw", "Purchase order number")),
    _f("checking_aid", QT_TRANSLATE_NOOP("Psw", "Checking aid number and level")),
    _f("checking_aid_date", QT_TRANSLATE_NOOP("Psw", "Checking aid date"), FieldKind.DATE),
    _f("customer_division", QT_TRANSLATE_NOOP("Psw", "Customer / division")),
    _f("buyer", QT_TRANSLATE_NOOP("Psw", "Buyer / buyer code")),
    _f("substances_reported", QT_TRANSLATE_NOOP("Psw", "Substances of concern reported"),
       FieldKind.CHOICE),
    _f("imds", QT_TRANSLATE_NOOP("Psw", "Reported in IMDS or other format")),
    _f("polymer_marking", QT_TRANSLATE_NOOP("Psw", "Polymeric parts marked (ISO)"),
       FieldKind.CHOICE),
    _f("explanation", QT_TRANSLATE_NOOP("Psw", "Explanation / comments")),
    _f("mould_cavity_process", QT_TRANSLATE_NOOP("Psw", "Mould / cavity / production process")),
    _f("production_pieces", QT_TRANSLATE_NOOP("Psw", "Production rate: pieces")),
    _f("production_hours", QT_TRANSLATE_NOOP("Psw", "Production rate: hours")),
    _f("customer_tools_tagged", QT_TRANSLATE_NOOP(
        "Psw", "Each customer-owned tool is tagged and numbered"), FieldKind.CHOICE),
    _f("phone", QT_TRANSLATE_NOOP("Psw", "Phone")),
    _f("customer_tracking", QT_TRANSLATE_NOOP("Psw", "Customer tracking number")),
)
FIELDS_BY_KEY = {f.key: f for f in WARRANT_FIELDS}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"\d{0,9}([.,]\d{1,2})?")


def check_warrant_fields(values: Mapping[str, str]) -> dict[str, str]:
    """The warrant fields a person typed, trimmed; a wrong answer or date is refused with one
    sentence naming the field. Keys this version does not know are kept as they are."""
    cleaned: dict[str, str] = {}
    for key, raw in values.items():
        value = str(raw).strip()
        spec = FIELDS_BY_KEY.get(key)
        if spec is not None and value:
            if spec.kind is FieldKind.CHOICE and value not in {a.value for a in Answer}:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "{label}: answer yes, no or n/a."), field=key, label=spec.label)
            if spec.kind is FieldKind.DATE and not _DAY.fullmatch(value):
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "{label}: write the date as YYYY-MM-DD."), field=key,
                    label=spec.label)
            if key in ("production_pieces", "production_hours") and not _COUNT.fullmatch(value):
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "{label}: write a number."), field=key, label=spec.label)
        cleaned[key] = value
    return cleaned


# -- submission results and the derived answer ---------------------------------------------------

# Result of the warrant -> the PPAP element whose evidence it is.
RESULT_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("dimensional", "09", QT_TRANSLATE_NOOP("Psw", "Dimensional measurements")),
    ("material_functional", "10", QT_TRANSLATE_NOOP("Psw", "Material and functional tests")),
    ("appearance", "13", QT_TRANSLATE_NOOP("Psw", "Appearance criteria")),
    ("statistical", "11", QT_TRANSLATE_NOOP("Psw", "Statistical process package")),
)


def result_answer(evidence_linked: bool, not_applicable: bool) -> Answer:
    """A result is "yes" when evidence of its element is linked to the submission, "n/a" when
    the element is marked not applicable (with a reason), "no" otherwise."""
    if evidence_linked:
        return Answer.YES
    return Answer.NA if not_applicable else Answer.NO


@dataclass(frozen=True, slots=True)
class Note:
    """A sentence of the explanation, translated when printed (context "Errors" or "Psw")."""

    template: str
    params: tuple[tuple[str, str], ...] = ()
    context: str = "Errors"
    translated_params: tuple[tuple[str, str], ...] = ()  # (name, context) translated too

    def text(self, translate: Translate = untranslated,
             number: Callable[[str], str] = str, day: Callable[[str], str] = str) -> str:
        """The sentence; `number` and `day` write measured values (Ppk…) and dates the
        document's way."""
        params = {k: number(v) if k in MEASURED_PARAMS else day(v) if k in DATE_PARAMS else v
                  for k, v in self.params}
        for name, context in self.translated_params:
            params[name] = translate(context, params[name])
        return translate(self.context, self.template).format(**params)


NO_RESULT = QT_TRANSLATE_NOOP("Psw", "{result}: no result is linked to the submission.")
NO_RESULTS_AT_ALL = QT_TRANSLATE_NOOP("Psw", "No result is linked to the submission.")


def requirements_met(results: Mapping[str, Answer], findings: tuple[Note, ...] = ()
                     ) -> tuple[Answer, tuple[Note, ...]]:
    """"These results meet all design record requirements", derived, never typed: "yes" only
    when no result is "no", at least one is "yes", and the completeness and consistency checks
    find nothing; otherwise "no" with the reasons (which the warrant prints as the explanation).
    """
    labels = {key: label for key, _code, label in RESULT_ELEMENTS}
    notes: list[Note] = [Note(NO_RESULT, (("result", labels.get(key, key)),), "Psw",
                              (("result", "Psw"),))
                         for key, answer in results.items() if answer is Answer.NO]
    if not any(answer is Answer.YES for answer in results.values()) and not notes:
        notes.append(Note(NO_RESULTS_AT_ALL, (), "Psw"))
    notes += findings
    return (Answer.NO if notes else Answer.YES), tuple(notes)


# -- the warrant -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Warrant:
    """Everything one warrant prints, as the database says it (text untranslated; labels and
    answers are translated by the document)."""

    submission_number: str
    state: str  # domain.certification.State value
    kind: str  # "ppap" or "ots"
    # part information
    part_name: str
    customer_part_number: str
    org_part_number: str
    drawing_number: str
    change_level: str
    change_date: str
    additional_changes: str
    additional_changes_date: str
    safety_regulation: Answer
    purchase_order: str
    weight_kg: str  # four decimals, "" when unknown
    checking_aid: str
    checking_aid_date: str
    # supplier manufacturing information
    supplier_name: str
    supplier_code: str
    supplier_address: str
    # customer submittal information
    customer: str
    buyer: str
    application: str
    # materials reporting
    substances_reported: Answer
    imds: str
    polymer_marking: Answer
    # reason and level
    reason: str  # domain.ppap.Reason value
    reason_detail: str
    level: int | None  # None for an OTS submission
    # results
    results: tuple[tuple[str, Answer], ...]  # (RESULT_ELEMENTS key, answer)
    meets_requirements: Answer
    notes: tuple[Note, ...]  # why the requirements answer is "no"
    explanation: str
    mould_cavity_process: str
    # declaration
    production_pieces: str
    production_hours: str
    customer_tools_tagged: Answer
    # the supplier's authorised signature (who submitted it)
    signer_name: str
    signer_title: str
    signer_phone: str
    signer_email: str
    signed_on: str
    # customer use only
    disposition: str  # domain.certification.State value, "" before a decision
    customer_signature: str
    customer_name: str
    customer_signed_on: str
    customer_tracking: str
    customer_meaning: str = ""  # the signature's stored (English) meaning, printed translated

    def result(self, key: str) -> Answer:
        return dict(self.results).get(key, Answer.UNKNOWN)
