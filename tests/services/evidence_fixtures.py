"""Shared set-up for the evidence tests: a registered part with characteristics and gauges."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Actor
from desktop_app.services.context import ServiceContext
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import CharacteristicDraft, GaugeDraft
from desktop_app.services.parts import PartService

TODAY = date(2026, 11, 26)


def register_part(ctx: ServiceContext, eng: Actor, number: str = "JT-5801") -> str:
    return PartService(ctx).register_part(eng, PartDraft(
        part_number=number, revision="A", designation="Traverse avant",
        family="body_stamping")).part_id


def make_service(ctx: ServiceContext) -> EvidenceService:
    return EvidenceService(ctx, today=lambda: TODAY)


def make_part(ctx: ServiceContext, actors: dict[str, Actor], evidence: EvidenceService) -> dict:
    """A part with a calibrated and an overdue gauge and three characteristics."""
    eng, insp = actors["eng"], actors["insp"]
    part_id = register_part(ctx, eng)
    evidence.add_gauge(insp, GaugeDraft("MIC-014", "Micrometer 0-25 mm", "0-25 mm", "0.001",
                                        "2026-06-01", "2027-06-01"))
    evidence.add_gauge(insp, GaugeDraft("CAL-007", "Caliper 0-150 mm", "0-150 mm", "0.01",
                                        "2025-01-10", "2026-01-10"))
    chars = evidence.add_characteristics(eng, part_id, [
        CharacteristicDraft("1", "Hole diameter", "12", "-0.1", "0.1", unit="mm",
                            char_class="CC", gauge_code="MIC-014"),
        CharacteristicDraft("2", "Flange length", "150", "-0.5", "0.5", unit="mm",
                            gauge_code="CAL-007"),
        CharacteristicDraft("10", "Hardness", lower_limit="180", unit="HV", char_class="SC"),
    ])
    return {"part_id": part_id, "chars": {c.number: c.characteristic_id for c in chars}}
