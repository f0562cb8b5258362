"""One row of a parts sheet -> the fields of a part revision, or a sentence with its row number."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.parts import (
    DEFAULT_FAMILIES,
    PartDraft,
    PartStatus,
    check_status_move,
    parse_bool,
    parse_int,
)
from desktop_app.domain.tabular import normalise_header
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.tables import TableRow

# Field -> header texts people write (French, English, Arabic, Chinese); compared after
# normalisation (`domain.tabular.normalise_header`), by the mapping and the header row's search.
SYNONYMS: dict[str, list[str]] = {
    "part_number": ["part number", "part no", "part n", "pn", "p n", "référence", "reference",
                    "ref", "réf", "référence pièce", "numéro de pièce", "n pièce", "code article",
                    "رقم القطعة", "رقم الجزء", "مرجع القطعة", "رمز القطعة",
                    "零件号", "零件编号", "零件号码", "件号", "物料号", "物料编码"],
    "revision": ["revision", "rev", "drawing revision", "indice", "ind", "indice plan",
                 "révision", "niveau de modification",
                 "المراجعة", "مراجعة الرسم", "رقم المراجعة", "الإصدار",
                 "版本", "版本号", "图纸版本", "修订", "修订版"],
    "designation": ["designation", "description", "name", "part name", "désignation",
                    "libellé", "nom", "التسمية", "الوصف", "اسم القطعة",
                    "名称", "零件名称", "品名", "描述"],
    "designation_fr": ["designation fr", "french designation", "désignation fr",
                       "désignation française", "libellé fr", "التسمية بالفرنسية",
                       "التسمية (الفرنسية)", "法文名称", "名称（法文）"],
    "designation_ar": ["designation ar", "arabic designation", "désignation ar",
                       "désignation arabe", "التسمية بالعربية", "التسمية (العربية)",
                       "阿拉伯文名称", "名称（阿拉伯文）"],
    "designation_zh": ["designation zh", "designation cn", "chinese designation",
                       "désignation zh", "désignation chinoise", "التسمية بالصينية",
                       "التسمية (الصينية)", "中文名称", "名称（中文）"],
    "designation_en": ["designation en", "english designation", "désignation en",
                       "désignation anglaise", "التسمية بالإنجليزية", "التسمية (الإنجليزية)",
                       "英文名称", "名称（英文）"],
    "family": ["family", "component family", "famille", "famille de composant", "type",
               "عائلة المكونات", "العائلة", "零件类别", "类别", "零件族"],
    "supplier": ["supplier", "supplier code", "supplier name", "fournisseur",
                 "code fournisseur", "nom fournisseur", "المورد", "اسم المورد", "رمز المورد",
                 "供应商", "供应商代码", "供应商名称"],
    "vehicle_models": ["vehicle models", "vehicle model", "models", "model", "modèle",
                       "modèles", "véhicule", "véhicules", "طرازات المركبات", "طراز المركبة",
                       "الطراز", "车型", "适用车型"],
    "material": ["material", "matière", "matériau", "matiere", "المادة", "材料", "材质"],
    "grade": ["grade", "nuance", "material grade", "الدرجة", "درجة المادة", "牌号", "材料牌号"],
    "mass_kg": ["mass kg", "mass", "weight kg", "weight", "masse kg", "masse", "poids",
                "poids kg", "الكتلة", "الكتلة (kg)", "الكتلة (كغ)", "الوزن", "الوزن (كغ)",
                "质量", "质量（kg）", "重量", "重量（kg）"],
    "unit": ["unit", "uom", "unité", "unite", "الوحدة", "单位"],
    "drawing_ref": ["drawing", "drawing reference", "drawing ref", "drawing number", "plan",
                    "n plan", "numéro de plan", "référence plan", "مرجع الرسم", "رقم الرسم",
                    "图号", "图纸编号", "图纸号"],
    "special_characteristics": ["special characteristics", "cc sc", "cc", "caractéristiques "
                                "spéciales", "caractéristique spéciale", "الخصائص الخاصة",
                                "特殊特性"],
    "annual_volume": ["annual volume", "planned annual volume", "volume", "volume annuel",
                      "volume annuel prévu", "الحجم السنوي المخطط", "الحجم السنوي",
                      "الكمية السنوية", "年产量", "计划年产量", "年需求量"],
    "status": ["status", "lifecycle status", "statut", "état", "etat", "الوضع", "الحالة",
               "状态"],
    "notes": ["notes", "note", "remarks", "comment", "comments", "remarques", "commentaire",
              "observations", "ملاحظات", "ملاحظة", "备注", "说明"],
}
REQUIRED = ("part_number", "revision", "designation")
# How a sentence names the columns a parts sheet needs when no header row was found.
EXPECTED = ("Référence / Part number", "Indice / Revision", "Désignation / Designation")

FIELD_LABELS: dict[str, str] = {
    "part_number": QT_TRANSLATE_NOOP("PartsImport", "Part number"),
    "revision": QT_TRANSLATE_NOOP("PartsImport", "Drawing revision"),
    "designation": QT_TRANSLATE_NOOP("PartsImport", "Designation"),
    "designation_fr": QT_TRANSLATE_NOOP("PartsImport", "Designation (French)"),
    "designation_ar": QT_TRANSLATE_NOOP("PartsImport", "Designation (Arabic)"),
    "designation_zh": QT_TRANSLATE_NOOP("PartsImport", "Designation (Chinese)"),
    "designation_en": QT_TRANSLATE_NOOP("PartsImport", "Designation (English)"),
    "family": QT_TRANSLATE_NOOP("PartsImport", "Component family"),
    "supplier": QT_TRANSLATE_NOOP("PartsImport", "Supplier"),
    "vehicle_models": QT_TRANSLATE_NOOP("PartsImport", "Vehicle models"),
    "material": QT_TRANSLATE_NOOP("PartsImport", "Material"),
    "grade": QT_TRANSLATE_NOOP("PartsImport", "Grade"),
    "mass_kg": QT_TRANSLATE_NOOP("PartsImport", "Mass (kg)"),
    "unit": QT_TRANSLATE_NOOP("PartsImport", "Unit"),
    "drawing_ref": QT_TRANSLATE_NOOP("PartsImport", "Drawing reference"),
    "special_characteristics": QT_TRANSLATE_NOOP("PartsImport", "Special characteristics"),
    "annual_volume": QT_TRANSLATE_NOOP("PartsImport", "Planned annual volume"),
    "status": QT_TRANSLATE_NOOP("PartsImport", "Status"),
    "notes": QT_TRANSLATE_NOOP("PartsImport", "Notes"),
}

# French and English words for families and statuses, compared after normalisation.
FAMILY_WORDS = {
    "body_stamping": ["emboutissage", "pièce emboutie", "stamping", "tôlerie"],
    "welded_assembly": ["ensemble soudé", "mécano soudé", "welded"],
    "casting": ["fonderie", "pièce de fonderie"],
    "forging": ["forge", "pièce forgée"],
    "fastener": ["visserie", "fixation", "boulonnerie"],
    "glass": ["vitrage", "verre"],
    "plastic_trim": ["garniture plastique", "plasturgie", "plastique"],
    "seat": ["siège", "sièges"],
    "harness": ["faisceau", "faisceau électrique", "câblage"],
    "tyre": ["pneumatique", "pneu", "tire"],
    "battery": ["batterie"],
    "other": ["autre", "divers"],
}
STATUS_WORDS = {
    PartStatus.IN_DEVELOPMENT: ["in development", "development", "en développement", "en cours",
                                "draft", "prototype"],
    PartStatus.RELEASED: ["released", "libéré", "validé", "série", "en série", "approved"],
    PartStatus.OBSOLETE: ["obsolete", "obsolète", "retired", "abandonné"],
}
LANGUAGE_COLUMNS = {"designation_fr": "fr", "designation_ar": "ar", "designation_zh": "zh",
                    "designation_en": "en"}
_LIST_SPLIT = re.compile(r"[;,/|\n]+")


def supplier_key(text: str) -> str:
    return normalise_header(text)


def _words(table: Mapping[Any, list[str]]) -> dict[str, str]:
    return {normalise_header(w): str(code) for code, words in table.items() for w in words}


@dataclass(frozen=True, slots=True)
class ParsedRow:
    number: int
    part_number: str
    revision: str
    fields: dict[str, Any] | None  # None: an error
    provided: frozenset[str] = frozenset()  # record fields the sheet gives
    message: str = ""
    error: PartDeskError | None = field(default=None, compare=False)

    def failed(self, error: PartDeskError) -> ParsedRow:
        return replace(self, fields=None, message=error.message(), error=error)


class RowParser:
    def __init__(self, mapping: Mapping[str, int], suppliers: Mapping[str, str],
                 models: Mapping[str, str], strict: bool,
                 families: Mapping[str, str] | None = None) -> None:
        self._mapping = dict(mapping)
        self._suppliers = suppliers
        self._models = models
        self._strict = strict
        known = dict(families or {code: code for code in DEFAULT_FAMILIES})
        self._families = {normalise_header(code): code for code in known}
        self._families.update({normalise_header(label): code for code, label in known.items()})
        self._families.update({normalise_header(t): c for c, t in DEFAULT_FAMILIES.items()})
        self._families.update(_words(FAMILY_WORDS))
        self._statuses = _words(STATUS_WORDS)
        self._statuses.update({normalise_header(s.value): s.value for s in PartStatus})
        self.new_suppliers: dict[str, str] = {}  # key -> name as written

    def _cell(self, row: TableRow, name: str) -> str | None:
        index = self._mapping.get(name)
        return None if index is None else row.value(index)

    def parse(self, row: TableRow) -> ParsedRow:
        number = self._cell(row, "part_number") or ""
        revision = self._cell(row, "revision") or ""
        base = ParsedRow(row.number, number, revision, None)
        try:
            return self._parse(row, base)
        except ValidationError as exc:
            return base.failed(ValidationError(
                QT_TRANSLATE_NOOP("Errors", "Row {row}: {reason}"), field=exc.field,
                row=row.number, reason=exc.message()))

    def _parse(self, row: TableRow, base: ParsedRow) -> ParsedRow:
        provided = {"part_number", "revision", "designation"}
        values: dict[str, Any] = {"part_number": base.part_number, "revision": base.revision,
                                  "designation": self._cell(row, "designation") or ""}
        for name in ("material", "grade", "mass_kg", "drawing_ref", "notes", "unit"):
            cell = self._cell(row, name)
            if cell is not None:
                values[name] = cell
                provided.add(name)
        if "unit" in values:
            values["unit"] = values["unit"].lower() or "pc"
        designations = {LANGUAGE_COLUMNS[c]: self._cell(row, c) or "" for c in LANGUAGE_COLUMNS
                        if c in self._mapping}
        if designations:
            values["designations"] = {k: v for k, v in designations.items() if v}
            provided.add("designations")
        cell = self._cell(row, "family")
        if cell is not None:
            values["family"] = self._family(cell)
            provided.add("family")
        cell = self._cell(row, "special_characteristics")
        if cell is not None:
            values["special_characteristics"] = parse_bool(cell)
            provided.add("special_characteristics")
        cell = self._cell(row, "annual_volume")
        if cell is not None:
            values["annual_volume"] = parse_int(cell, "annual_volume", "planned annual volume")
            provided.add("annual_volume")
        cell = self._cell(row, "status")
        if cell:
            values["status"] = self._status(cell)
            provided.add("status")
        cell = self._cell(row, "vehicle_models")
        if cell is not None:
            values["vehicle_model_ids"] = tuple(self._model(m) for m in _LIST_SPLIT.split(cell)
                                                if m.strip())
            provided.add("vehicle_model_ids")
        new_supplier = ""
        cell = self._cell(row, "supplier")
        if cell is not None:
            provided.add("supplier_id")
            values["supplier_id"], new_supplier = self._supplier(cell)
        fields = PartDraft(**values).fields()
        if new_supplier:
            fields["_new_supplier"] = new_supplier
            fields["_supplier_name"] = self.new_suppliers[new_supplier]
            provided.update(("_new_supplier", "_supplier_name"))
        message = ""
        if new_supplier:
            message = QT_TRANSLATE_NOOP("PartsImport", "New supplier: {name}").format(
                name=self.new_suppliers[new_supplier])
        return ParsedRow(base.number, part_number=fields["part_number"],
                         revision=fields["revision"], fields=fields,
                         provided=frozenset(provided), message=message)

    def _family(self, text: str) -> str:
        if not text.strip():
            return "other"
        found = self._families.get(normalise_header(text))
        if found is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "the component family \u201c{value}\u201d is not in the list of "
                          "families."), field="family", value=text)
        return found

    def _status(self, text: str) -> str:
        found = self._statuses.get(normalise_header(text))
        if found is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "the status \u201c{value}\u201d is not one of in development, "
                          "released, obsolete."), field="status", value=text)
        return found

    def _model(self, text: str) -> str:
        found = self._models.get(supplier_key(text))
        if found is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "the vehicle model \u201c{value}\u201d is not registered."),
                field="vehicle_model_ids", value=text.strip())
        return found

    def _supplier(self, text: str) -> tuple[str, str]:
        key = supplier_key(text)
        if not key:
            return "", ""
        if key in self._suppliers:
            return self._suppliers[key], ""
        if self._strict:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "the supplier \u201c{value}\u201d is not registered (a strict import "
                          "creates no supplier)."), field="supplier_id", value=text.strip())
        self.new_suppliers.setdefault(key, text.strip())
        return "", key

    @staticmethod
    def refuse_change(number: int, fields: Mapping[str, Any], status: str, head_count: int,
                      changed: tuple[str, ...]) -> PartDeskError | None:
        """Why an existing part may not take the sheet's values, or None."""
        if head_count > 1:
            return ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Row {row}: part {number} revision {revision} was edited at two sites; "
                          "merge it first."), row=number, number=fields["part_number"],
                revision=fields["revision"])
        if status == PartStatus.RELEASED and changed != ("status",):
            return ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Row {row}: part {number} revision {revision} is released and locked; "
                          "give the new values a new drawing revision."), row=number,
                number=fields["part_number"], revision=fields["revision"])
        try:
            check_status_move(PartStatus(status), PartStatus(fields["status"]))
        except ValidationError as exc:
            return ValidationError(QT_TRANSLATE_NOOP("Errors", "Row {row}: {reason}"),
                                   row=number, reason=exc.message())
        return None
