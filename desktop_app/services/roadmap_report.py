"""The roadmap and integration status as a report: .xlsx for work, PDF for an inspection visit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop_app.documents.roadmap_data import (
    ReportComponent,
    ReportMilestone,
    ReportModel,
    ReportSet,
    ReportStep,
    RoadmapReport,
)
from desktop_app.documents.roadmap_report import write_pdf
from desktop_app.documents.roadmap_workbook import write_workbook
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.people import Actor
from desktop_app.domain.roadmap import PARTY_LABELS
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.services import roadmap_sources as sources
from desktop_app.services.context import ServiceContext
from desktop_app.services.integration import IntegrationService
from desktop_app.services.integration_dto import MilestoneStatus
from desktop_app.services.roadmap import RoadmapService
from desktop_app.services.site import SiteService


def _milestone(m: MilestoneStatus | None) -> ReportMilestone | None:
    if m is None:
        return None
    return ReportMilestone(m.years, m.day, m.target, m.actual, m.forecast)


class RoadmapReportService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    def build(self, actor: Actor | None, model: str | None = None,
              translate: Translate = untranslated) -> RoadmapReport:
        sources.require_view(actor)
        models = IntegrationService(self._ctx, self._today).status(actor, model)
        ids = {m.model_id for m in models}
        steps = [s for s in RoadmapService(self._ctx, self._today).list_steps(actor)
                 if s.model_id in ids]
        site = SiteService(self._ctx).local_site()
        return RoadmapReport(
            site=f"{site.code} — {site.name}", day=self._today(),
            generated_at=self._ctx.clock()[:16].replace("T", " "),
            models=tuple(ReportModel(
                m.code, m.name, m.approval_date, m.rate, m.listed_total, m.state, m.grace_until,
                _milestone(m.next_milestone),
                tuple(ReportSet(s.code, s.name, s.kind, s.rate, s.contribution, s.reason,
                                ", ".join(ln.part_number for ln in s.links)) for s in m.sets),
                tuple(ReportMilestone(ms.years, ms.day, ms.target, ms.actual, ms.forecast)
                      for ms in m.milestones)) for m in models),
            steps=tuple(ReportStep(
                s.model_code, s.code, s.title, s.target_rate, s.target_date, s.baseline_date,
                # what the rate gives: a report for an inspection never shows a status typed by
                # hand in place of the computed one
                s.forecast_date, s.computed_status, s.late, s.days_late, s.owner,
                tuple(ReportComponent(c.name, c.apqp_phase,
                                      ", ".join(f"{p}: {q}" for p, q in c.volumes))
                      for c in s.components),
                "\n".join(s.required_evidence),
                "\n".join(f"{translate('Roadmap', PARTY_LABELS[g.party])}: {g.signer_name} "
                          f"({g.signed_at[:10]})" + (f" — {g.comment}" if g.comment else "")
                          for g in s.signoffs if g.current)) for s in steps))

    def write(self, actor: Actor | None, path: Path | str, model: str | None = None,
              language: str = "fr", translate: Translate = untranslated) -> Path:
        """Write the report; the kind follows the suffix (.xlsx or .pdf)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A report is written as .xlsx or .pdf, not {suffix}."),
                suffix=suffix or path.name)
        report = self.build(actor, model, translate)
        if suffix == ".pdf":
            write_pdf(report, path, translate, language)
        else:
            write_workbook(report, path, translate)
        with self._ctx.unit_of_work() as uow:
            uow.audit.record(actor.username if actor else "cli", "print", f"report:{path.name}",
                             {"kind": "roadmap", "model": model or "*"})
        return path
