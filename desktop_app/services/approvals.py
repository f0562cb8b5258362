"""When each part (revision) held a valid PPAP approval: the roadmap's view of certification.

    from desktop_app.services.approvals import ApprovalService
    periods = ApprovalService(ctx).approval_periods()           # every part
    periods = ApprovalService(ctx).approval_periods(["<part id>", ...])
    # -> {part_id: [ApprovalPeriod(part_id, kind, start, end, certificate_number), ...]}

Built from the decision records of PPAP submissions (OTS engineering approvals do not count:
they come before PPAP and series supply):
- an approval is valid from its decision date, open-ended (`end=None`), until the submission is
  suspended or revoked, or a later approval of the same part supersedes it;
- an interim approval is valid from its decision date until its expiry date (exclusive), or
  earlier when suspended, revoked or superseded (e.g. upgraded to a full approval); one limited
  by quantity also ends after the day the deliveries recorded under it reach the quantity
  (`storage.models.roadmap.Delivery`), whichever comes first;
- a reinstated approval opens a new period from the reinstatement date.
Decisions are taken in the order they were made (their revisions' Lamport order), not by the
dates the deciding computers' clocks gave them: a suspension recorded under a clock set back
still ends the approval it followed, on the approval's date at the earliest.
Periods of one part are sorted by start and never overlap. `domain.approvals.valid_on(periods,
day)` says whether a part counted on a day. Parts without any approval are absent from the
result. No permission is needed: this is read-only data for the integration rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from desktop_app.domain.approvals import ApprovalPeriod, Delivery
from desktop_app.domain.certificates import DecisionFact
from desktop_app.domain.certificates import approval_periods as build_periods
from desktop_app.domain.certification import Action, SubmissionKind
from desktop_app.services.context import ServiceContext
from desktop_app.storage.models.certification import Certificate, Decision, in_causal_order
from desktop_app.storage.models.roadmap import Delivery as DeliveryRow


class ApprovalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def approval_periods(self, part_ids: Iterable[str] | None = None
                         ) -> dict[str, list[ApprovalPeriod]]:
        wanted = list(part_ids) if part_ids is not None else None
        with self._ctx.unit_of_work() as uow:
            stmt = in_causal_order(select(Decision, Certificate.number).outerjoin(
                Certificate, Certificate.id == Decision.certificate_id).where(
                Decision.kind == str(SubmissionKind.PPAP)))
            facts = []
            for chunk in _chunks(wanted):
                query = stmt if chunk is None else stmt.where(Decision.part_id.in_(chunk))
                for decision, number, lamport, site_id, rev_id in uow.session.execute(query):
                    facts.append(DecisionFact(
                        part_id=decision.part_id, submission_id=decision.submission_id,
                        action=Action(decision.action),
                        decided_on=date.fromisoformat(decision.decided_at[:10]),
                        decided_at=decision.decided_at,
                        valid_until=(date.fromisoformat(decision.valid_until)
                                     if decision.valid_until else None),
                        certificate_number=number or "", order=(lamport, site_id, rev_id),
                        quantity_limit=_quantity(decision.quantity_limit)))
            deliveries = []
            for chunk in _chunks(wanted):
                query = select(DeliveryRow)
                if chunk is not None:
                    query = query.where(DeliveryRow.part_id.in_(chunk))
                deliveries += [Delivery(d.part_id, date.fromisoformat(d.delivered_on), d.quantity)
                               for d in uow.session.execute(query).scalars()]
        return build_periods(facts, deliveries)


def approval_periods(ctx: ServiceContext, part_ids: Iterable[str] | None = None
                     ) -> dict[str, list[ApprovalPeriod]]:
    """Shortcut for `ApprovalService(ctx).approval_periods(part_ids)`."""
    return ApprovalService(ctx).approval_periods(part_ids)


def _quantity(text: str) -> int | None:
    return int(text) if text and text.isdigit() else None


def _chunks(ids: list[str] | None, size: int = 500) -> Iterable[list[str] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
