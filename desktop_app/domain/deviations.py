"""Deviations (IATF 16949 8.7.1.1): the customer's written permission to ship product that does
not meet a requirement, for a part revision and named characteristics, limited by an expiry date,
a quantity or both.

The supplier requests a deviation (a `deviation` record it owns); the customer decides on it with
an electronic signature (an insert-only `deviation_decision` record, written by the carmaker, that
copies the terms it approved). A deviation waives a finding only while it is valid: approved on
the terms it carries now, not expired, and its quantity not used up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.domain.text import QT_TRANSLATE_NOOP


class DeviationStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGED = "changed"  # approved, then its terms were edited: the approval no longer holds
    EXPIRED = "expired"
    USED_UP = "used_up"


STATUS_LABELS = {
    DeviationStatus.REQUESTED: QT_TRANSLATE_NOOP("Deviations", "Awaiting the customer"),
    DeviationStatus.APPROVED: QT_TRANSLATE_NOOP("Deviations", "Approved, valid"),
    DeviationStatus.REJECTED: QT_TRANSLATE_NOOP("Deviations", "Rejected"),
    DeviationStatus.CHANGED: QT_TRANSLATE_NOOP("Deviations", "Changed since its approval"),
    DeviationStatus.EXPIRED: QT_TRANSLATE_NOOP("Deviations", "Expired"),
    DeviationStatus.USED_UP: QT_TRANSLATE_NOOP("Deviations", "Quantity used up"),
}


class DeviationAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Terms:
    """What a deviation allows: compared between the request and the approval."""

    part_id: str
    characteristic_ids: tuple[str, ...]
    valid_until: str  # ISO date or ""
    quantity_limit: str  # digits or ""

    @classmethod
    def of(cls, fields: dict[str, object]) -> Terms:
        chars = fields.get("characteristic_ids") or ()
        return cls(str(fields.get("part_id", "")),
                   tuple(sorted(str(c) for c in chars)),  # type: ignore[attr-defined]
                   str(fields.get("valid_until", "")), str(fields.get("quantity_limit", "")))


def deviation_status(request: Terms, quantity_used: int, decisions: Sequence[tuple[str, Terms]],
                     today: str) -> DeviationStatus:
    """The status of a deviation from its current terms, the quantity shipped under it and the
    customer's decisions on it in the order they were taken (the last one stands)."""
    if not decisions:
        return DeviationStatus.REQUESTED
    action, approved = decisions[-1]
    if action != DeviationAction.APPROVE:
        return DeviationStatus.REJECTED
    if approved != request:
        return DeviationStatus.CHANGED
    if approved.valid_until and approved.valid_until < today:
        return DeviationStatus.EXPIRED
    if approved.quantity_limit and quantity_used >= int(approved.quantity_limit):
        return DeviationStatus.USED_UP
    return DeviationStatus.APPROVED


def deviation_number(site_code: str, year: int, sequence: int) -> str:
    """DEV-MSR-2026-003: the site code keeps two sites' numbers apart."""
    return f"DEV-{site_code}-{year}-{sequence:03d}"
