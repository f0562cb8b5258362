"""What the home page shows, in one read: per model the rate against the next milestone, the rate
over time, the roadmap steps, the certification pipeline, interim approvals expiring soon and the
last package received from each site.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from desktop_app.domain.approvals import ApprovalKind
from desktop_app.domain.people import Actor
from desktop_app.services import roadmap_sources as sources
from desktop_app.services.context import ServiceContext
from desktop_app.services.deliveries import DeliveryService, InterimUsage
from desktop_app.services.integration import IntegrationService
from desktop_app.services.integration_dto import ModelIntegration, RateSeries
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.roadmap import RoadmapService, StepSummary
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_dto import SiteStatus
from desktop_app.storage.models.certification import Submission

EXPIRING_WITHIN_DAYS = 60
PIPELINE_STATES = ("draft", "submitted", "under_review", "interim", "approved", "rejected",
                   "suspended", "revoked")


@dataclass(frozen=True, slots=True)
class ExpiringApproval:
    part_id: str
    part_number: str
    part_name: str
    certificate_number: str
    expires_on: date
    days_left: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    models: tuple[ModelIntegration, ...]
    series: dict[str, RateSeries]
    steps: tuple[StepSummary, ...]
    pipeline: tuple[tuple[str, int], ...]  # certification state, submissions in it
    expiring: tuple[ExpiringApproval, ...]
    sites: tuple[SiteStatus, ...]
    by_quantity: tuple[InterimUsage, ...] = ()  # interim approvals still open on a quantity
    # per vehicle model: (model id, parts approved today, parts registered for the model),
    # counted by the parts registry's own query (the parts page shows the same rows)
    model_parts: tuple[tuple[str, int, int], ...] = ()

    def parts_of(self, model_id: str) -> tuple[int, int]:
        """(approved today, registered) parts of a vehicle model."""
        return next(((a, n) for m, a, n in self.model_parts if m == model_id), (0, 0))

    @property
    def late_steps(self) -> tuple[StepSummary, ...]:
        return tuple(s for s in self.steps if s.late)


class DashboardService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    def overview(self, actor: Actor | None) -> Dashboard:
        sources.require_view(actor)
        today = self._today()
        integration = IntegrationService(self._ctx, self._today)
        models = integration.status(actor)
        series = {m.model_id: integration.series(actor, m.model_id) for m in models}
        steps = RoadmapService(self._ctx, self._today).list_steps(actor)
        with self._ctx.unit_of_work() as uow:
            counts = Counter(uow.session.execute(select(Submission.state)).scalars())
        pipeline = tuple((state, counts.get(state, 0)) for state in PIPELINE_STATES)
        sites = tuple(s for s in SyncService(self._ctx).site_status() if not s.retired)
        by_quantity = tuple(u for u in DeliveryService(self._ctx, self._today).interim_usage(actor)
                            if not u.used_up and (u.ends_on is None or u.ends_on > today))
        parts = PartService(self._ctx)
        model_parts = tuple(
            (m.model_id,
             parts.page(PartQuery(model_id=m.model_id, approved_on=today.isoformat()), 0, 1)
             .total,
             parts.page(PartQuery(model_id=m.model_id), 0, 1).total) for m in models)
        return Dashboard(today, tuple(models), series, tuple(steps), pipeline,
                         tuple(self.expiring_interim(actor)), sites, by_quantity, model_parts)

    def expiring_interim(self, actor: Actor | None,
                         within_days: int = EXPIRING_WITHIN_DAYS) -> list[ExpiringApproval]:
        """Interim approvals valid today that end within `within_days`."""
        sources.require_view(actor)
        today = self._today()
        horizon = today + timedelta(days=within_days)
        periods = sources.all_approval_periods(self._ctx)
        ending = [(part_id, p) for part_id, spans in periods.items() for p in spans
                  if p.kind is ApprovalKind.INTERIM and p.end is not None
                  and p.valid_on(today) and p.end <= horizon]
        with self._ctx.unit_of_work() as uow:
            parts = sources.parts(uow.session, {part_id for part_id, _ in ending})
        result = []
        for part_id, p in ending:
            part = parts.get(part_id)
            result.append(ExpiringApproval(
                part_id, part.number if part else part_id, part.name if part else "",
                p.certificate_number, p.end or today, ((p.end or today) - today).days))
        return sorted(result, key=lambda e: (e.expires_on, e.part_number))
