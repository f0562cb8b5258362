"""What each kind of record is called on screen (the codes travel in revisions and packages)."""

from __future__ import annotations

from desktop_app.domain.text import QT_TRANSLATE_NOOP

RECORD_TYPE_LABELS = {
    "site": QT_TRANSLATE_NOOP("RecordTypes", "Site"),
    "user": QT_TRANSLATE_NOOP("RecordTypes", "Person"),
    "supplier": QT_TRANSLATE_NOOP("RecordTypes", "Supplier"),
    "vehicle_model": QT_TRANSLATE_NOOP("RecordTypes", "Vehicle model"),
    "component_family": QT_TRANSLATE_NOOP("RecordTypes", "Component family"),
    "part": QT_TRANSLATE_NOOP("RecordTypes", "Part"),
    "characteristic": QT_TRANSLATE_NOOP("RecordTypes", "Characteristic"),
    "gauge": QT_TRANSLATE_NOOP("RecordTypes", "Gauge"),
    "test_report": QT_TRANSLATE_NOOP("RecordTypes", "Test report"),
    "measurement_set": QT_TRANSLATE_NOOP("RecordTypes", "Readings"),
    "attachment": QT_TRANSLATE_NOOP("RecordTypes", "Attached file"),
    "submission": QT_TRANSLATE_NOOP("RecordTypes", "Submission"),
    "decision": QT_TRANSLATE_NOOP("RecordTypes", "Decision"),
    "signature": QT_TRANSLATE_NOOP("RecordTypes", "Signature"),
    "certificate": QT_TRANSLATE_NOOP("RecordTypes", "Certificate"),
    "deviation": QT_TRANSLATE_NOOP("RecordTypes", "Deviation"),
    "deviation_decision": QT_TRANSLATE_NOOP("RecordTypes", "Customer decision on a deviation"),
    "production_end": QT_TRANSLATE_NOOP("RecordTypes", "End of production"),
    "retention_policy": QT_TRANSLATE_NOOP("RecordTypes", "Customer's retention period"),
    "laboratory": QT_TRANSLATE_NOOP("RecordTypes", "Test laboratory"),
    "inspection_document": QT_TRANSLATE_NOOP("RecordTypes", "EN 10204 inspection document"),
    "msa_study": QT_TRANSLATE_NOOP("RecordTypes", "Measurement system analysis study"),
    "reference_set": QT_TRANSLATE_NOOP("RecordTypes", "Reference list set"),
    "set_link": QT_TRANSLATE_NOOP("RecordTypes", "Set to part link"),
    "milestone_rule": QT_TRANSLATE_NOOP("RecordTypes", "Regulatory milestone"),
    "regulatory_rules": QT_TRANSLATE_NOOP("RecordTypes", "Regulatory rules of a model"),
    "delivery": QT_TRANSLATE_NOOP("RecordTypes", "Delivery of parts"),
    "roadmap_step": QT_TRANSLATE_NOOP("RecordTypes", "Roadmap step"),
    "step_signoff": QT_TRANSLATE_NOOP("RecordTypes", "Step sign-off"),
}


def record_type_label(code: str) -> str:
    """The source (English) label; unknown codes (from a newer version) are shown as they are."""
    return RECORD_TYPE_LABELS.get(code, code)
