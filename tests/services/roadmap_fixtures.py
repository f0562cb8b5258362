"""A small programme for the roadmap tests: two vehicle models, parts, a reference list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop_app.domain.approvals import ApprovalKind, ApprovalPeriod
from desktop_app.domain.people import Actor
from desktop_app.files.tables import write_table
from desktop_app.services import roadmap_sources
from desktop_app.services.context import ServiceContext

TODAY = date(2026, 11, 26)
APPROVAL = date(2025, 1, 15)  # year-2 milestone: 2027-01-15 (10 %)


@dataclass
class Programme:
    model_id: str
    other_model_id: str
    parts: dict[str, str]  # number -> part id
    other_part: str
    periods: dict[str, list[ApprovalPeriod]] = field(default_factory=dict)


def make_programme(ctx: ServiceContext, admin: Actor, monkeypatch) -> Programme:
    with ctx.unit_of_work() as uow:
        model = uow.records.create("vehicle_model", {
            "code": "X70", "carmaker": "Jetour", "model": "X70", "name": "Jetour X70",
            "approval_date": APPROVAL.isoformat()},
            admin, "test").record_id
        other = uow.records.create("vehicle_model", {
            "code": "DASH", "carmaker": "Jetour", "model": "Dashing", "name": "Jetour Dashing",
            "approval_date": "2025-06-01"},
            admin, "test").record_id
        parts = {}
        for number in ("SEAT-01", "GLASS-01", "HARN-01"):
            parts[number] = uow.records.create("part", {
                "part_number": number, "revision": "A", "designation": number.title(),
                "vehicle_model_ids": [model]},
                admin, "test").record_id
        other_part = uow.records.create("part", {
            "part_number": "DASH-SEAT", "revision": "A", "designation": "Seat",
            "vehicle_model_ids": [other]},
            admin, "test").record_id
    programme = Programme(model, other, parts, other_part)

    def fake_periods(ctx, part_ids):
        return {p: list(programme.periods.get(p, [])) for p in part_ids}

    monkeypatch.setattr(roadmap_sources, "approval_periods", fake_periods)
    monkeypatch.setattr(roadmap_sources, "all_approval_periods",
                        lambda ctx: {p: list(v) for p, v in programme.periods.items()})
    return programme


def approve(programme: Programme, number: str, start: date, end: date | None = None,
            kind: ApprovalKind = ApprovalKind.APPROVED) -> None:
    part_id = programme.parts[number]
    programme.periods.setdefault(part_id, []).append(ApprovalPeriod(part_id, kind, start, end))


def reference_file(tmp_path: Path, rows: list[list[str]], name: str = "list.xlsx") -> Path:
    path = tmp_path / name
    write_table(path, ["Code", "Désignation", "Type", "Taux contributif"], rows)
    return path


STANDARD_LIST = [
    ["BIW", "Body in white stampings", "set", "12"],
    ["SEAT", "Seats", "set", "8"],
    ["GLASS", "Glazing", "subset", "4"],
    ["HARN", "Wiring harness", "subset", "6"],
    ["TYRE", "Tyres and wheels", "accessory", "5"],
]
