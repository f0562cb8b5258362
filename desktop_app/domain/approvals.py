"""What the roadmap needs to know of certification: when each part held a valid approval.

Certification produces these periods from its decisions (approved, interim approval until a date,
suspension, revocation); the integration rate consumes them. Kept apart from both so that neither
reaches into the other's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ApprovalKind(StrEnum):
    APPROVED = "approved"  # full PPAP approval
    INTERIM = "interim"  # interim approval, limited by date and/or quantity


@dataclass(frozen=True, slots=True)
class ApprovalPeriod:
    """A part (revision) held a valid approval from `start` until `end` (exclusive; None: open)."""

    part_id: str
    kind: ApprovalKind
    start: date
    end: date | None = None
    certificate_number: str = ""
    quantity_limit: int | None = None  # interim approval: pieces it covers (None: no limit)
    submission_id: str = ""

    def valid_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def valid_on(periods: list[ApprovalPeriod], day: date) -> bool:
    return any(p.valid_on(day) for p in periods)


@dataclass(frozen=True, slots=True)
class Delivery:
    """Pieces of a part shipped on a day (counted against an interim approval's quantity)."""

    part_id: str
    day: date
    quantity: int
