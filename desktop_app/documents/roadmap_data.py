"""What a roadmap and integration report shows: plain data, filled by the report service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.integration import Reason, SetKind
from desktop_app.domain.milestones import ModelState
from desktop_app.domain.roadmap import ApqpPhase, StepStatus
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate

CONTEXT = "RoadmapReport"


@dataclass(frozen=True, slots=True)
class ReportSet:
    code: str
    name: str
    kind: SetKind
    rate: Decimal
    contribution: Decimal
    reason: Reason
    parts: str


@dataclass(frozen=True, slots=True)
class ReportMilestone:
    years: int
    day: date
    target: Decimal
    actual: Decimal | None
    forecast: Decimal


@dataclass(frozen=True, slots=True)
class ReportModel:
    code: str
    name: str
    approval_date: date | None
    rate: Decimal
    listed_total: Decimal
    state: ModelState
    grace_until: date | None
    next_milestone: ReportMilestone | None
    sets: tuple[ReportSet, ...]
    milestones: tuple[ReportMilestone, ...]


@dataclass(frozen=True, slots=True)
class ReportComponent:
    name: str
    phase: ApqpPhase
    volumes: str


@dataclass(frozen=True, slots=True)
class ReportStep:
    model_code: str
    code: str
    title: str
    target_rate: Decimal
    target_date: date
    baseline_date: date | None
    forecast_date: date | None
    status: StepStatus
    late: bool
    days_late: int
    owner: str
    components: tuple[ReportComponent, ...]
    evidence: str
    signoffs: str


@dataclass(frozen=True, slots=True)
class RoadmapReport:
    site: str
    day: date
    generated_at: str
    models: tuple[ReportModel, ...]
    steps: tuple[ReportStep, ...]


def pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"


def day_text(day: date | None) -> str:
    return day.isoformat() if day else "—"


# Column titles shared by the workbook and the PDF.
SET_COLUMNS = (
    QT_TRANSLATE_NOOP("RoadmapReport", "Code"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Set"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Kind"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Contributory rate"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Counted"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Why"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Local parts"),
)
MILESTONE_COLUMNS = (
    QT_TRANSLATE_NOOP("RoadmapReport", "Milestone"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Date"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Target"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Rate reached"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Forecast"),
)
STEP_COLUMNS = (
    QT_TRANSLATE_NOOP("RoadmapReport", "Model"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Step"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Title"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Target rate"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Target date"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Baseline date"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Forecast date"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Status"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Late (days)"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Owner"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Components (APQP phase, volumes)"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Required evidence"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Sign-offs"),
)
YEAR_LABEL = QT_TRANSLATE_NOOP("RoadmapReport", "End of year {n}")
YES = QT_TRANSLATE_NOOP("RoadmapReport", "yes")
NO = QT_TRANSLATE_NOOP("RoadmapReport", "no")


def columns(translate: Translate, titles: tuple[str, ...]) -> list[str]:
    return [translate(CONTEXT, t) for t in titles]
