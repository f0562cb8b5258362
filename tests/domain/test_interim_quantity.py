"""An interim approval limited by quantity ends after the day its quantity is shipped, or at its
expiry date, whichever comes first; decisions are still taken in causal order."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.approvals import ApprovalKind, Delivery
from desktop_app.domain.certificates import DecisionFact, approval_periods
from desktop_app.domain.certification import Action

START = date(2026, 3, 2)


def fact(action: Action, day: date, order: int, submission: str = "s1",
         until: date | None = None, quantity: int | None = None) -> DecisionFact:
    return DecisionFact("p1", submission, action, day, day.isoformat() + "T09:00:00Z",
                        valid_until=until, certificate_number="CERT-MSR-2026-0001",
                        quantity_limit=quantity, order=(order, "site", f"rev{order}"))


def test_a_quantity_only_interim_approval_ends_after_the_day_its_quantity_ships() -> None:
    facts = [fact(Action.APPROVE_INTERIM, START, 1, quantity=1000)]
    assert approval_periods(facts)["p1"][0].end is None  # nothing shipped yet: still holds
    shipped = [Delivery("p1", START + timedelta(days=3), 600),
               Delivery("p1", START + timedelta(days=9), 400),
               Delivery("p1", START + timedelta(days=12), 50)]
    [period] = approval_periods(facts, shipped)["p1"]
    assert period.kind is ApprovalKind.INTERIM and period.quantity_limit == 1000
    assert period.valid_on(START + timedelta(days=9))  # the last pieces ship under it
    assert period.end == START + timedelta(days=10)
    assert not period.valid_on(START + timedelta(days=10))


def test_the_date_ends_it_first_when_the_quantity_is_not_reached() -> None:
    until = START + timedelta(days=30)
    facts = [fact(Action.APPROVE_INTERIM, START, 1, until=until, quantity=1000)]
    [period] = approval_periods(facts, [Delivery("p1", START, 999)])["p1"]
    assert period.end == until


def test_deliveries_of_another_part_or_before_the_approval_do_not_count() -> None:
    facts = [fact(Action.APPROVE_INTERIM, START, 1, quantity=100)]
    shipped = [Delivery("p2", START, 500), Delivery("p1", START - timedelta(days=1), 500)]
    assert approval_periods(facts, shipped)["p1"][0].end is None


def test_a_reinstated_interim_approval_goes_on_counting_and_a_used_up_one_stays_ended() -> None:
    facts = [fact(Action.APPROVE_INTERIM, START, 1, quantity=100),
             fact(Action.SUSPEND, START + timedelta(days=5), 2),
             fact(Action.REINSTATE, START + timedelta(days=10), 3)]
    shipped = [Delivery("p1", START + timedelta(days=1), 60),
               Delivery("p1", START + timedelta(days=7), 500),  # while suspended: not under it
               Delivery("p1", START + timedelta(days=11), 40)]
    first, second = approval_periods(facts, shipped)["p1"]
    assert first.end == START + timedelta(days=5)
    assert (second.start, second.end) == (START + timedelta(days=10), START + timedelta(days=12))
    used_up = [Delivery("p1", START + timedelta(days=1), 100)]
    [only] = approval_periods(facts, used_up)["p1"]  # the reinstatement reopens nothing
    assert only.end == START + timedelta(days=2)


def test_a_full_approval_is_not_limited_by_deliveries() -> None:
    facts = [fact(Action.APPROVE_INTERIM, START, 1, quantity=10),
             fact(Action.APPROVE, START + timedelta(days=20), 2, submission="s2")]
    shipped = [Delivery("p1", START + timedelta(days=d), 10) for d in (2, 25, 40)]
    interim, full = approval_periods(facts, shipped)["p1"]
    assert interim.end == START + timedelta(days=3)
    assert full.end is None and full.valid_on(START + timedelta(days=400))


@given(st.integers(1, 2000), st.one_of(st.none(), st.integers(1, 200)),
       st.lists(st.tuples(st.integers(-10, 200), st.integers(1, 500)), max_size=12))
def test_it_stops_counting_once_its_quantity_is_shipped_for_any_deliveries(
        limit, expiry_days, deliveries) -> None:
    until = START + timedelta(days=expiry_days) if expiry_days else None
    facts = [fact(Action.APPROVE_INTERIM, START, 1, until=until, quantity=limit)]
    shipped = [Delivery("p1", START + timedelta(days=d), q) for d, q in deliveries]
    periods = approval_periods(facts, shipped).get("p1", [])
    # the slow way: walk the days, counting what ships while the approval holds
    total, ended_on = 0, None
    for offset in range(400):
        day = START + timedelta(days=offset)
        if until is not None and day >= until:
            ended_on = until
            break
        total += sum(q for d, q in deliveries if d == offset)
        if total >= limit:
            ended_on = day + timedelta(days=1)
            break
    assert len(periods) == 1
    assert periods[0].end == ended_on
    for offset in range(-5, 420):
        day = START + timedelta(days=offset)
        held = day >= START and (ended_on is None or day < ended_on)
        assert periods[0].valid_on(day) == held
